import Foundation

/// The constructors that keep the normal form: sums collect like terms (`2x + 3x` → `5x`, `a - a` → 0),
/// products collect equal bases (`x^2*x^3` → `x^5`, `a/a` → 1), powers fold numbers and nested powers.
extension Algebraic {
    /// The sum of `terms`, like terms collected, Pythagorean pairs merged.
    static func add(_ terms: [Algebraic]) -> Algebraic {
        var monomials: [Algebraic] = []
        var coefficients: [Algebraic: ExactNumber] = [:]
        func include(_ term: Algebraic) {
            if case .sum(let inner) = term { return inner.forEach(include) }
            let (coefficient, monomial) = term.coefficientAndMonomial
            // A number times a sum spreads over the sum's terms here, among other terms, so that
            // 2*(x + 1) - 2*(x - 1) → 4, while a product on its own keeps it: 4*(x + 1)*(x^2 + 1).
            if !coefficient.isOne, case .sum(let inner) = monomial {
                return inner.forEach { include(multiply([.number(coefficient), $0])) }
            }
            if let existing = coefficients[monomial] {
                coefficients[monomial] = existing + coefficient
            } else {
                coefficients[monomial] = coefficient
                monomials.append(monomial)
            }
        }
        terms.forEach(include)
        let collected = monomials.compactMap { monomial -> (ExactNumber, Algebraic)? in
            let coefficient = coefficients[monomial]!
            return coefficient.isZero ? nil : (coefficient, monomial)
        }
        if let merged = mergingPythagoreanPair(collected) { return add(merged) }
        let built = collected.sorted { sortsBeforeInSum($0, $1) }.map { scaled($0.1, by: $0.0) }
        switch built.count {
        case 0: return .zero
        case 1: return built[0]
        default: return .sum(built)
        }
    }

    /// Numbers (monomial 1) last, otherwise the canonical order of monomials.
    private static func sortsBeforeInSum(_ a: (ExactNumber, Algebraic), _ b: (ExactNumber, Algebraic)) -> Bool {
        let (aIsNumber, bIsNumber) = (a.1 == .one, b.1 == .one)
        if aIsNumber != bIsNumber { return bIsNumber }
        return precedes(a.1, b.1)
    }

    /// `c · monomial`, the monomial free of numbers.
    static func scaled(_ monomial: Algebraic, by coefficient: ExactNumber) -> Algebraic {
        if coefficient.isOne { return monomial }
        if monomial == .one { return .number(coefficient) }
        return .product([.number(coefficient)] + monomial.factors)
    }

    /// The product of `factors`, equal bases collected (`x * x^a` → `x^(a+1)`), `sin/cos` as `tan`.
    static func multiply(_ factors: [Algebraic]) -> Algebraic {
        var coefficient = ExactNumber.one
        var bases: [Algebraic] = []
        var exponents: [Algebraic: [Algebraic]] = [:]
        func include(_ factor: Algebraic) {
            switch factor {
            case .product(let inner): inner.forEach(include)
            case .number(let number): coefficient = coefficient * number
            default:
                let (base, exponent) = factor.baseAndExponent
                if exponents[base] == nil { bases.append(base) }
                exponents[base, default: []].append(exponent)
            }
        }
        factors.forEach(include)
        if coefficient.isZero { return .zero }
        var built: [Algebraic] = []
        var needsAnotherPass = false
        for base in bases {
            let combined = raise(base, add(exponents[base]!))
            switch combined {
            case .number(let number): coefficient = coefficient * number
            case .product: needsAnotherPass = true
            default: break
            }
            if combined.numberValue == nil { built.append(combined) }
        }
        if needsAnotherPass { return multiply([.number(coefficient)] + built) }
        if let merged = mergingQuotientOfTrigonometricPowers(built) {
            return multiply([.number(coefficient)] + merged)
        }
        built.sort(by: precedes)
        if built.isEmpty { return .number(coefficient) }
        if coefficient.isOne, built.count == 1 { return built[0] }
        return .product(coefficient.isOne ? built : [.number(coefficient)] + built)
    }

    static func quotient(_ numerator: Algebraic, _ denominator: Algebraic) -> Algebraic {
        multiply([numerator, raise(denominator, .minusOne)])
    }

    static func negated(_ operand: Algebraic) -> Algebraic { multiply([.minusOne, operand]) }

    /// `base ^ exponent`, numbers folded, `(b^m)^n` → `b^(m·n)` where that holds for every real `b`.
    static func raise(_ base: Algebraic, _ exponent: Algebraic) -> Algebraic {
        if exponent == .zero { return .one }
        if exponent == .one { return base }
        if base == .one { return .one }
        let power = exponent.numberValue
        if let number = base.numberValue {
            if number.isZero, let power, !power.isNegative { return .zero }
            if let folded = fold(number, power) { return .number(folded) }
            return .power(base, exponent)
        }
        switch base {
        case .power(let inner, let innerExponent):
            // (b^m)^n = b^(m·n) for integer n; for other n unless m is even ((x^2)^(1/2) = |x|).
            let innerNumber = innerExponent.numberValue
            if power?.integer != nil
                || (power != nil && innerNumber != nil && innerNumber!.integer.map({ $0 % 2 != 0 }) ?? true)
            {
                return Algebraic.raise(inner, multiply([innerExponent, exponent]))
            }
        case .product(let factors) where power?.integer != nil:
            return multiply(factors.map { Algebraic.raise($0, exponent) })
        case .constant(.e):
            if case .call(.log, let argument) = exponent { return argument }
        default: break
        }
        return .power(base, exponent)
    }

    /// number^power when it is exact or a finite real, else nil.
    private static func fold(_ number: ExactNumber, _ power: ExactNumber?) -> ExactNumber? {
        guard let power else { return nil }
        if let n = power.integer, Swift.abs(n) <= 64 {
            if case .fraction = number, let exact = number.raised(to: n), exact.isFinite { return exact }
        }
        if case .fraction(let p, let q) = power, q == 2, case .fraction(let a, let b) = number, a > 0,
            let rootA = exactSquareRoot(a), let rootB = exactSquareRoot(b),
            let rootN = ExactNumber.ratio(rootA, rootB).raised(to: p)
        {
            return rootN
        }
        if case .real(let value) = number, let n = power.integer {
            let result = Foundation.pow(value, Double(n))
            return result.isFinite ? ExactNumber(result) : nil
        }
        return nil
    }

    private static func exactSquareRoot(_ n: Int) -> Int? {
        guard n >= 0, n < 1 << 50 else { return nil }
        let root = Int(Double(n).squareRoot().rounded())
        return root * root == n ? root : nil
    }
}
