import Calculus
import Testing

/// The expression language: what parses to what (checked by value), and how errors are reported.
@Suite struct ParserTests {
    func value(_ text: String, x: Double = 2, y: Double = 3) throws -> Double {
        let expression = try Parser.parse(text).expression
        return try expression.evaluate(["x": x, "y": y])
    }

    @Test(
        arguments: [
            ("2", 2.0), ("0.5", 0.5), (".5", 0.5), ("1e-3", 0.001), ("2.5E+4", 25_000),
            ("-x^2", -4), ("2^3^2", 512), ("x^-1", 0.5), ("--x", 2), ("+x", 2), ("2**3", 8),
            ("2x", 4), ("2 pi", 2 * Double.pi), ("3(x+1)", 9), ("(x+1)(x-1)", 3), ("5x*3x", 60),
            ("1/2x", 1), ("x / 2y", 2.0 / 6), ("2x^2", 8), ("-2x", -4), ("x(x+1)", 6), ("2e", 2 * 2.718281828459045),
            ("2e3", 2000), ("log(x, 2)", 1), ("ln(e)", 1), ("nthRoot(-8, 3)", -2), ("nthRoot(9)", 3), ("pow(x, 3)", 8),
            ("min(x, y, 1)", 1), ("max(x, y)", 3), ("atan2(1, 1)", Double.pi / 4), ("sigmoid(0)", 0.5),
            ("softplus(0)", 0.6931471805599453), ("relu(-x)", 0), ("abs(-x)", 2), ("cbrt(-27)", -3),
            ("x y", 6), ("2 x y", 12), ("sin(pi/2)", 1), ("1 - 2 - 3", -4), ("12 / 2 / 3", 2),
            ("x^2^-1", 2.0.squareRoot()),
        ] as [(String, Double)])
    func readsAsMathJSDoes(_ text: String, _ expected: Double) throws {
        let got = try value(text)
        #expect(abs(got - expected) <= 1e-15 * max(1, abs(expected)), "\(text) = \(got)")
    }

    @Test(
        arguments: [
            ("x^2 +", "expected an operand after '+'", 5),
            ("", "the expression is empty", 1),
            ("   ", "the expression is empty", 4),
            ("(x", "expected ')' to close '(' opened at column 1, found the end", 3),
            ("x)", "unmatched ')'", 2),
            ("()", "expected an expression after '('", 1),
            ("sin()", "sin takes 1 argument, not 0", 1),
            ("sin(x, y)", "sin takes 1 argument, not 2", 1),
            ("log(x, 2, 3)", "log takes 1 or 2 arguments (x, base), not 3", 1),
            ("min()", "min takes 1 or more arguments, not 0", 1),
            ("mod(x)", "mod takes 2 arguments, not 1", 1),
            ("atan2(x)", "atan2 takes 2 arguments, not 1", 1),
            ("sin(x", "expected ',' or ')' to close 'sin(' opened at column 4, found the end", 6),
            ("sin x", "expected '(' after the function name 'sin'", 5),
            ("2 + cos", "expected '(' after the function name 'cos'", 8),
            ("x * * y", "expected an operand after '*'", 3),
            ("x ^", "expected an operand after '^'", 3),
            ("2 3", "expected an operator before the number '3'", 3),
            ("x 2", "expected an operator before the number '2'", 3),
            ("1.2.3", "expected an operator before the number '.3'", 4),
            ("x, y", "unexpected ',' outside a function call", 2),
            (".", "expected digits around '.'", 1),
            ("x # 2", "unexpected character '#' (U+0023)", 3),
            ("2 \u{2212} x", "unexpected character '\u{2212}' (U+2212); use '-' for minus", 3),
            ("2 \u{00D7} x", "unexpected character '\u{00D7}' (U+00D7); use '*' for multiplication", 3),
            ("\u{0445}^2", "unexpected character '\u{0445}' (U+0445); names use the Latin letters A-Z, a-z", 1),
            ("x\u{200B}+1", "unexpected character U+200B; remove the invisible character", 2),
            ("__import__('os')", "unexpected character ''' (U+0027)", 12),
            ("1e400", "number '1e400' is out of range for a double", 1),
            ("x ^ * 2", "expected an operand after '^'", 3),
            ("-", "expected an operand after '-'", 1),
            ("(1+2))", "unmatched ')'", 6),
            ("x = 1", "unexpected character '=' (U+003D)", 3),
        ] as [(String, String, Int)])
    func refusesMalformedInputSayingWhatAndWhere(_ text: String, _ reason: String, _ column: Int) {
        do {
            let parsed = try Parser.parse(text)
            Issue.record("\(text) parsed as \(parsed.expression)")
        } catch {
            #expect(error.reason == reason, "\(text): \(error.reason)")
            #expect(error.column == column, "\(text): column \(error.column)")
        }
    }

