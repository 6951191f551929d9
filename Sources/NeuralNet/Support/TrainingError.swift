/// Why a training request, its data or a prediction cannot be used. Every case names the offending
/// field (and row) with a `FieldPath`; `description` is the one place the message is written. The API
/// answers all of them with 400.
public enum TrainingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The data (or one row of it) has no values.
    case emptyData(field: FieldPath)
    /// A row has `actual` values where the first row has `expected`.
    case raggedRow(field: FieldPath, expected: Int, actual: Int)
    /// A number is NaN or infinite.
    case nonFiniteNumber(field: FieldPath)
    /// The targets have `actual` rows for `expected` rows of features.
    case countMismatch(field: FieldPath, expected: Int, actual: Int)
    /// A class index is not a whole number from 0 to `classes − 1`.
    case classIndexOutOfRange(field: FieldPath, value: Double, classes: Int)
    /// A target lies outside `lower...upper` (binary cross-entropy needs targets in [0, 1]).
    case targetOutOfRange(field: FieldPath, value: Double, lower: Double, upper: Double)
    /// A size does not fit: `expected` where `actual` was given (weights against the previous layer,
    /// target columns against output units, features against the model's inputs).
    case shapeMismatch(field: FieldPath, expected: Int, actual: Int)
    /// A split leaves a part with fewer rows than it needs: `rows` rows for `needed`.
    case tooFewRows(field: FieldPath, rows: Int, needed: Int)
    /// The loss needs another output activation (`cross_entropy` needs `softmax`, ...).
    case wrongOutputActivation(field: FieldPath, loss: LossFunction, needed: Activation)
    /// A setting is out of range or inconsistent: `reason` says how.
    case invalidSetting(field: FieldPath, reason: String)
    /// A limit is exceeded: `value` (nil when it does not even fit in an `Int`) is over `maximum`.
    case limitExceeded(TrainingLimits.Limit, value: Int?, maximum: Int)

    /// The field the error is about.
    public var field: FieldPath {
        switch self {
        case .emptyData(let field), .raggedRow(let field, _, _), .nonFiniteNumber(let field),
            .countMismatch(let field, _, _), .classIndexOutOfRange(let field, _, _),
            .targetOutOfRange(let field, _, _, _), .shapeMismatch(let field, _, _), .tooFewRows(let field, _, _),
            .wrongOutputActivation(let field, _, _), .invalidSetting(let field, _):
            field
        case .limitExceeded(let limit, _, _):
            limit.field
        }
    }

    /// The message for people, naming the field.
    public var description: String {
        switch self {
        case .emptyData(let field):
            "\(field) is empty"
        case .raggedRow(let field, let expected, let actual):
            "\(field) has \(actual) values; the rows before it have \(expected)"
        case .nonFiniteNumber(let field):
            "\(field) is not a finite number"
        case .countMismatch(let field, let expected, let actual):
            "\(field) has \(actual) rows for \(expected) rows of features"
        case .classIndexOutOfRange(let field, let value, let classes):
            "\(field) is \(value), not a class index from 0 to \(classes - 1)"
        case .targetOutOfRange(let field, let value, let lower, let upper):
            "\(field) is \(value), outside [\(lower), \(upper)]"
        case .shapeMismatch(let field, let expected, let actual):
            "\(field) has size \(actual) where \(expected) is needed"
        case .tooFewRows(let field, let rows, let needed):
            "\(field) leaves \(rows) rows where at least \(needed) are needed"
        case .wrongOutputActivation(let field, let loss, let needed):
            "\(field): loss \(loss.rawValue) needs the output activation \(needed.rawValue)"
        case .invalidSetting(let field, let reason):
            "\(field) \(reason)"
        case .limitExceeded(let limit, let value, let maximum):
            "\(limit.quantity) is \(value.map(String.init) ?? "beyond any integer"); the limit is \(maximum)"
        }
    }
}
