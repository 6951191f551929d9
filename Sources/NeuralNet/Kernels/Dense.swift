/// A dense layer's arithmetic, `z = x·W + b`, on column-major blocks: a block `[rows, columns]` with
/// stride `s` keeps column `c` in `block[c·s ..< c·s + rows]`, so every loop over the batch runs along
/// contiguous memory and vectorises however narrow the layer is (the seed's 1-2-1 network included).
/// Weights stay `[inputs, units]` row-major, as the request gives them.
///
/// Every sum runs in index order, the bias last (as NumPy's `np.dot(x, W) + b`), whatever the loop
/// order, so the results do not depend on the layout. Index arithmetic uses `&+`/`&*` so overflow
/// checks do not stop vectorisation.
enum Dense {
    /// From this many units on, the parameter gradient goes through a transposed copy of `dz`.
    static let wideLayer = 8

    /// Forward: `x: [rows, inputs]` (stride `xStride`), `weights: [inputs, units]`, `biases: [units]` →
    /// `z: [rows, units]` (stride `zStride`).
    static func forward(
        x: UnsafePointer<Double>, xStride: Int, weights: UnsafePointer<Double>, biases: UnsafePointer<Double>,
        z: UnsafeMutablePointer<Double>, zStride: Int, rows: Int, inputs: Int, units: Int
    ) {
        for unit in 0..<units {
            let zColumn = z + unit &* zStride
            let first = weights[unit]
            let bias = biases[unit]
            switch inputs {
            case 1:
                for row in 0..<rows { zColumn[row] = x[row] * first + bias }
            case 2:
                let second = weights[units &+ unit]
                let x1 = x + xStride
                for row in 0..<rows { zColumn[row] = (x[row] * first + x1[row] * second) + bias }
            default:
                for row in 0..<rows { zColumn[row] = x[row] * first }
                for input in 1..<inputs {
                    let weight = weights[input &* units &+ unit]
                    let xColumn = x + input &* xStride
                    for row in 0..<rows { zColumn[row] += xColumn[row] * weight }
                }
                for row in 0..<rows { zColumn[row] += bias }
            }
        }
    }

    /// Backward, parameters: `x: [rows, inputs]` (the layer's input, stride `xStride`), `dz: [rows, units]`
    /// (∂L/∂z, stride `dzStride`) → `weightGradient: [inputs, units] += xᵀ·dz`,
    /// `biasGradient: [units] += Σ_rows dz`. Sums, not means: the trainer divides by the batch size once
    /// the whole batch is in. Wide layers go through `scratch` (room for `[rows, units]`).
    static func accumulateGradients(
        x: UnsafePointer<Double>, xStride: Int, dz: UnsafePointer<Double>, dzStride: Int,
        weightGradient: UnsafeMutablePointer<Double>, biasGradient: UnsafeMutablePointer<Double>,
        rows: Int, inputs: Int, units: Int, scratch: UnsafeMutablePointer<Double>
    ) {
        if units >= wideLayer {
            accumulateWide(
                x: x, xStride: xStride, dz: dz, dzStride: dzStride, weightGradient: weightGradient,
                biasGradient: biasGradient, rows: rows, inputs: inputs, units: units, scratch: scratch)
            return
        }
        // Narrow: one dot product over the rows per parameter; the chains are independent, so the
        // processor overlaps them.
        for unit in 0..<units {
            let dzColumn = dz + unit &* dzStride
            for input in 0..<inputs {
                let xColumn = x + input &* xStride
                var sum = weightGradient[input &* units &+ unit]
                for row in 0..<rows { sum += xColumn[row] * dzColumn[row] }
                weightGradient[input &* units &+ unit] = sum
            }
            var sum = biasGradient[unit]
            for row in 0..<rows { sum += dzColumn[row] }
            biasGradient[unit] = sum
        }
    }

    /// `accumulateGradients` for wide layers: `dz` transposed into `scratch` (`[units]` per row), then
    /// rows of the gradient updated a row of the batch at a time, vectorised along the units.
    private static func accumulateWide(
        x: UnsafePointer<Double>, xStride: Int, dz: UnsafePointer<Double>, dzStride: Int,
        weightGradient: UnsafeMutablePointer<Double>, biasGradient: UnsafeMutablePointer<Double>,
        rows: Int, inputs: Int, units: Int, scratch: UnsafeMutablePointer<Double>
    ) {
        for unit in 0..<units {
            let dzColumn = dz + unit &* dzStride
            for row in 0..<rows { scratch[row &* units &+ unit] = dzColumn[row] }
        }
        for row in 0..<rows {
            let dzRow = scratch + row &* units
            for input in 0..<inputs {
                let value = x[input &* xStride &+ row]
                let gradientRow = weightGradient + input &* units
                for unit in 0..<units { gradientRow[unit] += value * dzRow[unit] }
            }
            for unit in 0..<units { biasGradient[unit] += dzRow[unit] }
        }
    }

    /// Backward, inputs: `dz: [rows, units]` (stride `stride`), `weights: [inputs, units]` →
    /// `dx: [rows, inputs] = dz·Wᵀ` (stride `stride`; ∂L/∂x, the previous layer's ∂L/∂a).
    static func backwardInputs(
        dz: UnsafePointer<Double>, weights: UnsafePointer<Double>, dx: UnsafeMutablePointer<Double>, stride: Int,
        rows: Int, inputs: Int, units: Int
    ) {
        for input in 0..<inputs {
            let weightRow = weights + input &* units
            let dxColumn = dx + input &* stride
            let first = weightRow[0]
            for row in 0..<rows { dxColumn[row] = dz[row] * first }
            for unit in 1..<units {
                let weight = weightRow[unit]
                let dzColumn = dz + unit &* stride
                for row in 0..<rows { dxColumn[row] += dzColumn[row] * weight }
            }
        }
    }
}
