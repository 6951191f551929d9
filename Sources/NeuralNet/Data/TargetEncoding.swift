/// Turns `Targets` into the matrix a loss trains on, `[rows, outputs]`, checking every value:
/// class indices and labels become one-hot rows (cross-entropy, mse) or 0/1 (binary cross-entropy).
enum TargetEncoding {
    /// More classes than this cannot be meant (and would not fit the parameter limit anyway).
    static let classLimit = 10_000_000

    /// How many outputs the targets need, found by a scan that allocates nothing in proportion to the
    /// data (for labels, a set of the distinct ones), so the limits can be checked first. For
    /// cross-entropy over class indices, `outputUnits` (the last layer's units, if given) decides;
    /// otherwise the largest index + 1.
    static func width(of targets: Targets, loss: LossFunction, outputUnits: Int?) throws(TrainingError) -> Int {
        let path = SettingPath.targets
        switch targets {
        case .values(let values):
            guard loss == .crossEntropy else { return 1 }
            if let outputUnits { return outputUnits }
            var largest = 0.0
            for (row, value) in values.enumerated() {
                try checkClassIndex(value, classes: classLimit, at: path.appending(row))
                largest = Swift.max(largest, value)
            }
            return Int(largest) + 1
        case .rows(let rows):
            guard let first = rows.first, !first.isEmpty else {
                throw .emptyData(at: rows.isEmpty ? path : path.appending(0))
            }
            return first.count
        case .labels(let labels):
            let distinct = Set(labels).count
            if loss == .binaryCrossEntropy {
                guard distinct == 2 else {
                    throw .invalidSetting(at: path, reason: .twoLabels(for: loss, found: distinct))
                }
                return 1
            }
            return distinct
        }
    }

    /// The encoded targets (`width` columns), the class names for labels, and how accuracy is judged.
    static func encode(_ targets: Targets, loss: LossFunction, width: Int) throws(TrainingError) -> (
        targets: Matrix, classes: [String]?, rule: AccuracyRule
    ) {
        let path = SettingPath.targets
        let rule: AccuracyRule =
            switch loss {
            case .crossEntropy: .argmax
            case .binaryCrossEntropy: .threshold
            case .mse: .none
            }
        switch targets {
        case .values(let values):
            var encoded = Matrix(rows: values.count, columns: width)
            for (row, value) in values.enumerated() {
                guard value.isFinite else { throw .nonFiniteNumber(at: path.appending(row)) }
                switch loss {
                case .crossEntropy:
                    try checkClassIndex(value, classes: width, at: path.appending(row))
                    encoded[row, Int(value)] = 1
                case .binaryCrossEntropy:
                    try checkProbability(value, at: path.appending(row))
                    encoded[row, 0] = value
                case .mse:
                    encoded[row, 0] = value
                }
            }
            return (encoded, nil, rule)
        case .rows(let rows):
            let encoded = try Matrix(validating: rows, at: path)
            if loss != .mse {
                for (index, value) in encoded.values.enumerated() {
                    try checkProbability(value, at: path.appending(index / width).appending(index % width))
                }
            }
            return (encoded, nil, rule)
        case .labels(let labels):
            let classes = Set(labels).sorted()
            let indices = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, $0.offset) })
            var encoded = Matrix(rows: labels.count, columns: width)
            for (row, label) in labels.enumerated() {
                if loss == .binaryCrossEntropy {
                    encoded[row, 0] = Double(indices[label]!)
                } else {
                    encoded[row, indices[label]!] = 1
                }
            }
            return (encoded, classes, loss == .binaryCrossEntropy ? .threshold : .argmax)
        }
    }

    private static func checkClassIndex(_ value: Double, classes: Int, at path: SettingPath) throws(TrainingError) {
        guard value.isFinite else { throw .nonFiniteNumber(at: path) }
        guard value >= 0, value < Double(classes), value.rounded(.towardZero) == value else {
            throw .classIndexOutOfRange(at: path, value: value, classes: classes)
        }
    }

    private static func checkProbability(_ value: Double, at path: SettingPath) throws(TrainingError) {
        guard value.isFinite else { throw .nonFiniteNumber(at: path) }
        guard value >= 0, value <= 1 else { throw .targetOutOfRange(at: path, value: value, lower: 0, upper: 1) }
    }
}
