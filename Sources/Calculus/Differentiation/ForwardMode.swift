/// Forward mode of any order 1–4: the variable is seeded as `x + ε₁ + … + εₙ` in nested dual numbers,
/// and the coefficient of `ε₁⋯εₙ` in the result is the n-th derivative.
public enum ForwardMode {
    /// Orders this mode computes.
    public static let orders = 1...4

    /// f(x) and its `order`-th derivative with respect to `variable`, the other names fixed by `parameters`.
    public static func derivative(
        of expression: Expression, withRespectTo variable: String, at x: Double,
        parameters: [String: Double] = [:], order: Int
    ) throws(DifferentiationError) -> (value: Double, derivative: Double) {
        switch order {
        case 1: return try evaluate(expression, Dual<Double>.self, variable, x, parameters)
        case 2: return try evaluate(expression, Dual<Dual<Double>>.self, variable, x, parameters)
        case 3: return try evaluate(expression, Dual<Dual<Dual<Double>>>.self, variable, x, parameters)
        case 4: return try evaluate(expression, Dual<Dual<Dual<Dual<Double>>>>.self, variable, x, parameters)
        default: throw .unsupportedOrder(method: .forward, order: order, supported: orders)
        }
    }

    private static func evaluate<T: SeededScalar>(
        _ expression: Expression, _: T.Type, _ variable: String, _ x: Double, _ parameters: [String: Double]
    ) throws(DifferentiationError) -> (value: Double, derivative: Double) {
        var values = parameters.mapValues { T(constant: $0) }
        values[variable] = T.seeded(x)
        do {
            let result: T = try expression.evaluate(values)
            return (result.plainValue, result.highestDerivative)
        } catch {
            throw .evaluation(error)
        }
    }
}

/// A scalar that can carry the variable seeded in every infinitesimal direction.
protocol SeededScalar: CalculusScalar {
    /// `x + ε₁ + … + εₙ`.
    static func seeded(_ x: Double) -> Self
    /// The coefficient of no ε: f(x).
    var plainValue: Double { get }
    /// The coefficient of ε₁⋯εₙ: the n-th derivative.
    var highestDerivative: Double { get }
}

extension Double: SeededScalar {
    static func seeded(_ x: Double) -> Double { x }
    var plainValue: Double { self }
    var highestDerivative: Double { self }
}

extension Dual: SeededScalar where Base: SeededScalar {
    static func seeded(_ x: Double) -> Dual { Dual(value: Base.seeded(x), derivative: Base(constant: 1)) }
    var plainValue: Double { value.plainValue }
    var highestDerivative: Double { derivative.highestDerivative }
}
