import Foundation
import NeuralNet
import Testing

/// How runs start, stop and repeat: determinism, cancellation, divergence, early stopping, progress.
@Suite struct TrainerBehaviourTests {
    struct Cancelled: Error {}

    /// The moons dataset with a validation split and mini-batches: every random stream in use.
    static func moons(seed: UInt64, shuffle: Bool = true) -> TrainingConfiguration {
        TrainingConfiguration(
            layers: [LayerSpecification(units: 6, activation: .tanh), LayerSpecification(activation: .sigmoid)],
            loss: .binaryCrossEntropy, optimizer: .adam(learningRate: 0.01), epochs: 30, batchSize: 16,
            shuffle: shuffle, seed: seed, normalization: .zscore,
            split: DataSplit(train: 0.7, validation: 0.2, test: 0.1))
    }

    @Test func sameSeedGivesBitIdenticalRuns() throws {
        let data = DataSource.builtIn(.moons, samples: 120, noise: 0.2)
        let first = try TrainingPlan(configuration: Self.moons(seed: 7), data: data).run()
        let second = try TrainingPlan(configuration: Self.moons(seed: 7), data: data).run()
        #expect(first.lossHistory.map(\.bitPattern) == second.lossHistory.map(\.bitPattern))
        #expect(first.validationLossHistory.map(\.bitPattern) == second.validationLossHistory.map(\.bitPattern))
        #expect(first.model == second.model)
        #expect(first.test == second.test)
        let other = try TrainingPlan(configuration: Self.moons(seed: 8), data: data).run()
        #expect(other.lossHistory != first.lossHistory)
    }

    @Test func shuffleChangesTheBatchOrder() throws {
        let data = DataSource.builtIn(.moons, samples: 120, noise: 0.2)
        let shuffled = try TrainingPlan(configuration: Self.moons(seed: 7), data: data).run()
        let ordered = try TrainingPlan(configuration: Self.moons(seed: 7, shuffle: false), data: data).run()
        // Same split and initial weights; the batches differ from the first epoch on.
        #expect(shuffled.lossHistory != ordered.lossHistory)
        #expect(shuffled.lossHistory.count == ordered.lossHistory.count)
    }

    @Test func historiesHaveOneEntryPerEpoch() throws {
        let result = try TrainingPlan(configuration: Self.moons(seed: 3), data: .builtIn(.moons, samples: 100)).run()
        #expect(result.stopReason == .epochs)
        #expect(result.epochsRun == 30)
        #expect(result.validationLossHistory.count == 30)
        #expect(result.accuracyHistory.count == 30)
        #expect(result.validationAccuracyHistory.count == 30)
        #expect(result.test?.accuracy != nil)
        #expect(result.accuracyHistory.allSatisfy { (0...1).contains($0) })
    }

    @Test func cancellationStopsBeforeTheNextBatch() throws {
        // 100 rows in batches of 10: ten checks per epoch. Throw at the 25th check: two epochs recorded.
        var checks = 0
        let plan = try TrainingPlan(
            configuration: TrainingConfiguration(
                layers: [LayerSpecification(units: 4, activation: .relu), LayerSpecification(activation: .linear)],
                loss: .mse, optimizer: .sgd(learningRate: 0.01), epochs: 1000, batchSize: 10),
            data: .inline(x: (0..<100).map { [Double($0) / 100] }, y: .values((0..<100).map { Double($0) / 50 })))
        let result = plan.run(checkInterruption: {
            checks += 1
            if checks == 25 { throw Cancelled() }
        })
        #expect(checks == 25)
        #expect(result.stopReason == .interrupted)
        #expect(result.interruption is Cancelled)
        #expect(result.epochsRun == 2)
        #expect(result.finalLoss != nil)
    }

    @Test func cancellationAlsoStopsAGradientCheck() throws {
        var configuration = TrainingConfiguration.clothingSize
        configuration.gradientCheck = true
        var checks = 0
        let result = try TrainingPlan(configuration: configuration, data: .builtIn(.clothingSize)).run(
            checkInterruption: {
                checks += 1
                if checks == 3 { throw Cancelled() }
            })
        #expect(checks == 3)
        #expect(result.stopReason == .interrupted && result.interruption is Cancelled)
        #expect(result.epochsRun == 0 && result.gradientCheck == nil)
        #expect(result.model.layers[0].weights == [[0.1, 0.9]])
    }

    @Test func divergenceStopsWithTheFiniteHistory() throws {
        let configuration = TrainingConfiguration(
            layers: [LayerSpecification(units: 3, activation: .linear), LayerSpecification(activation: .linear)],
            loss: .mse, optimizer: .sgd(learningRate: 10), epochs: 10_000)
        let data = DataSource.inline(x: [[1, 2], [3, -1], [-2, 4]], y: .values([1, -2, 3]))
        let result = try TrainingPlan(configuration: configuration, data: data).run()
        #expect(result.stopReason == .diverged)
        #expect(result.epochsRun > 0 && result.epochsRun < 10_000)
        #expect(result.lossHistory.allSatisfy { $0.isFinite })
        let parameters = result.model.layers.flatMap { $0.weights.joined() + $0.biases }
        #expect(parameters.allSatisfy { $0.isFinite })
        print("diverged after \(result.epochsRun) epochs, last loss \(result.lossHistory.last!)")
    }

