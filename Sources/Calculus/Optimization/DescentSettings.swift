/// What a gradient descent run does: how far each step goes, how many steps at most, which update rule,
/// and when it is close enough to stop.
public struct DescentSettings: Sendable, Hashable {
    /// The most steps one run takes.
    public static let maximumSteps = 1_000_000

    /// The step size `lr`: finite and greater than 0.
    public var learningRate: Double
    /// The number of updates to make, 0 to `maximumSteps`, unless the run stops earlier.
    public var steps: Int
    /// The update rule.
    public var optimizer: Optimizer
    /// Stop as soon as the gradient norm at the current point is at most this (checked at the start
    /// too); nil runs every step. Finite and at least 0.
    public var tolerance: Double?

    /// Settings for `steps` updates of size `learningRate`.
    public init(learningRate: Double, steps: Int, optimizer: Optimizer = .gradientDescent, tolerance: Double? = nil) {
        self.learningRate = learningRate
        self.steps = steps
        self.optimizer = optimizer
        self.tolerance = tolerance
    }

    /// Throws `OptimizationError.invalidSetting` for the first setting out of range.
    public func validate() throws(OptimizationError) {
        guard learningRate.isFinite, learningRate > 0 else {
            throw .invalidSetting("learningRate", "must be a finite number greater than 0, not \(learningRate)")
        }
        guard (0...Self.maximumSteps).contains(steps) else {
            throw .invalidSetting("steps", "must be from 0 to \(Self.maximumSteps), not \(steps)")
        }
        if let tolerance, !(tolerance.isFinite && tolerance >= 0) {
            throw .invalidSetting("tolerance", "must be a finite number of at least 0, not \(tolerance)")
        }
        try optimizer.validate()
    }
}
