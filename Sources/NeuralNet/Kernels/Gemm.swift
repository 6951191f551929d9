internal import COpenBLAS

/// Matrix products of wide layers through OpenBLAS's `dgemm` (and of every float32 layer through
/// `sgemm`), column-major (`Dense`'s layout).
///
/// OpenBLAS runs single-threaded in the calling thread: a big product is split here into parts fixed
/// by its shape alone (`parts`), which `KernelLanes` runs on the run's own threads (at the job's
/// niceness, never OpenBLAS's pool). So a result does not depend on how many threads ran it, and the
/// same request gives the same bits on the same machine. OpenBLAS picks its kernel for the CPU (with
/// fused multiply-adds, summing in its own blocked order), so another CPU may differ in the last bits.
enum Gemm {
    /// A layer goes through GEMM from this many inputs and units each, and `wideProduct` weights.
    static let wideSide = 8
    /// The least `inputs × units` for GEMM; below it the register-blocked loops of `Dense` are faster
    /// (and keep the documented index order; `KernelOrderTests`).
    static let wideProduct = 256
    /// A product of at least this many multiply-adds is split in two halves (one per lane): about
    /// 50 µs of work at OpenBLAS's single-core speed here, well above the cost of waking a thread.
    static let splitProduct = 1 << 20

    /// OpenBLAS's own threads are not used (they would run at the service's priority, not the job's).
    private static let singleThreaded: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// True when a layer of `inputs` × `units` goes through GEMM.
    static func isWide(inputs: Int, units: Int) -> Bool {
        inputs >= wideSide && units >= wideSide && inputs * units >= wideProduct
    }

    /// The parts a product of `m × n × k` is split into (1 or 2), from its shape alone.
    static func parts(m: Int, n: Int, k: Int, splitting side: Int) -> Int {
        m * n * k >= splitProduct && side >= 16 ? 2 : 1
    }

    /// Where part `part` of `parts` starts along a side of `count`, and how long it is: halves split at
    /// a multiple of 8 (whole micro-kernel tiles).
    static func range(of part: Int, parts: Int, count: Int) -> (start: Int, count: Int) {
        guard parts == 2 else { return (0, count) }
        let half = (count / 2 + 7) & ~7
        return part == 0 ? (0, half) : (half, count - half)
    }

    /// `c = α·op(a)·op(b) + β·c`, every matrix column-major with the given leading dimensions; `op` is
    /// the transpose when the flag says so. `c` is `[m, n]`, `op(a)` `[m, k]`, `op(b)` `[k, n]`.
    static func multiply(
        transposingA: Bool, transposingB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        precondition(singleThreaded)
        guard m > 0, n > 0 else { return }
        cblas_dgemm(
            CblasColMajor, transposingA ? CblasTrans : CblasNoTrans, transposingB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), 1, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// `multiply` in single precision (`sgemm`).
    static func multiply(
        transposingA: Bool, transposingB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(singleThreaded)
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasColMajor, transposingA ? CblasTrans : CblasNoTrans, transposingB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), 1, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}
