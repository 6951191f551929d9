import Testing

@testable import NeuralNet

/// Built-in datasets, label encoding, splits and normalisation.
@Suite struct DataTests {
    static func plan(
        _ data: DataSource, loss: LossFunction = .crossEntropy, split: DataSplit = DataSplit(),
        normalization: NormalizationKind = .none, seed: UInt64 = 0
    ) throws -> TrainingPlan {
        let output: Activation = loss == .crossEntropy ? .softmax : loss == .binaryCrossEntropy ? .sigmoid : .linear
        let configuration = TrainingConfiguration(
            layers: [LayerSpecification(units: 4, activation: .tanh), LayerSpecification(activation: output)],
            loss: loss, optimizer: .sgd(learningRate: 0.1), epochs: 1, seed: seed, normalization: normalization,
            split: split)
        return try TrainingPlan(configuration: configuration, data: data)
    }

    @Test func irisIsFishersTable() throws {
        let plan = try Self.plan(.builtIn(.iris), normalization: .zscore)
        #expect(plan.classes == ["setosa", "versicolor", "virginica"])
        #expect(plan.rowCounts == (150, 0, 0))
        #expect(plan.layerUnits == [4, 3])
        // Column means of the corrected table (sums 876.5, 458.6, 563.7, 179.9), as R's iris.
        let means = [876.5, 458.6, 563.7, 179.9].map { $0 / 150 }
        for (mean, expected) in zip(plan.normalization.offsets, means) { #expect(abs(mean - expected) < 1e-12) }
    }

    @Test func labelsAreOneHotInSortedOrderAndPredictedBack() throws {
        let data = DataSource.inline(x: [[0], [1], [2], [3]], y: .labels(["dog", "cat", "eel", "cat"]))
        let configuration = TrainingConfiguration(
            layers: [LayerSpecification(activation: .softmax, weights: [[0, 0, 5]], biases: [0, 0, 0])],
            loss: .crossEntropy, optimizer: .sgd(learningRate: 0.1), epochs: 1)
        let result = try TrainingPlan(configuration: configuration, data: data).run()
        #expect(result.model.classes == ["cat", "dog", "eel"])
        let prediction = try result.model.predict([[10]])
        #expect(prediction.classIndices == [2] && prediction.labels == ["eel"])
    }

    @Test func twoLabelsAreZeroAndOneForBinaryCrossEntropy() throws {
        let data = DataSource.inline(x: [[0], [1], [2]], y: .labels(["yes", "no", "yes"]))
        let plan = try Self.plan(data, loss: .binaryCrossEntropy)
        #expect(plan.classes == ["no", "yes"])
        #expect(plan.layerUnits == [4, 1])
    }

    @Test func splitsAreDisjointSeededAndKeepTheDataOrder() throws {
        // Feature = row number, so each part's features name its rows.
        let data = DataSource.inline(x: (0..<100).map { [Double($0)] }, y: .values((0..<100).map { Double($0 % 2) }))
        let split = DataSplit(train: 0.6, validation: 0.25, test: 0.15)
        func parts(_ seed: UInt64) throws -> [[Double]] {
            let plan = try Self.plan(data, loss: .mse, split: split, seed: seed)
            return [plan.training, plan.validation, plan.test].map(\.features.values)
        }
        let first = try parts(11)
        #expect(first.map(\.count) == [60, 25, 15])
        #expect(first.joined().sorted() == (0..<100).map(Double.init))
        #expect(first.allSatisfy { $0 == $0.sorted() })
        #expect(try parts(11) == first)
        #expect(try parts(12) != first)
    }

    @Test func normalizationIsFittedOnTheTrainingRowsOnly() throws {
        let data = DataSource.inline(x: (0..<10).map { [Double($0)] }, y: .values((0..<10).map(Double.init)))
        let plan = try Self.plan(
            data, loss: .mse, split: DataSplit(train: 0.5, test: 0.5), normalization: .minmax, seed: 3)
        let training = plan.training.features.values
        #expect(training.min() == 0 && training.max() == 1)
        let raw = training.map { $0 * plan.normalization.scales[0] + plan.normalization.offsets[0] }
        #expect(plan.normalization.offsets[0] == raw.min())
    }

    @Test func normalizationIsFittedOnTrainingRowsAndAppliedByPredict() throws {
        let data = DataSource.inline(x: [[1, 10], [3, 10], [5, 10]], y: .values([0, 1, 2]))
        let zscore = try Self.plan(data, loss: .mse, normalization: .zscore)
        #expect(zscore.normalization.offsets == [3, 10])
        #expect(zscore.normalization.scales == [(8.0 / 3).squareRoot(), 1])  // a constant feature keeps scale 1
        let minmax = try Self.plan(data, loss: .mse, normalization: .minmax)
        #expect(minmax.normalization.offsets == [1, 10] && minmax.normalization.scales == [4, 1])
        // predict scales raw rows the same way: (5, 10) → (1, 0).
        let model = minmax.run().model
        let raw = try model.predict([[5, 10]]).outputs
        let scaled = model.predict(Matrix(rows: 1, columns: 2, values: [1, 0])).outputs
        #expect(raw == scaled)
    }

    @Test(arguments: [BuiltInDataset.xor, .circles, .moons, .gaussians])
    func generatedDatasetsAreSeededAndLearnable(_ dataset: BuiltInDataset) throws {
        let data = DataSource.builtIn(dataset, samples: 200)
        let first = try Self.plan(data, loss: .binaryCrossEntropy, seed: 5)
        let same = try Self.plan(data, loss: .binaryCrossEntropy, seed: 5)
        let other = try Self.plan(data, loss: .binaryCrossEntropy, seed: 6)
        #expect(first.rowCounts == (200, 0, 0))
        #expect(first.training.featureColumns == same.training.featureColumns)
        #expect(first.training.featureColumns != other.training.featureColumns)
        #expect(first.training.targetColumns == (0..<200).map { Double($0 % 2) })
        let configuration = TrainingConfiguration(
            layers: [LayerSpecification(units: 6, activation: .tanh), LayerSpecification(activation: .sigmoid)],
            loss: .binaryCrossEntropy, optimizer: .adam(learningRate: 0.02), epochs: 300, batchSize: 20,
            shuffle: true, seed: 5, normalization: .zscore)
        let result = try TrainingPlan(configuration: configuration, data: data).run()
        print("\(dataset): accuracy \(result.finalAccuracy ?? 0) after \(configuration.epochs) epochs")
        #expect((result.finalAccuracy ?? 0) > 0.9)
    }

    @Test func spiralArmsAreOppositeAndWindOutwards() throws {
        let features = try Self.plan(.builtIn(.spiral, samples: 100), loss: .binaryCrossEntropy).training.features
        var previousRadius = -1.0
        for pair in 0..<50 {
            let (x0, y0) = (features[2 * pair, 0], features[2 * pair, 1])
            #expect(abs(features[2 * pair + 1, 0] + x0) < 1e-12 && abs(features[2 * pair + 1, 1] + y0) < 1e-12)
            let radius = (x0 * x0 + y0 * y0).squareRoot()
            #expect(radius > previousRadius && radius <= 5)
            previousRadius = radius
        }
    }

    @Test func xorAndCirclesLabelsFollowTheirRule() throws {
        let xor = try Self.plan(.builtIn(.xor, samples: 100), loss: .binaryCrossEntropy)
        let circles = try Self.plan(.builtIn(.circles, samples: 100), loss: .binaryCrossEntropy)
        for row in 0..<100 {
            let label = xor.training.targets[row, 0]
            #expect((xor.training.features[row, 0] * xor.training.features[row, 1] > 0) == (label == 1))
            let (x, y) = (circles.training.features[row, 0], circles.training.features[row, 1])
            let radius = (x * x + y * y).squareRoot()
            #expect(circles.training.targets[row, 0] == 1 ? radius <= 2.5 : (3.5...5).contains(radius))
        }
    }

    @Test func modelsRebuiltFromTheirPartsPredictTheSame() throws {
        let data = DataSource.inline(x: [[0, 1], [1, 0], [2, 2], [3, 1]], y: .labels(["b", "a", "c", "a"]))
        let configuration = TrainingConfiguration(
            layers: [LayerSpecification(units: 4, activation: .relu), LayerSpecification(activation: .softmax)],
            loss: .crossEntropy, optimizer: .sgd(learningRate: 0.1), epochs: 20, normalization: .zscore)
        let model = try TrainingPlan(configuration: configuration, data: data).run().model
        let rebuilt = try TrainedModel(
            layers: model.layers, normalization: model.normalization, classes: model.classes, loss: model.loss)
        #expect(rebuilt == model)
        #expect(try rebuilt.predict([[1.5, 0.5]]) == model.predict([[1.5, 0.5]]))
        var broken = model.layers
        broken[1].weights.removeLast()
        #expect(
            throws: TrainingError.shapeMismatch(
                at: .layer(1, .weights), expected: 4, actual: 3)
        ) {
            _ = try TrainedModel(layers: broken, normalization: model.normalization, classes: nil, loss: .crossEntropy)
        }
    }

    @Test func clothingSizeIsTheSeedsTwelvePoints() throws {
        let plan = try Self.plan(.builtIn(.clothingSize), loss: .mse, normalization: .minmax)
        #expect(plan.rowCounts == (12, 0, 0))
        #expect(plan.normalization.offsets == [0.8] && plan.normalization.scales == [6.3 - 0.8])
    }
}
