import Foundation

/// Expressions as numbers: `+ - * / ^` and function calls build simplified trees, so symbolic
/// differentiation (which reads the derivative table with `T = Expression`) produces readable results.
///
/// The rules, applied as each node is built: constant folding of arithmetic; `0 + x`, `x - 0`, `0 * x`,
/// `1 * x`, `x / 1`, `x ^ 1`, `x ^ 0`, `1 ^ x`; numbers first in products (`x * 2` → `2 * x`); like terms
/// (`2x + 3x` → `5x`, `x - x` → `0`); equal bases (`x * x` → `x ^ 2`, `x^a * x^b` → `x^(a+b)`); signs
/// pulled out of products and quotients; nested quotients flattened. Function calls on numbers fold only
/// when the result is an integer (`cos(0)` → `1`, while `log(2)` stays `log(2)`); a function of its
/// inverse cancels (`sin(asin(u))` → `u`, `exp(log(u))` → `u`, as SymPy does).
extension Expression: CalculusScalar {
    public init(constant value: Double) {
        self = .number(value)
    }

    public var isKnownZero: Bool { self == .number(0) }

    /// The number this expression is, if it is a literal.
    var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public static func + (left: Expression, right: Expression) -> Expression {
        if let a = left.numberValue, let b = right.numberValue, let sum = finite(a + b) { return sum }
        if left.isKnownZero { return right }
        if right.isKnownZero { return left }
        if case .negate(let negated) = right { return left - negated }
        if let number = right.numberValue, number < 0 { return left - .number(-number) }
        if let combined = combineLikeTerms(left, right, sign: 1) { return combined }
        return .binary(.add, left, right)
    }

    public static func - (left: Expression, right: Expression) -> Expression {
        if let a = left.numberValue, let b = right.numberValue, let difference = finite(a - b) { return difference }
        if right.isKnownZero { return left }
        if left.isKnownZero { return -right }
        if case .negate(let negated) = right { return left + negated }
        if let number = right.numberValue, number < 0 { return left + .number(-number) }
        if let combined = combineLikeTerms(left, right, sign: -1) { return combined }
        return .binary(.subtract, left, right)
    }

    public static func * (left: Expression, right: Expression) -> Expression {
        if let a = left.numberValue, let b = right.numberValue, let product = finite(a * b) { return product }
        if left.isKnownZero || right.isKnownZero { return .number(0) }
        // Two numbers whose product overflows stay a product, evaluated (to ±inf) at run time.
        if left.numberValue != nil, right.numberValue != nil { return .binary(.multiply, left, right) }
        if left == .number(1) { return right }
        if right == .number(1) { return left }
        if left == .number(-1) { return -right }
        if right == .number(-1) { return -left }
        if case .negate(let a) = left { return -(a * right) }
        if case .negate(let b) = right { return -(left * b) }
        if right.numberValue != nil { return right * left }
        // 2 * (3 * x) → 6 * x
        if let a = left.numberValue, case .binary(.multiply, .number(let b), let rest) = right,
            let coefficient = finite(a * b)
        {
            return coefficient * rest
        }
        // Coefficients to the front, nesting to the left as the parser reads products: a * (3 * x) →
        // (3 * a) * x, printed 3*a*x.
        if left.numberValue == nil, case .binary(.multiply, .number(let c), let rest) = right {
            return (.number(c) * left) * rest
        }
        // a * (1 / b) → a / b
        if case .binary(.divide, .number(1), let denominator) = right { return left / denominator }
        if case .binary(.divide, .number(1), let denominator) = left { return right / denominator }
        let (leftBase, leftExponent) = left.asPower
        let (rightBase, rightExponent) = right.asPower
        if leftBase.numberValue == nil, isSameSmallTree(leftBase, rightBase) {
            return Expression.evaluate(.power, leftBase, leftExponent + rightExponent)
        }
        return .binary(.multiply, left, right)
    }

    public static func / (left: Expression, right: Expression) -> Expression {
        if let a = left.numberValue, let b = right.numberValue, b != 0, let quotient = finite(a / b) { return quotient }
        if right == .number(1) { return left }
        if left.isKnownZero, !right.isKnownZero { return .number(0) }
        if left.numberValue == nil, isSameSmallTree(left, right) { return .number(1) }
        if case .negate(let a) = left { return -(a / right) }
        if case .negate(let b) = right { return -(left / b) }
        // (a / b) / c → a / (b·c), one level only: a raw parse tree of a long chain (x/x/…/x) would
        // otherwise be rewritten whole at every level, quadratic in its length. Trees the simplifier
        // built never have a quotient as a numerator, so for them this is the full flattening.
        if case .binary(.divide, let a, let b) = left, !a.isQuotient { return a / (b * right) }
        if case .binary(.divide, let a, let b) = right { return (left * b) / a }
        return .binary(.divide, left, right)
    }

    public static prefix func - (operand: Expression) -> Expression {
        switch operand {
        case .number(let value): .number(-value)
        case .negate(let inner): inner
        case .binary(.subtract, let a, let b): b - a
        case .binary(.multiply, .number(let c), let rest): .number(-c) * rest
        default: .negate(operand)
        }
    }

