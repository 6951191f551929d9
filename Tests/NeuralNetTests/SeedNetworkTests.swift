import NeuralNet
import Testing

/// The seed tutorial's clothing-size network (1-2-1 sigmoid, MSE, SGD lr 0.5, full batch), against
/// NumPy's run of the seed code in seed-experiments.json.
@Suite struct SeedNetworkTests {
    static let reference = ReferenceRuns.seedNetwork

    static func configuration(epochs: Int) -> TrainingConfiguration {
        let layers = reference.initial_as_layers.map(\.specification)
        return TrainingConfiguration(
            layers: layers, loss: .mse, optimizer: .sgd(learningRate: reference.learning_rate), epochs: epochs)
    }

    static var data: DataSource {
        .inline(x: reference.data.x.map { [$0] }, y: .values(reference.data.y))
    }

    /// The seed's named parameters from the trained layers.
    static func named(_ layers: [TrainedModel.Layer]) -> [String: Double] {
        [
            "w11_1": layers[0].weights[0][0], "w12_1": layers[0].weights[0][1],
            "b1_1": layers[0].biases[0], "b2_1": layers[0].biases[1],
            "w11_2": layers[1].weights[0][0], "w21_2": layers[1].weights[1][0], "b1_2": layers[1].biases[0],
        ]
    }

    @Test func presetIsTheSeedExperiment() throws {
        let preset = TrainingConfiguration.clothingSize
        #expect(preset == Self.configuration(epochs: 5000))
        let plan = try TrainingPlan(configuration: preset, data: .builtIn(.clothingSize))
        let explicit = try TrainingPlan(configuration: preset, data: Self.data)
        #expect(plan.run().lossHistory == explicit.run().lossHistory)
    }

    @Test(arguments: [500, 5000])
    func reproducesTheSeedRun(epochs: Int) throws {
        let run = try #require(Self.reference.runs.first { $0.epochs == epochs })
        let result = try TrainingPlan(configuration: Self.configuration(epochs: epochs), data: Self.data).run()
        #expect(result.stopReason == .epochs)
        #expect(result.lossHistory.count == epochs)
        var expected: [(String, Double, Double)] = [
            ("loss_history[0]", result.lossHistory[0], run.loss_history_first),
            ("loss_history[last]", result.lossHistory[epochs - 1], run.loss_history_last),
            ("final_loss", try #require(result.finalLoss), run.final_loss),
        ]
        if let at999 = run.loss_history_at_999 {
            expected.append(("loss_history[999]", result.lossHistory[999], at999))
        }
        let trained = Self.named(result.model.layers)
        for (name, value) in run.final { expected.append((name, try #require(trained[name]), value)) }
        let worst = expected.map { ($0.0, relativeError($0.1, $0.2)) }.max { $0.1 < $1.1 }!
        print("clothing-size \(epochs) epochs: worst relative error \(worst.1) (\(worst.0))")
        for (name, actual, wanted) in expected {
            #expect(relativeError(actual, wanted) <= 1e-9, "\(name): \(actual) vs \(wanted)")
        }
    }
}

/// `|a − b| / max(|a|, |b|)`, 0 when both are 0.
func relativeError(_ actual: Double, _ expected: Double) -> Double {
    let scale = Swift.max(Swift.abs(actual), Swift.abs(expected))
    return scale == 0 ? 0 : Swift.abs(actual - expected) / scale
}
