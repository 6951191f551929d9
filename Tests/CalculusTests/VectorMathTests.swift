@testable import Calculus
import Testing

/// The vector kernels against the scalar libm, and blocks of lanes (which use them) against single
/// points (which do not).
@Suite struct VectorMathTests {
    /// glibc documents at most 4 ULP from the exact value for libmvec and keeps its scalar sin, cos,
    /// exp, log, tan and tanh within 1 ULP, so the two may differ by 5 ULP. Measured on 10⁷ points per
    /// function (glibc 2.36): at most 4.
    static let ulpBound: UInt64 = 5

    @Test(arguments: KernelRange.all)
    func kernelsAgreeWithTheScalarLibmWithinTheULPBound(_ range: KernelRange) throws {
        let kernel = try #require(VectorMath.kernel(for: range.function))
        var generator = SplitMix64(seed: 0x5EED)
        // 1,003 per call: the last group of four is padded.
        let operands = (0..<100_300).map { _ in range.sample(using: &generator) }
        var results = [Double](repeating: 0, count: operands.count)
        for start in stride(from: 0, to: operands.count, by: 1003) {
            operands.withUnsafeBufferPointer { x in
                results.withUnsafeMutableBufferPointer { r in
                    kernel(x.baseAddress! + start, r.baseAddress! + start, 1003)
                }
            }
        }
        var worst = (ulps: UInt64(0), at: 0.0)
        for (x, result) in zip(operands, results) {
            let ulps = ulpDistance(result, Double.evaluate(range.function, x))
            if ulps > worst.ulps { worst = (ulps, x) }
        }
        #expect(worst.ulps <= Self.ulpBound, "\(range): \(worst.ulps) ULP at \(worst.at)")
    }

    @Test(arguments: [UnaryFunction.sin, .cos, .tan, .exp, .log, .tanh])
    func kernelsKeepTheScalarLibmsSpecialValues(_ function: UnaryFunction) throws {
        let kernel = try #require(VectorMath.kernel(for: function))
        let operands: [Double] = [
            0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude, .leastNormalMagnitude / 3, 1e300, -1e300, 709.79, -745.2, -1,
        ]
        var results = [Double](repeating: 0, count: operands.count)
        kernel(operands, &results, operands.count)
        for (x, result) in zip(operands, results) {
            let scalar = Double.evaluate(function, x)
            #expect(ulpDistance(result, scalar) <= Self.ulpBound, "\(function)(\(x)): \(result), scalar \(scalar)")
            #expect(result.isNaN == scalar.isNaN && result.isInfinite == scalar.isInfinite, "\(function)(\(x))")
        }
    }

    /// Forward mode over blocks is `FunctionTable` read lane by lane with the kernels' libm, to the bit.
    @Test(arguments: fastPathExpressions)
    func blockTangentsAreTheTableWithTheKernels(_ text: String) throws {
        let expression = try Parser.parse(text).expression
        let program = try Program(expression, variables: ["x"])
        var generator = SplitMix64(seed: 7)
        // 1,003 points: blocks of 256 lanes and a last one of 235.
        let points = (0..<1003).map { _ in Double.random(in: -3...3, using: &generator) }
        let (values, derivatives) = program.valuesAndDerivatives(at: [points], withRespectTo: 0)
        for (index, x) in points.enumerated() {
            let seeded = Dual(value: KernelDouble(x), derivative: KernelDouble(constant: 1))
            let expected: Dual<KernelDouble> = try expression.evaluate(["x": seeded])
            #expect(same(values[index], expected.value.value), "\(text) at \(x)")
            #expect(same(derivatives[index], expected.derivative.value), "\(text) at \(x)")
        }
    }

