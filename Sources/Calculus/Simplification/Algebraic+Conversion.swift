/// Expressions into the normal form; two-argument functions and the rest kept as calls.
extension Algebraic {
    init(_ expression: Expression) {
        switch expression {
        case .number(let value): self = .number(ExactNumber(value))
        case .constant(let constant): self = .constant(constant)
        case .variable(let name): self = .symbol(name)
        case .negate(let operand): self = Algebraic.negated(Algebraic(operand))
        case .unary(let function, let operand): self = Algebraic.apply(function, Algebraic(operand))
        case .binary(let operation, let left, let right):
            switch operation {
            // A chain of n sums (or products) is collected once, not n times.
            case .add, .subtract: self = Algebraic.add(Algebraic.terms(of: expression))
            case .multiply, .divide: self = Algebraic.multiply(Algebraic.factors(of: expression))
            case .power: self = Algebraic.raise(Algebraic(left), Algebraic(right))
            default: self = Algebraic.applyPair(operation, Algebraic(left), Algebraic(right))
            }
        }
    }

    /// The terms of a chain of `+` and `-`, each converted, subtracted ones negated.
    private static func terms(of expression: Expression) -> [Algebraic] {
        var terms: [Algebraic] = []
        var pending: [(Expression, Bool)] = [(expression, false)]
        while let (next, negative) = pending.popLast() {
            switch next {
            case .binary(.add, let left, let right): pending += [(right, negative), (left, negative)]
            case .binary(.subtract, let left, let right): pending += [(right, !negative), (left, negative)]
            default:
                let term = Algebraic(next)
                terms.append(negative ? negated(term) : term)
            }
        }
        return terms
    }

    /// The factors of a chain of `*` and `/`, each converted, divisors as powers −1.
    private static func factors(of expression: Expression) -> [Algebraic] {
        var factors: [Algebraic] = []
        var pending: [(Expression, Bool)] = [(expression, false)]
        while let (next, inverted) = pending.popLast() {
            switch next {
            case .binary(.multiply, let left, let right): pending += [(right, inverted), (left, inverted)]
            case .binary(.divide, let left, let right): pending += [(right, !inverted), (left, inverted)]
            default:
                let factor = Algebraic(next)
                factors.append(inverted ? raise(factor, .minusOne) : factor)
            }
        }
        return factors
    }

    /// Whether any literal in it is infinite or NaN (then it is not printed).
    var hasNonFiniteNumber: Bool {
        switch self {
        case .number(let number): !number.isFinite
        case .constant, .symbol: false
        case .sum(let operands), .product(let operands): operands.contains { $0.hasNonFiniteNumber }
        case .power(let a, let b), .pair(_, let a, let b): a.hasNonFiniteNumber || b.hasNonFiniteNumber
        case .call(_, let operand): operand.hasNonFiniteNumber
        }
    }
}
