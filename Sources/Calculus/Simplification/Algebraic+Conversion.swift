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
            let (a, b) = (Algebraic(left), Algebraic(right))
            switch operation {
            case .add: self = Algebraic.add([a, b])
            case .subtract: self = Algebraic.add([a, Algebraic.negated(b)])
            case .multiply: self = Algebraic.multiply([a, b])
            case .divide: self = Algebraic.quotient(a, b)
            case .power: self = Algebraic.raise(a, b)
            default: self = Algebraic.applyPair(operation, a, b)
            }
        }
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
