/// A layer's activation function, applied element by element to `z = x·W + b` (softmax row by row).
public enum Activation: Sendable, Hashable, CaseIterable {
    /// `1 / (1 + e^(−z))`, the seed's `sigmoid`.
    case sigmoid
    /// `tanh(z)`.
    case tanh
    /// `max(0, z)`, with derivative 0 at 0.
    case relu
    /// `z` unchanged.
    case linear
    /// `e^(z_j − max z) / Σ_k e^(z_k − max z)` over each row: the last layer only, with
    /// `LossFunction.crossEntropy`.
    case softmax
}

extension Activation {
    /// Forward: `z: [rows, units]` → `a: [rows, units]`, both column-major with stride `stride` (`a` may
    /// not alias `z`). Softmax also leaves each row's maximum and `Σ e^(z − max)` in `rowMaximum` and
    /// `rowSum` (`[rows]`), which cross-entropy reuses.
    func forward<Scalar: TrainingScalar>(
        _ z: UnsafePointer<Scalar>, into a: UnsafeMutablePointer<Scalar>, rows: Int, units: Int, stride: Int,
        rowMaximum: UnsafeMutablePointer<Scalar>, rowSum: UnsafeMutablePointer<Scalar>
    ) {
        if self == .softmax {
            softmax(z, into: a, rows: rows, units: units, stride: stride, rowMaximum: rowMaximum, rowSum: rowSum)
            return
        }
        // One pass over the whole block when it is full, else column by column.
        let (columns, length) = rows == stride ? (1, rows &* units) : (units, rows)
        for column in 0..<columns {
            let zColumn = z + column &* stride
            let aColumn = a + column &* stride
            switch self {
            case .sigmoid:
                // The seed's 1/(1+np.exp(-x)); for z ≪ 0, e^(−z) is +inf and the result exactly 0.
                for index in 0..<length { aColumn[index] = 1 / (1 + Scalar.exponential(-zColumn[index])) }
            case .tanh:
                for index in 0..<length { aColumn[index] = Scalar.hyperbolicTangent(zColumn[index]) }
            case .relu:
                for index in 0..<length { aColumn[index] = zColumn[index] > 0 ? zColumn[index] : 0 }
            case .linear:
                aColumn.update(from: zColumn, count: length)
            case .softmax:
                break
            }
        }
    }

    /// Softmax row by row, computed a column at a time so every loop runs along the batch.
    private func softmax<Scalar: TrainingScalar>(
        _ z: UnsafePointer<Scalar>, into a: UnsafeMutablePointer<Scalar>, rows: Int, units: Int, stride: Int,
        rowMaximum: UnsafeMutablePointer<Scalar>, rowSum: UnsafeMutablePointer<Scalar>
    ) {
        // Subtracting the row maximum keeps every exponent ≤ 0: no overflow, same result.
        rowMaximum.update(from: z, count: rows)
        for unit in 1..<units {
            let zColumn = z + unit &* stride
            for row in 0..<rows {
                rowMaximum[row] = zColumn[row] > rowMaximum[row] ? zColumn[row] : rowMaximum[row]
            }
        }
        rowSum.update(repeating: 0, count: rows)
        for unit in 0..<units {
            let zColumn = z + unit &* stride
            let aColumn = a + unit &* stride
            for row in 0..<rows {
                aColumn[row] = Scalar.exponential(zColumn[row] - rowMaximum[row])
                rowSum[row] += aColumn[row]
            }
        }
        for unit in 0..<units {
            let aColumn = a + unit &* stride
            for row in 0..<rows { aColumn[row] /= rowSum[row] }
        }
    }

    /// Backward: `a: [rows, units]` (this activation's output) and `gradient: [rows, units]` holding
    /// ∂L/∂a → `gradient` holding ∂L/∂z, in place; column-major with stride `stride`. Softmax's
    /// backward is fused with cross-entropy (`LossFunction.outputGradient`) and never comes here.
    func backward<Scalar: TrainingScalar>(
        _ a: UnsafePointer<Scalar>, gradient: UnsafeMutablePointer<Scalar>, rows: Int, units: Int, stride: Int
    ) {
        let (columns, length) = rows == stride ? (1, rows &* units) : (units, rows)
        for column in 0..<columns {
            let aColumn = a + column &* stride
            let gColumn = gradient + column &* stride
            switch self {
            case .sigmoid:
                // σ' = σ(1 − σ), grouped as the seed's dedz = deda*a*(1-a).
                for index in 0..<length { gColumn[index] = gColumn[index] * aColumn[index] * (1 - aColumn[index]) }
            case .tanh:
                for index in 0..<length { gColumn[index] = gColumn[index] * (1 - aColumn[index] * aColumn[index]) }
            case .relu:
                for index in 0..<length { gColumn[index] = aColumn[index] > 0 ? gColumn[index] : 0 }
            case .linear:
                break
            case .softmax:
                preconditionFailure("softmax's backward is fused with cross-entropy")
            }
        }
    }
}
