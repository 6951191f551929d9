import Calculus
import Testing

/// Large batches are split across cores in ranges of whole blocks: stitched back together they must
/// be the same bits as each block evaluated on its own (a block's size decides vector or scalar libm).
@Suite struct BatchEvaluationTests {
    /// 100,003 points: past the split threshold on two cores or more, and not a whole number of blocks.
    let points = (0..<100_003).map { -3 + 6 * Double($0) / 100_002 }
    let blockSize = 256

    func program() throws -> Program {
        try Program(Parser.parse("sin(x)*exp(-x^2/2) + log(1+x^2) + x*y").expression, variables: ["x", "y"])
    }

    /// `evaluate` on each block of the points alone, concatenated.
    func blockByBlock(_ evaluate: ([[Double]]) -> [Double]) -> [Double] {
        stride(from: 0, to: points.count, by: blockSize).flatMap { start in
            evaluate([Array(points[start..<min(start + blockSize, points.count)]), [0.5]])
        }
    }

    @Test func valuesOfALargeBatchAreThoseOfEachBlock() throws {
        let program = try program()
        let whole = program.values(at: [points, [0.5]])
        #expect(whole == blockByBlock { program.values(at: $0) })
    }

    @Test func forwardDerivativesOfALargeBatchAreThoseOfEachBlock() throws {
        let program = try program()
        let whole = program.valuesAndDerivatives(at: [points, [0.5]], withRespectTo: 0)
        #expect(whole.values == blockByBlock { program.valuesAndDerivatives(at: $0, withRespectTo: 0).values })
        #expect(
            whole.derivatives == blockByBlock { program.valuesAndDerivatives(at: $0, withRespectTo: 0).derivatives })
    }

    @Test func reverseGradientsOfALargeBatchAreThoseOfEachBlock() throws {
        let program = try program()
        let whole = program.valuesAndGradients(at: [points, [0.5]])
        #expect(whole.values == blockByBlock { program.valuesAndGradients(at: $0).values })
        #expect(whole.gradient[0] == blockByBlock { program.valuesAndGradients(at: $0).gradient[0] })
        // ∂f/∂y = x at every point, exactly.
        #expect(whole.gradient[1] == points)
    }
}