    /// One point keeps the scalar libm (bit for bit the dual numbers over `Double`); a block of the
    /// same point uses the kernels and agrees within their error, in value, tangent and adjoint.
    @Test(arguments: expressions)
    func aBlockAndASingleLaneAgree(_ text: String) throws {
        let expression = try Parser.parse(text).expression
        let program = try Program(expression, variables: ["x"])
        for x in [-2.5, -0.75, 0.3, 1.1, 2.9] {
            let dual = try ForwardMode.derivative(of: expression, withRespectTo: "x", at: x, order: 1)
            let single = program.valuesAndDerivatives(at: [[x]], withRespectTo: 0)
            #expect(
                same(single.values[0], dual.value) && same(single.derivatives[0], dual.derivative), "\(text) at \(x)")
            let block = [[Double](repeating: x, count: 8)]
            let forward = program.valuesAndDerivatives(at: block, withRespectTo: 0)
            let reverse = program.valuesAndGradients(at: block)
            for lane in 0..<8 {
                #expect(isClose(forward.values[lane], dual.value, relative: 1e-14), "\(text) at \(x)")
                #expect(isClose(forward.derivatives[lane], dual.derivative, relative: 1e-13), "\(text) at \(x)")
                #expect(isClose(reverse.gradient[0][lane], dual.derivative, relative: 1e-13), "\(text) at \(x)")
            }
        }
    }

    /// The SymPy reference cases (1e-12) hold for the kernels too: every exact mode over a block.
    @Test(arguments: ReferenceCases.derivatives)
    func referenceDerivativesHoldInBlocks(_ reference: ReferenceCases.DerivativeCase) throws {
        let expression = try Parser.parse(reference.expression).expression.cancellingInverses
        let program = try Program(expression, variables: ["x"])
        let block = [[Double](repeating: reference.at, count: 8)]
        let forward = program.valuesAndDerivatives(at: block, withRespectTo: 0)
        let reverse = program.valuesAndGradients(at: block)
        let derivative = SymbolicDifferentiation.derivative(of: expression, withRespectTo: "x")
        let symbolic = try Program(derivative, variables: ["x"]).values(at: block)
        #expect(isClose(forward.values[0], reference.value, relative: 1e-12), "value \(forward.values[0])")
        #expect(
            isClose(forward.derivatives[0], reference.derivative, relative: 1e-12), "forward \(forward.derivatives[0])")
        #expect(
            isClose(reverse.gradient[0][0], reference.derivative, relative: 1e-12), "reverse \(reverse.gradient[0][0])")
        #expect(isClose(symbolic[0], reference.derivative, relative: 1e-12, absolute: 1e-12), "symbolic \(symbolic[0])")
    }

    @Test(arguments: ReferenceCases.gradients)
    func referenceGradientsHoldInBlocks(_ reference: ReferenceCases.GradientCase) throws {
        let expression = try Parser.parse(reference.expression).expression.cancellingInverses
        let program = try Program(expression, variables: reference.variables)
        let (values, gradient) = program.valuesAndGradients(at: reference.at.map { [Double](repeating: $0, count: 8) })
        #expect(isClose(values[0], reference.value, relative: 1e-12))
        for (got, want) in zip(gradient.map { $0[0] }, reference.gradient) {
            #expect(isClose(got, want, relative: 1e-11, absolute: 1e-11), "\(gradient.map { $0[0] })")
        }
    }

    /// Every block fast path (`BlockPartials`), functions without one, and the benchmark's function.
    static let fastPathExpressions = [
        "sin(x)*exp(-x^2/2) + log(1+x^2)", "cos(3*x) - tan(x/2)", "tanh(x)*x", "sqrt(x^2 + 1)/x",
        "sigmoid(x) - x^3", "log(x^2 + 0.5)*sin(x)", "atan(x) + cosh(x)/(1 + x^2)",
    ]

    /// Also partials read from the table lane by lane with the scalar libm although their formula calls a
    /// function that has a kernel (log in ∂(a^b)/∂b and in log2'): close to the kernels, not equal.
    static let expressions = fastPathExpressions + ["exp(sin(x))^x", "log2(x^2 + 1) + 2^x"]
}

/// A kernel and the operands it is checked on: uniform in [low, high], or log-uniform when
/// `logarithmic`.
struct KernelRange: Sendable, CustomTestStringConvertible {
    let function: UnaryFunction
    let low: Double
    let high: Double
    var logarithmic = false

    var testDescription: String { "\(function) on [\(low), \(high)]\(logarithmic ? " (log-uniform)" : "")" }

    fileprivate func sample(using generator: inout SplitMix64) -> Double {
        let u = Double.random(in: 0...1, using: &generator)
        guard logarithmic else { return low + u * (high - low) }
        return Double.evaluate(.exp, Double.evaluate(.log, low) * (1 - u) + Double.evaluate(.log, high) * u)
    }

    static let all = [
        KernelRange(function: .sin, low: -10, high: 10), KernelRange(function: .sin, low: -1e6, high: 1e6),
        KernelRange(function: .cos, low: -10, high: 10), KernelRange(function: .cos, low: -1e6, high: 1e6),
        KernelRange(function: .tan, low: -1.5, high: 1.5), KernelRange(function: .tan, low: -100, high: 100),
        KernelRange(function: .exp, low: -745, high: 710), KernelRange(function: .exp, low: -5, high: 5),
        KernelRange(function: .log, low: 1e-300, high: 1e300, logarithmic: true),
        KernelRange(function: .log, low: 0.5, high: 2), KernelRange(function: .tanh, low: -20, high: 20),
    ]
}

/// A `Double` whose built-in functions come from the vector kernels where there is one (one value,
/// padded to a vector): `FunctionTable` read with it gives what a block of lanes must give.
struct KernelDouble: CalculusScalar {
    var value: Double

    init(_ value: Double) { self.value = value }
    init(constant value: Double) { self.value = value }

    static func + (left: Self, right: Self) -> Self { Self(left.value + right.value) }
    static func - (left: Self, right: Self) -> Self { Self(left.value - right.value) }
    static func * (left: Self, right: Self) -> Self { Self(left.value * right.value) }
    static func / (left: Self, right: Self) -> Self { Self(left.value / right.value) }
    static prefix func - (operand: Self) -> Self { Self(-operand.value) }

    static func evaluate(_ function: UnaryFunction, _ operand: Self) -> Self {
        guard let kernel = VectorMath.kernel(for: function) else {
            return Self(Double.evaluate(function, operand.value))
        }
        var (x, result) = (operand.value, 0.0)
        kernel(&x, &result, 1)
        return Self(result)
    }

    static func evaluate(_ operation: BinaryOperation, _ left: Self, _ right: Self) -> Self {
        Self(Double.evaluate(operation, left.value, right.value))
    }

    var isKnownZero: Bool { value == 0 }
}

/// Equal, or both NaN.
private func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

/// How many doubles lie between `a` and `b` (0 for two NaNs, the most for one).
private func ulpDistance(_ a: Double, _ b: Double) -> UInt64 {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .max }
    // Doubles ordered as integers: the bit pattern for positives, mirrored below zero for negatives.
    func ordinal(_ x: Double) -> Int64 {
        let bits = Int64(bitPattern: x.bitPattern)
        return bits < 0 ? Int64.min - bits : bits
    }
    let (p, q) = (ordinal(a), ordinal(b))
    return p >= q ? UInt64(bitPattern: p &- q) : UInt64(bitPattern: q &- p)
}

/// A small seeded generator, so that the random points are the same in every run.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
