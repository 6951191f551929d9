/// The ways Nabla computes a derivative of one variable.
public enum DerivativeMethod: Sendable, CaseIterable {
    /// The derivative as an expression, evaluated.
    case symbolic
    /// Dual numbers (nested for higher orders).
    case forward
    /// The tape, walked backwards.
    case reverse
    /// `(f(x+h) - f(x-h)) / 2h`; order 2: `(f(x+h) - 2f(x) + f(x-h)) / h²`.
    case central
    /// `(f(x+h) - f(x)) / h`.
    case forwardDifference
    /// `(f(x) - f(x-h)) / h`.
    case backwardDifference
    /// Central differences at h, h/2, h/4, … extrapolated.
    case richardson
    /// `Im f(x + ih) / h`.
    case complexStep

    /// Derivative orders the method computes.
    public var orders: ClosedRange<Int> {
        switch self {
        case .symbolic, .forward: 1...4
        case .central: 1...2
        case .reverse, .forwardDifference, .backwardDifference, .richardson, .complexStep: 1...1
        }
    }

    /// Whether it is exact up to rounding (as opposed to an approximation with a step).
    public var isExact: Bool {
        switch self {
        case .symbolic, .forward, .reverse: true
        default: false
        }
    }

    /// Its default step h (nil for the exact modes).
    public func defaultStep(at x: Double) -> Double? {
        switch self {
        case .symbolic, .forward, .reverse: nil
        case .central, .forwardDifference, .backwardDifference: FiniteDifferences.defaultStep
        case .richardson: 0.01 * Swift.max(1, Swift.abs(x))
        case .complexStep: ComplexStep.defaultStep
        }
    }
}