    public static func evaluate(_ function: UnaryFunction, _ operand: Expression) -> Expression {
        // A function of its inverse cancels, as in SymPy: these hold for every complex argument.
        if case .unary(let inner, let argument) = operand, inverses[function] == inner { return argument }
        if let value = operand.numberValue {
            let result = Double.evaluate(function, value)
            if result.isFinite, result == result.rounded() { return .number(result) }
        }
        return .unary(function, operand)
    }

    public static func evaluate(_ operation: BinaryOperation, _ left: Expression, _ right: Expression) -> Expression {
        switch operation {
        case .add: return left + right
        case .subtract: return left - right
        case .multiply: return left * right
        case .divide: return left / right
        case .power: return power(left, right)
        case .logBase, .nthRoot, .min, .max, .atan2, .mod, .hypot:
            if let a = left.numberValue, let b = right.numberValue {
                let result = Double.evaluate(operation, a, b)
                if result.isFinite, result == result.rounded() { return .number(result) }
            }
            return .binary(operation, left, right)
        }
    }

    private static let inverses: [UnaryFunction: UnaryFunction] = [
        .sin: .asin, .cos: .acos, .tan: .atan, .sinh: .asinh, .cosh: .acosh, .tanh: .atanh, .exp: .log, .log: .exp,
    ]

    /// The same expression with every function-of-its-inverse cancelled and nothing else changed, so it
    /// evaluates with the same rounding as written. Every mode differentiates this form of the input:
    /// `sin(asin(2^0.5))` is `2^0.5`, as in SymPy, rather than NaN.
    public var cancellingInverses: Expression {
        switch self {
        case .number, .constant, .variable: return self
        case .negate(let operand): return .negate(operand.cancellingInverses)
        case .unary(let function, let operand):
            let inner = operand.cancellingInverses
            if case .unary(let innerFunction, let argument) = inner, Self.inverses[function] == innerFunction {
                return argument
            }
            return .unary(function, inner)
        case .binary(let operation, let left, let right):
            return .binary(operation, left.cancellingInverses, right.cancellingInverses)
        }
    }

    /// The same expression rebuilt through the simplifying constructors.
    public var simplified: Expression {
        switch self {
        case .number, .constant, .variable: self
        case .negate(let operand): -operand.simplified
        case .unary(let function, let operand): Expression.evaluate(function, operand.simplified)
        case .binary(let operation, let left, let right):
            Expression.evaluate(operation, left.simplified, right.simplified)
        }
    }

    private static func power(_ base: Expression, _ exponent: Expression) -> Expression {
        if let a = base.numberValue, let b = exponent.numberValue {
            let result = Foundation.pow(a, b)
            if result.isFinite { return .number(result) }
        }
        if exponent == .number(1) { return base }
        if exponent.isKnownZero { return .number(1) }
        if base == .number(1) { return .number(1) }
        // (x^a)^b → x^(a·b) only for integer a and b, where it holds for every real x.
        if case .binary(.power, let innerBase, .number(let a)) = base, let b = exponent.numberValue,
            a == a.rounded(), b == b.rounded(), (a * b).isFinite
        {
            return power(innerBase, .number(a * b))
        }
        return .binary(.power, base, exponent)
    }

    /// `value` as a literal when it is finite. Folding never makes ±inf or NaN: no literal could print
    /// them (the printed text must read back as the same expression), so such arithmetic stays in the
    /// tree and yields the non-finite value when evaluated, as the input would have.
    private static func finite(_ value: Double) -> Expression? {
        value.isFinite ? .number(value) : nil
    }

    /// Structural equality, tried only on small trees: comparing two large shared subtrees would walk
    /// them whole, and simplification only needs to see like terms people write.
    private static func isSameSmallTree(_ a: Expression, _ b: Expression) -> Bool {
        a.size(upTo: 64) <= 64 && a == b
    }

    private var isQuotient: Bool {
        if case .binary(.divide, _, _) = self { return true }
        return false
    }

    /// `x` as `x ^ 1`, `x ^ n` as itself: the base and exponent of a product factor.
    private var asPower: (base: Expression, exponent: Expression) {
        if case .binary(.power, let base, let exponent) = self { return (base, exponent) }
        return (self, .number(1))
    }

    /// `c·t` as `(c, t)`; anything else as `(1, itself)`.
    private var asTerm: (coefficient: Double, term: Expression) {
        switch self {
        case .number(let value): return (value, .number(1))
        case .binary(.multiply, .number(let c), let term): return (c, term)
        case .negate(let inner):
            let (c, term) = inner.asTerm
            return (-c, term)
        default: return (1, self)
        }
    }

    /// `a·t ± b·t` → `(a ± b)·t`, or nil when the terms differ (or are plain numbers).
    private static func combineLikeTerms(_ left: Expression, _ right: Expression, sign: Double) -> Expression? {
        let (a, leftTerm) = left.asTerm
        let (b, rightTerm) = right.asTerm
        guard leftTerm != .number(1), isSameSmallTree(leftTerm, rightTerm), let coefficient = finite(a + sign * b)
        else { return nil }
        return coefficient * leftTerm
    }
}
