/// The loss a network is trained on, averaged over the batch exactly as issue #4 defines it.
public enum LossFunction: Sendable, Hashable, CaseIterable {
    /// Mean over every sample and output of `(y − ŷ)²` (the seed's `np.mean((y-y_hat)**2)`); any output
    /// activation but softmax.
    case mse
    /// `−mean over samples of log softmax(z)[label]`, computed stably from the logits `z`; needs a
    /// softmax output. Its gradient is fused: `(softmax − one_hot) / n`.
    case crossEntropy
    /// `−mean(t·log y + (1 − t)·log(1 − y))` over samples and outputs with `y = σ(z)`, computed stably from
    /// `z` as `t·softplus(−z) + (1 − t)·softplus(z)`; needs a sigmoid output. Gradient `(σ(z) − t) / n`
    /// per output (divided by the number of outputs too).
    case binaryCrossEntropy

    /// The output activation the loss needs, or nil when any but softmax will do.
    public var requiredOutputActivation: Activation? {
        switch self {
        case .mse: nil
        case .crossEntropy: .softmax
        case .binaryCrossEntropy: .sigmoid
        }
    }

    /// True for the classification losses (accuracy is reported).
    public var isClassification: Bool { self != .mse }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LossFunction {
    /// The number the summed terms are divided by for a mean over `rows` rows: `rows × outputs` for mse
    /// and binary cross-entropy (a mean over every element), `rows` for cross-entropy.
    func divisor(rows: Int, outputs: Int) -> Double {
        self == .crossEntropy ? Double(rows) : Double(rows * outputs)
    }

    /// The summed loss terms: `z`, `a: [rows, outputs]` (stride `stride`) and `targets: [rows, outputs]`
    /// (stride `targetStride`) → `total` plus each term, row after row and output after output (so
    /// chunks of a batch add up exactly as one pass would), in double whatever the precision; the loss is
    /// the total over `divisor`.
    /// Cross-entropy takes `log Σ e^z` as `rowMaximum + log rowSum` from the softmax forward.
    func accumulate<Scalar: TrainingScalar>(
        z: UnsafePointer<Scalar>, a: UnsafePointer<Scalar>, stride: Int, targets: UnsafePointer<Scalar>,
        targetStride: Int, rows: Int, outputs: Int, rowMaximum: UnsafePointer<Scalar>, rowSum: UnsafePointer<Scalar>,
        into total: inout Double
    ) {
        var sum = total
        switch self {
        case .mse:
            if outputs == 1 {
                for row in 0..<rows {
                    let difference = targets[row] - a[row]
                    sum += Double(difference * difference)
                }
            } else {
                for row in 0..<rows {
                    for output in 0..<outputs {
                        let difference = targets[output &* targetStride &+ row] - a[output &* stride &+ row]
                        sum += Double(difference * difference)
                    }
                }
            }
        case .binaryCrossEntropy:
            for row in 0..<rows {
                for output in 0..<outputs {
                    let t = targets[output &* targetStride &+ row]
                    let logit = z[output &* stride &+ row]
                    sum += Double(t * softplus(-logit) + (1 - t) * softplus(logit))
                }
            }
        case .crossEntropy:
            for row in 0..<rows {
                // log Σ e^z = m + log Σ e^(z − m) with m the row maximum: no overflow, no log 0.
                let logSumExp = rowMaximum[row] + Scalar.logarithm(rowSum[row])
                for output in 0..<outputs {
                    let t = targets[output &* targetStride &+ row]
                    if t != 0 { sum += Double(t * (logSumExp - z[output &* stride &+ row])) }
                }
            }
        }
        total = sum
    }

    /// Output backward: `a: [rows, outputs]` (stride `stride`), `targets` (stride `targetStride`) →
    /// `dz: [rows, outputs]` (stride `stride`), each row the gradient of that sample's loss term with
    /// respect to `z` (mse: `2(a − t)/outputs` through the activation; cross-entropy: `a − t`; binary
    /// cross-entropy: `(a − t)/outputs`). The trainer divides the summed parameter gradients by the
    /// batch size.
    func outputGradient<Scalar: TrainingScalar>(
        a: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>, targetStride: Int,
        into dz: UnsafeMutablePointer<Scalar>, stride: Int, rows: Int, outputs: Int, activation: Activation
    ) {
        let width = Scalar(outputs)
        for output in 0..<outputs {
            let aColumn = a + output &* stride
            let tColumn = targets + output &* targetStride
            let dzColumn = dz + output &* stride
            switch self {
            case .mse:
                // The seed's deda = -2*(Y - a): the same number as 2*(a - Y), bit for bit.
                if outputs == 1 {
                    for row in 0..<rows { dzColumn[row] = 2 * (aColumn[row] - tColumn[row]) }
                } else {
                    for row in 0..<rows { dzColumn[row] = 2 * (aColumn[row] - tColumn[row]) / width }
                }
            case .crossEntropy:
                for row in 0..<rows { dzColumn[row] = aColumn[row] - tColumn[row] }
            case .binaryCrossEntropy:
                for row in 0..<rows { dzColumn[row] = (aColumn[row] - tColumn[row]) / width }
            }
        }
        if self == .mse { activation.backward(a, gradient: dz, rows: rows, units: outputs, stride: stride) }
    }
}

/// `log(1 + e^u)` without overflow for large `u` nor loss of digits for very negative `u`.
@inline(__always)
private func softplus<Scalar: TrainingScalar>(_ u: Scalar) -> Scalar {
    (u > 0 ? u : 0) + Scalar.logarithmOnePlus(Scalar.exponential(-abs(u)))
}
