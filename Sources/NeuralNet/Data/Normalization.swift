/// Which feature scaling a run uses.
public enum NormalizationKind: Sendable, Hashable, CaseIterable {
    /// Features as given.
    case none
    /// `(x − min) / (max − min)` per feature, to [0, 1] on the training rows.
    case minmax
    /// `(x − mean) / sd` per feature, with the population standard deviation (divisor n, as
    /// scikit-learn's `StandardScaler`).
    case zscore
}

/// Feature scaling fitted on the training rows: each feature becomes `(x − offset) / scale`. A feature
/// that is constant on the training rows gets scale 1 (it becomes 0 there), never a division by 0.
/// Returned with the result and applied again by `TrainedModel.predict`.
public struct Normalization: Sendable, Hashable {
    /// The kind.
    public let kind: NormalizationKind
    /// Per feature: the minimum (minmax), the mean (zscore) or 0 (none).
    public let offsets: [Double]
    /// Per feature: `max − min` (minmax), the standard deviation (zscore) or 1 (none); 1 where that is 0.
    public let scales: [Double]

    /// No scaling for `features` features.
    public static func identity(features: Int) -> Normalization {
        Normalization(
            kind: .none, offsets: Array(repeating: 0, count: features), scales: Array(repeating: 1, count: features))
    }

    /// The given statistics (for a stored model).
    public init(kind: NormalizationKind, offsets: [Double], scales: [Double]) {
        precondition(offsets.count == scales.count, "one offset and one scale per feature")
        self.kind = kind
        self.offsets = offsets
        self.scales = scales
    }

    /// `kind` fitted to the rows of `data` (at least one row).
    init(fitting kind: NormalizationKind, to data: Matrix) {
        let columns = data.columns
        var offsets = Array(repeating: 0.0, count: columns)
        var scales = Array(repeating: 1.0, count: columns)
        switch kind {
        case .none:
            break
        case .minmax:
            for column in 0..<columns {
                var lowest = data[0, column]
                var highest = lowest
                for row in 1..<data.rows {
                    lowest = Swift.min(lowest, data[row, column])
                    highest = Swift.max(highest, data[row, column])
                }
                offsets[column] = lowest
                scales[column] = highest > lowest ? highest - lowest : 1
            }
        case .zscore:
            let count = Double(data.rows)
            for column in 0..<columns {
                var sum = 0.0
                for row in 0..<data.rows { sum += data[row, column] }
                let mean = sum / count
                var squares = 0.0
                for row in 0..<data.rows {
                    let deviation = data[row, column] - mean
                    squares += deviation * deviation
                }
                let deviation = (squares / count).squareRoot()
                offsets[column] = mean
                scales[column] = deviation > 0 ? deviation : 1
            }
        }
        self.init(kind: kind, offsets: offsets, scales: scales)
    }

    /// `data` scaled (unchanged for `none`).
    public func apply(to data: Matrix) -> Matrix {
        guard kind != .none else { return data }
        var result = data
        for row in 0..<data.rows {
            for column in 0..<data.columns {
                result[row, column] = (data[row, column] - offsets[column]) / scales[column]
            }
        }
        return result
    }
}
