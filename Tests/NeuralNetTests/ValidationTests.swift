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

    static let x = FieldPath.features
    static let y = FieldPath.targets
    static let layers = FieldPath.layers

    static let dataCases: [Case] = [
        Case("empty x", data: .inline(x: [], y: .values([])), .emptyData(field: x)),
        Case("empty row", data: .inline(x: [[]], y: .values([1])), .emptyData(field: x.appending(0))),
        Case(
            "ragged row", data: .inline(x: [[0, 1], [1], [2, 2]], y: .values([1, 2, 3])),
            .raggedRow(field: x.appending(1), expected: 2, actual: 1)),
        Case(
            "NaN feature", data: .inline(x: [[0, 1], [1, .nan], [2, 2]], y: .values([1, 2, 3])),
            .nonFiniteNumber(field: x.appending(1).appending(1))),
        Case(
            "infinite target", data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([1, .infinity, 3])),
            .nonFiniteNumber(field: y.appending(1))),
        Case("empty y", data: .inline(x: [[0, 1]], y: .values([])), .emptyData(field: y)),
        Case(
            "y shorter than x", data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([1, 2])),
            .countMismatch(field: y, expected: 3, actual: 2)),
        Case(
            "class index past the classes", Case.classifier,
            data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([0, 3, 1])),
            .classIndexOutOfRange(field: y.appending(1), value: 3, classes: 3)),
        Case(
            "fractional class index", Case.classifier,
            data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([0, 1.5, 1])),
            .classIndexOutOfRange(field: y.appending(1), value: 1.5, classes: 3)),
        Case(
            "negative class index", Case.classifier,
            data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([0, -1, 1])),
            .classIndexOutOfRange(field: y.appending(1), value: -1, classes: 3)),
        Case(
            "binary target above 1",
            with({
                $0.loss = .binaryCrossEntropy; $0.layers[1].activation = .sigmoid
            }),
            data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .values([0, 2, 1])),
            .targetOutOfRange(field: y.appending(1), value: 2, lower: 0, upper: 1)),
        Case(
            "three labels for binary cross-entropy",
            with({
                $0.loss = .binaryCrossEntropy; $0.layers[1].activation = .sigmoid
            }),
            data: .inline(x: [[0, 1], [1, 0], [2, 2]], y: .labels(["a", "b", "c"])),
            .invalidSetting(field: y, reason: "needs exactly two distinct labels for binary_cross_entropy, not 3")),
        Case(
            "too few rows for a validation split", with({ $0.split = DataSplit(train: 0.9, validation: 0.1) }),
            .tooFewRows(field: FieldPath("split", "validation"), rows: 0, needed: 1)),
        Case(
            "no training rows left", with({ $0.split = DataSplit(train: 0.1, validation: 0.5, test: 0.4) }),
            data: .inline(x: [[0], [1]], y: .values([0, 1])),
            .tooFewRows(field: FieldPath("split", "train"), rows: 0, needed: 1)),
        Case(
            "more label classes than output units", Case.classifier,
            data: .inline(x: [[0], [1], [2], [3]], y: .labels(["a", "b", "c", "d"])),
            .shapeMismatch(field: layers.appending(1).appending("units"), expected: 4, actual: 3)),
        Case(
            "too many data values", limits: limited { $0.maximumDataValues = 5 },
            .limitExceeded(.dataValues, value: 6, maximum: 5)),
        Case(
            "too many generated samples", data: .builtIn(.spiral, samples: 6_000_000),
            .limitExceeded(.dataValues, value: 12_000_000, maximum: 10_000_000)),
        Case(
            "negative noise", data: .builtIn(.circles, noise: -1),
            .invalidSetting(field: FieldPath("noise"), reason: "must be finite and at least 0, not -1")),
    ]

    static let settingCases: [Case] = [
        Case(
            "no layers", with { $0.layers = [] }, .invalidSetting(field: layers, reason: "must have at least one layer")
        ),
        Case(
            "zero epochs", with { $0.epochs = 0 },
            .invalidSetting(field: FieldPath("epochs"), reason: "must be at least 1, not 0")),
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
            .invalidSetting(field: FieldPath("batch_size"), reason: "must be at least 1, not 0")),
        Case(
            "zero learning rate", with { $0.optimizer = .sgd(learningRate: 0) },
            .invalidSetting(
                field: FieldPath("optimizer", "learning_rate"), reason: "must be finite and greater than 0, not 0")),
        Case(
            "momentum of 1", with { $0.optimizer = .sgd(learningRate: 0.1, momentum: 1) },
            .invalidSetting(field: FieldPath("optimizer", "momentum"), reason: "must be in [0, 1), not 1")),
        Case(
            "Nesterov without momentum", with { $0.optimizer = .sgd(learningRate: 0.1, nesterov: true) },
            .invalidSetting(field: FieldPath("optimizer", "nesterov"), reason: "needs a momentum greater than 0")),
        Case(
            "Adam beta2 of 1", with { $0.optimizer = .adam(beta2: 1) },
            .invalidSetting(field: FieldPath("optimizer", "beta2"), reason: "must be in [0, 1), not 1")),
        Case(
            "split not summing to 1", with { $0.split = DataSplit(train: 0.5, validation: 0.2) },
            .invalidSetting(field: FieldPath("split"), reason: "fractions must sum to 1, not 0.7")),
        Case(
            "early stopping on validation without a validation split",
            with { $0.earlyStopping = EarlyStopping(patience: 3) },
            .invalidSetting(
                field: FieldPath("early_stopping", "monitor"),
                reason: "validation_loss needs a validation split (split.validation > 0)")),
        Case(
            "softmax before the last layer", with { $0.layers[0].activation = .softmax },
            .invalidSetting(
                field: layers.appending(0).appending("activation"), reason: "softmax is for the last layer only")),
        Case(
            "cross-entropy without softmax", with { $0.loss = .crossEntropy },
            .wrongOutputActivation(
                field: layers.appending(1).appending("activation"), loss: .crossEntropy, needed: .softmax)),
        Case(
            "binary cross-entropy without sigmoid", with { $0.loss = .binaryCrossEntropy },
            .wrongOutputActivation(
                field: layers.appending(1).appending("activation"), loss: .binaryCrossEntropy, needed: .sigmoid)),
        Case(
            "softmax with mse", with { $0.layers[1].activation = .softmax },
            .invalidSetting(
                field: layers.appending(1).appending("activation"), reason: "softmax needs the loss cross_entropy")),
        Case(
            "hidden layer without units", with { $0.layers[0].units = nil },
            .invalidSetting(
                field: layers.appending(0).appending("units"), reason: "is needed when no weights are given")),
        Case(
            "weights of the wrong height",
            with { $0.layers[0] = LayerSpecification(activation: .tanh, weights: [[1, 2, 3]]) },
            .shapeMismatch(field: layers.appending(0).appending("weights"), expected: 2, actual: 1)),
        Case(
            "weights against given units", with { $0.layers[0].weights = [[1, 2], [3, 4]] },
            .shapeMismatch(field: layers.appending(0).appending("weights").appending(0), expected: 3, actual: 2)),
        Case(
            "ragged weights", with { $0.layers[0] = LayerSpecification(activation: .tanh, weights: [[1, 2], [3]]) },
            .raggedRow(field: layers.appending(0).appending("weights").appending(1), expected: 2, actual: 1)),
        Case(
            "biases of the wrong length", with { $0.layers[0].biases = [0, 0] },
            .shapeMismatch(field: layers.appending(0).appending("biases"), expected: 3, actual: 2)),
        Case(
            "NaN bias", with { $0.layers[0].biases = [0, .nan, 0] },
            .nonFiniteNumber(field: layers.appending(0).appending("biases").appending(1))),
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

    @Test func messagesNameTheField() {
        let error = TrainingError.raggedRow(field: FieldPath.features.appending(3), expected: 2, actual: 1)
        #expect(error.description == "data.x[3] has 1 values; the rows before it have 2")
        #expect(error.field.components == [.key("data"), .key("x"), .index(3)])
        let limit = TrainingError.limitExceeded(.work, value: nil, maximum: 10)
        #expect(limit.field == FieldPath("epochs"))
        #expect(limit.description.hasSuffix("is beyond any integer; the limit is 10"))
    }

    @Test func predictionRejectsRowsOfAnotherWidth() throws {
        let model = try TrainingPlan(configuration: Case.regression, data: Case.points).run().model
        #expect(throws: TrainingError.shapeMismatch(field: FieldPath("x").appending(0), expected: 2, actual: 3)) {
            _ = try model.predict([[1, 2, 3]])
        }
        #expect(throws: TrainingError.emptyData(field: FieldPath("x"))) { _ = try model.predict([]) }
    }
}
