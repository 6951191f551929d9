/// How weights are drawn when a layer gives none, from the run's seed (biases start at 0). The draws
/// come from their own SplitMix64 stream, layer after layer, row after row, so a seed always gives the
/// same network.
public enum Initialization: Sendable, Hashable {
    /// Glorot & Bengio (2010) uniform: `U(−a, a)` with `a = √(6 / (inputs + units))`; suits sigmoid and tanh.
    case xavier
    /// He et al. (2015) normal: `N(0, 2 / inputs)`; suits relu.
    case he
    /// `N(0, standardDeviation²)`; the seed tutorials use `0.01 * np.random.randn`.
    case normal(standardDeviation: Double = 0.01)
    /// `U(−limit, limit)`.
    case uniform(limit: Double = 0.05)

    /// Throws `invalidSetting` (at `initializationScale`) when a scale is not finite and > 0.
    public func validate() throws(TrainingError) {
        switch self {
        case .xavier, .he:
            break
        case .normal(let scale), .uniform(let scale):
            guard scale.isFinite, scale > 0 else {
                throw .invalidSetting(at: SettingPath(.initializationScale), reason: .finiteAndPositive(given: nil))
            }
        }
    }

    /// One weight of a layer with `inputs` inputs and `units` units.
    func draw(inputs: Int, units: Int, using random: inout SplitMix64) -> Double {
        switch self {
        case .xavier:
            let limit = (6 / Double(inputs + units)).squareRoot()
            return random.nextUniform(-limit, limit)
        case .he:
            return random.nextNormal() * (2 / Double(inputs)).squareRoot()
        case .normal(let standardDeviation):
            return random.nextNormal() * standardDeviation
        case .uniform(let limit):
            return random.nextUniform(-limit, limit)
        }
    }
}