    @Test func aNameWrittenLikeACallIsRememberedAsAProbableFunction() throws {
        let parsed = try Parser.parse("sine(x) + y")
        #expect(parsed.calledNames == ["sine"])
        #expect(parsed.namePositions["y"] == 11)
        #expect(parsed.expression.freeVariables == ["sine", "x", "y"])
    }

    @Test func refusesTextOverTheLengthLimit() {
        let text = String(repeating: "x+", count: 5_000) + "x"
        #expect(throws: ParseError("the expression has 10001 characters; the limit is 10000", column: 10_001)) {
            try Parser.parse(text)
        }
    }

    /// Deep nesting in every recursive rule stops at the depth limit with a position, never by
    /// overflowing the stack; the length limit is lifted so that the depth check is what answers.
    @Test(
        arguments: [
            (String(repeating: "(", count: 50_000) + "x" + String(repeating: ")", count: 50_000), 257),
            (String(repeating: "-", count: 50_000) + "x", 257),
            (String(repeating: "sin(", count: 20_000) + "x" + String(repeating: ")", count: 20_000), 1028),
            (String(repeating: "x^", count: 100_000) + "x", 514),
            (String(repeating: "2(", count: 20_000) + "x" + String(repeating: ")", count: 20_000), 514),
        ] as [(String, Int)])
    func refusesNestingPastTheDepthLimitWithItsPosition(_ text: String, _ column: Int) {
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(throws: ParseError("the expression is nested more than 256 levels deep", column: column)) {
                try Parser.parse(text, limits: ExpressionLimits(maxLength: 1_000_000))
            }
        }
        #expect(elapsed < .seconds(1), "took \(elapsed)")
    }

    @Test func acceptsNestingJustUnderTheLimit() throws {
        let text = String(repeating: "(", count: 255) + "x" + String(repeating: ")", count: 255)
        #expect(try Parser.parse(text).expression == .variable("x"))
    }

    /// Found by the expression fuzzer: `-(y/0)` printed from a tree whose 0 was -0 read back as +inf
    /// where the tree gave -inf.
    @Test func aNegativeZeroIsPrintedWithItsSignAndReadsBackToTheSameValue() throws {
        let tree = -(Expression.variable("y") / .number(-0.0))
        let text = ExpressionPrinter.text(tree)
        #expect(text == "-(y/(-0))")
        let back = try Parser.parse(text).expression
        let value: Double = try tree.evaluate(["y": 2])
        #expect(value == .infinity)
        #expect(try back.evaluate(["y": 2.0]) == value)
    }

    /// Found by the expression fuzzer: compiling shared the constants 0 and -0 (equal as doubles), so
    /// x/0 and x/(-0) became one instruction and their sum inf instead of NaN.
    @Test func aProgramKeepsZeroAndNegativeZeroApart() throws {
        let x = Expression.variable("x")
        let tree = Expression.binary(.add, .binary(.divide, x, .number(-0.0)), .binary(.divide, x, .number(0.0)))
        let program = try Program(tree, variables: ["x"])
        #expect(program.values(at: [[2]]).first?.isNaN == true)
        #expect(try (tree.evaluate(["x": 2.0]) as Double).isNaN)
    }

    @Test func readsEveryBuiltInFunctionName() throws {
        for name in FunctionNames.all {
            let arguments =
                ["log", "nthRoot"].contains(name)
                ? "x" : (["pow", "min", "max", "atan2", "mod", "hypot"].contains(name) ? "x, 2" : "x")
            let parsed = try Parser.parse("\(name)(\(arguments))")
            // A built-in call, not a free name written like a call (`foo(x)` is `foo * x` with a note).
            #expect(parsed.calledNames.isEmpty, "\(name)")
            #expect(parsed.namePositions.keys.sorted() == ["x"], "\(name)")
            switch parsed.expression {
            case .unary, .binary: break
            default: Issue.record("\(name)(\(arguments)) parsed as \(parsed.expression), not a call")
            }
        }
    }
}
