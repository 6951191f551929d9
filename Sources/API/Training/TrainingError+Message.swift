import NeuralNet

extension TrainingError {
    /// The message for clients, naming the field as the request spells it (`data.x[3] has 1 values;
    /// the rows before it have 2`).
    var message: String {
        let field = TrainingVocabulary.text(path)
        return switch self {
        case .emptyData:
            "\(field) is empty"
        case .raggedRow(_, let expected, let actual):
            "\(field) has \(actual) values; the rows before it have \(expected)"
        case .nonFiniteNumber:
            "\(field) is not a finite number"
        case .countMismatch(_, let expected, let actual):
            "\(field) has \(actual) rows for \(expected) rows of features"
        case .classIndexOutOfRange(_, let value, let classes):
            "\(field) is \(value), not a class index from 0 to \(classes - 1)"
        case .targetOutOfRange(_, let value, let lower, let upper):
            "\(field) is \(value), outside [\(lower), \(upper)]"
        case .shapeMismatch(_, let expected, let actual):
            "\(field) has size \(actual) where \(expected) is needed"
        case .tooFewRows(_, let rows, let needed):
            "\(field) leaves \(rows) rows where at least \(needed) are needed"
        case .wrongOutputActivation(_, let loss, let needed):
            "\(field): loss \(loss.wireName) needs the output activation \(needed.wireName)"
        case .invalidSetting(_, let reason):
            "\(field) \(reason.message)"
        case .limitExceeded(let limit, let value, let maximum):
            "\(TrainingVocabulary.quantity(limit)) is \(value.map(String.init) ?? "beyond any integer"); "
                + "the limit is \(maximum)"
        }
    }
}

extension TrainingError.Reason {
    /// What the setting must be, following its name in `TrainingError.message`.
    var message: String {
        switch self {
        case .atLeast(let minimum, let given):
            "must be at least \(minimum)" + (given.map { ", not \($0)" } ?? "")
        case .within(let range, let given):
            "must be from \(range.lowerBound) to \(range.upperBound), not \(given)"
        case .finiteAndNotNegative(let given):
            "must be finite and at least 0" + (given.map { ", not \($0.messageText)" } ?? "")
        case .finiteAndPositive(let given):
            "must be finite and greater than 0" + (given.map { ", not \($0.messageText)" } ?? "")
        case .positive:
            "must be greater than 0"
        case .belowOne(let given):
            "must be in [0, 1), not \(given.messageText)"
        case .fraction(let given):
            "must be a fraction from 0 to 1, not \(given.messageText)"
        case .fractionsSumToOne(let sum):
            "fractions must sum to 1, not \(sum.messageText)"
        case .noLayers:
            "must have at least one layer"
        case .nesterovWithoutMomentum:
            "needs a momentum greater than 0"
        case .monitorNeedsValidation(let monitor):
            "\(monitor.wireName) needs a validation split "
                + "(\(TrainingVocabulary.text(SettingPath(.split, .validation))) > 0)"
        case .lastLayerOnly(let activation):
            "\(activation.wireName) is for the last layer only"
        case .activationNeedsLoss(let activation, let loss):
            "\(activation.wireName) needs the loss \(loss.wireName)"
        case .unitsWithoutWeights:
            "is needed when no weights are given"
        case .offsetAndScalePerInput:
            "needs one offset and scale per input"
        case .twoLabels(let loss, let found):
            "needs exactly two distinct labels for \(loss.wireName), not \(found)"
        }
    }
}
