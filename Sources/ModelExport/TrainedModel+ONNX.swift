public import NeuralNet

extension TrainedModel {
    /// The ONNX IR version of exported models: 7, the version of operator set 13's release (ONNX 1.8),
    /// read by every onnxruntime since 1.6.
    public static let onnxIRVersion: Int64 = 7
    /// The operator set of exported models: 13, where every operator used (Sub, Div, Gemm, Sigmoid,
    /// Tanh, Relu, Softmax) has the definition it still has and accepts float64.
    public static let onnxOperatorSet: Int64 = 13

    /// This network as an ONNX model computing what `predict` computes, in float64.
    ///
    /// The graph reads `x`, raw features `[rows, inputs]`, and gives `outputs`, `[rows, outputs]`:
    /// the fitted normalisation as `Sub` of the offsets then `Div` by the scales (absent for `none`),
    /// then per layer a `Gemm` (`x·W + b`, the weights `[inputs, units]` as stored) and its activation
    /// (`Sigmoid`, `Tanh`, `Relu`, `Softmax` over the last axis; nothing for `linear`). Initializers
    /// are named `normalization.offsets`, `normalization.scales`, `layerN.weights`, `layerN.biases`
    /// (N from 1), intermediate values `centered`, `normalized`, `layerN.z` and `layerN.a`.
    public func onnxModel(
        producerVersion: String, documentation: String = "", metadata: [ONNXMetadataProperty] = []
    ) -> ONNXModel {
        var nodes: [ONNXNode] = []
        var initializers: [ONNXTensor] = []
        var current = "x"
        if normalization.kind != .none {
            let shape = [Int64(inputs)]
            initializers.append(
                ONNXTensor(name: "normalization.offsets", dimensions: shape, values: normalization.offsets))
            initializers.append(
                ONNXTensor(name: "normalization.scales", dimensions: shape, values: normalization.scales))
            nodes.append(
                ONNXNode(
                    "Sub", name: "normalization.subtract", inputs: [current, "normalization.offsets"],
                    outputs: ["centered"]))
            nodes.append(
                ONNXNode(
                    "Div", name: "normalization.divide", inputs: ["centered", "normalization.scales"],
                    outputs: ["normalized"]))
            current = "normalized"
        }
        let layers = self.layers
        for (index, layer) in layers.enumerated() {
            let prefix = "layer\(index + 1)"
            let isLast = index == layers.count - 1
            let operatorType = Self.onnxOperator(layer.activation)
            initializers.append(
                ONNXTensor(
                    name: "\(prefix).weights", dimensions: [Int64(layer.weights.count), Int64(layer.biases.count)],
                    values: layer.weights.flatMap { $0 }))
            initializers.append(
                ONNXTensor(name: "\(prefix).biases", dimensions: [Int64(layer.biases.count)], values: layer.biases))
            let z = isLast && operatorType == nil ? "outputs" : "\(prefix).z"
            nodes.append(
                ONNXNode(
                    "Gemm", name: "\(prefix).gemm", inputs: [current, "\(prefix).weights", "\(prefix).biases"],
                    outputs: [z]))
            current = z
            if let operatorType {
                let a = isLast ? "outputs" : "\(prefix).a"
                let attributes = layer.activation == .softmax ? [ONNXAttribute("axis", .integer(-1))] : []
                nodes.append(
                    ONNXNode(
                        operatorType, name: "\(prefix).\(operatorType.lowercased())", inputs: [current], outputs: [a],
                        attributes: attributes))
                current = a
            }
        }
        let graph = ONNXGraph(
            name: "nabla", nodes: nodes, initializers: initializers,
            inputs: [ONNXValueInfo(name: "x", shape: [.named("rows"), .size(Int64(inputs))])],
            outputs: [ONNXValueInfo(name: "outputs", shape: [.named("rows"), .size(Int64(outputs))])])
        return ONNXModel(
            irVersion: Self.onnxIRVersion, operatorSets: [ONNXOperatorSet(version: Self.onnxOperatorSet)],
            producerName: "nabla", producerVersion: producerVersion, documentation: documentation, graph: graph,
            metadata: metadata)
    }

    /// The ONNX operator of an activation, nil for `linear` (the identity: no node).
    static func onnxOperator(_ activation: Activation) -> String? {
        switch activation {
        case .sigmoid: "Sigmoid"
        case .tanh: "Tanh"
        case .relu: "Relu"
        case .softmax: "Softmax"
        case .linear: nil
        }
    }
}
