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

    /// The number of parameters checked in a layer of `count` weights and biases.
    static func checkedCount(_ count: Int) -> Int {
        let stride = (count + maximumParametersPerLayer - 1) / maximumParametersPerLayer
        return (count + stride - 1) / stride
    }

    /// The check of `plan`'s loss at `parameters`, per layer; `checkInterruption` is called before
    /// each parameter's pair of evaluations, and what it throws ends the check.
    static func run(
        plan: TrainingPlan, parameters initial: [Double], checkInterruption: () throws -> Void
    ) throws -> [Layer] {
        let rows = Swift.min(plan.training.rows, maximumRows)
        let stride = plan.training.rows
        let layout = plan.layout
        let loss = plan.configuration.loss
        let workspace = Workspace<Double>(layout: layout, capacity: rows)
        var parameters = initial
        var gradient = Array(repeating: 0.0, count: layout.parameterCount)
        // The first `rows` rows: the start of every column of the training part.
        let features = plan.training.featureColumns
        let targets = plan.training.targetColumns
        let divisor = loss.divisor(rows: rows, outputs: layout.outputs)

        func lossValue(_ parameters: [Double]) -> Double {
            var sum = 0.0
            workspace.forward(parameters: parameters, x: features, xStride: stride, rows: rows)
            workspace.accumulateLoss(loss, targets: targets, targetStride: stride, rows: rows, into: &sum)
            return sum / divisor
        }

        workspace.forward(parameters: parameters, x: features, xStride: stride, rows: rows)
        gradient.withUnsafeMutableBufferPointer { gradient in
            workspace.backward(
                parameters: parameters, x: features, xStride: stride, targets: targets, targetStride: stride,
                rows: rows,
                loss: loss, gradient: gradient.baseAddress!)
        }
        for index in gradient.indices { gradient[index] /= Double(rows) }

        return try layout.layers.map { layer in
            let first = layer.weightOffset
            let count = layer.biasOffset + layer.units - first
            let stride = (count + maximumParametersPerLayer - 1) / maximumParametersPerLayer
            var result = Layer(maxRelativeError: 0, maxAbsoluteError: 0, checkedParameters: 0)
            for offset in Swift.stride(from: first, to: first + count, by: stride) {
                try checkInterruption()
                let original = parameters[offset]
                parameters[offset] = original + step
                let above = lossValue(parameters)
                parameters[offset] = original - step
                let below = lossValue(parameters)
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
