import Calculus
import Testing

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
