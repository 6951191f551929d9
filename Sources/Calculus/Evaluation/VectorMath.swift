internal import CVectorMath

/// Elementary functions over a block of lanes with glibc's vector libm, through the `CVectorMath`
/// kernels (libmvec's AVX2 functions when the CPU has AVX2, else the scalar libm). About 4–7× faster
/// than one scalar call per lane, and at most 4 ULP from the scalar libm (measured on 10⁷ points per
/// function; glibc documents 4 ULP from the exact value). This is the only file that imports
/// `CVectorMath`.
///
/// The evaluators use the kernels only for blocks of at least `minimumLanes` lanes: one point (or
/// two or three) is computed with the scalar libm, so one-point results are those of `Double.evaluate`.
enum VectorMath {
    /// Writes f of `count` operands into `results`.
    typealias Kernel =
        @convention(c) (
            _ operands: UnsafePointer<Double>?, _ results: UnsafeMutablePointer<Double>?, _ count: Int
        ) -> Void

    /// The fewest lanes worth a vector call (one AVX2 register holds four doubles).
    static let minimumLanes = 4

    /// The kernel computing `function`, if there is one.
    static func kernel(for function: UnaryFunction) -> Kernel? {
        switch function {
        case .sin: CVectorMath_sin
        case .cos: CVectorMath_cos
        case .tan: CVectorMath_tan
        case .exp: CVectorMath_exp
        case .log: CVectorMath_log
        case .tanh: CVectorMath_tanh
        default: nil
        }
    }

    /// Writes `x op y` of `count` lanes into `results`.
    typealias BinaryKernel =
        @convention(c) (
            _ x: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?, _ results: UnsafeMutablePointer<Double>?,
            _ count: Int
        ) -> Void

    /// The kernel for `operation` if it is one of the four arithmetic ones: the same bits as a lane loop
    /// (IEEE rounds each operation exactly), with the CPU's widest vectors rather than the two lanes the
    /// compiler's baseline target gives.
    static func kernel(for operation: BinaryOperation) -> BinaryKernel? {
        switch operation {
        case .add: CVectorMath_add
        case .subtract: CVectorMath_subtract
        case .multiply: CVectorMath_multiply
        case .divide: CVectorMath_divide
        default: nil
        }
    }

    /// `x · factor` for `count` lanes into `results`, the same way.
    static func scale(
        _ x: UnsafePointer<Double>, by factor: Double, into results: UnsafeMutablePointer<Double>, count: Int
    ) {
        CVectorMath_scale(x, factor, results, count)
    }

    /// Whether the kernels use libmvec on this machine (x86_64 with AVX2), rather than the scalar libm.
    static var isVectorised: Bool { CVectorMath_isVectorised() != 0 }
}
