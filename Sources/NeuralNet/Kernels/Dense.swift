/// A dense layer's arithmetic, `z = x·W + b`, on column-major blocks: a block `[rows, columns]` with
/// stride `s` keeps column `c` in `block[c·s ..< c·s + rows]`, so every loop over the batch runs along
/// contiguous memory and vectorises however narrow the layer is (the seed's 1-2-1 network included).
/// Weights stay `[inputs, units]` row-major, as the request gives them.
///
/// These loops serve narrow layers; wide ones go through OpenBLAS (`Dense+Gemm.swift`, `Gemm.isWide`).
/// Every sum runs in index order, the bias last (as NumPy's `np.dot(x, W) + b`), whatever the loop
/// order, so the results do not depend on the layout. Index arithmetic uses `&+`/`&*` so overflow
/// checks do not stop vectorisation.
enum Dense {
    /// From this many units on, the parameter gradient goes through a transposed copy of `dz` and
    /// register-blocked loops (`Dense+Blocked.swift`).
    static let wideLayer = 8

    /// Forward: `x: [rows, inputs]` (stride `xStride`), `weights: [inputs, units]`, `biases: [units]` →
    /// `z: [rows, units]` (stride `zStride`).
    static func forward(
        x: UnsafePointer<Double>, xStride: Int, weights: UnsafePointer<Double>, biases: UnsafePointer<Double>,
        z: UnsafeMutablePointer<Double>, zStride: Int, rows: Int, inputs: Int, units: Int
    ) {
        guard inputs > 2 else {
            forwardNarrow(
                x: x, xStride: xStride, weights: weights, biases: biases, z: z, zStride: zStride, rows: rows,
                inputs: inputs, units: units)
            return
        }
        // Eight rows × four units at a time (`Dense+Blocked.swift`), the units past them one at a time.
        let tiled = units & ~3
        if tiled > 0 {
            forwardTiles(
                x: x, xStride: xStride, weights: weights, biases: biases, z: z, zStride: zStride, rows: rows,
                inputs: inputs, units: units, tiledUnits: tiled)
        }
        for unit in tiled..<units {
            combineColumns(
                into: z + unit &* zStride, rows: rows, terms: inputs, bias: biases[unit], source: { x + $0 &* xStride },
                weight: { weights[$0 &* units &+ unit] })
        }
    }

    /// `forward` for one or two inputs (the seed's network): its own small function, which tiny layers
    /// call without the setup of the wide paths.
    private static func forwardNarrow(
        x: UnsafePointer<Double>, xStride: Int, weights: UnsafePointer<Double>, biases: UnsafePointer<Double>,
        z: UnsafeMutablePointer<Double>, zStride: Int, rows: Int, inputs: Int, units: Int
    ) {
        for unit in 0..<units {
            let zColumn = z + unit &* zStride
            let first = weights[unit]
            let bias = biases[unit]
            if inputs == 1 {
                for row in 0..<rows { zColumn[row] = x[row] * first + bias }
            } else {
                let second = weights[units &+ unit]
                let x1 = x + xStride
                for row in 0..<rows { zColumn[row] = (x[row] * first + x1[row] * second) + bias }
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
        // Narrow: one sum over the rows per parameter, in row order. The unit's bias is summed in the same
        // pass over the rows as its first weight (the chains of additions side by side, `dz` loaded once).
        for unit in 0..<units {
            let dzColumn = dz + unit &* dzStride
            var sum = weightGradient[unit]
            var bias = biasGradient[unit]
            for row in 0..<rows {
                let d = dzColumn[row]
                sum += x[row] * d
                bias += d
            }
            weightGradient[unit] = sum
            biasGradient[unit] = bias
            for input in 1..<inputs {
                let xColumn = x + input &* xStride
                var sum = weightGradient[input &* units &+ unit]
                for row in 0..<rows { sum += xColumn[row] * dzColumn[row] }
                weightGradient[input &* units &+ unit] = sum
            }
        }
    }

    /// `accumulateGradients` for wide layers: `dz` transposed into `scratch` (`[units]` per row), then
    /// each row of the gradient summed over the batch, vectorised along the units.
    private static func accumulateWide(
        x: UnsafePointer<Double>, xStride: Int, dz: UnsafePointer<Double>, dzStride: Int,
        weightGradient: UnsafeMutablePointer<Double>, biasGradient: UnsafeMutablePointer<Double>,
        rows: Int, inputs: Int, units: Int, scratch: UnsafeMutablePointer<Double>
    ) {
        for unit in 0..<units {
            let dzColumn = dz + unit &* dzStride
            for row in 0..<rows { scratch[row &* units &+ unit] = dzColumn[row] }
        }
        // Blocks of sixteen units one input at a time; the units after them four inputs at a time
        // (`accumulateTail`), so that their sums do not wait on each other's additions.
        let blocked = units & ~15
        if blocked > 0 {
            for input in 0..<inputs {
                accumulateRows(
                    into: weightGradient + input &* units, units: blocked, rows: rows,
                    rowsOf: { UnsafePointer(scratch) + $0 &* units }, scale: { x[input &* xStride &+ $0] })
            }
        }
        if blocked < units {
            accumulateTail(
                x: x, xStride: xStride, dzRows: scratch, weightGradient: weightGradient, rows: rows, inputs: inputs,
                units: units, from: blocked)
        }
        accumulateRows(
            into: biasGradient, units: units, rows: rows, rowsOf: { UnsafePointer(scratch) + $0 &* units },
            scale: { _ in 1 })
    }

    /// Backward, inputs: `dz: [rows, units]` (stride `stride`), `weights: [inputs, units]` →
    /// `dx: [rows, inputs] = dz·Wᵀ` (stride `stride`; ∂L/∂x, the previous layer's ∂L/∂a). With
    /// `reluOutputs` (that layer's relu activations, stride `stride`), the relu's backward is fused in:
    /// `dx` is 0 where the activation is not above 0 (∂L/∂z, the same numbers as `Activation.backward`).
    static func backwardInputs(
        dz: UnsafePointer<Double>, weights: UnsafePointer<Double>, dx: UnsafeMutablePointer<Double>, stride: Int,
        rows: Int, inputs: Int, units: Int, reluOutputs: UnsafePointer<Double>? = nil
    ) {
        for input in 0..<inputs {
            let weightRow = weights + input &* units
            let dxColumn = dx + input &* stride
            combineColumns(
                into: dxColumn, rows: rows, terms: units, bias: nil, source: { dz + $0 &* stride },
                weight: { weightRow[$0] })
            if let reluOutputs {
                // Both values loaded first, so the select vectorises (no branch on the relu's sign).
                let aColumn = reluOutputs + input &* stride
                for row in 0..<rows {
                    let gradient = dxColumn[row]
                    dxColumn[row] = aColumn[row] > 0 ? gradient : 0
                }
            }
        }
    }
}
