/// How a prediction is judged right, for the accuracy histories.
enum AccuracyRule: Sendable, Hashable {
    /// No accuracy (regression).
    case none
    /// One class per row: right when the largest output is where the target's largest is (ties: first).
    case argmax
    /// One yes/no per output: right when `output ≥ 0.5` agrees with `target ≥ 0.5`.
    case threshold

    /// The number of judgements in `rows` rows of `outputs` outputs.
    func judgements(rows: Int, outputs: Int) -> Int {
        switch self {
        case .none: 0
        case .argmax: rows
        case .threshold: rows * outputs
        }
    }

    /// `a`, `targets: [rows, outputs]` → how many judgements are right.
    func correct(a: UnsafePointer<Double>, targets: UnsafePointer<Double>, rows: Int, outputs: Int) -> Int {
        var correct = 0
        switch self {
        case .none:
            break
        case .argmax:
            for row in 0..<rows {
                let offset = row &* outputs
                if Self.largest(a + offset, outputs) == Self.largest(targets + offset, outputs) { correct += 1 }
            }
        case .threshold:
            for index in 0..<rows &* outputs where (a[index] >= 0.5) == (targets[index] >= 0.5) {
                correct += 1
            }
        }
        return correct
    }

    /// The index of the first largest of `count` values.
    static func largest(_ values: UnsafePointer<Double>, _ count: Int) -> Int {
        var best = 0
        for index in 1..<count where values[index] > values[best] { best = index }
        return best
    }
}
