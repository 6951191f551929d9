/// How each step of a descent turns the gradient `g` into a move, with learning rate `lr`.
/// All arithmetic is per coordinate.
public enum Optimizer: Sendable, Hashable {
    /// Plain gradient descent, `p ← p − lr·g`: the seed tutorials' `x -= lr * grad`, in the same order
    /// of floating-point operations, so its paths match theirs bit for bit.
    case gradientDescent
    /// Heavy-ball momentum: `v ← m·v − lr·g`, `p ← p + v`, with `v` starting at 0.
    case momentum(Double = 0.9)
    /// Nesterov momentum: as `momentum`, but `g` is taken at the look-ahead point `p + m·v` (one extra
    /// gradient evaluation per step).
    case nesterov(momentum: Double = 0.9)
    /// AdaGrad: `s ← s + g²`, `p ← p − lr·g / (√s + ε)`.
    case adagrad(epsilon: Double = 1e-8)
    /// RMSprop: `s ← ρ·s + (1 − ρ)·g²`, `p ← p − lr·g / (√s + ε)`.
    case rmsprop(decay: Double = 0.9, epsilon: Double = 1e-8)
    /// Adam (Kingma & Ba 2015, algorithm 1): moving averages `m` of `g` and `v` of `g²`, bias-corrected
    /// by `1 − β₁ᵗ` and `1 − β₂ᵗ`; `p ← p − lr·m̂ / (√v̂ + ε)`. Its first step is `lr·g / (|g| + ε)`,
    /// that is `lr·sign(g)` to within `lr·ε / |g|`.
    case adam(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)

    /// Every optimizer's name, as `name` spells it: `sgd` is plain gradient descent, as training
    /// calls it (one step per gradient of the whole function here, since there are no batches).
    public static let names = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]

    /// Other names read as one of `names`: `gd`, descent's name for `sgd` before the two endpoints
    /// shared one vocabulary.
    public static let aliases = ["gd": "sgd"]

    /// The optimizer called `name` (one of `names` or `aliases`) with its default parameters, or nil.
    public static func named(_ name: String) -> Optimizer? {
        switch aliases[name] ?? name {
        case "sgd": .gradientDescent
        case "momentum": .momentum()
        case "nesterov": .nesterov()
        case "adagrad": .adagrad()
        case "rmsprop": .rmsprop()
        case "adam": .adam()
        default: nil
        }
    }

    /// `sgd`, `momentum`, `nesterov`, `adagrad`, `rmsprop` or `adam`.
    public var name: String {
        switch self {
        case .gradientDescent: "sgd"
        case .momentum: "momentum"
        case .nesterov: "nesterov"
        case .adagrad: "adagrad"
        case .rmsprop: "rmsprop"
        case .adam: "adam"
        }
    }

    /// The learning rate used when none is given, as training's: 0.001 for the methods that scale
    /// each step by the gradients' history (`adagrad`, `rmsprop`, `adam`: Keras's defaults), 0.01
    /// for the others.
    public var defaultLearningRate: Double {
        switch self {
        case .gradientDescent, .momentum, .nesterov: 0.01
        case .adagrad, .rmsprop, .adam: 0.001
        }
    }

    /// Throws `OptimizationError.invalidSetting` for the first parameter out of range: momenta, decays
    /// and betas must lie in [0, 1), epsilons must be finite and greater than 0.
    public func validate() throws(OptimizationError) {
        switch self {
        case .gradientDescent:
            break
        case .momentum(let momentum), .nesterov(let momentum):
            try Self.checkFraction(momentum, "momentum")
        case .adagrad(let epsilon):
            try Self.checkEpsilon(epsilon)
        case .rmsprop(let decay, let epsilon):
            try Self.checkFraction(decay, "decay")
            try Self.checkEpsilon(epsilon)
        case .adam(let beta1, let beta2, let epsilon):
            try Self.checkFraction(beta1, "beta1")
            try Self.checkFraction(beta2, "beta2")
            try Self.checkEpsilon(epsilon)
        }
    }

    private static func checkFraction(_ value: Double, _ setting: String) throws(OptimizationError) {
        guard value >= 0, value < 1 else {
            throw .invalidSetting(setting, "must be at least 0 and less than 1, not \(value)")
        }
    }

    private static func checkEpsilon(_ value: Double) throws(OptimizationError) {
        guard value.isFinite, value > 0 else {
            throw .invalidSetting("epsilon", "must be a finite number greater than 0, not \(value)")
        }
    }
}
