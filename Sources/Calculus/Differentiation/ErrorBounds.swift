/// A-priori error bounds of the difference formulas at a point: truncation from f's own higher
/// derivative at the ends and the middle of the stencil (forward mode), plus rounding (each value of f
/// taken within `valueUlps` units in the last place, and x ± h not exactly representable).
///
/// Where f has a corner or a jump in the stencil these do not apply (the derivatives they use do not
/// exist there); callers check `PointDiagnostics.kink` first.
public enum ErrorBounds {
    /// The error assumed in each value of f, in units of its magnitude times ε: a composite
    /// expression's few roundings, each within half an ulp.
    public static let valueUlps = 4.0

    /// The bound of `method` (central, forward or backward difference, first derivative) with step `h`,
    /// where `value` is f(x) and `derivative` f'(x); nil for other methods or where f's higher
    /// derivatives are not finite.
    public static func bound(
        _ method: DerivativeMethod, _ problem: DerivativeProblem, at x: Double, step h: Double, value: Double,
        derivative: Double
    ) -> Double? {
        // |f| and |f^(n)| at the given points of the stencil.
        func largest(order: Int, at points: [Double]) -> (derivative: Double, value: Double)? {
            var (derivativeMaximum, valueMaximum) = (0.0, Swift.abs(value))
            for point in points {
                guard
                    let (f, d) = try? ForwardMode.derivative(
                        of: problem.expression, withRespectTo: problem.variable, at: point,
                        parameters: problem.parameters, order: order),
                    f.isFinite, d.isFinite
                else { return nil }
                derivativeMaximum = Swift.max(derivativeMaximum, Swift.abs(d))
                valueMaximum = Swift.max(valueMaximum, Swift.abs(f))
            }
            return (derivativeMaximum, valueMaximum)
        }
        let epsilon = Double.ulpOfOne
        // x + h rounds to a neighbour of the intended point: the quotient divides by h all the same.
        let stepRounding = epsilon * Swift.abs(x) * Swift.abs(derivative) / h
        switch method {
        case .central:
            guard let (third, f) = largest(order: 3, at: [x - h, x, x + h]) else { return nil }
            return third * h * h / 6 + valueUlps * epsilon * f / h + stepRounding
        case .forwardDifference, .backwardDifference:
            let points = method == .forwardDifference ? [x, x + h] : [x - h, x]
            guard let (second, f) = largest(order: 2, at: points) else { return nil }
            return second * h / 2 + 2 * valueUlps * epsilon * f / h + stepRounding
        default:
            return nil
        }
    }
}

extension DerivativeMethod {
    /// Whether `ErrorBounds` gives it an a-priori bound (the plain difference formulas).
    public var hasErrorBound: Bool {
        switch self {
        case .central, .forwardDifference, .backwardDifference: true
        default: false
        }
    }
}
