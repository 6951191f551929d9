import Jobs
import NeuralNet

// The names requests and results give NeuralNet's choices; the order of each engine enum's cases is
// the order a 400 lists the names in.

extension Activation: WireNamed {
    /// `sigmoid`, `tanh`, `relu`, `linear`, `softmax`.
    var wireName: String {
        switch self {
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .relu: "relu"
        case .linear: "linear"
        case .softmax: "softmax"
        }
    }
}

extension LossFunction: WireNamed {
    /// `mse`, `cross_entropy`, `binary_cross_entropy`.
    var wireName: String {
        switch self {
        case .mse: "mse"
        case .crossEntropy: "cross_entropy"
        case .binaryCrossEntropy: "binary_cross_entropy"
        }
    }
}

extension Precision: WireNamed {
    /// `float64`, `float32`.
    var wireName: String { rawValue }
}

extension NormalizationKind: WireNamed {
    /// `none`, `minmax`, `zscore`.
    var wireName: String {
        switch self {
        case .none: "none"
        case .minmax: "minmax"
        case .zscore: "zscore"
        }
    }
}

extension BuiltInDataset: WireNamed {
    /// `clothing-size`, `xor`, `circles`, `moons`, `spiral`, `gaussians`, `iris`.
    var wireName: String {
        switch self {
        case .clothingSize: "clothing-size"
        case .xor: "xor"
        case .circles: "circles"
        case .moons: "moons"
        case .spiral: "spiral"
        case .gaussians: "gaussians"
        case .iris: "iris"
        }
    }
}

extension EarlyStopping.Monitor: WireNamed {
    /// `validation_loss`, `loss`.
    var wireName: String {
        switch self {
        case .validationLoss: "validation_loss"
        case .loss: "loss"
        }
    }
}

extension TrainingLimits.Limit: WireNamed {
    /// `epochs`, `layers`, `parameters`, `data_values`, `work`.
    var wireName: String {
        switch self {
        case .epochs: "epochs"
        case .layers: "layers"
        case .parameters: "parameters"
        case .dataValues: "data_values"
        case .work: "work"
        }
    }
}

extension TrainingResult {
    /// Why the run stopped, as the result's `stopped`: `epochs`, `early_stopping`, `diverged`, or for
    /// an interruption `time_limit` or `cancelled`.
    var stoppedName: String {
        switch stopReason {
        case .epochs: "epochs"
        case .earlyStopping: "early_stopping"
        case .diverged: "diverged"
        case .interrupted: interruption as? JobInterruption == .timeLimit ? "time_limit" : "cancelled"
        }
    }
}
