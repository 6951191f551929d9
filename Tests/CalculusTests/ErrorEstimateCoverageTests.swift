import Calculus
import Testing

/// Do the numerical methods' own error figures bound their actual errors? Measured on every SymPy
/// reference case (the 60 of differentiation-cases.json and the 35 of peer-function-cases.json), with
/// the steps `/v1/derivative` uses by default.
@Suite struct ErrorEstimateCoverageTests {
    static let corpus = ReferenceCases.derivatives + ReferenceCases.peerFunctions

    /// The share of cases whose figure is at least the actual error, and the median figure/error ratio.
    struct Coverage: CustomStringConvertible {
        let covered: Int
        let total: Int
        let medianRatio: Double
        var share: Double { Double(covered) / Double(total) }
        var description: String { "\(covered)/\(total) covered, median figure/error \(medianRatio)" }

        init(_ pairs: [(figure: Double, error: Double)]) {
            covered = pairs.filter { $0.figure >= $0.error }.count
            total = pairs.count
            let ratios = pairs.filter { $0.error > 0 }.map { $0.figure / $0.error }.sorted()
            medianRatio = ratios.isEmpty ? .nan : ratios[ratios.count / 2]
        }
    }

    private func function(_ reference: ReferenceCases.DerivativeCase) throws -> (Double) -> Double {
        let expression = try Parser.parse(reference.expression).expression.cancellingInverses
        let program = try Program(expression, variables: ["x"])
        return { program.values(at: [[$0]])[0] }
    }

    @Test func richardsonsErrorEstimateBoundsTheActualErrorInAtLeast95PercentOfTheCorpus() throws {
        var pairs: [(figure: Double, error: Double)] = []
        for reference in Self.corpus {
            let h = DerivativeMethod.richardson.defaultStep(at: reference.at)!
            let estimate = FiniteDifferences.richardson(try function(reference), at: reference.at, initialStep: h)
            pairs.append((estimate.errorEstimate, Swift.abs(estimate.derivative - reference.derivative)))
        }
        let coverage = Coverage(pairs)
        print("Richardson error_estimate: \(coverage)")
        #expect(coverage.share >= 0.95, "\(coverage)")
        // Honest, not merely huge: typically within a few hundred times the actual error.
        #expect(coverage.medianRatio < 1000, "\(coverage)")
    }

    @Test(arguments: [DerivativeMethod.central, .forwardDifference, .backwardDifference])
    func theDifferenceFormulasBoundsHoldInAtLeast95PercentOfTheCorpus(_ method: DerivativeMethod) throws {
        var pairs: [(figure: Double, error: Double)] = []
        for reference in Self.corpus {
            let expression = try Parser.parse(reference.expression).expression
            let problem = DerivativeProblem(expression: expression, variable: "x")
            let h = method.defaultStep(at: reference.at)!
            let result = try DerivativeCalculator.compute(problem, method: method, at: [reference.at], step: h)
            let bound = try #require(
                ErrorBounds.bound(
                    method, problem, at: reference.at, step: h, value: reference.value,
                    derivative: reference.derivative))
            pairs.append((bound, Swift.abs(result.derivatives[0] - reference.derivative)))
        }
        let coverage = Coverage(pairs)
        print("\(String(describing: method)) error_bound: \(coverage)")
        #expect(coverage.share >= 0.95, "\(coverage)")
        #expect(coverage.medianRatio < 100, "\(coverage)")
    }
}
