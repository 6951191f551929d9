import JSON
import NeuralNet
import Testing

@testable import API

/// The one map from NeuralNet's names to the request's: pointers, the field names in messages, the
/// names of the engine's choices (both ways), and every message the engine's typed errors become.
@Suite struct TrainingVocabularyTests {
    @Test func pathsBecomeThePointersAndNamesOfTheRequest() {
        let weight = SettingPath.layer(1, .weights).appending(0).appending(2)
        #expect(TrainingVocabulary.pointer(weight) == "/model/layers/1/weights/0/2")
        #expect(TrainingVocabulary.text(weight) == "model.layers[1].weights[0][2]")
        #expect(TrainingVocabulary.pointer(SettingPath.features.appending(3)) == "/data/x/3")
        #expect(TrainingVocabulary.text(SettingPath(.optimizer, .learningRate)) == "optimizer.learning_rate")
        #expect(TrainingVocabulary.pointer(SettingPath(.samples)) == "/n")
        #expect(TrainingVocabulary.text(SettingPath(.predictionInputs).appending(0)) == "x[0]")
    }

    @Test func everySettingHasItsOwnKeys() {
        let spellings = TrainingSetting.allCases.map(TrainingVocabulary.keys)
        #expect(spellings.allSatisfy { !$0.isEmpty })
        #expect(Set(spellings).count == spellings.count)
    }

