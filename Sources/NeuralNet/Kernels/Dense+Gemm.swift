/// `Dense` for wide layers (`Gemm.isWide`), and every float32 layer: the products through OpenBLAS, split over `lanes` when big.
/// Every block keeps `Dense`'s column-major layout, so the weights `[inputs, units]` row-major are the
/// column-major `Wᵀ` with leading dimension `units`. The products sum in OpenBLAS's order (with fused
/// multiply-adds), not the index order of the loops: results agree with them, and with NumPy, to about
/// 1e-15 relative per product (`KernelOrderTests`), and are the same bits run after run.
extension Dense {
    /// `z = x·W + b` (the bias added after the product, as NumPy's `x @ W + b`), parts split by rows.
    static func forwardWide<Scalar: TrainingScalar>(
        x: UnsafePointer<Scalar>, xStride: Int, weights: UnsafePointer<Scalar>, biases: UnsafePointer<Scalar>,
        z: UnsafeMutablePointer<Scalar>, zStride: Int, rows: Int, inputs: Int, units: Int, lanes: KernelLanes
    ) {
        let parts = Gemm.parts(m: rows, n: units, k: inputs, splitting: rows)
        lanes.run(parts: parts) { part in
            let (first, count) = Gemm.range(of: part, parts: parts, count: rows)
            Scalar.multiply(
                transposingA: false, transposingB: true, m: count, n: units, k: inputs, a: x + first, lda: xStride,
                b: weights, ldb: units, beta: 0, c: z + first, ldc: zStride)
            for unit in 0..<units {
                let column = z + (unit &* zStride &+ first)
                let bias = biases[unit]
                for row in 0..<count { column[row] += bias }
            }
        }
    }

    /// `weightGradient += xᵀ·dz` (in column-major terms `Gᵀ += dzᵀ·x`, parts split by inputs) and
    /// `biasGradient += Σ_rows dz`, each bias's sum in row order.
    static func accumulateGradientsWide<Scalar: TrainingScalar>(
        x: UnsafePointer<Scalar>, xStride: Int, dz: UnsafePointer<Scalar>, dzStride: Int,
        weightGradient: UnsafeMutablePointer<Scalar>, biasGradient: UnsafeMutablePointer<Scalar>,
        rows: Int, inputs: Int, units: Int, lanes: KernelLanes
    ) {
        let parts = Gemm.parts(m: units, n: inputs, k: rows, splitting: inputs)
        lanes.run(parts: parts) { part in
            let (first, count) = Gemm.range(of: part, parts: parts, count: inputs)
            Scalar.multiply(
                transposingA: true, transposingB: false, m: units, n: count, k: rows, a: dz, lda: dzStride,
                b: x + first &* xStride, ldb: xStride, beta: 1, c: weightGradient + first &* units, ldc: units)
        }
        // Four units side by side, so four chains of additions overlap.
        var unit = 0
        while unit < units {
            let last = units &- 1
            let (u0, u1, u2, u3) = (
                unit, Swift.min(unit &+ 1, last), Swift.min(unit &+ 2, last), Swift.min(unit &+ 3, last)
            )
            let (c0, c1, c2, c3) = (dz + u0 &* dzStride, dz + u1 &* dzStride, dz + u2 &* dzStride, dz + u3 &* dzStride)
            var (s0, s1, s2, s3) = (biasGradient[u0], biasGradient[u1], biasGradient[u2], biasGradient[u3])
            for row in 0..<rows {
                s0 += c0[row]
                s1 += c1[row]
                s2 += c2[row]
                s3 += c3[row]
            }
            (biasGradient[u3], biasGradient[u2], biasGradient[u1], biasGradient[u0]) = (s3, s2, s1, s0)
            unit &+= 4
        }
    }

    /// `dx = dz·Wᵀ` (column-major `dz · (Wᵀ as stored)`), parts split by rows, then the relu's backward
    /// where `reluOutputs` are given (as `backwardInputs`).
    static func backwardInputsWide<Scalar: TrainingScalar>(
        dz: UnsafePointer<Scalar>, weights: UnsafePointer<Scalar>, dx: UnsafeMutablePointer<Scalar>, stride: Int,
        rows: Int, inputs: Int, units: Int, reluOutputs: UnsafePointer<Scalar>?, lanes: KernelLanes
    ) {
        let parts = Gemm.parts(m: rows, n: inputs, k: units, splitting: rows)
        lanes.run(parts: parts) { part in
            let (first, count) = Gemm.range(of: part, parts: parts, count: rows)
            Scalar.multiply(
                transposingA: false, transposingB: false, m: count, n: inputs, k: units, a: dz + first, lda: stride,
                b: weights, ldb: units, beta: 0, c: dx + first, ldc: stride)
            guard let reluOutputs else { return }
            for input in 0..<inputs {
                Scalar.maskRelu(
                    dx + (input &* stride &+ first), outputs: reluOutputs + (input &* stride &+ first), count: count)
            }
        }
    }
}
