/// Backprop checked against central differences, the seed's `numerical_gradient`: for a parameter `p`,
/// `(L(p + h) − L(p − h)) / 2h` with `h = 1e-4`, the loss taken over the first `maximumRows` training
/// rows at the initial parameters. Finite differences share nothing with backprop but the forward
/// pass and the loss, so agreement is a real check.
public enum GradientCheck {
    /// The step, the seed's `h = 1e-4`.
    public static let step = 1e-4
    /// The most training rows the check's loss runs over.
    public static let maximumRows = 256
    /// The most parameters checked per layer: beyond it, evenly spaced ones.
    public static let maximumParametersPerLayer = 500
    /// Gradients smaller than this are compared absolutely: the relative error of `a` against `n` is
    /// `|a − n| / max(|a|, |n|, floor)`. Finite differences of a loss near 1 carry errors near 1e-12.
    public static let floor = 1e-6

    /// One layer's agreement.
    public struct Layer: Sendable, Hashable {
        /// The largest relative error among its checked parameters.
        public var maxRelativeError: Double
        /// The largest absolute difference.
        public var maxAbsoluteError: Double
        /// How many of its weights and biases were checked.
        public var checkedParameters: Int
    }

    /// The check of `plan`'s loss at `parameters`, per layer.
    static func run(plan: TrainingPlan, parameters initial: [Double]) -> [Layer] {
        let rows = Swift.min(plan.training.rows, maximumRows)
        let layout = plan.layout
        let loss = plan.configuration.loss
        let workspace = Workspace(layout: layout, capacity: rows)
        var parameters = initial
        var gradient = Array(repeating: 0.0, count: layout.parameterCount)
        let features = Array(plan.training.features.values.prefix(rows * layout.inputs))
        let targets = Array(plan.training.targets.values.prefix(rows * layout.outputs))
        let divisor = loss.divisor(rows: rows, outputs: layout.outputs)

        func lossValue(_ parameters: UnsafePointer<Double>) -> Double {
            var sum = 0.0
            workspace.forward(parameters: parameters, x: features, rows: rows)
            loss.accumulate(
                z: workspace.outputPreActivations, a: workspace.outputActivations, targets: targets, rows: rows,
                outputs: layout.outputs, into: &sum)
            return sum / divisor
        }

        parameters.withUnsafeBufferPointer { parameters in
            workspace.forward(parameters: parameters.baseAddress!, x: features, rows: rows)
            loss.outputGradient(
                a: workspace.outputActivations, targets: targets, into: workspace.outputDeltas, rows: rows,
                outputs: layout.outputs, activation: workspace.outputActivation)
            gradient.withUnsafeMutableBufferPointer { gradient in
                workspace.backward(
                    parameters: parameters.baseAddress!, x: features, rows: rows, gradient: gradient.baseAddress!)
            }
        }
        for index in gradient.indices { gradient[index] /= Double(rows) }

        return layout.layers.map { layer in
            let first = layer.weightOffset
            let count = layer.biasOffset + layer.units - first
            let stride = (count + maximumParametersPerLayer - 1) / maximumParametersPerLayer
            var result = Layer(maxRelativeError: 0, maxAbsoluteError: 0, checkedParameters: 0)
            for offset in Swift.stride(from: first, to: first + count, by: stride) {
                let original = parameters[offset]
                parameters[offset] = original + step
                let above = parameters.withUnsafeBufferPointer { lossValue($0.baseAddress!) }
                parameters[offset] = original - step
                let below = parameters.withUnsafeBufferPointer { lossValue($0.baseAddress!) }
                parameters[offset] = original
                let numerical = (above - below) / (2 * step)
                let analytic = gradient[offset]
                let difference = Swift.abs(analytic - numerical)
                let scale = Swift.max(Swift.abs(analytic), Swift.abs(numerical), floor)
                result.maxAbsoluteError = Swift.max(result.maxAbsoluteError, difference)
                result.maxRelativeError = Swift.max(result.maxRelativeError, difference / scale)
                result.checkedParameters += 1
            }
            return result
        }
    }
}
