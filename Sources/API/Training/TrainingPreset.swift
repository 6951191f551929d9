import NeuralNet

/// A named starting request: its configuration and data. Fields given beside `preset` replace the
/// preset's (a whole top-level field at a time; `learning_rate` replaces only the optimiser's rate).
enum TrainingPreset: String, WireNamed {
    /// The seed experiment: a 1-2-1 sigmoid network from the seed's starting weights fitted to the 12
    /// clothing sizes with MSE, SGD at learning rate 0.5, 5000 epochs, full batch.
    case clothingSize = "clothing-size"

    /// The preset's configuration.
    var configuration: TrainingConfiguration {
        switch self {
        case .clothingSize: .clothingSize
        }
    }

    /// The preset's data.
    var data: TrainingRequest.Data {
        switch self {
        case .clothingSize: .dataset(.clothingSize, samples: nil, noise: nil)
        }
    }
}
