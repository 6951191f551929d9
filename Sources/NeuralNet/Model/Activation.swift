/// A layer's activation function, applied element by element to `z = x·W + b` (softmax row by row).
public enum Activation: String, Sendable, Hashable, CaseIterable {
    /// `1 / (1 + e^(−z))`, the seed's `sigmoid`.
    case sigmoid
    /// `tanh(z)`.
    case tanh
    /// `max(0, z)`, with derivative 0 at 0.
    case relu
    /// `z` unchanged.
    case linear
    /// `e^(z_j − max z) / Σ_k e^(z_k − max z)` over each row: the last layer only, with `cross_entropy`.
    case softmax
}

/// Math from the C library (glibc's `exp`, `tanh`, `log`, `log1p`), so the engine needs no Foundation.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tanh` of the C library (inside `Activation`, the name `tanh` is the case).
private func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }

extension Activation {
    /// Forward: `z: [rows, units]` → `a: [rows, units]` (`a` may not alias `z`).
    func forward(_ z: UnsafePointer<Double>, into a: UnsafeMutablePointer<Double>, rows: Int, units: Int) {
        let count = rows &* units
        switch self {
        case .sigmoid:
            // The seed's 1/(1+np.exp(-x)); for z ≪ 0, e^(−z) is +inf and the result exactly 0.
            for index in 0..<count { a[index] = 1 / (1 + exponential(-z[index])) }
        case .tanh:
            for index in 0..<count { a[index] = hyperbolicTangent(z[index]) }
        case .relu:
            for index in 0..<count { a[index] = z[index] > 0 ? z[index] : 0 }
        case .linear:
            a.update(from: z, count: count)
        case .softmax:
            for row in 0..<rows {
                let zRow = z + row &* units
                let aRow = a + row &* units
                // Subtracting the row maximum keeps every exponent ≤ 0: no overflow, same result.
                var largest = zRow[0]
                for unit in 1..<units where zRow[unit] > largest { largest = zRow[unit] }
                var sum = 0.0
                for unit in 0..<units {
                    aRow[unit] = exponential(zRow[unit] - largest)
                    sum += aRow[unit]
                }
                for unit in 0..<units { aRow[unit] /= sum }
            }
        }
    }

    /// Backward: `a: [rows, units]` (this activation's output) and `gradient: [rows, units]` holding
    /// ∂L/∂a → `gradient` holding ∂L/∂z, in place. Softmax's backward is fused with cross-entropy
    /// (`LossFunction.outputGradient`) and never comes here.
    func backward(_ a: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>, count: Int) {
        switch self {
        case .sigmoid:
            // σ' = σ(1 − σ), grouped as the seed's dedz = deda*a*(1-a).
            for index in 0..<count { gradient[index] = gradient[index] * a[index] * (1 - a[index]) }
        case .tanh:
            for index in 0..<count { gradient[index] = gradient[index] * (1 - a[index] * a[index]) }
        case .relu:
            for index in 0..<count where !(a[index] > 0) { gradient[index] = 0 }
        case .linear:
            break
        case .softmax:
            preconditionFailure("softmax's backward is fused with cross-entropy")
        }
    }
}