    /// Every setting's pointer leads to a member of the normalised request, which the request parser
    /// reads back: the map and the parser spell the settings alike. (Two settings are not request
    /// fields: a stored result's `normalization`, a prediction's `x`.)
    @Test func everySettingPointsIntoTheNormalizedRequest() throws {
        let sgd = try Self.normalized(
            #"""
            {"model": {"layers": [{"units": 2, "activation": "tanh", "weights": [[0.1, 0.2]], "biases": [0, 0]},
                                  {"activation": "linear"}]},
             "optimizer": {"name": "sgd", "learning_rate": 0.1, "momentum": 0.5, "nesterov": true},
             "epochs": 2, "batch_size": 2, "init": "normal", "init_scale": 0.1,
             "split": {"train": 0.5, "validation": 0.5}, "early_stopping": {"patience": 1},
             "record_every": 1, "boundary_resolution": 5, "data": {"x": [[0], [1], [2], [3]], "y": [0, 1, 2, 3]}}
            """#)
        let adam = try Self.normalized(
            #"""
            {"model": {"layers": [{"units": 2}, {"activation": "sigmoid"}]}, "loss": "binary_cross_entropy",
             "optimizer": "adam", "dataset": "moons", "n": 10, "noise": 0.1, "epochs": 1}
            """#)
        let inSGD: [SettingPath] = [
            .layers, .layer(0, .units), .layer(1, .activation), .layer(0, .weights).appending(0).appending(1),
            .layer(0, .biases).appending(1), SettingPath(.optimizer, .learningRate),
            SettingPath(.optimizer, .momentum), SettingPath(.optimizer, .nesterov), SettingPath(.epochs),
            SettingPath(.batchSize), SettingPath(.initializationScale), SettingPath(.split, .train),
            SettingPath(.split, .validation), SettingPath(.split, .test), SettingPath(.earlyStopping, .patience),
            SettingPath(.earlyStopping, .minDelta), SettingPath(.earlyStopping, .monitor), SettingPath(.recordEvery),
            SettingPath(.boundaryResolution), SettingPath(.data), SettingPath.features.appending(3).appending(0),
            SettingPath.targets.appending(3),
        ]
        let inAdam: [SettingPath] = [
            SettingPath(.optimizer, .beta1), SettingPath(.optimizer, .beta2), SettingPath(.optimizer, .epsilon),
            SettingPath(.samples), SettingPath(.noise),
        ]
        for path in inSGD {
            #expect(Self.value(at: path, in: sgd) != nil, "\(TrainingVocabulary.pointer(path))")
        }
        for path in inAdam {
            #expect(Self.value(at: path, in: adam) != nil, "\(TrainingVocabulary.pointer(path))")
        }
        var covered: Set<TrainingSetting> = [.normalization, .predictionInputs]
        for case .setting(let setting) in (inSGD + inAdam).flatMap(\.steps) { covered.insert(setting) }
        #expect(covered == Set(TrainingSetting.allCases))
    }

    static func normalized(_ body: String) throws -> JSONValue {
        let request = try TrainingRequest(try JSONParser.parse(Array(body.utf8)))
        return try JSONParser.parse(TrainingSubmission(request, limits: TrainingLimits()).normalized)
    }

    /// The member or element `path` leads to in `document`, or nil.
    static func value(at path: SettingPath, in document: JSONValue) -> JSONValue? {
        var value: JSONValue? = document
        for component in TrainingVocabulary.components(path) {
            switch (component, value) {
            case (.key(let key), let object?): value = object[key]
            case (.index(let index), .array(let elements)?):
                value = elements.indices.contains(index) ? elements[index] : nil
            case (.index(let index), .numbers(let numbers)?):
                value = numbers.indices.contains(index) ? .number(numbers[index]) : nil
            default: value = nil
            }
        }
        return value
    }

    @Test func choiceNamesReadBackToTheirCases() {
        func roundTrips<Choice: WireNamed & Equatable>(_: Choice.Type) -> Bool {
            let names = Choice.allCases.map(\.wireName)
            return Set(names).count == names.count && Choice.allCases.allSatisfy { Choice(wireName: $0.wireName) == $0 }
        }
        #expect(roundTrips(Activation.self))
        #expect(roundTrips(LossFunction.self))
        #expect(roundTrips(NormalizationKind.self))
        #expect(roundTrips(BuiltInDataset.self))
        #expect(roundTrips(EarlyStopping.Monitor.self))
        #expect(roundTrips(TrainingLimits.Limit.self))
        #expect(LossFunction(wireName: "crossEntropy") == nil)
    }

    /// The messages as the engine wrote them before it stopped writing messages: unchanged, byte for byte.
    static let messages: [(TrainingError, String)] = [
        (
            .raggedRow(at: SettingPath.features.appending(3), expected: 2, actual: 1),
            "data.x[3] has 1 values; the rows before it have 2"
        ),
        (
            .limitExceeded(.work, value: nil, maximum: 10),
            "the work estimate epochs × samples × parameters (plus evaluations and plots) is beyond any integer; "
                + "the limit is 10"
        ),
        (.limitExceeded(.dataValues, value: 6, maximum: 5), "samples × features is 6; the limit is 5"),
        (
            .classIndexOutOfRange(at: SettingPath.targets.appending(1), value: 3, classes: 3),
            "data.y[1] is 3.0, not a class index from 0 to 2"
        ),
        (
            .targetOutOfRange(at: SettingPath.targets.appending(1), value: 2, lower: 0, upper: 1),
            "data.y[1] is 2.0, outside [0.0, 1.0]"
        ),
        (
            .tooFewRows(at: SettingPath(.split, .validation), rows: 0, needed: 1),
            "split.validation leaves 0 rows where at least 1 are needed"
        ),
        (
            .wrongOutputActivation(at: .layer(1, .activation), loss: .crossEntropy, needed: .softmax),
            "model.layers[1].activation: loss cross_entropy needs the output activation softmax"
        ),
        (
            .invalidSetting(at: SettingPath.targets, reason: .twoLabels(for: .binaryCrossEntropy, found: 3)),
            "data.y needs exactly two distinct labels for binary_cross_entropy, not 3"
        ),
        (
            .invalidSetting(at: SettingPath(.noise), reason: .finiteAndNotNegative(given: -1)),
            "noise must be finite and at least 0, not -1"
        ),
        (
            .invalidSetting(at: SettingPath(.earlyStopping, .minDelta), reason: .finiteAndNotNegative(given: nil)),
            "early_stopping.min_delta must be finite and at least 0"
        ),
        (
            .invalidSetting(at: SettingPath(.earlyStopping, .patience), reason: .atLeast(0, given: nil)),
            "early_stopping.patience must be at least 0"
        ),
        (.invalidSetting(at: SettingPath(.samples), reason: .atLeast(2, given: 1)), "n must be at least 2, not 1"),
        (
            .invalidSetting(at: SettingPath(.batchSize), reason: .atLeast(1, given: 0)),
            "batch_size must be at least 1, not 0"
        ),
        (
            .invalidSetting(at: SettingPath(.boundaryResolution), reason: .within(2...500, given: 501)),
            "boundary_resolution must be from 2 to 500, not 501"
        ),
        (
            .invalidSetting(at: SettingPath(.optimizer, .learningRate), reason: .finiteAndPositive(given: 0)),
            "optimizer.learning_rate must be finite and greater than 0, not 0"
        ),
        (
            .invalidSetting(at: SettingPath(.initializationScale), reason: .finiteAndPositive(given: nil)),
            "init_scale must be finite and greater than 0"
        ),
        (
            .invalidSetting(at: SettingPath(.optimizer, .beta2), reason: .belowOne(given: 1)),
            "optimizer.beta2 must be in [0, 1), not 1"
        ),
        (
            .invalidSetting(at: SettingPath(.optimizer, .nesterov), reason: .nesterovWithoutMomentum),
            "optimizer.nesterov needs a momentum greater than 0"
        ),
        (
            .invalidSetting(at: SettingPath(.split, .test), reason: .fraction(given: 1.5)),
            "split.test must be a fraction from 0 to 1, not 1.5"
        ),
        (.invalidSetting(at: SettingPath(.split, .train), reason: .positive), "split.train must be greater than 0"),
        (
            .invalidSetting(at: SettingPath(.split), reason: .fractionsSumToOne(sum: 0.7)),
            "split fractions must sum to 1, not 0.7"
        ),
        (.invalidSetting(at: .layers, reason: .noLayers), "model.layers must have at least one layer"),
        (
            .invalidSetting(
                at: SettingPath(.earlyStopping, .monitor), reason: .monitorNeedsValidation(.validationLoss)),
            "early_stopping.monitor validation_loss needs a validation split (split.validation > 0)"
        ),
        (
            .invalidSetting(at: .layer(0, .activation), reason: .lastLayerOnly(.softmax)),
            "model.layers[0].activation softmax is for the last layer only"
        ),
        (
            .invalidSetting(at: .layer(1, .activation), reason: .activationNeedsLoss(.softmax, loss: .crossEntropy)),
            "model.layers[1].activation softmax needs the loss cross_entropy"
        ),
        (
            .invalidSetting(at: .layer(0, .units), reason: .unitsWithoutWeights),
            "model.layers[0].units is needed when no weights are given"
        ),
        (
            .invalidSetting(at: SettingPath(.normalization), reason: .offsetAndScalePerInput),
            "normalization needs one offset and scale per input"
        ),
        (
            .shapeMismatch(at: SettingPath(.predictionInputs).appending(0), expected: 2, actual: 3),
            "x[0] has size 3 where 2 is needed"
        ),
        (.emptyData(at: SettingPath(.predictionInputs)), "x is empty"),
        (.nonFiniteNumber(at: .layer(0, .biases).appending(1)), "model.layers[0].biases[1] is not a finite number"),
        (.countMismatch(at: .targets, expected: 3, actual: 2), "data.y has 2 rows for 3 rows of features"),
    ]

    @Test func messagesNameTheFieldAsTheRequestDoes() {
        for (error, message) in Self.messages {
            #expect(error.message == message)
        }
    }

    @Test func limitsNameThemselvesAndTheirFlag() {
        let error = TrainingFieldOrigins().apiError(for: .limitExceeded(.dataValues, value: 6, maximum: 5))
        #expect(
            error.detail == "samples × features is 6; the limit is 5 (limit 'data_values', set by nabla serve "
                + "--max-data-values)")
    }
}
