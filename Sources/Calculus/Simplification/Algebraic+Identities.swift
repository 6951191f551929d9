/// Identities between squares: sin² + cos² = 1, cosh² − sinh² = 1, 1 + tan² = sec², 1 + cot² = csc²,
/// 1 − tanh² = sech², coth² − 1 = csch²; and sin/cos = tan, cos/sin = cot, sinh/cosh = tanh,
/// cosh/sinh = coth in products.
extension Algebraic {
    /// Each identity as weights w with w₁·A + w₂·B + w₃·C = 0, where nil stands for 1 and a function
    /// f for f(u)².
    private static let squareIdentities: [[(UnaryFunction?, Int)]] = [
        [(.sin, 1), (.cos, 1), (nil, -1)],
        [(.cosh, 1), (.sinh, -1), (nil, -1)],
        [(.sec, 1), (.tan, -1), (nil, -1)],
        [(.csc, 1), (.cot, -1), (nil, -1)],
        [(.sech, 1), (.tanh, 1), (nil, -1)],
        [(.coth, 1), (.csch, -1), (nil, -1)],
    ]

    /// Two collected terms `c·R·A` and `c'·R·B` in one of the identities' proportions, replaced by the
    /// third member: `R·sin(u)² + R·cos(u)²` → `R`, `R − R·cos(u)²` → `R·sin(u)²`. Nil when none pair.
    static func mergingPythagoreanPair(_ terms: [(ExactNumber, Algebraic)]) -> [Algebraic]? {
        guard terms.count >= 2, terms.count <= 512,
            terms.contains(where: { $0.1.factors.contains(where: \.isSquareOfCall) })
        else { return nil }
        var index: [Algebraic: Int] = [:]
        for (position, term) in terms.enumerated() { index[term.1] = position }
        for (i, (coefficient, monomial)) in terms.enumerated() {
            for factor in monomial.factors {
                guard case .power(.call(let function, let argument), let exponent) = factor,
                    let n = exponent.numberValue?.integer, n >= 2
                else { continue }
                let rest = multiply([monomial, raise(.call(function, argument), .number(ExactNumber(-2.0)))])
                for identity in squareIdentities {
                    guard let a = identity.firstIndex(where: { $0.0 == function }) else { continue }
                    for b in identity.indices where b != a {
                        let partner = multiply([rest, square(identity[b].0, argument)])
                        guard let j = index[partner], j != i else { continue }
                        // c / w_a must equal c' / w_b.
                        let wa = ExactNumber(Double(identity[a].1)), wb = ExactNumber(Double(identity[b].1))
                        guard coefficient * wb == terms[j].0 * wa, let k = coefficient / wa else { continue }
                        let c = 3 - a - b
                        let replacement = multiply([
                            .number(-k * ExactNumber(Double(identity[c].1))), rest, square(identity[c].0, argument),
                        ])
                        var remaining = terms.enumerated().filter { $0.offset != i && $0.offset != j }.map {
                            scaled($0.element.1, by: $0.element.0)
                        }
                        remaining.append(replacement)
                        return remaining
                    }
                }
            }
        }
        return nil
    }

    private static func square(_ function: UnaryFunction?, _ argument: Algebraic) -> Algebraic {
        guard let function else { return .one }
        return raise(.call(function, argument), .number(ExactNumber(2.0)))
    }

    /// `sin(u)^a · cos(u)^-b` → `tan(u)^min(a,b)` times what is left (and cot, tanh, coth); nil when
    /// no such pair is among `factors` (collected product factors, numbers excluded).
    static func mergingQuotientOfTrigonometricPowers(_ factors: [Algebraic]) -> [Algebraic]? {
        let quotients: [(UnaryFunction, UnaryFunction, UnaryFunction)] = [
            (.sin, .cos, .tan), (.cos, .sin, .cot), (.sinh, .cosh, .tanh), (.cosh, .sinh, .coth),
        ]
        for (numerator, denominator, merged) in quotients {
            for (i, factor) in factors.enumerated() {
                let (base, exponent) = factor.baseAndExponent
                // Integer powers only: sqrt(sin(u))/cos(u) is real where tan(u) < 0, sqrt(tan(u)) is not.
                guard case .call(numerator, let argument) = base, let a = exponent.numberValue, a.integer != nil,
                    !a.isNegative,
                    let j = factors.firstIndex(where: {
                        $0.baseAndExponent.base == .call(denominator, argument)
                            && $0.baseAndExponent.exponent.numberValue.map { $0.isNegative && $0.integer != nil }
                                == true
                    }),
                    let b = factors[j].baseAndExponent.exponent.numberValue
                else { continue }
                let shared = a < b.magnitude ? a : b.magnitude
                var rest = factors.enumerated().filter { $0.offset != i && $0.offset != j }.map(\.element)
                rest.append(raise(.call(merged, argument), .number(shared)))
                rest.append(raise(.call(numerator, argument), .number(a - shared)))
                rest.append(raise(.call(denominator, argument), .number(b + shared)))
                return rest
            }
        }
        return nil
    }
}

extension Algebraic {
    /// `f(u)^n` for an integer n ≥ 2.
    var isSquareOfCall: Bool {
        guard case .power(.call, let exponent) = self, let n = exponent.numberValue?.integer else { return false }
        return n >= 2
    }
}
