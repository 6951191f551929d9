import NeuralNet
import Testing

/// Every request that cannot run is a typed error naming its field, found before anything is trained.
@Suite struct ValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let configuration: TrainingConfiguration
        let data: DataSource
        let limits: TrainingLimits
        let expected: TrainingError
        var testDescription: String { name }

        init(
            _ name: String, _ configuration: TrainingConfiguration = Self.regression,
            data: DataSource = Self.points, limits: TrainingLimits = TrainingLimits(), _ expected: TrainingError
        ) {
            self.name = name
            self.configuration = configuration
            self.data = data
            self.limits = limits
            self.expected = expected
        }

        static let regression = TrainingConfiguration(
            layers: [LayerSpecification(units: 3, activation: .tanh), LayerSpecification(activation: .linear)],
            loss: .mse, optimizer: .sgd(learningRate: 0.1), epochs: 10)
        static let classifier = TrainingConfiguration(
            layers: [
                LayerSpecification(units: 3, activation: .tanh), LayerSpecification(units: 3, activation: .softmax),
            ],
            loss: .crossEntropy, optimizer: .sgd(learningRate: 0.1), epochs: 10)
        static let points = DataSource.inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([1, 2, 3]))
    }

    static func with(
        _ change: (inout TrainingConfiguration) -> Void, from base: TrainingConfiguration = Case.regression
    )
        -> TrainingConfiguration
    {
        var configuration = base
        change(&configuration)
        return configuration
    }

    static let x = SettingPath.features
    static let y = SettingPath.targets
    static let layers = SettingPath.layers

    static let dataCases: [Case] = [
        Case("empty x", data: .inline(x: [], y: .values([])), .emptyData(at: x)),
        Case("empty row", data: .inline(x: [[]], y: .values([1])), .emptyData(at: x.appending(0))),
        Case(
            "ragged row", data: .inline(x: [[0, 1], [1], [2, 2]], y: .values([1, 2, 3])),
            .raggedRow(at: x.appending(1), expected: 2, actual: 1)),
        Case(
            "NaN feature", data: .inline(x: [[0, 1], [1, .nan], [2, 2]], y: .values([1, 2, 3])),
            .nonFiniteNumber(at: x.appending(1).appending(1))),
        Case(
            "infinite target", data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([1, .infinity, 3])),
            .nonFiniteNumber(at: y.appending(1))),
        Case("empty y", data: .inline(x: [[0, 1]], y: .values([])), .emptyData(at: y)),
        Case(
            "y shorter than x", data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([1, 2])),
            .countMismatch(at: y, expected: 3, actual: 2)),
        Case(
            "class index past the classes", Case.classifier,
            data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([0, 3, 1])),
            .classIndexOutOfRange(at: y.appending(1), value: 3, classes: 3)),
        Case(
            "fractional class index", Case.classifier,
            data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([0, 1.5, 1])),
            .classIndexOutOfRange(at: y.appending(1), value: 1.5, classes: 3)),
        Case(
            "negative class index", Case.classifier,
            data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([0, -1, 1])),
            .classIndexOutOfRange(at: y.appending(1), value: -1, classes: 3)),
        Case(
            "binary target above 1",
            with({
                $0.loss = .binaryCrossEntropy; $0.layers[1].activation = .sigmoid
            }),
            data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([0, 2, 1])),
            .targetOutOfRange(at: y.appending(1), value: 2, lower: 0, upper: 1)),
        Case(
            "three labels for binary cross-entropy",
            with({
                $0.loss = .binaryCrossEntropy; $0.layers[1].activation = .sigmoid
            }),
            data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .labels(["a", "b", "c"])),
            .invalidSetting(at: y, reason: .twoLabels(for: .binaryCrossEntropy, found: 3))),
        Case(
            "too few rows for a validation split", with({ $0.split = DataSplit(train: 0.9, validation: 0.1) }),
            .tooFewRows(at: SettingPath(.split, .validation), rows: 0, needed: 1)),
        Case(
            "no training rows left", with({ $0.split = DataSplit(train: 0.1, validation: 0.5, test: 0.4) }),
            data: .inline(x: [[0], [1]], y: .values([0, 1])),
            .tooFewRows(at: SettingPath(.split, .train), rows: 0, needed: 1)),
        Case(
            "more label classes than output units", Case.classifier,
            data: .inline(x: [[0], [1], [2], [3]], y: .labels(["a", "b", "c", "d"])),
            .shapeMismatch(at: .layer(1, .units), expected: 4, actual: 3)),
        Case(
            "too many data values", limits: limited { $0.maximumDataValues = 5 },
            .limitExceeded(.dataValues, value: 6, maximum: 5)),
        Case(
            "too many generated samples", data: .builtIn(.spiral, samples: 6_000_000),
            .limitExceeded(.dataValues, value: 12_000_000, maximum: 10_000_000)),
        Case(
            "negative noise", data: .builtIn(.circles, noise: -1),
            .invalidSetting(at: SettingPath(.noise), reason: .finiteAndNotNegative(given: -1))),
    ]

    static let settingCases: [Case] = [
        Case(
            "no layers", with { $0.layers = [] }, .invalidSetting(at: layers, reason: .noLayers)
        ),
        Case(
            "zero epochs", with { $0.epochs = 0 },
            .invalidSetting(at: SettingPath(.epochs), reason: .atLeast(1, given: 0))),
        Case(
            "too many epochs", with { $0.epochs = 1_000_001 },
            .limitExceeded(.epochs, value: 1_000_001, maximum: 1_000_000)),
        Case(
            "too many layers",
            with {
                $0.layers =
                    Array(repeating: LayerSpecification(units: 2, activation: .relu), count: 32) + [$0.layers[1]]
            },
            .limitExceeded(.layers, value: 33, maximum: 32)),
        Case(
            "zero batch size", with { $0.batchSize = 0 },
            .invalidSetting(at: SettingPath(.batchSize), reason: .atLeast(1, given: 0))),
        Case(
            "zero learning rate", with { $0.optimizer = .sgd(learningRate: 0) },
            .invalidSetting(at: SettingPath(.optimizer, .learningRate), reason: .finiteAndPositive(given: 0))),
        Case(
            "momentum of 1", with { $0.optimizer = .sgd(learningRate: 0.1, momentum: 1) },
            .invalidSetting(at: SettingPath(.optimizer, .momentum), reason: .belowOne(given: 1))),
        Case(
            "Nesterov without momentum", with { $0.optimizer = .sgd(learningRate: 0.1, nesterov: true) },
            .invalidSetting(at: SettingPath(.optimizer, .nesterov), reason: .nesterovWithoutMomentum)),
        Case(
            "Adam beta2 of 1", with { $0.optimizer = .adam(beta2: 1) },
            .invalidSetting(at: SettingPath(.optimizer, .beta2), reason: .belowOne(given: 1))),
        Case(
            "split not summing to 1", with { $0.split = DataSplit(train: 0.5, validation: 0.2) },
            .invalidSetting(at: SettingPath(.split), reason: .fractionsSumToOne(sum: 0.7))),
        Case(
            "early stopping on validation without a validation split",
            with { $0.earlyStopping = EarlyStopping(patience: 3) },
            .invalidSetting(
                at: SettingPath(.earlyStopping, .monitor), reason: .monitorNeedsValidation(.validationLoss))),
        Case(
            "softmax before the last layer", with { $0.layers[0].activation = .softmax },
            .invalidSetting(at: .layer(0, .activation), reason: .lastLayerOnly(.softmax))),
        Case(
            "cross-entropy without softmax", with { $0.loss = .crossEntropy },
            .wrongOutputActivation(at: .layer(1, .activation), loss: .crossEntropy, needed: .softmax)),
        Case(
            "binary cross-entropy without sigmoid", with { $0.loss = .binaryCrossEntropy },
            .wrongOutputActivation(at: .layer(1, .activation), loss: .binaryCrossEntropy, needed: .sigmoid)),
        Case(
            "softmax with mse", with { $0.layers[1].activation = .softmax },
            .invalidSetting(at: .layer(1, .activation), reason: .activationNeedsLoss(.softmax, loss: .crossEntropy))),
        Case(
            "hidden layer without units", with { $0.layers[0].units = nil },
            .invalidSetting(at: .layer(0, .units), reason: .unitsWithoutWeights)),
        Case(
            "weights of the wrong height",
            with { $0.layers[0] = LayerSpecification(activation: .tanh, weights: [[1, 2, 3]]) },
            .shapeMismatch(at: .layer(0, .weights), expected: 2, actual: 1)),
        Case(
            "weights against given units", with { $0.layers[0].weights = [[1, 2], [3, 4]] },
            .shapeMismatch(at: .layer(0, .weights).appending(0), expected: 3, actual: 2)),
        Case(
            "ragged weights", with { $0.layers[0] = LayerSpecification(activation: .tanh, weights: [[1, 2], [3]]) },
            .raggedRow(at: .layer(0, .weights).appending(1), expected: 2, actual: 1)),
        Case(
            "biases of the wrong length", with { $0.layers[0].biases = [0, 0] },
            .shapeMismatch(at: .layer(0, .biases), expected: 3, actual: 2)),
        Case(
            "NaN bias", with { $0.layers[0].biases = [0, .nan, 0] },
            .nonFiniteNumber(at: .layer(0, .biases).appending(1))),
        Case(
            "too many parameters", with { $0.layers[0].units = 5_000_000 },
            .limitExceeded(.parameters, value: 20_000_001, maximum: 10_000_000)),
        Case(
            "parameters past any integer", with { $0.layers[0].units = Int.max / 2 },
            .limitExceeded(.parameters, value: nil, maximum: 10_000_000)),
        Case(
            "too much work",
            with {
                $0.epochs = 1_000_000; $0.layers[0].units = 3_000_000
            }, limits: limited { $0.maximumParameters = .max },
            .limitExceeded(.work, value: 36_030_039_002_503, maximum: 100_000_000_000)),
    ]

    @Test func theGradientCheckCountsTowardsTheWorkLimit() throws {
        var configuration = Case.regression
        configuration.layers[0].units = 1000
        let plain = try TrainingPlan(configuration: configuration, data: Case.points)
        // 10 epochs of 3 rows, the final evaluation, a 50 × 50 boundary grid; 4001 parameters.
        #expect(plain.estimatedWork == (10 * 3 + 3 + 2500) * 4001)
        configuration.gradientCheck = true
        let checked = try TrainingPlan(configuration: configuration, data: Case.points)
        // 3000 + 1001 parameters in the layers: every 6th (500) and every 3rd (334) checked, 2 passes of 3 rows.
        #expect(checked.estimatedWork == (10 * 3 + 3 + 2500 + 2 * (500 + 334) * 3) * 4001)
        var limits = TrainingLimits()
        limits.maximumWork = 1_000_000
        #expect(throws: TrainingError.limitExceeded(.work, value: checked.estimatedWork, maximum: 1_000_000)) {
            _ = try TrainingPlan(configuration: configuration, data: Case.points, limits: limits)
        }
    }

    static func limited(_ change: (inout TrainingLimits) -> Void) -> TrainingLimits {
        var limits = TrainingLimits()
        change(&limits)
        return limits
    }

    @Test(arguments: dataCases + settingCases)
    func rejectsWithTheOffendingField(_ testCase: Case) {
        #expect(throws: testCase.expected) {
            _ = try TrainingPlan(configuration: testCase.configuration, data: testCase.data, limits: testCase.limits)
        }
    }

    @Test func errorsNameTheirPlace() {
        let error = TrainingError.raggedRow(at: SettingPath.features.appending(3), expected: 2, actual: 1)
        #expect(error.path.steps == [.setting(.features), .index(3)])
        #expect(TrainingError.limitExceeded(.work, value: nil, maximum: 10).path == SettingPath(.epochs))
        #expect(TrainingError.limitExceeded(.parameters, value: nil, maximum: 10).path == SettingPath(.layers))
        #expect(TrainingError.limitExceeded(.dataValues, value: nil, maximum: 10).path == SettingPath(.data))
    }

    @Test func predictionRejectsRowsOfAnotherWidth() throws {
        let model = try TrainingPlan(configuration: Case.regression, data: Case.points).run().model
        #expect(
            throws: TrainingError.shapeMismatch(at: SettingPath(.predictionInputs).appending(0), expected: 2, actual: 3)
        ) {
            _ = try model.predict([[1, 2, 3]])
        }
        #expect(throws: TrainingError.emptyData(at: SettingPath(.predictionInputs))) { _ = try model.predict([]) }
    }
}
