/// An expression in the simplifier's normal form: sums and products flattened, their operands in one
/// canonical order, like terms and equal bases collected, numbers exact where they can be.
///
/// Build values only through `sum`, `product`, `power` and `call` (in `Algebraic+Arithmetic.swift` and
/// `Algebraic+Functions.swift`), which keep the form: a sum has at least two terms with distinct
/// monomials (its number last); a product has at least two factors with distinct bases (its number
/// first); quotients are powers with negative exponents; `sqrt(u)` is `u^(1/2)` and `exp(u)` is `e^u`.
indirect enum Algebraic: Hashable, Sendable {
    case number(ExactNumber)
    case constant(MathConstant)
    case symbol(String)
    case sum([Algebraic])
    case product([Algebraic])
    case power(Algebraic, Algebraic)
    case call(UnaryFunction, Algebraic)
    /// A two-argument function (`log(x, b)`, `nthRoot`, `min`, `max`, `atan2`), kept as written.
    case pair(BinaryOperation, Algebraic, Algebraic)

    static let one = Algebraic.number(.one)
    static let zero = Algebraic.number(.zero)
    static let minusOne = Algebraic.number(.minusOne)

    var numberValue: ExactNumber? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// `c·m` as `(c, m)` with `m` free of a numeric factor (`1` for a number).
    var coefficientAndMonomial: (coefficient: ExactNumber, monomial: Algebraic) {
        switch self {
        case .number(let number): return (number, .one)
        case .product(let factors):
            guard let coefficient = factors.first?.numberValue else { return (.one, self) }
            let rest = Array(factors.dropFirst())
            return (coefficient, rest.count == 1 ? rest[0] : .product(rest))
        default: return (.one, self)
        }
    }

    /// `b^e` as `(b, e)`, anything else as `(itself, 1)`.
    var baseAndExponent: (base: Algebraic, exponent: Algebraic) {
        if case .power(let base, let exponent) = self { return (base, exponent) }
        return (self, .one)
    }

    /// The factors of a product, or itself as the only factor.
    var factors: [Algebraic] {
        if case .product(let factors) = self { return factors }
        return [self]
    }

    /// The terms of a sum, or itself as the only term.
    var terms: [Algebraic] {
        if case .sum(let terms) = self { return terms }
        return [self]
    }

    var isSum: Bool {
        if case .sum = self { return true }
        return false
    }

    /// Nodes in the tree, stopping soon after `limit`.
    func size(upTo limit: Int) -> Int {
        var remaining = limit + 1
        func visit(_ node: Algebraic) {
            guard remaining > 0 else { return }
            remaining -= 1
            switch node {
            case .number, .constant, .symbol: break
            case .sum(let operands), .product(let operands): operands.forEach(visit)
            case .power(let a, let b), .pair(_, let a, let b):
                visit(a)
                visit(b)
            case .call(_, let operand): visit(operand)
            }
        }
        visit(self)
        return limit + 1 - remaining
    }
}

extension Algebraic {
    /// Hashes the first 32 nodes in preorder only: sums and products are keyed by deep subtrees (a chain
    /// rule's nested calls), and hashing them whole at every level made normalising quadratic in
    /// depth. Equality still compares whole trees.
    func hash(into hasher: inout Hasher) {
        var budget = 32
        hash(into: &hasher, budget: &budget)
    }

    private func hash(into hasher: inout Hasher, budget: inout Int) {
        guard budget > 0 else { return }
        budget -= 1
        hasher.combine(rank)
        switch self {
        case .number(let number): hasher.combine(number)
        case .constant(let constant): hasher.combine(constant)
        case .symbol(let name): hasher.combine(name)
        case .sum(let operands), .product(let operands):
            hasher.combine(operands.count)
            for operand in operands { operand.hash(into: &hasher, budget: &budget) }
        case .power(let a, let b):
            a.hash(into: &hasher, budget: &budget)
            b.hash(into: &hasher, budget: &budget)
        case .call(let function, let operand):
            hasher.combine(function)
            operand.hash(into: &hasher, budget: &budget)
        case .pair(let operation, let a, let b):
            hasher.combine(operation)
            a.hash(into: &hasher, budget: &budget)
            b.hash(into: &hasher, budget: &budget)
        }
    }
}

extension Algebraic {
    /// The canonical order of operands: a total order, so equal sums and products have equal operand
    /// lists however they were written (`sin(x)*cos(x)` and `cos(x)*sin(x)`).
    static func precedes(_ a: Algebraic, _ b: Algebraic) -> Bool { compare(a, b) < 0 }

    static func compare(_ a: Algebraic, _ b: Algebraic) -> Int {
        if a.rank != b.rank { return a.rank < b.rank ? -1 : 1 }
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.constant(let x), .constant(let y)): return compare(x.rawValue, y.rawValue)
        case (.symbol(let x), .symbol(let y)): return compare(x, y)
        case (.sum(let x), .sum(let y)), (.product(let x), .product(let y)): return compare(x, y)
        case (.power(let x, let e), .power(let y, let f)):
            let bases = compare(x, y)
            return bases != 0 ? bases : compare(e, f)
        case (.call(let f, let x), .call(let g, let y)):
            return f == g ? compare(x, y) : compare(f.name, g.name)
        case (.pair(let o, let x1, let x2), .pair(let p, let y1, let y2)):
            if o != p { return compare(o.rawValue, p.rawValue) }
            let first = compare(x1, y1)
            return first != 0 ? first : compare(x2, y2)
        default: return 0
        }
    }

    private static func compare(_ x: [Algebraic], _ y: [Algebraic]) -> Int {
        for (p, q) in zip(x, y) {
            let order = compare(p, q)
            if order != 0 { return order }
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }

    private static func compare(_ x: String, _ y: String) -> Int { x == y ? 0 : (x < y ? -1 : 1) }

    private var rank: Int {
        switch self {
        case .number: 0
        case .constant: 1
        case .symbol: 2
        case .power: 3
        case .call: 4
        case .pair: 5
        case .product: 6
        case .sum: 7
        }
    }
}
