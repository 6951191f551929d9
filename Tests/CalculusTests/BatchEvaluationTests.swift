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

    /// f at the points moved by `offset` (x + (−h) for x − h), evaluated on their own: what the one-pass
    /// differences must reproduce.
    func shiftedValues(_ program: Program, _ points: [Double], by offset: Double) -> [Double] {
        program.values(at: [points.map { $0 + offset }, [0.5]])
    }

    @Test(arguments: [
        (DifferenceFormula.central, 1e-4), (.centralSecond, 1e-3), (.forward, 1e-7), (.backward, 0.25),
    ])
    func differencesInOnePassAreTheSeparateEvaluationsBitForBit(_ formula: DifferenceFormula, _ h: Double) throws {
        let program = try program()
        // The large batch (split across cores), and small ones below and at the vector libm's four lanes.
        for points in [points, [0.3], [-0.0, 1], [-2, 0, 2.5], [-1, -0.5, 0, 0.5, 1]] {
            let (values, differences) = program.valuesAndDifferences(
                at: [points, [0.5]], along: 0, formula: formula, step: h)
            let f = program.values(at: [points, [0.5]])
            let (minus, plus) = (shiftedValues(program, points, by: -h), shiftedValues(program, points, by: h))
            let expected: [Double] =
                switch formula {
                case .central: points.indices.map { (plus[$0] - minus[$0]) / (2 * h) }
                case .centralSecond: points.indices.map { (plus[$0] - 2 * f[$0] + minus[$0]) / (h * h) }
                case .forward: points.indices.map { (plus[$0] - f[$0]) / h }
                case .backward: points.indices.map { (f[$0] - minus[$0]) / h }
                }
            #expect(values.map(\.bitPattern) == f.map(\.bitPattern), "\(points.count) points")
            #expect(differences.map(\.bitPattern) == expected.map(\.bitPattern), "\(points.count) points")
        }
    }

    @Test func differencesMoveOnlyTheVariableTheyAreTakenAlong() throws {
        // Along y at a fixed x (a single value for every point): only y moves.
        let program = try program()
        let ys = [-1.0, 0.25, 3]
        let (values, differences) = program.valuesAndDifferences(
            at: [[0.7], ys], along: 1, formula: .central, step: 1e-3)
        let minus = program.values(at: [[0.7], ys.map { $0 + -1e-3 }])
        let plus = program.values(at: [[0.7], ys.map { $0 + 1e-3 }])
        #expect(values == program.values(at: [[0.7], ys]))
        #expect(differences == ys.indices.map { (plus[$0] - minus[$0]) / 2e-3 })
    }
}
