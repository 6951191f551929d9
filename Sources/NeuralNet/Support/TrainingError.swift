/// Why a training request, its data or a prediction cannot be used. Every case names the offending
/// part (and row) with a `SettingPath` and says what is wrong with typed values, never with text: the
/// API writes the message in its clients' words and answers all of them with 400.
public enum TrainingError: Error, Sendable, Hashable {
    /// The data (or one row of it) has no values.
    case emptyData(at: SettingPath)
    /// A row has `actual` values where the first row has `expected`.
    case raggedRow(at: SettingPath, expected: Int, actual: Int)
    /// A number is NaN or infinite.
    case nonFiniteNumber(at: SettingPath)
    /// The targets have `actual` rows for `expected` rows of features.
    case countMismatch(at: SettingPath, expected: Int, actual: Int)
    /// A class index is not a whole number from 0 to `classes − 1`.
    case classIndexOutOfRange(at: SettingPath, value: Double, classes: Int)
    /// A target lies outside `lower...upper` (binary cross-entropy needs targets in [0, 1]).
    case targetOutOfRange(at: SettingPath, value: Double, lower: Double, upper: Double)
    /// A size does not fit: `expected` where `actual` was given (weights against the previous layer,
    /// target columns against output units, features against the model's inputs).
    case shapeMismatch(at: SettingPath, expected: Int, actual: Int)
    /// A split leaves a part with fewer rows than it needs: `rows` rows for `needed`.
    case tooFewRows(at: SettingPath, rows: Int, needed: Int)
    /// The loss needs another output activation (`LossFunction.requiredOutputActivation`).
    case wrongOutputActivation(at: SettingPath, loss: LossFunction, needed: Activation)
    /// A setting is out of range or inconsistent: `reason` says how.
    case invalidSetting(at: SettingPath, reason: Reason)
    /// A limit is exceeded: `value` (nil when it does not even fit in an `Int`) is over `maximum`.
    case limitExceeded(TrainingLimits.Limit, value: Int?, maximum: Int)

    /// Where the error is.
    public var path: SettingPath {
        switch self {
        case .emptyData(let path), .raggedRow(let path, _, _), .nonFiniteNumber(let path),
            .countMismatch(let path, _, _), .classIndexOutOfRange(let path, _, _),
            .targetOutOfRange(let path, _, _, _), .shapeMismatch(let path, _, _), .tooFewRows(let path, _, _),
            .wrongOutputActivation(let path, _, _), .invalidSetting(let path, _):
            path
        case .limitExceeded(let limit, _, _):
            SettingPath(limit.setting)
        }
    }
}
