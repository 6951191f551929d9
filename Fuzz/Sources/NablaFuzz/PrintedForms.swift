import Calculus

/// The printers' contract: `ExpressionPrinter.text` reads back through the parser (whenever it fits
/// the length limit) as an expression with the same value, and neither printer crashes.
enum PrintedForms {
    /// Checks `expression`, whose free names are among `slots`, at every point of `columns` (one
    /// column per slot). A broken contract is a finding: it stops the fuzzer with the printed text.
    static func check(_ expression: Expression, slots: [String], columns: [[Double]]) {
        _ = ExpressionPrinter.latex(expression)
        // No literal can be ±inf or NaN (it would print as `inf`/`nan`, a free name): the lexer rejects
        // them and the simplifier never folds to them (d/dx 1e200*1e200*x, 4th derivative of x^1e90).
        if containsNonFiniteNumber(expression) {
            finding("a literal is not finite: \(ExpressionPrinter.text(expression))")
        }
        let text = ExpressionPrinter.text(expression)
        guard text.unicodeScalars.count <= ExpressionLimits().maxLength else { return }
        let reparsed: Expression
        do {
            reparsed = try Parser.parse(text).expression
        } catch {
            finding("the printed text does not parse (\(error)): \(text)")
        }
        guard let original = try? Program(expression, variables: slots) else { return }
        guard let again = try? Program(reparsed, variables: slots) else {
            finding("the printed text has other free names (\(reparsed.freeVariables)): \(text)")
        }
        let expected = original.values(at: columns)
        let found = again.values(at: columns)
        for (point, (a, b)) in zip(expected, found).enumerated() where !agree(a, b) {
            finding("the printed text evaluates to \(b), the tree to \(a) (point \(point)): \(text)")
        }
    }

    /// Whether a literal in the tree is infinite or NaN.
    static func containsNonFiniteNumber(_ expression: Expression) -> Bool {
        switch expression {
        case .number(let value): !value.isFinite
        case .constant, .variable: false
        case .negate(let operand), .unary(_, let operand): containsNonFiniteNumber(operand)
        case .binary(_, let left, let right): containsNonFiniteNumber(left) || containsNonFiniteNumber(right)
        }
    }

    /// Equal within a relative 1e-9 when both are finite, else equally non-finite (both NaN, or the same
    /// infinity). The text reads back as the same tree, so they should even be the same bits; the
    /// tolerance only leaves room for a parser that someday folds or reassociates.
    static func agree(_ a: Double, _ b: Double) -> Bool {
        if a.isFinite && b.isFinite { return Swift.abs(a - b) <= 1e-9 * Swift.max(Swift.abs(a), Swift.abs(b)) }
        return a == b || (a.isNaN && b.isNaN)
    }
}

/// Stops the run: libFuzzer catches the trap and writes the input to a crash-* file.
func finding(_ message: String) -> Never {
    fatalError("fuzz finding: \(message)")
}
