/// The one table of derivatives: for each built-in function and operator, its partial derivatives
/// written in the operations of any `CalculusScalar`. Symbolic differentiation reads it with
/// `T = Expression`, forward mode with `T = Dual`, reverse mode and the vectorised evaluator with
/// `T = Double`. Finite differences do not use it, which keeps them an independent check.
public enum FunctionTable {
    /// d/dx f(x).
    public static func derivative<T: CalculusScalar>(of function: UnaryFunction, at x: T) -> T {
        let one = T(constant: 1)
        let square = x * x
        switch function {
        case .sin: return T.call(.cos, x)
        case .cos: return -T.call(.sin, x)
        case .tan: return one + T.pow(T.call(.tan, x), T(constant: 2))
        case .sec: return T.call(.sec, x) * T.call(.tan, x)
        case .csc: return -(T.call(.csc, x) * T.call(.cot, x))
        case .cot: return -(one + T.pow(T.call(.cot, x), T(constant: 2)))
        case .asin: return one / T.call(.sqrt, one - square)
        case .acos: return -(one / T.call(.sqrt, one - square))
        case .atan: return one / (one + square)
        case .asec: return one / (T.call(.abs, x) * T.call(.sqrt, square - one))
        case .acsc: return -(one / (T.call(.abs, x) * T.call(.sqrt, square - one)))
        case .acot: return -(one / (one + square))
        case .sinh: return T.call(.cosh, x)
        case .cosh: return T.call(.sinh, x)
        case .tanh: return one - T.pow(T.call(.tanh, x), T(constant: 2))
        case .sech: return -(T.call(.sech, x) * T.call(.tanh, x))
        case .csch: return -(T.call(.csch, x) * T.call(.coth, x))
        case .coth: return one - T.pow(T.call(.coth, x), T(constant: 2))
        case .asinh: return one / T.call(.sqrt, square + one)
        case .acosh: return one / T.call(.sqrt, square - one)
        case .atanh, .acoth: return one / (one - square)
        case .asech: return -(one / (x * T.call(.sqrt, one - square)))
        case .acsch: return -(one / (T.call(.abs, x) * T.call(.sqrt, one + square)))
        case .exp: return T.call(.exp, x)
        case .log: return one / x
        case .log2: return one / (x * T.call(.log, T(constant: 2)))
        case .log10: return one / (x * T.call(.log, T(constant: 10)))
        case .sqrt: return one / (T(constant: 2) * T.call(.sqrt, x))
        case .cbrt: return one / (T(constant: 3) * T.pow(T.call(.cbrt, x), T(constant: 2)))
        case .abs: return T.call(.sign, x)
        // Zero wherever they are differentiable; their jumps are found by `PointDiagnostics`, and no
        // derivative is answered there.
        case .sign, .step, .floor, .ceil, .round, .trunc: return T(constant: 0)
        case .sigmoid: return T.call(.sigmoid, x) * (one - T.call(.sigmoid, x))
        case .softplus: return T.call(.sigmoid, x)
        case .relu: return T.call(.step, x)
        }
    }

    /// ∂/∂a of `a ∘ b`, where `value` is `a ∘ b` already computed.
    public static func leftPartial<T: CalculusScalar>(of operation: BinaryOperation, _ a: T, _ b: T, value: T) -> T {
        let one = T(constant: 1)
        switch operation {
        case .add, .subtract: return one
        case .multiply: return b
        case .divide: return one / b
        case .power: return b * T.pow(a, b - one)
        case .logBase: return one / (a * T.call(.log, b))
        case .nthRoot: return value / (b * a)
        case .min: return T.call(.step, b - a)
        case .max: return T.call(.step, a - b)
        case .atan2: return b / (a * a + b * b)
        case .mod: return one
        case .hypot: return a / value
        }
    }

    /// ∂/∂b of `a ∘ b`, where `value` is `a ∘ b` already computed.
    public static func rightPartial<T: CalculusScalar>(of operation: BinaryOperation, _ a: T, _ b: T, value: T) -> T {
        switch operation {
        case .add: return T(constant: 1)
        case .subtract: return T(constant: -1)
        case .multiply: return a
        case .divide: return -(value / b)
        case .power: return value * T.call(.log, a)
        case .logBase: return -(value / (b * T.call(.log, b)))
        case .nthRoot: return -(value * T.call(.log, T.call(.abs, a)) / (b * b))
        case .min: return T.call(.step, a - b)
        case .max: return T.call(.step, b - a)
        case .atan2: return -(a / (a * a + b * b))
        // mod(a, b) = a - b·floor(a/b), and floor is constant away from the jumps.
        case .mod: return -T.call(.floor, a / b)
        case .hypot: return b / value
        }
    }
}
