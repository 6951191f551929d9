import ComplexModule
import Foundation
import RealModule

/// The complex-step derivative: f'(x) ≈ Im f(x + ih) / h. No subtraction, so no cancellation: h can
/// be tiny (default 1e-20) and the result is exact to rounding for functions analytic near x.
public enum ComplexStep {
    /// The default step.
    public static let defaultStep = 1e-20

    /// f(x) and f'(x) by the complex step, the other names fixed by `parameters`.
    public static func derivative(
        of expression: Expression, withRespectTo variable: String, at x: Double,
        parameters: [String: Double] = [:], step h: Double = defaultStep
    ) throws(EvaluationError) -> (value: Double, derivative: Double) {
        var values = parameters.mapValues { ComplexScalar(constant: $0) }
        values[variable] = ComplexScalar(Complex(x, h))
        let result: ComplexScalar = try expression.evaluate(values)
        return (result.z.real, result.z.imaginary / h)
    }
}

/// Complex arithmetic for the complex step. Analytic functions use swift-numerics' complex elementary
/// functions; the others follow the usual complex-step conventions, deciding by the real part (abs,
/// sign, step, relu, floor, ceil, round, trunc, min, max, mod) or continuing the real formula (atan2,
/// hypot, real roots).
struct ComplexScalar: CalculusScalar {
    var z: Complex<Double>

    init(_ z: Complex<Double>) { self.z = z }
    init(constant value: Double) { z = Complex(value, 0) }

    var isKnownZero: Bool { z.real == 0 && z.imaginary == 0 }

    static func + (a: ComplexScalar, b: ComplexScalar) -> ComplexScalar { ComplexScalar(a.z + b.z) }
    static func - (a: ComplexScalar, b: ComplexScalar) -> ComplexScalar { ComplexScalar(a.z - b.z) }
    static func * (a: ComplexScalar, b: ComplexScalar) -> ComplexScalar { ComplexScalar(a.z * b.z) }
    static func / (a: ComplexScalar, b: ComplexScalar) -> ComplexScalar { ComplexScalar(a.z / b.z) }
    static prefix func - (a: ComplexScalar) -> ComplexScalar { ComplexScalar(-a.z) }

    static func evaluate(_ function: UnaryFunction, _ operand: ComplexScalar) -> ComplexScalar {
        ComplexScalar(value(function, operand.z))
    }

    static func evaluate(_ operation: BinaryOperation, _ a: ComplexScalar, _ b: ComplexScalar) -> ComplexScalar {
        ComplexScalar(value(operation, a.z, b.z))
    }

    private static func value(_ function: UnaryFunction, _ z: Complex<Double>) -> Complex<Double> {
        let one = Complex<Double>(1, 0)
        switch function {
        case .sin: return .sin(z)
        case .cos: return .cos(z)
        case .tan: return .tan(z)
        case .sec: return one / .cos(z)
        case .csc: return one / .sin(z)
        case .cot: return one / .tan(z)
        case .asin: return .asin(z)
        case .acos: return .acos(z)
        case .atan: return arctangent(z)
        case .asec: return .acos(one / z)
        case .acsc: return .asin(one / z)
        case .acot: return arctangent(one / z)
        case .sinh: return .sinh(z)
        case .cosh: return .cosh(z)
        case .tanh: return .tanh(z)
        case .sech: return one / .cosh(z)
        case .csch: return one / .sinh(z)
        case .coth: return one / .tanh(z)
        case .asinh: return .asinh(z)
        case .acosh: return .acosh(z)
        case .atanh: return .atanh(z)
        case .asech: return .acosh(one / z)
        case .acsch: return .asinh(one / z)
        case .acoth: return .atanh(one / z)
        case .exp: return .exp(z)
        case .log: return .log(z)
        case .log2: return .log(z) / Complex(Foundation.log(2.0), 0)
        case .log10: return .log(z) / Complex(Foundation.log(10.0), 0)
        case .sqrt: return .sqrt(z)
        case .cbrt: return realRoot(z, 3)
        case .abs: return z.real < 0 ? -z : z
        case .sign: return Complex(Double.evaluate(.sign, z.real), 0)
        case .step: return Complex(Double.evaluate(.step, z.real), 0)
        case .sigmoid: return one / (one + .exp(-z))
        case .softplus: return .log(onePlus: .exp(z))
        case .relu: return z.real > 0 ? z : Complex(0, 0)
        case .floor, .ceil, .round, .trunc: return Complex(Double.evaluate(function, z.real), 0)
        }
    }

