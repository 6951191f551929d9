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

    /// `a: [rows, outputs]` (stride `stride`), `targets` (stride `targetStride`) → how many judgements
    /// are right.
    func correct<Scalar: TrainingScalar>(
        a: UnsafePointer<Scalar>, stride: Int, targets: UnsafePointer<Scalar>, targetStride: Int, rows: Int,
        outputs: Int
    ) -> Int {
        var correct = 0
        switch self {
        case .none:
            break
        case .argmax:
            for row in 0..<rows
            where Self.largest(a + row, outputs, stride: stride)
                == Self.largest(targets + row, outputs, stride: targetStride)
            {
                correct += 1
            }
        case .threshold:
            for output in 0..<outputs {
                for row in 0..<rows
                where (a[output &* stride &+ row] >= 0.5) == (targets[output &* targetStride &+ row] >= 0.5) {
                    correct += 1
                }
            }
        }
        return correct
    }

    /// The index of the first largest of `count` values `stride` apart.
    static func largest<Scalar: TrainingScalar>(_ values: UnsafePointer<Scalar>, _ count: Int, stride: Int = 1) -> Int {
        var best = 0
        for index in 1..<count where values[index &* stride] > values[best &* stride] { best = index }
        return best
    }
}
