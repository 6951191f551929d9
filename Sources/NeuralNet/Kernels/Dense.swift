/// A dense layer's arithmetic, `z = x·W + b`, on flat row-major buffers.
///
/// Every sum runs in index order and the bias comes last (as NumPy's `np.dot(x, W) + b`), whatever the
/// loop order, so results do not depend on which loop order a size picks: narrow layers (fewer than
/// `wideLayer` units) use scalar dot products, whose loops cost nothing to enter; wide ones run their
/// inner loops along contiguous rows so they vectorise. Index arithmetic uses `&+`/`&*` so overflow
/// checks do not stop that.
enum Dense {
    /// From this many units on, the vectorising loop orders pay for their set-up.
    static let wideLayer = 8

    /// Forward: `x: [rows, inputs]`, `weights: [inputs, units]`, `biases: [units]` → `z: [rows, units]`.
    static func forward(
        x: UnsafePointer<Double>, weights: UnsafePointer<Double>, biases: UnsafePointer<Double>,
        z: UnsafeMutablePointer<Double>, rows: Int, inputs: Int, units: Int
    ) {
        if units < wideLayer {
            for row in 0..<rows {
                let xRow = x + row &* inputs
                let zRow = z + row &* units
                for unit in 0..<units {
                    var sum = xRow[0] * weights[unit]
                    var input = 1
                    while input < inputs {
                        sum += xRow[input] * weights[input &* units &+ unit]
                        input &+= 1
                    }
                    zRow[unit] = sum + biases[unit]
                }
            }
            return
        }
        for row in 0..<rows {
            let xRow = x + row &* inputs
            let zRow = z + row &* units
            let first = xRow[0]
            for unit in 0..<units { zRow[unit] = first * weights[unit] }
            for input in 1..<inputs {
                let value = xRow[input]
                let weightRow = weights + input &* units
                for unit in 0..<units { zRow[unit] += value * weightRow[unit] }
            }
            for unit in 0..<units { zRow[unit] += biases[unit] }
        }
    }

    /// Backward, parameters: `x: [rows, inputs]` (the layer's input), `dz: [rows, units]` (∂L/∂z) →
    /// `weightGradient: [inputs, units] += xᵀ·dz`, `biasGradient: [units] += Σ_rows dz`. Sums, not
    /// means: the trainer divides by the batch size once the whole batch is in.
    static func accumulateGradients(
        x: UnsafePointer<Double>, dz: UnsafePointer<Double>,
        weightGradient: UnsafeMutablePointer<Double>, biasGradient: UnsafeMutablePointer<Double>,
        rows: Int, inputs: Int, units: Int
    ) {
        if units < wideLayer {
            for unit in 0..<units {
                for input in 0..<inputs {
                    var sum = weightGradient[input &* units &+ unit]
                    for row in 0..<rows { sum += x[row &* inputs &+ input] * dz[row &* units &+ unit] }
                    weightGradient[input &* units &+ unit] = sum
                }
                var sum = biasGradient[unit]
                for row in 0..<rows { sum += dz[row &* units &+ unit] }
                biasGradient[unit] = sum
            }
            return
        }
        for row in 0..<rows {
            let xRow = x + row &* inputs
            let dzRow = dz + row &* units
            for input in 0..<inputs {
                let value = xRow[input]
                let gradientRow = weightGradient + input &* units
                for unit in 0..<units { gradientRow[unit] += value * dzRow[unit] }
            }
            for unit in 0..<units { biasGradient[unit] += dzRow[unit] }
        }
    }

    /// Backward, inputs: `dz: [rows, units]`, `weights: [inputs, units]` → `dx: [rows, inputs] = dz·Wᵀ`
    /// (∂L/∂x, the previous layer's ∂L/∂a).
    static func backwardInputs(
        dz: UnsafePointer<Double>, weights: UnsafePointer<Double>, dx: UnsafeMutablePointer<Double>,
        rows: Int, inputs: Int, units: Int
    ) {
        for row in 0..<rows {
            let dzRow = dz + row &* units
            let dxRow = dx + row &* inputs
            for input in 0..<inputs {
                let weightRow = weights + input &* units
                var sum = dzRow[0] * weightRow[0]
                var unit = 1
                while unit < units {
                    sum += dzRow[unit] * weightRow[unit]
                    unit &+= 1
                }
                dxRow[input] = sum
            }
        }
    }
}
