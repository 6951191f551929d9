/// How each batch's averaged gradient `g` moves the parameters `p`, with learning rate `lr`.
/// All arithmetic is per parameter; state (velocities, moments) starts at 0.
public enum TrainingOptimizer: Sendable, Hashable {
    /// Stochastic gradient descent. With `momentum` 0: `p ← p − lr·g` (the seed's `w = w - lr*dedw`,
    /// bit for bit). With momentum `m`: `v ← m·v − lr·g`, `p ← p + v`. With `nesterov`, the look-ahead
    /// form used by Keras and PyTorch: `v ← m·v − lr·g`, `p ← p + m·v − lr·g`.
    case sgd(learningRate: Double, momentum: Double = 0, nesterov: Bool = false)
    /// Adam (Kingma & Ba 2015, algorithm 1): `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
    /// `p ← p − lr·m̂/(√v̂ + ε)` with `m̂ = m/(1−β₁ᵗ)`, `v̂ = v/(1−β₂ᵗ)`.
    case adam(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)

    /// The learning rate.
    public var learningRate: Double {
        switch self {
        case .sgd(let learningRate, _, _), .adam(let learningRate, _, _, _): learningRate
        }
    }

    /// Throws `invalidSetting` (under `optimizer`) for the first parameter out of range: the learning rate
    /// finite and > 0, momentum and betas in [0, 1), epsilon finite and > 0, Nesterov only with momentum.
    public func validate() throws(TrainingError) {
        let path = SettingPath(.optimizer)
        guard learningRate.isFinite, learningRate > 0 else {
            throw .invalidSetting(at: path.appending(.learningRate), reason: .finiteAndPositive(given: learningRate))
        }
        func fraction(_ value: Double, _ setting: TrainingSetting) throws(TrainingError) {
            guard value >= 0, value < 1 else {
                throw .invalidSetting(at: path.appending(setting), reason: .belowOne(given: value))
            }
        }
        switch self {
        case .sgd(_, let momentum, let nesterov):
            try fraction(momentum, .momentum)
            if nesterov, momentum == 0 {
                throw .invalidSetting(at: path.appending(.nesterov), reason: .nesterovWithoutMomentum)
            }
        case .adam(_, let beta1, let beta2, let epsilon):
            try fraction(beta1, .beta1)
            try fraction(beta2, .beta2)
            guard epsilon.isFinite, epsilon > 0 else {
                throw .invalidSetting(at: path.appending(.epsilon), reason: .finiteAndPositive(given: epsilon))
            }
        }
    }
}
