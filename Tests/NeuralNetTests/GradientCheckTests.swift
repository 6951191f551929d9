import NeuralNet
import Testing

/// Backprop against central differences (the seed's numerical_gradient, h = 1e-4) on random networks.
@Suite struct GradientCheckTests {
    struct Network: Sendable, CustomTestStringConvertible {
        let hidden: [Activation]
        let output: Activation
        let loss: LossFunction
        let seed: UInt64
        var testDescription: String { "\(hidden.map { "\($0)" }) → \(output), \(loss)" }
    }

    static let networks: [Network] = [
        Network(hidden: [.sigmoid], output: .sigmoid, loss: .mse, seed: 1),
        Network(hidden: [.tanh, .tanh], output: .linear, loss: .mse, seed: 2),
        Network(hidden: [.relu, .relu], output: .linear, loss: .mse, seed: 3),
        Network(hidden: [.linear], output: .tanh, loss: .mse, seed: 4),
        Network(hidden: [.relu], output: .relu, loss: .mse, seed: 5),
        Network(hidden: [.sigmoid, .tanh], output: .softmax, loss: .crossEntropy, seed: 6),
        Network(hidden: [.relu, .linear], output: .softmax, loss: .crossEntropy, seed: 7),
        Network(hidden: [.tanh], output: .sigmoid, loss: .binaryCrossEntropy, seed: 8),
        Network(hidden: [.relu, .sigmoid], output: .sigmoid, loss: .binaryCrossEntropy, seed: 9),
    ]

    /// Random inputs and targets fitting the loss: 3 features, 3 outputs (classes for cross-entropy).
    static func data(for network: Network) -> DataSource {
        var state = network.seed &* 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) * 0x1.0p-53
        }
        let x = (0..<20).map { _ in (0..<3).map { _ in uniform() * 4 - 2 } }
        switch network.loss {
        case .crossEntropy: return .inline(x: x, y: .values((0..<20).map { Double($0 % 3) }))
        case .binaryCrossEntropy: return .inline(x: x, y: .rows((0..<20).map { _ in (0..<3).map { _ in uniform() } }))
        case .mse: return .inline(x: x, y: .rows((0..<20).map { _ in (0..<3).map { _ in uniform() * 2 - 1 } }))
        }
    }

    @Test(arguments: networks)
    func backpropagationAgreesWithCentralDifferences(_ network: Network) throws {
        let layers =
            network.hidden.map { LayerSpecification(units: 5, activation: $0) }
            + [LayerSpecification(activation: network.output)]
        let configuration = TrainingConfiguration(
            layers: layers, loss: network.loss, optimizer: .sgd(learningRate: 0.1), epochs: 1, seed: network.seed,
            initialization: .normal(standardDeviation: 0.8), gradientCheck: true)
        let result = try TrainingPlan(configuration: configuration, data: Self.data(for: network)).run()
        let check = try #require(result.gradientCheck)
        #expect(check.count == layers.count)
        let worst = check.map(\.maxRelativeError).max()!
        print("\(network.testDescription): max relative error \(worst), checked \(check.map(\.checkedParameters))")
        for (index, layer) in check.enumerated() {
            #expect(layer.maxRelativeError < 1e-6, "layer \(index): \(layer)")
            #expect(layer.checkedParameters > 0)
        }
    }

    @Test func checksEvenlySpacedParametersOfLargeLayers() throws {
        let configuration = TrainingConfiguration(
            layers: [LayerSpecification(units: 700, activation: .tanh), LayerSpecification(activation: .linear)],
            loss: .mse, optimizer: .sgd(learningRate: 0.1), epochs: 1, gradientCheck: true)
        let data = DataSource.inline(x: [[0.5], [-0.25], [1]], y: .values([1, 0, -1]))
        let check = try #require(try TrainingPlan(configuration: configuration, data: data).run().gradientCheck)
        // 1400 and 701 parameters, every 3rd and every 2nd: at most the maximum, more than half of it.
        #expect(check.map(\.checkedParameters) == [467, 351])
        #expect(check.allSatisfy { $0.checkedParameters <= GradientCheck.maximumParametersPerLayer })
        #expect(check.allSatisfy { $0.maxRelativeError < 1e-6 })
    }
}