    private static func value(_ operation: BinaryOperation, _ a: Complex<Double>, _ b: Complex<Double>)
        -> Complex<Double>
    {
        switch operation {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .power:
            // Integer exponents by repeated squaring: the polar form exp(n·log z) would lose the tiny
            // imaginary part of a negative base (sin(2π - δ) is dominated by the rounding of 2π).
            if b.imaginary == 0, b.real == b.real.rounded(), Swift.abs(b.real) <= 1024 {
                return integerPower(a, Int(b.real))
            }
            return .pow(a, b)
        case .logBase: return .log(a) / .log(b)
        case .nthRoot: return b.imaginary == 0 ? realRoot(a, b.real) : .pow(a, Complex(1, 0) / b)
        case .min: return a.real <= b.real ? a : b
        case .max: return a.real >= b.real ? a : b
        case .atan2:
            // atan2 is not analytic as written; continue it to first order in the imaginary parts.
            let denominator = a.real * a.real + b.real * b.real
            return Complex(
                Foundation.atan2(a.real, b.real), (b.real * a.imaginary - a.real * b.imaginary) / denominator)
        case .mod:
            // The real value exactly, and the imaginary part of a - b·k with k = floor(Re a / Re b), which
            // is locally constant (k = 0 when Re b is 0: mod(a, 0) = a).
            let value = Double.evaluate(.mod, a.real, b.real)
            let k = b.real == 0 ? 0 : ((a.real - value) / b.real).rounded()
            return Complex(value, a.imaginary - b.imaginary * k)
        case .hypot:
            // Continued to first order in the imaginary parts, like atan2 (no overflow for large parts).
            let value = Foundation.hypot(a.real, b.real)
            return Complex(value, (a.real * a.imaginary + b.real * b.imaginary) / value)
        }
    }

    /// atan(a + ib) = ½·atan2(2a, 1 - a² - b²) + i·¼·log1p(4b / (a² + (b - 1)²)). swift-numerics 1.1's
    /// `Complex.atan` returns an imaginary part of 0 for b ≈ 1e-20 (measured), which breaks the complex step.
    private static func arctangent(_ z: Complex<Double>) -> Complex<Double> {
        let (a, b) = (z.real, z.imaginary)
        return Complex(
            Foundation.atan2(2 * a, 1 - a * a - b * b) / 2, Foundation.log1p(4 * b / (a * a + (b - 1) * (b - 1))) / 4)
    }

    private static func integerPower(_ z: Complex<Double>, _ n: Int) -> Complex<Double> {
        var result = Complex<Double>(1, 0)
        var base = z
        var remaining = Swift.abs(n)
        while remaining > 0 {
            if remaining & 1 == 1 { result = result * base }
            base = base * base
            remaining >>= 1
        }
        return n < 0 ? Complex(1, 0) / result : result
    }

    /// The real n-th root continued off the real axis: for negative real part and odd n, -(-z)^(1/n).
    private static func realRoot(_ z: Complex<Double>, _ n: Double) -> Complex<Double> {
        let exponent = Complex(1 / n, 0)
        if z.real < 0 && n == n.rounded() && Swift.abs(n.truncatingRemainder(dividingBy: 2)) == 1 {
            return -.pow(-z, exponent)
        }
        return .pow(z, exponent)
    }
}
