/// The rewrites that may shorten a normal form or not, tried and kept when shorter: expanding
/// products of sums, pulling common factors out of sums, and putting sums over one denominator.
extension Algebraic {
    /// The most terms an expansion may make before it is abandoned.
    static let maxExpandedTerms = 64

    /// Products of sums multiplied out and small integer powers of sums expanded, everywhere.
    var expanded: Algebraic {
        switch self {
        case .number, .constant, .symbol: return self
        case .sum(let terms): return Algebraic.add(terms.map(\.expanded))
        case .product(let factors): return Algebraic.distribute(factors.map(\.expanded)) ?? self
        case .power(let base, let exponent):
            let (newBase, newExponent) = (base.expanded, exponent.expanded)
            if newBase.isSum, let n = newExponent.numberValue?.integer, n >= 2, n <= 4,
                let multiplied = Algebraic.distribute(Array(repeating: newBase, count: n))
            {
                return multiplied
            }
            return Algebraic.raise(newBase, newExponent)
        case .call(let function, let operand): return Algebraic.apply(function, operand.expanded)
        case .pair(let operation, let a, let b): return Algebraic.applyPair(operation, a.expanded, b.expanded)
        }
    }

    /// The product of `factors` with every sum among them multiplied out; nil past `maxExpandedTerms`.
    private static func distribute(_ factors: [Algebraic]) -> Algebraic? {
        var terms: [Algebraic] = [.one]
        for factor in factors {
            let next = factor.terms
            guard terms.count * next.count <= maxExpandedTerms else { return nil }
            terms = terms.flatMap { term in next.map { multiply([term, $0]) } }
        }
        return add(terms)
    }

    /// A sum with the factors all its terms share pulled out (`x^3·a + x^2·b` → `x^2·(x·a + b)`,
    /// `x^x + x^x·log(x)` → `x^x·(1 + log(x))`); nil when they share none.
    var withCommonFactorPulledOut: Algebraic? { pullingOutCommonFactor(nearestZero: false) }

    /// The same, where a name's powers are all negative or all positive pulling out the one nearest
    /// zero (`cos(x)/x - sin(x)/x^2` → `(cos(x) - sin(x)/x)/x`), and none when their signs differ.
    func pullingOutCommonFactor(nearestZero: Bool) -> Algebraic? {
        guard case .sum(let terms) = self else { return nil }
        let split = terms.map { term -> (ExactNumber, [Algebraic: Algebraic]) in
            let (coefficient, monomial) = term.coefficientAndMonomial
            var powers: [Algebraic: Algebraic] = [:]
            for factor in monomial.factors where factor != .one {
                powers[factor.baseAndExponent.base] = factor.baseAndExponent.exponent
            }
            return (coefficient, powers)
        }
        var common: [Algebraic] = []
        for (base, exponent) in split[0].1 {
            let exponents = split.map { $0.1[base] }
            guard exponents.allSatisfy({ $0 != nil }) else { continue }
            if exponents.allSatisfy({ $0 == exponent }) {
                common.append(Algebraic.raise(base, exponent))
            } else {
                // Exponents that differ by numbers: x^3 and x^2, or x^x and x^(x - 1).
                let parts = exponents.map { $0!.splittingConstant }
                guard parts.allSatisfy({ $0.rest == parts[0].rest }) else { continue }
                let numbers = parts.map(\.constant)
                var chosen = numbers.min(by: <)!
                if nearestZero, parts[0].rest == .zero {
                    if chosen.isNegative, numbers.allSatisfy(\.isNegative) {
                        chosen = numbers.max(by: <)!
                    } else if chosen.isNegative {
                        continue
                    }
                }
                common.append(Algebraic.raise(base, Algebraic.add([parts[0].rest, .number(chosen)])))
            }
        }
        if split.allSatisfy({ $0.0.isNegative }) { common.append(.minusOne) }
        let coefficients = split.map(\.0)
        if let divisor = Algebraic.commonDivisor(coefficients), divisor != .one { common.append(.number(divisor)) }
        guard !common.isEmpty else { return nil }
        let shared = Algebraic.multiply(common)
        let rest = Algebraic.add(terms.map { Algebraic.quotient($0, shared) })
        return Algebraic.multiply([shared, rest])
    }

    /// `u + c` as `(u, c)` for a number c, a number as `(0, c)`, anything else as `(itself, 0)`.
    private var splittingConstant: (rest: Algebraic, constant: ExactNumber) {
        switch self {
        case .number(let number): return (.zero, number)
        case .sum(let terms):
            guard let constant = terms.last?.numberValue else { return (self, .zero) }
            return (Algebraic.add(Array(terms.dropLast())), constant)
        default: return (self, .zero)
        }
    }

