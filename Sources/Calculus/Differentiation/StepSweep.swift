/// The error of the central difference as h shrinks: truncation error falls as h², rounding error
/// grows as ε/h, so the log-log plot is a V with its bottom near h ≈ ε^(1/3).
public enum StepSweep {
    /// One step of the sweep.
    public struct Sample: Sendable {
        public let step: Double
        public let derivative: Double
        /// |central − exact|.
        public let error: Double
    }

    /// Central differences for h = 1e-1 … 1e-15 against `exact`; also the step with the smallest error.
    public static func central(_ f: (Double) -> Double, at x: Double, exact: Double) -> (
        samples: [Sample], bestStep: Double
    ) {
        let samples = (1...15).map { power -> Sample in
            let h = Double("1e-\(power)")!
            let derivative = FiniteDifferences.central(f, at: x, step: h)
            return Sample(step: h, derivative: derivative, error: Swift.abs(derivative - exact))
        }
        let best = samples.filter { $0.error.isFinite }.min { $0.error < $1.error }
        return (samples, best?.step ?? 1e-5)
    }
}
