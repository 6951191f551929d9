/// Why a descent or a contour grid could not be computed. `setting` names the offending input the way
/// `DescentSettings`, `Optimizer` and `Contour` spell it (`learningRate`, `beta1`, `resolution`, ...), so
/// a caller can point at the field it came from.
public enum OptimizationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A setting is out of range: `(setting, reason)`, e.g. `("learningRate", "must be ... not 0")`.
    case invalidSetting(String, String)
    /// The value or the gradient is not finite at the start (or the value's magnitude passes
    /// `GradientDescent.divergenceThreshold`), so there is nowhere to descend from.
    case notFiniteAtStart(value: Double, gradientIsFinite: Bool)
    /// The gradient closure returned `actual` components for a point of `expected` coordinates.
    case gradientSizeMismatch(expected: Int, actual: Int)
    /// Recording the whole path would take more than `limit` coordinates (`points × dimension`).
    case pathTooLarge(coordinates: Int, limit: Int)

    /// The message for people; produced here only.
    public var description: String {
        switch self {
        case .invalidSetting(let setting, let reason):
            "\(setting) \(reason)"
        case .notFiniteAtStart(let value, let gradientIsFinite):
            if !value.isFinite || abs(value) > GradientDescent.divergenceThreshold {
                "the value at the start is \(value), not a finite number within ±\(GradientDescent.divergenceThreshold)"
            } else if !gradientIsFinite {
                "the gradient at the start is not finite (the value there is \(value))"
            } else {
                "the gradient at the start is too large to measure"
            }
        case .gradientSizeMismatch(let expected, let actual):
            "the gradient has \(actual) components for a point of \(expected) coordinates"
        case .pathTooLarge(let coordinates, let limit):
            "the path would hold \(coordinates) coordinates (points × dimension); the limit is \(limit)"
        }
    }
}
