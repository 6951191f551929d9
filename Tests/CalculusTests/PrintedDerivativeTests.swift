import Calculus
import Testing

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
            ("1/(1 + exp(-x))", "exp(x)/(exp(x) + 1)^2", "\\frac{e^{x}}{\\left(e^{x} + 1\\right)^{2}}"),
        ] as [(String, String, String)])
    func printsTheTextbookForm(_ input: String, _ text: String, _ latex: String) throws {
        let problem = DerivativeProblem(expression: try Parser.parse(input).expression, variable: "x")
        let printed = Simplifier.simplifyForPrinting(try problem.symbolicDerivative().expression)
        #expect(ExpressionPrinter.text(printed) == text)
        #expect(ExpressionPrinter.latex(printed) == latex)
    }
}