    /// The greatest common divisor of integer coefficients (beyond 1), else nil.
    private static func commonDivisor(_ numbers: [ExactNumber]) -> ExactNumber? {
        let integers = numbers.compactMap(\.integer)
        guard integers.count == numbers.count else { return nil }
        let divisor = integers.reduce(0, ExactNumber.greatestCommonDivisor)
        return divisor > 1 ? ExactNumber(Double(divisor)) : nil
    }

    /// A sum over one denominator (`1/x + 1` → `(1 + x)/x`), its numerator expanded or factored,
    /// whichever prints shorter; nil when no term has a denominator.
    var overOneDenominator: Algebraic? {
        guard case .sum(let terms) = self else { return nil }
        var denominators: [Algebraic: ExactNumber] = [:]
        var order: [Algebraic] = []
        var scale = 1
        for term in terms {
            let (coefficient, monomial) = term.coefficientAndMonomial
            if case .fraction(_, let q) = coefficient, q > 1 {
                let (product, overflow) = scale.multipliedReportingOverflow(
                    by: q / ExactNumber.greatestCommonDivisor(scale, q))
                if !overflow { scale = product }
            }
            for factor in monomial.factors {
                let (base, exponent) = factor.baseAndExponent
                guard let power = exponent.numberValue, power.isNegative else { continue }
                if let existing = denominators[base] {
                    if existing < power.magnitude { denominators[base] = power.magnitude }
                } else {
                    denominators[base] = power.magnitude
                    order.append(base)
                }
            }
        }
        guard !order.isEmpty || scale > 1 else { return nil }
        let denominator = Algebraic.multiply(
            order.map { Algebraic.raise($0, .number(denominators[$0]!)) } + [.number(ExactNumber(Double(scale)))])
        let numerator = Algebraic.add(terms.map { Algebraic.multiply([$0, denominator]) })
        let candidates = [numerator, numerator.expanded].flatMap { [$0, $0.withCommonFactorPulledOut ?? $0] }
        // Also as −(−numerator)/denominator, which cancels a numerator that is minus a denominator's
        // base: (−sin(x) − 1)/(sin(x) + 1)^2 → −1/(sin(x) + 1).
        let quotients = candidates.flatMap { numerator in
            [
                Algebraic.quotient(numerator, denominator),
                Algebraic.multiply([.minusOne, Algebraic.negated(numerator), Algebraic.raise(denominator, .minusOne)]),
            ]
        }
        return quotients.min { $0.operationCount < $1.operationCount }!
    }
}

extension Algebraic {
    /// A product whose denominator has several sums, with those sums multiplied out into one
    /// (`-2/((x - 1)*(x + 1))` → `-2/(x^2 - 1)`); nil when it has fewer than two.
    var withDenominatorsMultipliedOut: Algebraic? {
        guard case .product(let factors) = self else { return nil }
        var sums: [Algebraic] = []
        var rest: [Algebraic] = []
        for factor in factors {
            if case .power(let base, .number(.minusOne)) = factor, base.isSum {
                sums.append(base)
            } else {
                rest.append(factor)
            }
        }
        guard sums.count >= 2 else { return nil }
        let multiplied = Algebraic.multiply(sums).expanded
        return Algebraic.multiply(rest + [Algebraic.raise(multiplied, .minusOne)])
    }
}

extension Algebraic {
    /// A product with a power of a sum that holds `e^(-u)`, that sum multiplied through by `e^u`
    /// (`e^(-x)/(e^(-x) + 1)^2` → `e^x/(e^x + 1)^2`); nil when it has none.
    var withNegativeExponentialsCleared: Algebraic? {
        guard case .product(let factors) = self else { return nil }
        for (index, factor) in factors.enumerated() {
            guard case .power(.sum(let terms), let exponent) = factor, let n = exponent.numberValue?.integer, n < 0,
                let u = terms.lazy.compactMap(\.negativeExponentOfE).first
            else { continue }
            // S^n = (S·e^u)^n · e^(-n·u)
            let cleared = Algebraic.multiply([.sum(terms), Algebraic.raise(.constant(.e), u)]).expanded
            var rest = factors
            rest.remove(at: index)
            let scale = Algebraic.raise(.constant(.e), Algebraic.multiply([.number(ExactNumber(Double(-n))), u]))
            return Algebraic.multiply(rest + [Algebraic.raise(cleared, exponent), scale])
        }
        return nil
    }

    /// `u` when this term is `c·e^(-u)` with a negative coefficient in the exponent.
    private var negativeExponentOfE: Algebraic? {
        for factor in coefficientAndMonomial.monomial.factors {
            guard case .power(.constant(.e), let exponent) = factor,
                exponent.coefficientAndMonomial.coefficient.isNegative
            else { continue }
            return Algebraic.negated(exponent)
        }
        return nil
    }
}
