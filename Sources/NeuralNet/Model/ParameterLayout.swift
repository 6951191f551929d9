/// Where each layer's weights and biases sit in the one flat parameter buffer (and so in the gradient
/// and optimiser buffers): layer after layer, weights `[inputs, units]` row-major, then biases `[units]`.
struct ParameterLayout: Sendable, Hashable {
    /// One layer's shape and offsets.
    struct Layer: Sendable, Hashable {
        let inputs: Int
        let units: Int
        let activation: Activation
        /// Offset of `weights[0][0]` in the parameter buffer.
        let weightOffset: Int
        /// Offset of `biases[0]`.
        let biasOffset: Int
        /// Units in the layers before this one: where its columns start in per-row activation buffers.
        let unitOffset: Int

        var weightCount: Int { inputs * units }
    }

    let layers: [Layer]
    /// Weights and biases in all.
    let parameterCount: Int
    /// Units in all layers (per-row activation storage).
    let totalUnits: Int

    /// The layout of layers `(units, activation)` over `inputs` inputs; sizes must already be checked
    /// against the limits (so nothing here overflows).
    init(inputs: Int, layers shapes: [(units: Int, activation: Activation)]) {
        var layers: [Layer] = []
        var offset = 0
        var unitOffset = 0
        var width = inputs
        for shape in shapes {
            let layer = Layer(
                inputs: width, units: shape.units, activation: shape.activation, weightOffset: offset,
                biasOffset: offset + width * shape.units, unitOffset: unitOffset)
            layers.append(layer)
            offset = layer.biasOffset + shape.units
            unitOffset += shape.units
            width = shape.units
        }
        self.layers = layers
        parameterCount = offset
        totalUnits = unitOffset
    }

    /// The number of inputs.
    var inputs: Int { layers[0].inputs }
    /// The number of outputs.
    var outputs: Int { layers[layers.count - 1].units }
    /// The widest layer's input or output width.
    var widest: Int { layers.map { Swift.max($0.inputs, $0.units) }.max() ?? 0 }

    /// The parameter count of layers `(inputs → units)` with overflow checks, or nil when it overflows.
    static func checkedParameterCount(inputs: Int, units: [Int]) -> Int? {
        var total = 0
        var width = inputs
        for count in units {
            guard let weights = TrainingLimits.product(width, count) else { return nil }
            let (withBiases, overflow1) = weights.addingReportingOverflow(count)
            let (sum, overflow2) = total.addingReportingOverflow(withBiases)
            if overflow1 || overflow2 { return nil }
            total = sum
            width = count
        }
        return total
    }
}
