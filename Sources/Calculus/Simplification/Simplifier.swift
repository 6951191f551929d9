/// Simplification for printing: derivatives as a textbook (or SymPy) writes them.
///
/// `simplify` puts the expression in a normal form (constants folded, like terms and equal bases
/// collected, exact cancellation, Pythagorean identities, inverse pairs), then tries the rewrites that
/// may or may not help — expanding, pulling out common factors, one denominator — and keeps the form
/// with the fewest operations (`operationCount(of:)`). It only changes how a derivative is printed:
/// values keep coming from the compiled, unsimplified derivative.
public enum Simplifier {
    /// Past this many nodes only the normal form is built (the rewrites are tried on smaller trees).
    public static let maxRewrittenNodes = 400
    /// Past this many nodes an expression is left as it is: normalising a 20,000-node chain rule takes
    /// seconds in a debug build, and nobody reads such a derivative for its form.
    public static let maxSimplifiedNodes = 5_000

    /// `expression` simplified, ready for `ExpressionPrinter` (as it is past `maxSimplifiedNodes`).
    public static func simplify(_ expression: Expression) -> Expression {
        guard expression.size(upTo: maxSimplifiedNodes) <= maxSimplifiedNodes else { return expression }
        let preferringExp = expression.callsExp
        let normal = Algebraic(expression)
        guard !normal.hasNonFiniteNumber else { return expression }
        var candidates = [normal]
        if normal.size(upTo: maxRewrittenNodes) <= maxRewrittenNodes {
            let expanded = normal.expanded
            for start in [normal, expanded] {
                candidates += Algebraic.SumPolicy.allCases.map { start.rewritingSums($0) }
            }
            var seen = Set<Algebraic>()
            candidates = candidates.filter { seen.insert($0).inserted }
            candidates += candidates.map(\.withDoubleAngles)
        }
        let printed = candidates.filter { !$0.hasNonFiniteNumber }.map { $0.printed(preferringExp: preferringExp) }
        // Fewest operations, then fewest divisions: (log(x) + 2)/(2*sqrt(x)) over (log(x)/2 + 1)/sqrt(x).
        let scored = printed.map { (operationCount(of: $0), divisionCount(of: $0), $0) }
        return scored.min { ($0.0, $0.1) < ($1.0, $1.1) }?.2 ?? expression
    }

    private static func divisionCount(of expression: Expression) -> Int {
        switch expression {
        case .number, .constant, .variable: 0
        case .negate(let operand), .unary(_, let operand): divisionCount(of: operand)
        case .binary(let operation, let left, let right):
            (operation == .divide ? 1 : 0) + divisionCount(of: left) + divisionCount(of: right)
        }
    }

    /// `simplify(expression)` when it agrees with `expression` at a few sample points (relative 1e-9
    /// wherever `expression` is finite), else `expression` as it is: a safety net, so that a printed
    /// derivative is never wrong even if a rewrite were.
    public static func simplifyForPrinting(_ expression: Expression) -> Expression {
        let simplified = simplify(expression)
        let names = expression.freeVariables
        for sample in [0.7318, 1.3791, 2.2963, -0.4127] {
            var values: [String: Double] = [:]
            for (index, name) in names.enumerated() { values[name] = sample + 0.1173 * Double(index) }
            guard let expected = try? expression.evaluate(values), expected.isFinite else { continue }
            guard let got = try? simplified.evaluate(values),
                Swift.abs(got - expected) <= 1e-9 * Swift.max(Swift.abs(expected), 1e-3)
            else { return expression }
        }
        return simplified
    }

    /// The operators in an expression as printed and read back: each `+ - * / ^`, each unary minus
    /// (a negative literal counts as one) and each function call. Numbers, names and constants count
    /// nothing. The simplification corpus measures both Nabla's and SymPy's printed derivatives so.
    public static func operationCount(of expression: Expression) -> Int {
        switch expression {
        case .number(let value): value < 0 ? 1 : 0
        case .constant, .variable: 0
        case .negate(let operand), .unary(_, let operand): 1 + operationCount(of: operand)
        case .binary(_, let left, let right): 1 + operationCount(of: left) + operationCount(of: right)
        }
    }
}

extension Expression {
    /// Whether it calls `exp` (then powers of e print as `exp(u)`, else as `e^u`).
    var callsExp: Bool {
        switch self {
        case .number, .constant, .variable: false
        case .unary(.exp, _): true
        case .negate(let operand), .unary(_, let operand): operand.callsExp
        case .binary(_, let left, let right): left.callsExp || right.callsExp
        }
    }
}
