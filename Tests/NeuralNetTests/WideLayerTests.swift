import NeuralNet
import Testing

/// Wide layers (OpenBLAS's GEMM, split over two threads when big) against NumPy, and their determinism.
@Suite struct WideLayerTests {
    static func plan(for reference: ReferenceRuns.WideCase, threads: Int = 2) throws -> TrainingPlan {
        let request = reference.request
        let configuration = TrainingConfiguration(
            layers: request.model.layers.map(\.specification), loss: ReferenceRuns.loss(named: request.loss),
            optimizer: .sgd(learningRate: request.optimizer.learning_rate, momentum: request.optimizer.momentum),
            epochs: request.epochs, batchSize: request.batch_size, shuffle: request.shuffle)
        var plan = try TrainingPlan(
            configuration: configuration, data: .inline(x: request.data.x, y: .values(request.data.y)))
        plan.kernelThreads = threads
        return plan
    }

    /// GEMM sums in its own order (blocked, fused multiply-adds), NumPy's `np.dot` in OpenBLAS's: the
    /// losses agree to 1e-12 relative, the last layer's parameters to 1e-12 of their largest magnitude.
    @Test(arguments: ReferenceRuns.wideCases)
    func float64MatchesNumPyTo1e12(_ reference: ReferenceRuns.WideCase) throws {
        let wanted = try #require(reference.results["float64"])
        let result = try Self.plan(for: reference).run()
        var errors: [(String, Double)] = zip(result.lossHistory, wanted.loss_history).enumerated().map {
            ("loss_history[\($0.offset)]", relativeError($0.element.0, $0.element.1))
        }
        errors.append(("final_loss", relativeError(try #require(result.finalLoss), wanted.final_loss)))
        let last = try #require(result.model.layers.last)
        let scale = wanted.last_layer.weights.joined().map(Swift.abs).max()!
        for (got, expected) in zip(last.weights.joined(), wanted.last_layer.weights.joined()) {
            errors.append(("last weights", Swift.abs(got - expected) / scale))
        }
        for (got, expected) in zip(last.biases, wanted.last_layer.biases) {
            errors.append(("last biases", Swift.abs(got - expected) / scale))
        }
        #expect(result.lossHistory.count == wanted.loss_history.count)
        let worst = errors.max { $0.1 < $1.1 }!
        print("\(reference.name) float64: worst relative error \(worst.1) (\(worst.0))")
        #expect(worst.1 <= 1e-12, "\(reference.name) \(worst.0): relative error \(worst.1)")
    }

    /// The same request gives the same bits, run after run and whether one thread or two ran the split
    /// products (the parts are fixed by the shapes).
    @Test func sameRequestGivesTheSameBitsOnOneOrTwoThreads() throws {
        let reference = try #require(ReferenceRuns.wideCases.first)
        let first = try Self.plan(for: reference, threads: 2).run()
        let second = try Self.plan(for: reference, threads: 2).run()
        let single = try Self.plan(for: reference, threads: 1).run()
        #expect(first.lossHistory.map(\.bitPattern) == second.lossHistory.map(\.bitPattern))
        #expect(first.model == second.model)
        #expect(first.lossHistory.map(\.bitPattern) == single.lossHistory.map(\.bitPattern))
        #expect(first.model == single.model)
        #expect(first.model.layers.map(\.weights) != reference.request.model.layers.map(\.weights))
    }
}
