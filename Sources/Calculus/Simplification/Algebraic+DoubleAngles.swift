/// The double-angle identities, tried as a rewrite of the whole (kept only when it prints shorter):
/// 2·sin(u)·cos(u) → sin(2u), cos(u)² − sin(u)² → cos(2u), 2·sinh(u)·cosh(u) → sinh(2u),
/// cosh(u)² + sinh(u)² → cosh(2u).
extension Algebraic {
    var withDoubleAngles: Algebraic {
        switch self {
        case .number, .constant, .symbol: return self
        case .sum(let terms):
            let rebuilt = Algebraic.add(terms.map(\.withDoubleAngles))
            guard case .sum(let collected) = rebuilt else { return rebuilt }
            return Algebraic.mergingDifferenceOfSquares(collected) ?? rebuilt
        case .product(let factors):
            let rebuilt = Algebraic.multiply(factors.map(\.withDoubleAngles))
            return rebuilt.mergingProductOfSineAndCosine ?? rebuilt
        case .power(let base, let exponent):
            return Algebraic.raise(base.withDoubleAngles, exponent.withDoubleAngles)
        case .call(let function, let operand): return Algebraic.apply(function, operand.withDoubleAngles)
        case .pair(let operation, let a, let b):
            return Algebraic.applyPair(operation, a.withDoubleAngles, b.withDoubleAngles)
        }
    }

    /// c·sin(u)^n·cos(u)^n·R → (c/2^n)·sin(2u)^n·R (and sinh, cosh); nil when there is no such pair.
    private var mergingProductOfSineAndCosine: Algebraic? {
        let factors = self.factors
        for (sine, cosine) in [(UnaryFunction.sin, UnaryFunction.cos), (.sinh, .cosh)] {
            for (i, factor) in factors.enumerated() {
                let (base, exponent) = factor.baseAndExponent
                guard case .call(sine, let argument) = base, let n = exponent.numberValue?.integer, n >= 1,
                    let j = factors.firstIndex(where: { $0.baseAndExponent == (.call(cosine, argument), exponent) }),
                    let halved = ExactNumber.one / ExactNumber(Double(1 << min(n, 30)))
                else { continue }
                let rest = factors.enumerated().filter { $0.offset != i && $0.offset != j }.map(\.element)
                let doubled = Algebraic.apply(sine, Algebraic.multiply([.number(ExactNumber(2.0)), argument]))
                return Algebraic.multiply(rest + [.number(halved), Algebraic.raise(doubled, exponent)])
            }
        }
        return nil
    }

    /// c·R·cos(u)² − c·R·sin(u)² → c·R·cos(2u), c·R·cosh(u)² + c·R·sinh(u)² → c·R·cosh(2u).
    private static func mergingDifferenceOfSquares(_ terms: [Algebraic]) -> Algebraic? {
        let split = terms.map(\.coefficientAndMonomial)
        var index: [Algebraic: Int] = [:]
        for (position, term) in split.enumerated() { index[term.monomial] = position }
        let two = Algebraic.number(ExactNumber(2.0))
        for (i, (coefficient, monomial)) in split.enumerated() {
            for factor in monomial.factors {
                guard case .power(.call(let function, let argument), let exponent) = factor,
                    function == .cos || function == .cosh, let n = exponent.numberValue?.integer, n >= 2
                else { continue }
                let rest = multiply([monomial, raise(.call(function, argument), .number(ExactNumber(-2.0)))])
                let partnerFunction: UnaryFunction = function == .cos ? .sin : .sinh
                let partner = multiply([rest, raise(.call(partnerFunction, argument), two)])
                guard let j = index[partner], j != i,
                    split[j].coefficient == (function == .cos ? -coefficient : coefficient)
                else { continue }
                let merged = multiply([.number(coefficient), rest, apply(function, multiply([two, argument]))])
                return add(terms.enumerated().filter { $0.offset != i && $0.offset != j }.map(\.element) + [merged])
            }
        }
        return nil
    }
}
