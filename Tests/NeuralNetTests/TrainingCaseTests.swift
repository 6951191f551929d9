import NeuralNet
import Testing

/// Every run of training-cases.json (NumPy): full and mini-batch, mse, cross-entropy, momentum.
@Suite struct TrainingCaseTests {
    static func plan(for reference: ReferenceRuns.Case) throws -> TrainingPlan {
        let request = reference.request
        let layers = request.model.layers.map(\.specification)
        let configuration = TrainingConfiguration(
            layers: layers, loss: ReferenceRuns.loss(named: request.loss),
            optimizer: .sgd(learningRate: request.optimizer.learning_rate, momentum: request.optimizer.momentum),
            epochs: request.epochs, batchSize: request.batch_size, shuffle: request.shuffle)
        return try TrainingPlan(
            configuration: configuration, data: .inline(x: request.data.x, y: .values(request.data.y)))
    }

    @Test(arguments: ReferenceRuns.cases)
    func lossHistoryMatchesNumPy(_ reference: ReferenceRuns.Case) throws {
        let result = try Self.plan(for: reference).run()
        #expect(result.stopReason == .epochs)
        #expect(result.lossHistory.count == reference.request.epochs)
        var errors: [(String, Double)] = []
        for (key, expected) in reference.loss_history_at {
            let epoch = try #require(Int(key))
            errors.append(("loss_history[\(epoch)]", relativeError(result.lossHistory[epoch], expected)))
        }
        errors.append(("final_loss", relativeError(try #require(result.finalLoss), reference.final_loss)))
        let worst = errors.max { $0.1 < $1.1 }!
        print("\(reference.name): worst relative error \(worst.1) (\(worst.0))")
        for (name, error) in errors { #expect(error <= 1e-9, "\(reference.name) \(name): relative error \(error)") }
    }
}
