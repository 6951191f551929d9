/// The buffers of forward and backward passes over up to `capacity` rows, allocated once per run and
/// reused by every batch: pre-activations `z`, activations `a` and gradients `∂L/∂z` for every layer,
/// room to gather shuffled rows of inputs and targets, and scratch. Every block is column-major with
/// stride `capacity` (see `Dense`); layer `l`'s starts at `capacity × unitOffset_l`. `Scalar` is the
/// run's precision.
final class Workspace<Scalar: TrainingScalar> {
    let layout: ParameterLayout
    let capacity: Int
    private let layers: UnsafeMutableBufferPointer<ParameterLayout.Layer>
    private let preActivations: UnsafeMutablePointer<Scalar>
    private let activations: UnsafeMutablePointer<Scalar>
    private let deltas: UnsafeMutablePointer<Scalar>
    /// Gathered inputs `[capacity, inputs]`.
    let inputRows: UnsafeMutablePointer<Scalar>
    /// Gathered targets `[capacity, outputs]`.
    let targetRows: UnsafeMutablePointer<Scalar>
    /// Softmax's row maxima and sums `[capacity]`, for cross-entropy.
    let rowMaximum: UnsafeMutablePointer<Scalar>
    let rowSum: UnsafeMutablePointer<Scalar>
    /// Room for one layer's `[capacity, units]` transposed (wide layers' gradients).
    private let scratch: UnsafeMutablePointer<Scalar>
    private var buffers: [UnsafeMutablePointer<Scalar>] = []
    /// The threads wide layers' products are split over.
    private let lanes: KernelLanes

    /// Buffers for `capacity` rows (≥ 1) of the network `layout`; wide layers' big products run on
    /// `lanes` (the calling thread alone unless given).
    init(layout: ParameterLayout, capacity: Int, lanes: KernelLanes = .single) {
        self.layout = layout
        self.capacity = capacity
        self.lanes = lanes
        layers = .allocate(capacity: layout.layers.count)
        _ = layers.initialize(from: layout.layers)
        func zeros(_ count: Int) -> UnsafeMutablePointer<Scalar> {
            let buffer = UnsafeMutablePointer<Scalar>.allocate(capacity: count)
            buffer.initialize(repeating: 0, count: count)
            return buffer
        }
        let size = capacity * layout.totalUnits
        preActivations = zeros(size)
        activations = zeros(size)
        deltas = zeros(size)
        inputRows = zeros(capacity * layout.inputs)
        targetRows = zeros(capacity * layout.outputs)
        rowMaximum = zeros(capacity)
        rowSum = zeros(capacity)
        scratch = zeros(capacity * (layout.layers.map(\.units).max() ?? 1))
        buffers = [preActivations, activations, deltas, inputRows, targetRows, rowMaximum, rowSum, scratch]
    }

    deinit {
        layers.deallocate()
        for buffer in buffers { buffer.deallocate() }
    }

    /// The output layer's pre-activations `[rows, outputs]` after `forward`.
    var outputPreActivations: UnsafeMutablePointer<Scalar> { block(preActivations, layers.count - 1) }
    /// The output layer's activations `[rows, outputs]` after `forward`.
    var outputActivations: UnsafeMutablePointer<Scalar> { block(activations, layers.count - 1) }
    /// The output layer's `∂L/∂z`, which `backward` starts from.
    var outputDeltas: UnsafeMutablePointer<Scalar> { block(deltas, layers.count - 1) }
    /// The output activation.
    var outputActivation: Activation { layers[layers.count - 1].activation }

    /// `pointer` as doubles, for `Dense`'s own loops, which only double layers reach
    /// (`TrainingScalar.usesGemm` is true for every float layer).
    @inline(__always)
    private func doubles(_ pointer: UnsafePointer<Scalar>) -> UnsafePointer<Double> {
        precondition(Scalar.self == Double.self)
        return UnsafeRawPointer(pointer).assumingMemoryBound(to: Double.self)
    }

