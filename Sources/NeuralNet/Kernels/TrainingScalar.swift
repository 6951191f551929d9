#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The number type a run computes in: `Double` (`Precision.float64`, the default) or `Float`
/// (`Precision.float32`: twice as many lanes per SIMD register and half the memory traffic, about 7
/// significant digits). The trainer, its workspace, activations, losses and optimisers are generic over
/// it; what differs is here: the elementary functions and the dense layers' kernels.
protocol TrainingScalar: BinaryFloatingPoint, Sendable {
    /// `eˣ`.
    static func exponential(_ x: Self) -> Self
    /// `tanh x`.
    static func hyperbolicTangent(_ x: Self) -> Self
    /// The natural logarithm.
    static func logarithm(_ x: Self) -> Self
    /// `log(1 + x)`.
    static func logarithmOnePlus(_ x: Self) -> Self
    /// `c = op(a)·op(b) + β·c` through OpenBLAS (`Gemm.multiply`).
    static func multiply(
        transposingA: Bool, transposingB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int
    )
    /// True when a layer of `inputs` × `units` goes through GEMM rather than `Dense`'s own loops.
    static func usesGemm(inputs: Int, units: Int) -> Bool
    /// `gradient[i] = outputs[i] > 0 ? gradient[i] : 0` for `count` values (the relu's backward), on the
    /// concrete type: both values loaded first, so the select vectorises (a branch on the sign, as the
    /// generic loop compiled, mispredicts about every other value).
    static func maskRelu(_ gradient: UnsafeMutablePointer<Self>, outputs: UnsafePointer<Self>, count: Int)
}

extension Double: TrainingScalar {
    @inline(__always)
    static func exponential(_ x: Double) -> Double { NeuralNet.exponential(x) }
    @inline(__always)
    static func hyperbolicTangent(_ x: Double) -> Double { NeuralNet.hyperbolicTangent(x) }
    @inline(__always)
    static func logarithm(_ x: Double) -> Double { log(x) }
    @inline(__always)
    static func logarithmOnePlus(_ x: Double) -> Double { log1p(x) }

    @inline(__always)
    static func multiply(
        transposingA: Bool, transposingB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        Gemm.multiply(
            transposingA: transposingA, transposingB: transposingB, m: m, n: n, k: k, a: a, lda: lda, b: b,
            ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    @inline(__always)
    static func usesGemm(inputs: Int, units: Int) -> Bool { Gemm.isWide(inputs: inputs, units: units) }

    static func maskRelu(_ gradient: UnsafeMutablePointer<Double>, outputs: UnsafePointer<Double>, count: Int) {
        for row in 0..<count {
            let value = gradient[row]
            gradient[row] = outputs[row] > 0 ? value : 0
        }
    }
}

/// Float's elementary functions go through the double ones (rounded once, to within an ulp of the true
/// value); every layer goes through GEMM (`sgemm`), the narrow loops being written for doubles.
extension Float: TrainingScalar {
    @inline(__always)
    static func exponential(_ x: Float) -> Float { Float(NeuralNet.exponential(Double(x))) }
    @inline(__always)
    static func hyperbolicTangent(_ x: Float) -> Float { Float(NeuralNet.hyperbolicTangent(Double(x))) }
    @inline(__always)
    static func logarithm(_ x: Float) -> Float { Float(log(Double(x))) }
    @inline(__always)
    static func logarithmOnePlus(_ x: Float) -> Float { Float(log1p(Double(x))) }

    @inline(__always)
    static func multiply(
        transposingA: Bool, transposingB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        Gemm.multiply(
            transposingA: transposingA, transposingB: transposingB, m: m, n: n, k: k, a: a, lda: lda, b: b,
            ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    @inline(__always)
    static func usesGemm(inputs: Int, units: Int) -> Bool { true }

    static func maskRelu(_ gradient: UnsafeMutablePointer<Float>, outputs: UnsafePointer<Float>, count: Int) {
        for row in 0..<count {
            let value = gradient[row]
            gradient[row] = outputs[row] > 0 ? value : 0
        }
    }
}
