/// The record of one gradient descent run. Every number in it is finite.
public struct DescentRun: Sendable, Hashable {
    /// Why a run ended.
    public enum StopReason: String, Sendable, Hashable {
        /// It made every step it was given.
        case steps
        /// The gradient norm fell to the tolerance.
        case tolerance
        /// The next point, its value or its gradient was not finite, or the value's magnitude passed
        /// `GradientDescent.divergenceThreshold`; the run ends at the last point where all were fine.
        case diverged
    }

    /// A point and the function's value there.
    public struct Endpoint: Sendable, Hashable {
        /// The coordinates, in the function's variable order.
        public let point: [Double]
        /// The function's value at `point`.
        public let value: Double

        /// `point` with its `value`.
        public init(point: [Double], value: Double) {
            self.point = point
            self.value = value
        }
    }

    /// The settings it ran with.
    public let settings: DescentSettings
    /// Every point visited, starting with the start: `iterations + 1` of them.
    public let path: [[Double]]
    /// The function's value at each point of `path`.
    public let values: [Double]
    /// The Euclidean norm of the gradient at each point of `path`.
    public let gradientNorms: [Double]
    /// Why it ended.
    public let stopped: StopReason

    /// The number of updates made.
    public var iterations: Int { path.count - 1 }

    /// Where it ended and the value there.
    public var final: Endpoint { Endpoint(point: path[path.count - 1], value: values[values.count - 1]) }
}
