import Calculus
import Testing

/// What the simplifying constructors fold, and that what they build prints as text that reads back
/// as the same function.
@Suite struct SimplifierTests {
    /// Every literal in `expression`.
    func literals(_ expression: Expression) -> [Double] {
        switch expression {
        case .number(let value): [value]
        case .constant, .variable: []
        case .negate(let operand), .unary(_, let operand): literals(operand)
        case .binary(_, let left, let right): literals(left) + literals(right)
        }
    }

    @Test(
        arguments: [
            ("1e200*1e200*x", 1, 3.0),
            ("x^1e90", 4, 1.5),
            ("1e300/1e-300 + x", 1, 2.0),
            ("1e308 + 1e308 + x^2", 1, 2.0),
            ("(x^1e200)^1e200", 1, 1.0),
            ("1e200 x + 1e200 x", 1, 2.0),
        ] as [(String, Int, Double)])
    func neverFoldsToANonFiniteLiteral(_ text: String, _ order: Int, _ x: Double) throws {
        let expression = try Parser.parse(text).expression
        let derivative = try SymbolicDifferentiation.derivative(of: expression, withRespectTo: "x", order: order)
        for literal in literals(derivative) + literals(expression.simplified) {
            #expect(literal.isFinite, "\(text): literal \(literal) in \(ExpressionPrinter.text(derivative))")
        }
        let printed = ExpressionPrinter.text(derivative)
        let reparsed = try Parser.parse(printed).expression
        #expect(Set(reparsed.freeVariables).isSubset(of: ["x"]), "\(printed) reads back with \(reparsed.freeVariables)")
        let value = try derivative.evaluate(["x": x])
        let again = try reparsed.evaluate(["x": x])
        #expect(value == again || (value.isNaN && again.isNaN), "\(printed): \(value) then \(again)")
    }

    @Test func overflowingProductsStillEvaluateToInfinity() throws {
        let derivative = SymbolicDifferentiation.derivative(
            of: try Parser.parse("1e200*1e200*x").expression, withRespectTo: "x")
        #expect(try derivative.evaluate(["x": 1]) == .infinity)
    }

    /// x/x/…/x (n quotients) is x^(1-n): its derivative (1-n)·x^(-n), from a raw parse tree whose
    /// nested quotients the simplifier flattens one level at a time (a whole-chain rewrite at every
    /// level took ~10 s at the 10,000-character limit).
    @Test(arguments: [3, 50, 400])
    func differentiatesLongQuotientChains(_ quotients: Int) throws {
        let text = "x" + String(repeating: "/x", count: quotients)
        let derivative = try SymbolicDifferentiation.derivative(
            of: try Parser.parse(text).expression, withRespectTo: "x", order: 1)
        let x = 1.01
        let expected = Double(1 - quotients) * 1 / (0..<quotients).reduce(1.0) { product, _ in product * x }
        let got = try Program(derivative, variables: ["x"]).values(at: [[x]])[0]
        #expect(abs(got - expected) <= 1e-12 * abs(expected), "\(quotients) quotients: \(got)")
    }

    @Test func aChainAtTheLengthLimitIsRefusedAsTooLargeRatherThanRewrittenWhole() {
        let text = "x" + String(repeating: "/x", count: 4_999)
        #expect(throws: DifferentiationError.derivativeTooLarge(limit: 200_000)) {
            try SymbolicDifferentiation.derivative(
                of: try Parser.parse(text).expression, withRespectTo: "x", order: 1, maxNodes: 200_000)
        }
    }

    @Test(
        arguments: [
            ("2*3*x", "6*x"), ("x*2", "2*x"), ("x - x", "0"), ("2x + 3x", "5*x"), ("x*x", "x^2"),
            ("0*x + 1*x^1", "x"), ("cos(0)", "1"), ("sin(asin(x))", "x"),
        ] as [(String, String)])
    func foldsWhatPeopleWouldFold(_ text: String, _ expected: String) throws {
        let simplified = try Parser.parse(text).expression.simplified
        #expect(ExpressionPrinter.text(simplified) == expected)
    }
}
