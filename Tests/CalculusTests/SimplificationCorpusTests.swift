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

/// The printed (simplified) derivative on the random reference cases and on the examples.
@Suite struct PrintedDerivativeTests {
    @Test(arguments: ReferenceCases.derivatives)
    func printedDerivativeReadsBackAsTheDerivative(_ reference: ReferenceCases.DerivativeCase) throws {
        let problem = DerivativeProblem(expression: try Parser.parse(reference.expression).expression, variable: "x")
        let (derivative, program) = try problem.symbolicDerivative()
        let text = ExpressionPrinter.text(Simplifier.simplify(derivative))
        let value = try Parser.parse(text).expression.evaluate(["x": reference.at])
        let compiled = program.values(at: [[reference.at]])[0]
        #expect(
            abs(value - compiled) <= 1e-12 * max(abs(compiled), 1) || (value.isNaN && compiled.isNaN),
            "\(text): \(value), compiled \(compiled)")
    }

    @Test(
        arguments: [
            ("e^x", "e^x", "e^{x}"),
            ("x^x", "x^x*(log(x) + 1)", "x^{x} \\cdot \\left(\\ln\\left(x\\right) + 1\\right)"),
            ("x^2*x^3", "5*x^4", "5 x^{4}"),
            ("sin(x)^2 + cos(x)^2", "0", "0"),
            ("sqrt(1 - x^2)", "-x/sqrt(1 - x^2)", "-\\frac{x}{\\sqrt{1 - x^{2}}}"),
            ("cosh(x)^2 - sinh(x)^2", "0", "0"),
            ("log(exp(x)) + x^2", "2*x + 1", "2 x + 1"),
            ("(x - x^2)/x", "-1", "-1"),
            ("2x + 3x", "5", "5"),
            ("x/(x + 1)", "1/(x + 1)^2", "\\frac{1}{\\left(x + 1\\right)^{2}}"),
            ("x*exp(x)", "exp(x)*(x + 1)", "e^{x} \\cdot \\left(x + 1\\right)"),
            ("tan(x)", "sec(x)^2", "\\sec\\left(x\\right)^{2}"),
        ] as [(String, String, String)])
    func printsTheTextbookForm(_ input: String, _ text: String, _ latex: String) throws {
        let problem = DerivativeProblem(expression: try Parser.parse(input).expression, variable: "x")
        let printed = Simplifier.simplifyForPrinting(try problem.symbolicDerivative().expression)
        #expect(ExpressionPrinter.text(printed) == text)
        #expect(ExpressionPrinter.latex(printed) == latex)
    }
}

/// Random expressions (a fixed seed), their simplified derivatives against the derivatives as built.
@Suite struct SimplifierFuzzTests {
    /// A small linear congruential generator, so the cases are the same on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    static func randomExpression(depth: Int, using generator: inout SeededGenerator) -> Calculus.Expression {
        let functions: [UnaryFunction] = [
            .sin, .cos, .tan, .exp, .log, .sqrt, .abs, .atan, .asin, .sinh, .cosh, .tanh, .cbrt, .sec, .cot, .sigmoid,
        ]
        let operations: [BinaryOperation] = [.add, .subtract, .multiply, .divide, .power, .add, .multiply, .max]
        if depth == 0 || Int.random(in: 0..<4, using: &generator) == 0 {
            let leaves: [Calculus.Expression] = [
                .number(Double(Int.random(in: -3...4, using: &generator))), .number(0.5), .variable("a"),
                .variable("x"), .variable("x"), .variable("x"),
            ]
            return leaves.randomElement(using: &generator)!
        }
        switch Int.random(in: 0..<8, using: &generator) {
        case 0, 1, 2:
            return .unary(
                functions.randomElement(using: &generator)!, randomExpression(depth: depth - 1, using: &generator))
        case 3: return .negate(randomExpression(depth: depth - 1, using: &generator))
        default:
            let operation = operations.randomElement(using: &generator)!
            let left = randomExpression(depth: depth - 1, using: &generator)
            let right =
                operation == .power && Int.random(in: 0..<2, using: &generator) == 0
                ? .number(Double(Int.random(in: -3...4, using: &generator)))
                : randomExpression(depth: depth - 1, using: &generator)
            return .binary(operation, left, right)
        }
    }

    @Test func simplifiedDerivativesOfRandomExpressionsEvaluateAsBuilt() throws {
        var generator = SeededGenerator(state: 16)
        var checked = 0
        for _ in 0..<200 {
            let f = Self.randomExpression(depth: 4, using: &generator)
            let derivative = SymbolicDifferentiation.derivative(of: f, withRespectTo: "x")
            let text = ExpressionPrinter.text(Simplifier.simplify(derivative))
            let printed = try Parser.parse(text).expression
            for (x, a) in [(0.37, 1.3), (1.7, -0.6), (-0.81, 2.2)] {
                let expected: Double = try derivative.evaluate(["x": x, "a": a])
                guard expected.isFinite, abs(expected) < 1e8 else { continue }
                let got: Double = try printed.evaluate(["x": x, "a": a])
                checked += 1
                #expect(
                    abs(got - expected) <= 1e-9 * max(abs(expected), 1),
                    "f = \(ExpressionPrinter.text(f)) at x = \(x), a = \(a): \(text) is \(got), built \(expected)")
            }
        }
        #expect(checked > 200)
    }
}