    @inline(__always)
    private func doubles(_ pointer: UnsafeMutablePointer<Scalar>) -> UnsafeMutablePointer<Double> {
        precondition(Scalar.self == Double.self)
        return UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: Double.self)
    }

    @inline(__always)
    private func block(_ base: UnsafeMutablePointer<Scalar>, _ layer: Int) -> UnsafeMutablePointer<Scalar> {
        base + capacity &* layers[layer].unitOffset
    }

    /// Forward through every layer: `x: [rows, inputs]` (stride `xStride`) and `parameters` → every
    /// layer's `z` and `a`.
    func forward(parameters: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>, xStride: Int, rows: Int) {
        var input = x
        var inputStride = xStride
        for index in 0..<layers.count {
            let layer = layers[index]
            let z = block(preActivations, index)
            let a = block(activations, index)
            if Scalar.usesGemm(inputs: layer.inputs, units: layer.units) {
                Dense.forwardWide(
                    x: input, xStride: inputStride, weights: parameters + layer.weightOffset,
                    biases: parameters + layer.biasOffset, z: z, zStride: capacity, rows: rows,
                    inputs: layer.inputs, units: layer.units, lanes: lanes)
            } else {
                Dense.forward(
                    x: doubles(input), xStride: inputStride, weights: doubles(parameters + layer.weightOffset),
                    biases: doubles(parameters + layer.biasOffset), z: doubles(z), zStride: capacity, rows: rows,
                    inputs: layer.inputs, units: layer.units)
            }
            layer.activation.forward(
                z, into: a, rows: rows, units: layer.units, stride: capacity, rowMaximum: rowMaximum, rowSum: rowSum)
            input = UnsafePointer(a)
            inputStride = capacity
        }
    }

    /// Backward through every layer, from `outputDeltas` (set by the loss) and the `z`, `a` of the last
    /// `forward` over the same `x` → `gradient` (the parameter layout) `+=` the summed gradients of
    /// these rows.
    func backward(
        parameters: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>, xStride: Int, rows: Int,
        gradient: UnsafeMutablePointer<Scalar>
    ) {
        var index = layers.count - 1
        while index >= 0 {
            let layer = layers[index]
            let dz = block(deltas, index)
            let input = index == 0 ? x : UnsafePointer(block(activations, index - 1))
            let wide = Scalar.usesGemm(inputs: layer.inputs, units: layer.units)
            if wide {
                Dense.accumulateGradientsWide(
                    x: input, xStride: index == 0 ? xStride : capacity, dz: dz, dzStride: capacity,
                    weightGradient: gradient + layer.weightOffset, biasGradient: gradient + layer.biasOffset,
                    rows: rows, inputs: layer.inputs, units: layer.units, lanes: lanes)
            } else {
                Dense.accumulateGradients(
                    x: doubles(input), xStride: index == 0 ? xStride : capacity, dz: doubles(UnsafePointer(dz)),
                    dzStride: capacity,
                    weightGradient: doubles(gradient + layer.weightOffset),
                    biasGradient: doubles(gradient + layer.biasOffset), rows: rows, inputs: layer.inputs,
                    units: layer.units, scratch: doubles(scratch))
            }
            if index > 0 {
                let below = layers[index - 1]
                let dx = block(deltas, index - 1)
                let belowOutputs = UnsafePointer(block(activations, index - 1))
                let relu = below.activation == .relu
                if wide {
                    Dense.backwardInputsWide(
                        dz: dz, weights: parameters + layer.weightOffset, dx: dx, stride: capacity, rows: rows,
                        inputs: layer.inputs, units: layer.units, reluOutputs: relu ? belowOutputs : nil,
                        lanes: lanes)
                } else {
                    Dense.backwardInputs(
                        dz: doubles(UnsafePointer(dz)), weights: doubles(parameters + layer.weightOffset),
                        dx: doubles(dx),
                        stride: capacity, rows: rows, inputs: layer.inputs, units: layer.units,
                        reluOutputs: relu ? doubles(belowOutputs) : nil)
                }
                if !relu {
                    below.activation.backward(
                        belowOutputs, gradient: dx, rows: rows, units: below.units, stride: capacity)
                }
            }
            index -= 1
        }
    }

    /// Output backward and backward, for `rows` rows whose targets are `targets` (stride
    /// `targetStride`), after `forward` over `x`.
    func backward(
        parameters: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>, xStride: Int, targets: UnsafePointer<Scalar>,
        targetStride: Int, rows: Int, loss: LossFunction, gradient: UnsafeMutablePointer<Scalar>
    ) {
        loss.outputGradient(
            a: outputActivations, targets: targets, targetStride: targetStride, into: outputDeltas, stride: capacity,
            rows: rows, outputs: layout.outputs, activation: outputActivation)
        backward(parameters: parameters, x: x, xStride: xStride, rows: rows, gradient: gradient)
    }

    /// `total` plus the summed loss terms of the last `forward`'s `rows` rows against `targets`.
    func accumulateLoss(
        _ loss: LossFunction, targets: UnsafePointer<Scalar>, targetStride: Int, rows: Int, into total: inout Double
    ) {
        loss.accumulate(
            z: outputPreActivations, a: outputActivations, stride: capacity, targets: targets,
            targetStride: targetStride, rows: rows, outputs: layout.outputs, rowMaximum: rowMaximum, rowSum: rowSum,
            into: &total)
    }

    /// How many of the last `forward`'s `rows` rows `rule` judges right against `targets`.
    func correct(_ rule: AccuracyRule, targets: UnsafePointer<Scalar>, targetStride: Int, rows: Int) -> Int {
        rule.correct(
            a: outputActivations, stride: capacity, targets: targets, targetStride: targetStride, rows: rows,
            outputs: layout.outputs)
    }
}
