import Calculus
import Testing

/// Corners and jumps: f's one-sided limits and derivatives where a function in it is not smooth,
/// worked out by hand from each function's definition.
@Suite struct PointDiagnosticsTests {
    struct Jump: Sendable, CustomTestStringConvertible {
        let expression: String
        let at: Double
        let left: Double
        let value: Double
        let right: Double
        var testDescription: String { "\(expression) at \(at)" }
    }

    @Test(arguments: [
        Jump(expression: "sign(x)", at: 0, left: -1, value: 0, right: 1),
        Jump(expression: "step(x)", at: 0, left: 0, value: 0, right: 1),
        Jump(expression: "step(-x) + x", at: 0, left: 1, value: 0, right: 0),
        Jump(expression: "floor(x)", at: 2, left: 1, value: 2, right: 2),
        Jump(expression: "ceil(x)", at: 2, left: 2, value: 2, right: 3),
        Jump(expression: "round(x)", at: 0.5, left: 0, value: 1, right: 1),
        Jump(expression: "round(x)", at: -0.5, left: -1, value: -1, right: 0),
        Jump(expression: "trunc(x)", at: -3, left: -3, value: -3, right: -2),
        Jump(expression: "floor(2x)*x", at: 1.5, left: 3, value: 4.5, right: 4.5),
        Jump(expression: "floor(-x)", at: 1, left: -1, value: -1, right: -2),
        Jump(expression: "mod(x, 3)", at: 6, left: 3, value: 0, right: 0),
        Jump(expression: "mod(x, -2)", at: 4, left: 0, value: 0, right: -2),
        Jump(expression: "mod(7, x)", at: 7, left: 0, value: 0, right: 7),
        Jump(expression: "atan2(x, -1)", at: 0, left: -Double.pi, value: Double.pi, right: Double.pi),
        // A removable discontinuity: the same limit from both sides, another value.
        Jump(expression: "sign(x^2)", at: 0, left: 1, value: 0, right: 1),
        Jump(expression: "sign(sin(x))*cos(x)", at: 0, left: -1, value: 0, right: 1),
    ])
    func aJumpGivesTheOneSidedLimitsAndNoDerivative(_ jump: Jump) throws {
        let problem = DerivativeProblem(expression: try Parser.parse(jump.expression).expression, variable: "x")
        let kink = try #require(PointDiagnostics.kink(problem, at: jump.at))
        #expect(kink.isDiscontinuous)
        #expect(!kink.hasDerivative)
        #expect(kink.leftLimit == jump.left, "left limit \(kink.leftLimit)")
        #expect(kink.rightLimit == jump.right, "right limit \(kink.rightLimit)")
        #expect(kink.value == jump.value, "value \(kink.value)")
    }

    struct Corner: Sendable, CustomTestStringConvertible {
        let expression: String
        let at: Double
        let order: Int
        let left: Double
        let right: Double
        var testDescription: String { "\(expression) at \(at), order \(order)" }
    }

    @Test(arguments: [
        Corner(expression: "abs(x)", at: 0, order: 1, left: -1, right: 1),
        Corner(expression: "relu(x)", at: 0, order: 1, left: 0, right: 1),
        Corner(expression: "max(x, 0)", at: 0, order: 1, left: 0, right: 1),
        Corner(expression: "min(x, -x, 3)", at: 0, order: 1, left: 1, right: -1),
        Corner(expression: "hypot(x, 0)", at: 0, order: 1, left: -1, right: 1),
        Corner(expression: "hypot(2x, x)", at: 0, order: 1, left: -(5.0).squareRoot(), right: (5.0).squareRoot()),
        Corner(expression: "abs(x - 1) + x", at: 1, order: 1, left: 0, right: 2),
        Corner(expression: "mod(x, 2)*(x - 4)", at: 4, order: 1, left: 2, right: 0),
        // f' = 2|x| has the corner: no second derivative.
        Corner(expression: "x*abs(x)", at: 0, order: 2, left: -2, right: 2),
    ])
    func aCornerGivesTheOneSidedDerivatives(_ corner: Corner) throws {
        let problem = DerivativeProblem(
            expression: try Parser.parse(corner.expression).expression, variable: "x", order: corner.order)
        let kink = try #require(PointDiagnostics.kink(problem, at: corner.at))
        #expect(!kink.isDiscontinuous, "limits \(kink.leftLimit), \(kink.rightLimit); value \(kink.value)")
        #expect(kink.left == corner.left, "left \(kink.left)")
        #expect(kink.right == corner.right, "right \(kink.right)")
        #expect(!kink.hasDerivative)
    }

    @Test(arguments: [
        ("floor(x^2)", 0.0, 1), ("floor(x)", 2.5, 1), ("x*abs(x)", 0, 1), ("step(x)*x^2", 0, 1), ("mod(x, 3)", 4, 1),
        ("abs(x)", 1, 2), ("round(x)", 1, 1), ("atan2(x, 1)", 0, 1),
    ])
    func whereFHasADerivativeNoneIsWithheld(_ text: String, _ x: Double, _ order: Int) throws {
        let problem = DerivativeProblem(expression: try Parser.parse(text).expression, variable: "x", order: order)
        let kink = PointDiagnostics.kink(problem, at: x)
        #expect(kink == nil || kink!.hasDerivative, "\(kink!.reasons)")
    }

    @Test func theSecondDerivativeOfAbsDoesNotExistAtZeroBecauseItsFirstJumps() throws {
        let problem = DerivativeProblem(expression: try Parser.parse("abs(x)").expression, variable: "x", order: 2)
        let kink = try #require(PointDiagnostics.kink(problem, at: 0))
        #expect(kink.isDiscontinuous)
        #expect((kink.leftLimit, kink.rightLimit) == (-1, 1))
    }

    @Test(arguments: [
        ("abs(x)", -1e-4, 1e-4, true), ("abs(x)", 1e-4, 2e-4, false), ("floor(x)", 0.9999, 1.0001, true),
        ("floor(x)", 0.5, 0.6, false), ("max(x, 1 - x)", 0.4, 0.6, true), ("mod(x, 2)", 3.9, 4.1, true),
        ("mod(x, 2)", 3.5, 3.9, false), ("atan2(x, -1)", -0.1, 0.1, true), ("sin(x)", -1, 1, false),
    ])
    func aCornerOrJumpBetweenTwoPointsIsSeen(_ text: String, _ a: Double, _ b: Double, _ expected: Bool) throws {
        let problem = DerivativeProblem(expression: try Parser.parse(text).expression, variable: "x")
        #expect(PointDiagnostics.hasKink(problem, between: a, and: b) == expected)
    }
}
