import Calculus
import Foundation
import Testing

/// The printed derivative against SymPy's best form on the simplification corpus: it must read back
/// as the derivative, and be about as short (median ≤ 1.0× SymPy's operations, ≥ 80 % within 1.5×,
/// none past 4×).
@Suite struct SimplificationCorpusTests {
    typealias Exercise = SimplificationCorpus.Exercise

    /// The derivative as the service prints it, and the compiled (unsimplified) derivative.
    func printedDerivative(of exercise: Exercise) throws -> (text: String, program: Program) {
        let problem = DerivativeProblem(expression: try Parser.parse(exercise.expression).expression, variable: "x")
        let (derivative, program) = try problem.symbolicDerivative()
        return (ExpressionPrinter.text(Simplifier.simplify(derivative)), program)
    }

    @Test(arguments: SimplificationCorpus.exercises)
    func printedDerivativeEvaluatesToTheDerivative(_ exercise: Exercise) throws {
        let (text, program) = try printedDerivative(of: exercise)
        let printed = try Parser.parse(text).expression
        for (point, reference) in zip(exercise.points, exercise.derivatives) {
            let value = try printed.evaluate(["x": point])
            let compiled = program.values(at: [[point]])[0]
            let scale = max(abs(reference), 1)
            #expect(abs(value - reference) <= 1e-12 * scale, "\(text) at \(point): \(value), SymPy \(reference)")
            #expect(abs(value - compiled) <= 1e-12 * scale, "\(text) at \(point): \(value), compiled \(compiled)")
        }
    }

    @Test(arguments: SimplificationCorpus.exercises)
    func sympyFormIsCountedAsTheGeneratorCountedIt(_ exercise: Exercise) throws {
        let sympy = try Parser.parse(exercise.sympy).expression
        #expect(Simplifier.operationCount(of: sympy) == exercise.sympy_operations, "\(exercise.sympy)")
    }

    /// Ours over SymPy's operations; 0 over 0 is 1.
    static func ratio(_ ours: Int, _ sympy: Int) -> Double {
        sympy == 0 ? (ours == 0 ? 1 : .infinity) : Double(ours) / Double(sympy)
    }

    @Test func printedDerivativesAreAboutAsShortAsSymPys() throws {
        var rows: [(ratio: Double, line: String)] = []
        for exercise in SimplificationCorpus.exercises {
            let (text, _) = try printedDerivative(of: exercise)
            let ours = Simplifier.operationCount(of: try Parser.parse(text).expression)
            let ratio = Self.ratio(ours, exercise.sympy_operations)
            rows.append(
                (
                    ratio,
                    "\(exercise.expression) → \(text) (\(ours)) vs \(exercise.sympy) (\(exercise.sympy_operations))"
                ))
        }
        let ratios = rows.map(\.ratio).sorted()
        let median =
            ratios.count % 2 == 1
            ? ratios[ratios.count / 2] : (ratios[ratios.count / 2 - 1] + ratios[ratios.count / 2]) / 2
        let within = Double(ratios.filter { $0 <= 1.5 }.count) / Double(ratios.count)
        let worst = ratios.last ?? 0
        print(
            "simplification corpus: \(ratios.count) exercises, operations vs SymPy's best: median "
                + "\(median)×, \(Int((within * 100).rounded())) % within 1.5×, max \(worst)×, "
                + "\(ratios.filter { $0 < 1 }.count) shorter, \(ratios.filter { $0 == 1 }.count) equal")
        for row in rows.sorted(by: { $0.ratio > $1.ratio }).prefix(12) where row.ratio > 1 {
            print(String(format: "  %.2f× ", row.ratio) + row.line)
        }
        #expect(median <= 1.0)
        #expect(within >= 0.8)
        #expect(worst <= 4)
    }
}
