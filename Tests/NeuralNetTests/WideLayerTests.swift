import NeuralNet
import Testing

/// Wide layers (OpenBLAS's GEMM, split over two threads when big) against NumPy, and their determinism.
@Suite struct WideLayerTests {
    static func plan(
        for reference: ReferenceRuns.WideCase, threads: Int = 2, precision: Precision = .float64
    ) throws -> TrainingPlan {
        let request = reference.request
        let configuration = TrainingConfiguration(
            layers: request.model.layers.map(\.specification), loss: ReferenceRuns.loss(named: request.loss),
            optimizer: .sgd(learningRate: request.optimizer.learning_rate, momentum: request.optimizer.momentum),
            epochs: request.epochs, batchSize: request.batch_size, shuffle: request.shuffle, precision: precision)
        var plan = try TrainingPlan(
            configuration: configuration, data: .inline(x: request.data.x, y: .values(request.data.y)))
        plan.kernelThreads = threads
        return plan
    }

    /// The worst relative errors of `result` against NumPy's `wanted`: losses relative to themselves, the
    /// last layer's parameters relative to their largest magnitude.
    static func errors(of result: TrainingResult, against wanted: ReferenceRuns.WideCase.Result) throws -> (
        loss: (String, Double), parameters: Double
    ) {
        var errors: [(String, Double)] = zip(result.lossHistory, wanted.loss_history).enumerated().map {
            ("loss_history[\($0.offset)]", relativeError($0.element.0, $0.element.1))
        }
        errors.append(("final_loss", relativeError(try #require(result.finalLoss), wanted.final_loss)))
        let last = try #require(result.model.layers.last)
        let scale = wanted.last_layer.weights.joined().map(Swift.abs).max()!
        let parameters =
            Array(zip(last.weights.joined(), wanted.last_layer.weights.joined()))
            + Array(zip(last.biases, wanted.last_layer.biases))
        #expect(result.lossHistory.count == wanted.loss_history.count)
        return (errors.max { $0.1 < $1.1 }!, parameters.map { Swift.abs($0 - $1) / scale }.max()!)
    }

    /// GEMM sums in its own order (blocked, fused multiply-adds), NumPy's `np.dot` in OpenBLAS's: the
    /// losses agree to 1e-12 relative, the last layer's parameters to 1e-12 of their largest magnitude.
    @Test(arguments: ReferenceRuns.wideCases)
    func float64MatchesNumPyTo1e12(_ reference: ReferenceRuns.WideCase) throws {
        let result = try Self.plan(for: reference).run()
        let (loss, parameters) = try Self.errors(of: result, against: try #require(reference.results["float64"]))
        print("\(reference.name) float64: worst relative error \(loss.1) (\(loss.0)), parameters \(parameters)")
        #expect(loss.1 <= 1e-12, "\(reference.name) \(loss.0): relative error \(loss.1)")
        #expect(parameters <= 1e-12, "\(reference.name): last layer's relative error \(parameters)")
    }

    /// float32 against NumPy's float32 run of the same request: single precision rounds at 6e-8, and the
    /// two sum in different orders (and the losses here in double), so they agree to float32's
    /// tolerance, 1e-6 relative, after a few epochs; and they differ from the float64 run by more
    /// than that tolerance's hundredth, so the run really was in float.
    @Test(arguments: ReferenceRuns.wideCases)
    func float32MatchesNumPyFloat32(_ reference: ReferenceRuns.WideCase) throws {
        let result = try Self.plan(for: reference, precision: .float32).run()
        let (loss, parameters) = try Self.errors(of: result, against: try #require(reference.results["float32"]))
        print("\(reference.name) float32: worst relative error \(loss.1) (\(loss.0)), parameters \(parameters)")
        #expect(loss.1 <= 1e-6, "\(reference.name) \(loss.0): relative error \(loss.1)")
        #expect(parameters <= 1e-6, "\(reference.name): last layer's relative error \(parameters)")
        let double = try #require(reference.results["float64"])
        let fromDouble = try Self.errors(of: result, against: double)
        #expect(fromDouble.parameters > 1e-7, "float32 gave float64's parameters: \(fromDouble.parameters)")
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
