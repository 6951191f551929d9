/// The buffers of forward and backward passes over up to `capacity` rows, allocated once per run and
/// reused by every batch: pre-activations `z`, activations `a` and gradients `∂L/∂z` for every layer,
/// plus room to gather shuffled rows of inputs and targets. Layer `l`'s block of each is
/// `[rows, units_l]`, starting at `capacity × unitOffset_l`.
final class Workspace {
    let layout: ParameterLayout
    let capacity: Int
    private let layers: UnsafeMutableBufferPointer<ParameterLayout.Layer>
    private let preActivations: UnsafeMutablePointer<Double>
    private let activations: UnsafeMutablePointer<Double>
    private let deltas: UnsafeMutablePointer<Double>
    /// Gathered input rows `[capacity, inputs]`.
    let inputRows: UnsafeMutablePointer<Double>
    /// Gathered target rows `[capacity, outputs]`.
    let targetRows: UnsafeMutablePointer<Double>

    /// Buffers for `capacity` rows (≥ 1) of the network `layout`.
    init(layout: ParameterLayout, capacity: Int) {
        self.layout = layout
        self.capacity = capacity
        layers = .allocate(capacity: layout.layers.count)
        _ = layers.initialize(from: layout.layers)
        let size = capacity * layout.totalUnits
        preActivations = Self.zeros(size)
        activations = Self.zeros(size)
        deltas = Self.zeros(size)
        inputRows = Self.zeros(capacity * layout.inputs)
        targetRows = Self.zeros(capacity * layout.outputs)
    }

    deinit {
        layers.deallocate()
        for buffer in [preActivations, activations, deltas, inputRows, targetRows] { buffer.deallocate() }
    }

    private static func zeros(_ count: Int) -> UnsafeMutablePointer<Double> {
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: count)
        buffer.initialize(repeating: 0, count: count)
        return buffer
    }

    /// The output layer's pre-activations `[rows, outputs]` after `forward`.
    var outputPreActivations: UnsafeMutablePointer<Double> { block(preActivations, layers.count - 1) }
    /// The output layer's activations `[rows, outputs]` after `forward`.
    var outputActivations: UnsafeMutablePointer<Double> { block(activations, layers.count - 1) }
    /// The output layer's `∂L/∂z`, which `backward` starts from.
    var outputDeltas: UnsafeMutablePointer<Double> { block(deltas, layers.count - 1) }
    /// The output activation.
    var outputActivation: Activation { layers[layers.count - 1].activation }

    @inline(__always)
    private func block(_ base: UnsafeMutablePointer<Double>, _ layer: Int) -> UnsafeMutablePointer<Double> {
        base + capacity &* layers[layer].unitOffset
    }

    /// Forward through every layer: `x: [rows, inputs]` and `parameters` → every layer's `z` and `a`.
    func forward(parameters: UnsafePointer<Double>, x: UnsafePointer<Double>, rows: Int) {
        var input = x
        for index in 0..<layers.count {
            let layer = layers[index]
            let z = block(preActivations, index)
            let a = block(activations, index)
            Dense.forward(
                x: input, weights: parameters + layer.weightOffset, biases: parameters + layer.biasOffset, z: z,
                rows: rows, inputs: layer.inputs, units: layer.units)
            layer.activation.forward(z, into: a, rows: rows, units: layer.units)
            input = UnsafePointer(a)
        }
    }

    /// Backward through every layer, from `outputDeltas` (set by the loss) and the `z`, `a` of the last
    /// `forward` over the same `x: [rows, inputs]` → `gradient` (the parameter layout) `+=` the summed
    /// gradients of these rows.
    func backward(
        parameters: UnsafePointer<Double>, x: UnsafePointer<Double>, rows: Int, gradient: UnsafeMutablePointer<Double>
    ) {
        var index = layers.count - 1
        while index >= 0 {
            let layer = layers[index]
            let dz = block(deltas, index)
            let input = index == 0 ? x : UnsafePointer(block(activations, index - 1))
            Dense.accumulateGradients(
                x: input, dz: dz, weightGradient: gradient + layer.weightOffset,
                biasGradient: gradient + layer.biasOffset, rows: rows, inputs: layer.inputs, units: layer.units)
            if index > 0 {
                let below = layers[index - 1]
                let dx = block(deltas, index - 1)
                Dense.backwardInputs(
                    dz: dz, weights: parameters + layer.weightOffset, dx: dx, rows: rows, inputs: layer.inputs,
                    units: layer.units)
                below.activation.backward(block(activations, index - 1), gradient: dx, count: rows &* below.units)
            }
            index -= 1
        }
    }
}
