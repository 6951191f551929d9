/// Bottom-up rewriting of every sum by a policy, and the choice of the shortest whole.
extension Algebraic {
    /// How `rewritingSums` rewrites each sum.
    enum SumPolicy: CaseIterable {
        /// Sums as collected.
        case collected
        /// Each sum as the shortest of collected, factored and over one denominator.
        case shortest
        /// Every sum over one denominator where it has one.
        case oneDenominator
        /// Every sum with its common factors pulled out.
        case factored
    }

    func rewritingSums(_ policy: SumPolicy) -> Algebraic {
        switch self {
        case .number, .constant, .symbol: return self
        case .sum(let terms):
            let rebuilt = Algebraic.add(terms.map { $0.rewritingSums(policy) })
            guard rebuilt.isSum else { return rebuilt }
            switch policy {
            case .collected: return rebuilt
            case .oneDenominator: return rebuilt.overOneDenominator ?? rebuilt
            case .factored: return rebuilt.withCommonFactorPulledOut ?? rebuilt
            case .shortest:
                let candidates = [
                    rebuilt, rebuilt.withCommonFactorPulledOut, rebuilt.pullingOutCommonFactor(nearestZero: true),
                    rebuilt.overOneDenominator,
                ]
                return candidates.compactMap { $0 }.min { $0.operationCount < $1.operationCount }!
            }
        case .product(let factors):
            let rebuilt = Algebraic.multiply(factors.map { $0.rewritingSums(policy) })
            guard policy == .shortest else { return rebuilt }
            let candidates = [rebuilt, rebuilt.withDenominatorsMultipliedOut, rebuilt.withNegativeExponentialsCleared]
            return candidates.compactMap { $0 }.min { $0.operationCount < $1.operationCount }!
        case .power(let base, let exponent):
            return Algebraic.raise(base.rewritingSums(policy), exponent.rewritingSums(policy))
        case .call(let function, let operand): return Algebraic.apply(function, operand.rewritingSums(policy))
        case .pair(let operation, let a, let b):
            return Algebraic.applyPair(operation, a.rewritingSums(policy), b.rewritingSums(policy))
        }
    }

    /// Operators in its printed form (see `Simplifier.operationCount(of:)`).
    var operationCount: Int { Simplifier.operationCount(of: printed(preferringExp: false)) }
}
