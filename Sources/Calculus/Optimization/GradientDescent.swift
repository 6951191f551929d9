/// Gradient descent on any function given as a closure returning its value and gradient, so it runs on
/// whatever evaluates them (reverse mode, finite differences, a hand-written derivative).
public enum GradientDescent {
    /// A value whose magnitude passes this counts as diverged: far beyond anything a descent that
    /// converges visits, and far enough below `Double.greatestFiniteMagnitude` that squares of
    /// coordinates of that size have not yet overflowed.
    public static let divergenceThreshold = 1e150
    /// `checkInterruption` is called before the first step and then once every this many steps.
    public static let cancellationInterval = 1_000
    /// The most coordinates (`points × dimension`) one recorded path may hold: 80 MB of `Double`s.
    public static let maximumPathCoordinates = 10_000_000

    /// Runs `settings.steps` updates from `start`, recording every point, or fewer when the gradient norm
    /// reaches the tolerance or the run diverges (see `DescentRun.StopReason`).
    ///
    /// - Parameters:
    ///   - valueAndGradient: the function's value and gradient at a point (same length as the point).
    ///     Errors it throws end the run and are rethrown.
    ///   - checkInterruption: called every `cancellationInterval` steps; throw to abandon the run.
    /// - Throws: `OptimizationError` for invalid settings or a start where the function or its gradient
    ///   is not finite; whatever the closures throw.
    public static func run(
        start: [Double],
        settings: DescentSettings,
        valueAndGradient: ([Double]) throws -> (value: Double, gradient: [Double]),
        checkInterruption: () throws -> Void = {}
    ) throws -> DescentRun {
        try settings.validate()
        guard !start.isEmpty else {
            throw OptimizationError.invalidSetting("start", "must have at least one coordinate")
        }
        guard start.allSatisfy(\.isFinite) else {
            throw OptimizationError.invalidSetting("start", "must have finite coordinates")
        }
        let (coordinates, overflow) = (settings.steps + 1).multipliedReportingOverflow(by: start.count)
        guard !overflow, coordinates <= maximumPathCoordinates else {
            throw OptimizationError.pathTooLarge(
                coordinates: overflow ? Int.max : coordinates, limit: maximumPathCoordinates)
        }

        func evaluate(_ point: [Double]) throws -> Sample {
            let (value, gradient) = try valueAndGradient(point)
            guard gradient.count == point.count else {
                throw OptimizationError.gradientSizeMismatch(expected: point.count, actual: gradient.count)
            }
            return Sample(value: value, gradient: gradient)
        }

        var current = try evaluate(start)
        guard current.isUsable else {
            throw OptimizationError.notFiniteAtStart(
                value: current.value, gradientIsFinite: current.gradient.allSatisfy(\.isFinite))
        }
        var point = start
        var path = [start]
        var values = [current.value]
        var gradientNorms = [current.gradientNorm]
        // Runs stopped by the tolerance often end long before `steps`: reserve a little, let the rest grow.
        let expectedPoints = min(settings.steps + 1, 1 << 16)
        path.reserveCapacity(expectedPoints)
        values.reserveCapacity(expectedPoints)
        gradientNorms.reserveCapacity(expectedPoints)

        var state = Optimizer.State(settings.optimizer, learningRate: settings.learningRate, dimension: start.count)
        var stopped = DescentRun.StopReason.steps
        var iterations = 0
        while true {
            if let tolerance = settings.tolerance, current.gradientNorm <= tolerance {
                stopped = .tolerance
                break
            }
            guard iterations < settings.steps else { break }
            if iterations % cancellationInterval == 0 { try checkInterruption() }

            var gradient = current.gradient
            if let ahead = state.lookAhead(from: point) {
                guard ahead.allSatisfy(\.isFinite) else {
                    stopped = .diverged
                    break
                }
                gradient = try evaluate(ahead).gradient
                guard gradient.allSatisfy(\.isFinite) else {
                    stopped = .diverged
                    break
                }
            }
            state.step(&point, gradient: gradient)
            guard point.allSatisfy(\.isFinite) else {
                stopped = .diverged
                break
            }
            current = try evaluate(point)
            guard current.isUsable else {
                stopped = .diverged
                break
            }
            iterations += 1
            path.append(point)
            values.append(current.value)
            gradientNorms.append(current.gradientNorm)
        }
        return DescentRun(
            settings: settings, path: path, values: values, gradientNorms: gradientNorms, stopped: stopped)
    }

    /// One run per learning rate, in order, each with `settings` otherwise unchanged: the tutorials'
    /// ant (too small, barely moves) and flea (too large, bounces or escapes) beside a good step size.
    public static func runs(
        start: [Double],
        settings: DescentSettings,
        learningRates: [Double],
        valueAndGradient: ([Double]) throws -> (value: Double, gradient: [Double]),
        checkInterruption: () throws -> Void = {}
    ) throws -> [DescentRun] {
        try learningRates.map { learningRate in
            var settings = settings
            settings.learningRate = learningRate
            return try run(
                start: start, settings: settings, valueAndGradient: valueAndGradient,
                checkInterruption: checkInterruption)
        }
    }
}

/// The function at one point.
private struct Sample {
    let value: Double
    let gradient: [Double]
    /// ‖gradient‖₂; NaN or infinite when a component is.
    let gradientNorm: Double

    init(value: Double, gradient: [Double]) {
        self.value = value
        self.gradient = gradient
        gradientNorm = Self.euclideanNorm(gradient)
    }

    /// Whether this point may enter the path: finite value within the divergence threshold, finite
    /// gradient with a finite norm.
    var isUsable: Bool {
        value.isFinite && abs(value) <= GradientDescent.divergenceThreshold && gradientNorm.isFinite
    }

    /// √Σg², rescaled by the largest component first when a square could overflow or underflow.
    private static func euclideanNorm(_ vector: [Double]) -> Double {
        guard vector.allSatisfy(\.isFinite) else { return .nan }
        let largest = vector.reduce(0) { max($0, abs($1)) }
        guard largest > 0 else { return 0 }
        if largest < 1e-150 || largest > 1e150 {
            let sum = vector.reduce(0) { $0 + ($1 / largest) * ($1 / largest) }
            return largest * sum.squareRoot()
        }
        return vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}