    @Test func earlyStoppingStopsAfterPatienceEpochsWithoutImprovement() throws {
        // A learning rate so small that no epoch improves the loss by min_delta after the first.
        let configuration = TrainingConfiguration(
            layers: [LayerSpecification(activation: .linear, weights: [[1]], biases: [0])], loss: .mse,
            optimizer: .sgd(learningRate: 1e-12), epochs: 100,
            earlyStopping: EarlyStopping(monitor: .loss, patience: 2, minDelta: 1e-3))
        let result = try TrainingPlan(configuration: configuration, data: .inline(x: [[1]], y: .values([0]))).run()
        #expect(result.stopReason == .earlyStopping)
        #expect(result.epochsRun == 4)  // epoch 0 improves on +∞, epochs 1, 2, 3 do not: 3 > patience 2
        #expect(result.restoredEpoch == nil)
    }

    @Test func restoreBestReturnsTheBestEpochsParameters() throws {
        // z = w + b on x = 1, y = 0: each step multiplies z by 1 − 4·lr = −1.2, so the loss grows 1.44× a
        // epoch and epoch 0 stays the best. Its parameters are those after epoch 0's update.
        let configuration = TrainingConfiguration(
            layers: [LayerSpecification(activation: .linear, weights: [[0.5]], biases: [0.5])], loss: .mse,
            optimizer: .sgd(learningRate: 0.55), epochs: 100,
            earlyStopping: EarlyStopping(monitor: .loss, patience: 1, restoreBest: true))
        let result = try TrainingPlan(configuration: configuration, data: .inline(x: [[1]], y: .values([0]))).run()
        #expect(result.stopReason == .earlyStopping)
        #expect(result.epochsRun == 3)
        #expect(result.restoredEpoch == 0)
        #expect(result.finalLoss == result.lossHistory[1])
        #expect(abs(result.model.layers[0].weights[0][0] - (0.5 - 0.55 * 2)) < 1e-15)
    }

    @Test func aRunLongerThanTheReservedHistoryKeepsEveryEpoch() throws {
        // 70,000 epochs: past the 65,536 reserved up front, so the histories grow during the run.
        // z = w + b on x = 1, y = 0 under SGD: each step multiplies z by r = 1 − 4·lr, so each epoch's
        // loss z² is the one before times r², and epoch k's is the first's times r^2k.
        let learningRate = 1e-6
        let configuration = TrainingConfiguration(
            layers: [LayerSpecification(activation: .linear, weights: [[0.5]], biases: [0.25])], loss: .mse,
            optimizer: .sgd(learningRate: learningRate), epochs: 70_000)
        let result = try TrainingPlan(configuration: configuration, data: .inline(x: [[1]], y: .values([0]))).run()
        let history = result.lossHistory
        #expect(history.count == 70_000)
        let ratio = (1 - 4 * learningRate) * (1 - 4 * learningRate)
        for k in [1, 65_535, 65_536, 65_537, 69_999] {
            #expect(abs(history[k] / history[k - 1] - ratio) < 1e-12, "epoch \(k)")
        }
        #expect(abs(history[69_999] / (history[0] * pow(ratio, 69_999)) - 1) < 1e-9)
    }

    @Test func progressArrivesEveryRecordEveryEpochsAndAtTheEnd() throws {
        var configuration = TrainingConfiguration.clothingSize
        configuration.epochs = 10
        configuration.recordEvery = 3
        var reports: [TrainingProgress] = []
        let result = try TrainingPlan(configuration: configuration, data: .builtIn(.clothingSize)).run {
            reports.append($0)
        }
        #expect(reports.map(\.epoch) == [3, 6, 9, 10])
        #expect(reports.map(\.loss) == [2, 5, 8, 9].map { result.lossHistory[$0] })
        #expect(reports.allSatisfy { $0.epochs == 10 && $0.validationLoss == nil && $0.accuracy == nil })
    }

    @Test func oneInputModelsReturnTheirCurve() throws {
        let result = try TrainingPlan(configuration: .clothingSize, data: .builtIn(.clothingSize)).run()
        let curve = try #require(result.curve)
        #expect(curve.x.count == 200 && curve.y.rows == 200 && curve.y.columns == 1)
        #expect(curve.x.first == 0.8 && curve.x.last == 6.3)
        let predicted = try result.model.predict([[curve.x[57]]])
        #expect(predicted.outputs[0, 0] == curve.y[57, 0])
        #expect(result.boundary == nil)
    }

    @Test func twoInputClassifiersReturnTheirBoundary() throws {
        var configuration = Self.moons(seed: 1)
        configuration.boundaryResolution = 20
        let result = try TrainingPlan(configuration: configuration, data: .builtIn(.moons)).run()
        let boundary = try #require(result.boundary)
        #expect(boundary.x.count == 20 && boundary.y.count == 20 && boundary.classes.count == 20)
        #expect(boundary.classes.allSatisfy { $0.count == 20 && $0.allSatisfy { $0 == 0 || $0 == 1 } })
        #expect(result.curve == nil)
    }
}
