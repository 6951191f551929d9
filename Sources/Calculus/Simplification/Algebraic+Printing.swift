/// The normal form as an `Expression` written the way textbooks write it: positive terms first, then
/// by degree, numbers last (`1 - x^2`, `x^2 + 1`); a product as coefficient, powers of names, calls,
/// then sums, over its negative powers (`-x/sqrt(1 - x^2)`, `2*x/(x^2 + 1)^2`); `u^(1/2)` as `sqrt(u)`.
extension Algebraic {
    /// `e^u` prints as `exp(u)` when `preferringExp`, else as `e^u`.
    func printed(preferringExp: Bool) -> Expression {
        switch self {
        case .number(let number): return Algebraic.printed(number)
        case .constant(let constant): return .constant(constant)
        case .symbol(let name): return .variable(name)
        case .sum(let terms): return Algebraic.printedSum(terms, preferringExp: preferringExp)
        case .product, .power: return Algebraic.printedProduct(self, preferringExp: preferringExp)
        case .call(let function, let operand): return .unary(function, operand.printed(preferringExp: preferringExp))
        case .pair(let operation, let a, let b):
            return .binary(operation, a.printed(preferringExp: preferringExp), b.printed(preferringExp: preferringExp))
        }
    }

    private static func printed(_ number: ExactNumber) -> Expression {
        let magnitude: Expression
        switch number.magnitude {
        case .fraction(let p, 1): magnitude = .number(Double(p))
        case .fraction(let p, let q): magnitude = .binary(.divide, .number(Double(p)), .number(Double(q)))
        case .real(let value): magnitude = .number(value)
        }
        return number.isNegative ? .negate(magnitude) : magnitude
    }

    private static func printedSum(_ terms: [Algebraic], preferringExp: Bool) -> Expression {
        var ordered = terms.sorted { a, b in
            let (x, y) = (a.printingDegree, b.printingDegree)
            if (a.numberValue == nil) != (b.numberValue == nil) { return b.numberValue != nil }
            return x != y ? x > y : precedes(a, b)
        }
        if let firstPositive = ordered.firstIndex(where: { !$0.coefficientAndMonomial.coefficient.isNegative }) {
            ordered.insert(ordered.remove(at: firstPositive), at: 0)
        }
        var result: Expression?
        for term in ordered {
            let (coefficient, monomial) = term.coefficientAndMonomial
            let magnitude = printedProduct(scaled(monomial, by: coefficient.magnitude), preferringExp: preferringExp)
            if let sum = result {
                result = .binary(coefficient.isNegative ? .subtract : .add, sum, magnitude)
            } else {
                result = coefficient.isNegative ? .negate(magnitude) : magnitude
            }
        }
        return result ?? .number(0)
    }

    /// The total power of names in a term, for ordering sums (`x^2` before `x` before `1`).
    private var printingDegree: Double {
        factors.reduce(0) { degree, factor in
            let (base, exponent) = factor.baseAndExponent
            guard case .symbol = base, let power = exponent.numberValue else { return degree }
            return degree + power.value
        }
    }

    private static func printedProduct(_ product: Algebraic, preferringExp: Bool) -> Expression {
        switch product {
        case .product, .power: break
        default: return product.printed(preferringExp: preferringExp)
        }
        let (coefficient, monomial) = product.coefficientAndMonomial
        var numerator: [Expression] = []
        var denominator: [Expression] = []
        switch coefficient.magnitude {
        case .fraction(let p, let q):
            if p != 1 { numerator.append(.number(Double(p))) }
            if q != 1 { denominator.append(.number(Double(q))) }
        case .real(let value): numerator.append(.number(value))
        }
        let ordered = monomial.factors.filter { $0 != .one }.sorted { a, b in
            let (x, y) = (a.printingRank, b.printingRank)
            return x != y ? x < y : precedes(a, b)
        }
        for factor in ordered {
            let (base, exponent) = factor.baseAndExponent
            if let power = exponent.numberValue, power.isNegative {
                denominator.append(printedPower(base, .number(power.magnitude), preferringExp: preferringExp))
            } else {
                numerator.append(printedPower(base, exponent, preferringExp: preferringExp))
            }
        }
        if numerator.isEmpty { numerator.append(.number(1)) }
        // The sign goes on the first factor, as SymPy prints it: -3/x^4, -x*exp(x).
        if coefficient.isNegative { numerator[0] = .negate(numerator[0]) }
        let top = numerator.dropFirst().reduce(numerator[0]) { .binary(.multiply, $0, $1) }
        guard let first = denominator.first else { return top }
        return .binary(.divide, top, denominator.dropFirst().reduce(first) { .binary(.multiply, $0, $1) })
    }

    private static func printedPower(_ base: Algebraic, _ exponent: Algebraic, preferringExp: Bool) -> Expression {
        if exponent == .one { return base.printed(preferringExp: preferringExp) }
        if exponent == .number(.ratio(1, 2)) { return .unary(.sqrt, base.printed(preferringExp: preferringExp)) }
        if base == .constant(.e), preferringExp { return .unary(.exp, exponent.printed(preferringExp: preferringExp)) }
        return .binary(
            .power, base.printed(preferringExp: preferringExp), exponent.printed(preferringExp: preferringExp))
    }

    /// Names and their powers first, then calls, powers of e, and sums last (`3*x^2*cos(x)*(x + 1)`).
    private var printingRank: Int {
        switch baseAndExponent.base {
        case .number, .constant(.pi): 0
        case .symbol: 1
        case .call, .pair: 2
        case .constant: 3
        case .power, .product: 4
        case .sum: 5
        }
    }
}
