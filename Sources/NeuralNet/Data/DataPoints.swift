/// A run's rows as given, for drawing under the fitted curve or the decision regions: the raw
/// (unnormalised) features of every row, in the data's order (all splits), and what each row is
/// judged against. Kept only for small plottable data (`featureLimit`, `rowLimit`).
public struct DataPoints: Sendable, Hashable {
    /// The features, `[rows, 1 or 2]`, raw.
    public var x: Matrix
    /// The targets as the model is judged: `[rows, 1]` of class indices (0…classes−1, indexing
    /// `classes` for labels) for a classifier with one class per row (cross-entropy, labels, one
    /// sigmoid output: 0/1 or the given probability), else the encoded targets `[rows, outputs]`.
    public var y: Matrix

    /// Data with more features than this have no plot, so no points.
    public static let featureLimit = 2
    /// Data with more rows than this are not kept as points (a plot has no room for them, and they
    /// would travel with every answer that carries them).
    public static let rowLimit = 5000

    /// The points of `features` and their `targets` (encoded: one-hot for classes), or nil past the limits.
    init?(features: Matrix, targets: Matrix, rule: AccuracyRule) {
        guard features.columns <= Self.featureLimit, features.rows <= Self.rowLimit else { return nil }
        x = features
        guard rule == .argmax else {
            y = targets
            return
        }
        let indices = targets.values.withUnsafeBufferPointer { values in
            (0..<targets.rows).map {
                Double(AccuracyRule.largest(values.baseAddress! + $0 * targets.columns, targets.columns))
            }
        }
        y = Matrix(rows: targets.rows, columns: 1, values: indices)
    }
}
