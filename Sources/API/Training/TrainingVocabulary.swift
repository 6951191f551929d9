import NeuralNet

/// The one map from NeuralNet's names to the words of `POST /v1/train` and its answers: each
/// `TrainingSetting` to the request keys that spell it (and so each `SettingPath` to a JSON pointer
/// and to the `data.x[3][1]` form messages use), and each limit to its name, its `nabla serve` flag
/// and what it counts. The names of the engine's choices (losses, activations, ...) are in
/// `TrainingVocabulary+Choices.swift`; the messages in `TrainingError+Message.swift`.
enum TrainingVocabulary {
    /// One step into a request: an object key or an array index.
    enum Component: Hashable {
        /// A key of an object, e.g. `learning_rate`.
        case key(String)
        /// A position in an array, from 0.
        case index(Int)
    }

    /// The keys that lead from the object of the step before (or the body) to `setting`.
    static func keys(_ setting: TrainingSetting) -> [String] {
        switch setting {
        case .layers: ["model", "layers"]
        case .units: ["units"]
        case .activation: ["activation"]
        case .weights: ["weights"]
        case .biases: ["biases"]
        case .optimizer: ["optimizer"]
        case .learningRate: ["learning_rate"]
        case .momentum: ["momentum"]
        case .nesterov: ["nesterov"]
        case .beta1: ["beta1"]
        case .beta2: ["beta2"]
        case .epsilon: ["epsilon"]
        case .epochs: ["epochs"]
        case .batchSize: ["batch_size"]
        case .initializationScale: ["init_scale"]
        case .split: ["split"]
        case .train: ["train"]
        case .validation: ["validation"]
        case .test: ["test"]
        case .earlyStopping: ["early_stopping"]
        case .patience: ["patience"]
        case .minDelta: ["min_delta"]
        case .monitor: ["monitor"]
        case .recordEvery: ["record_every"]
        case .boundaryResolution: ["boundary_resolution"]
        case .data: ["data"]
        case .features: ["data", "x"]
        case .targets: ["data", "y"]
        case .samples: ["n"]
        case .noise: ["noise"]
        case .normalization: ["normalization"]
        case .predictionInputs: ["x"]
        }
    }

    /// `path` as request keys and indices.
    static func components(_ path: SettingPath) -> [Component] {
        path.steps.flatMap { step -> [Component] in
            switch step {
            case .setting(let setting): keys(setting).map(Component.key)
            case .index(let index): [.index(index)]
            }
        }
    }

    /// `/data/x/3/1` for the features' row 3, column 1 (RFC 6901: `~` and `/` in keys escaped).
    static func pointer(_ path: SettingPath) -> String {
        components(path).map { component in
            switch component {
            case .key(let key): "/" + key.replacing("~", with: "~0").replacing("/", with: "~1")
            case .index(let index): "/\(index)"
            }
        }.joined()
    }

    /// `data.x[3][1]` for the same: keys joined by dots, indices in brackets, as messages name fields.
    static func text(_ path: SettingPath) -> String {
        var text = ""
        for component in components(path) {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// The `nabla serve` flag that sets `limit`.
    static func flag(_ limit: TrainingLimits.Limit) -> String {
        switch limit {
        case .epochs: "--max-epochs"
        case .layers: "--max-layers"
        case .parameters: "--max-parameters"
        case .dataValues: "--max-data-values"
        case .work: "--max-training-work"
        }
    }

    /// What `limit` counts, for messages.
    static func quantity(_ limit: TrainingLimits.Limit) -> String {
        switch limit {
        case .epochs: "the number of epochs"
        case .layers: "the number of layers"
        case .parameters: "the number of parameters (weights and biases)"
        case .dataValues: "samples × features"
        case .work: "the work estimate epochs × samples × parameters (plus evaluations and plots)"
        }
    }
}
