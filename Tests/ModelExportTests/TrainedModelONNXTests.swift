import ModelExport
import NeuralNet
import Testing

/// The graph a trained network becomes: the normalisation, then a Gemm and an activation per layer,
/// with the parameters as stored. (Its outputs against onnxruntime: Tests/ONNX.)
@Suite struct TrainedModelONNXTests {
    static let hidden = TrainedModel.Layer(
        activation: .tanh, weights: [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], biases: [0.01, 0.02, 0.03])
    static let output = TrainedModel.Layer(
        activation: .softmax, weights: [[1, 2], [3, 4], [5, 6]], biases: [-1, 1])

    static func model(_ layers: [TrainedModel.Layer], normalization: Normalization) throws -> TrainedModel {
        try TrainedModel(layers: layers, normalization: normalization, classes: ["a", "b"], loss: .crossEntropy)
    }

    @Test func aNormalizedClassifierIsSubDivThenGemmAndActivationPerLayer() throws {
        let normalization = Normalization(kind: .zscore, offsets: [1.5, -2], scales: [0.5, 4])
        let graph = try Self.model([Self.hidden, Self.output], normalization: normalization)
            .onnxModel(producerVersion: "9.9").graph
        #expect(graph.nodes.map(\.operatorType) == ["Sub", "Div", "Gemm", "Tanh", "Gemm", "Softmax"])
        #expect(
            graph.nodes.map(\.inputs) == [
                ["x", "normalization.offsets"], ["centered", "normalization.scales"],
                ["normalized", "layer1.weights", "layer1.biases"], ["layer1.z"],
                ["layer1.a", "layer2.weights", "layer2.biases"], ["layer2.z"],
            ])
        #expect(graph.nodes.last?.outputs == ["outputs"])
        #expect(graph.nodes.last?.attributes == [ONNXAttribute("axis", .integer(-1))])
        let tensors = Dictionary(uniqueKeysWithValues: graph.initializers.map { ($0.name, $0) })
        #expect(tensors["normalization.offsets"]?.values == [1.5, -2])
        #expect(tensors["normalization.scales"]?.values == [0.5, 4])
        #expect(tensors["layer1.weights"]?.dimensions == [2, 3])
        #expect(tensors["layer1.weights"]?.values == [0.1, -0.2, 0.3, 0.4, 0.5, -0.6])  // row-major [inputs][units]
        #expect(tensors["layer1.biases"]?.dimensions == [3])
        #expect(tensors["layer2.weights"]?.dimensions == [3, 2])
        #expect(tensors["layer2.weights"]?.values == [1, 2, 3, 4, 5, 6])
        #expect(tensors["layer2.biases"]?.values == [-1, 1])
        #expect(graph.inputs == [ONNXValueInfo(name: "x", shape: [.named("rows"), .size(2)])])
        #expect(graph.outputs == [ONNXValueInfo(name: "outputs", shape: [.named("rows"), .size(2)])])
    }

    @Test func withoutNormalizationOrOutputActivationTheGemmWritesTheOutput() throws {
        let linear = TrainedModel.Layer(activation: .linear, weights: [[1], [2], [3]], biases: [0])
        let model = try TrainedModel(
            layers: [Self.hidden, linear], normalization: .identity(features: 2), classes: nil, loss: .mse)
        let graph = model.onnxModel(producerVersion: "1").graph
        #expect(graph.nodes.map(\.operatorType) == ["Gemm", "Tanh", "Gemm"])
        #expect(graph.nodes.first?.inputs.first == "x")
        #expect(graph.nodes.last?.outputs == ["outputs"])
        #expect(
            graph.initializers.map(\.name) == ["layer1.weights", "layer1.biases", "layer2.weights", "layer2.biases"])
    }

    @Test(arguments: [(Activation.sigmoid, "Sigmoid"), (.tanh, "Tanh"), (.relu, "Relu")])
    func eachHiddenActivationHasItsOperator(_ activation: Activation, _ operatorType: String) throws {
        var layer = Self.hidden
        layer.activation = activation
        let model = try TrainedModel(
            layers: [layer], normalization: .identity(features: 2), classes: nil, loss: .mse)
        #expect(model.onnxModel(producerVersion: "1").graph.nodes.map(\.operatorType) == ["Gemm", operatorType])
    }

    @Test func theModelNamesItsProducerOperatorSetAndMetadata() throws {
        let model = try Self.model([Self.output], normalization: .identity(features: 3)).onnxModel(
            producerVersion: "0.1.0", documentation: "doc", metadata: [ONNXMetadataProperty(key: "k", value: "v")])
        #expect(model.irVersion == 7)
        #expect(model.operatorSets == [ONNXOperatorSet(domain: "", version: 13)])
        #expect(model.producerName == "nabla" && model.producerVersion == "0.1.0")
        #expect(model.documentation == "doc")
        #expect(model.metadata == [ONNXMetadataProperty(key: "k", value: "v")])
    }
}
