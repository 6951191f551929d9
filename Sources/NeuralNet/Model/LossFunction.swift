/// The loss a network is trained on, averaged over the batch exactly as issue #4 defines it.
public enum LossFunction: String, Sendable, Hashable, CaseIterable {
    /// Mean over every sample and output of `(y − ŷ)²` (the seed's `np.mean((y-y_hat)**2)`); any output
    /// activation but softmax.
    case mse
    /// `−mean over samples of log softmax(z)[label]`, computed stably from the logits `z`; needs a
    /// softmax output. Its gradient is fused: `(softmax − one_hot) / n`.
    case crossEntropy = "cross_entropy"
    /// `−mean(t·log y + (1 − t)·log(1 − y))` over samples and outputs with `y = σ(z)`, computed stably from
    /// `z` as `t·softplus(−z) + (1 − t)·softplus(z)`; needs a sigmoid output. Gradient `(σ(z) − t) / n`
    /// per output (divided by the number of outputs too).
    case binaryCrossEntropy = "binary_cross_entropy"

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

    /// The summed loss terms: `z`, `a`, `targets: [rows, outputs]` (pre-activations, activations,
    /// targets) → `sum` plus each term, row after row (so chunks of a batch add up exactly as one pass
    /// would); the loss is the total over `divisor`.
    func accumulate(
        z: UnsafePointer<Double>, a: UnsafePointer<Double>, targets: UnsafePointer<Double>, rows: Int, outputs: Int,
        into total: inout Double
    ) {
        let count = rows &* outputs
        var sum = total
        switch self {
        case .mse:
            for index in 0..<count {
                let difference = targets[index] - a[index]
                sum += difference * difference
            }
        case .binaryCrossEntropy:
            for index in 0..<count {
                let t = targets[index]
                sum += t * softplus(-z[index]) + (1 - t) * softplus(z[index])
            }
        case .crossEntropy:
            for row in 0..<rows {
                let zRow = z + row &* outputs
                let tRow = targets + row &* outputs
                // log Σ e^z = m + log Σ e^(z − m) with m the row maximum: no overflow, no log 0.
                var largest = zRow[0]
                for output in 1..<outputs where zRow[output] > largest { largest = zRow[output] }
                var exponentials = 0.0
                for output in 0..<outputs { exponentials += exponential(zRow[output] - largest) }
                let logSumExp = largest + log(exponentials)
                for output in 0..<outputs where tRow[output] != 0 {
                    sum += tRow[output] * (logSumExp - zRow[output])
                }
            }
        }
        total = sum
    }

    /// Output backward: `z`, `a`, `targets: [rows, outputs]` → `dz: [rows, outputs]`, each row the
    /// gradient of that sample's loss term with respect to `z` (mse: `2(a − t)/outputs` through the
    /// activation; cross-entropy: `a − t`; binary cross-entropy: `(a − t)/outputs`). The trainer divides
    /// the summed parameter gradients by the batch size.
    func outputGradient(
        a: UnsafePointer<Double>, targets: UnsafePointer<Double>, into dz: UnsafeMutablePointer<Double>,
        rows: Int, outputs: Int, activation: Activation
    ) {
        let count = rows &* outputs
        switch self {
        case .mse:
            // The seed's deda = -2*(Y - a): the same number as 2*(a - Y), bit for bit.
            if outputs == 1 {
                for index in 0..<count { dz[index] = 2 * (a[index] - targets[index]) }
            } else {
                let width = Double(outputs)
                for index in 0..<count { dz[index] = 2 * (a[index] - targets[index]) / width }
            }
            activation.backward(a, gradient: dz, count: count)
        case .crossEntropy:
            for index in 0..<count { dz[index] = a[index] - targets[index] }
        case .binaryCrossEntropy:
            let width = Double(outputs)
            for index in 0..<count { dz[index] = (a[index] - targets[index]) / width }
        }
    }
}

/// `log(1 + e^u)` without overflow for large `u` nor loss of digits for very negative `u`.
@inline(__always)
private func softplus(_ u: Double) -> Double {
    (u > 0 ? u : 0) + log1p(exponential(-abs(u)))
}
