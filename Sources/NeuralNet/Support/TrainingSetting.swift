/// A setting of a training run, a part of its data, or a part of a kept model, in NeuralNet's own
/// names (those of `TrainingConfiguration`, `DataSource` and `TrainedModel`). `SettingPath` strings
/// them with indices to say where a `TrainingError` is; how a client spells each one is the API's
/// business, not the engine's.
public enum TrainingSetting: Sendable, Hashable, CaseIterable {
    /// `TrainingConfiguration.layers`, the layer list (in a path, followed by a layer's index).
    case layers
    /// A layer's `units`.
    case units
    /// A layer's `activation`.
    case activation
    /// A layer's starting `weights`, `[inputs][units]`.
    case weights
    /// A layer's starting `biases`, `[units]`.
    case biases
    /// `TrainingConfiguration.optimizer`.
    case optimizer
    /// The optimiser's learning rate.
    case learningRate
    /// SGD's momentum.
    case momentum
    /// SGD's Nesterov look-ahead.
    case nesterov
    /// Adam's β₁.
    case beta1
    /// Adam's β₂.
    case beta2
    /// Adam's ε.
    case epsilon
    /// `TrainingConfiguration.epochs`.
    case epochs
    /// `TrainingConfiguration.batchSize`.
    case batchSize
    /// The scale of `Initialization.normal` (its standard deviation) or `.uniform` (its limit).
    case initializationScale
    /// `TrainingConfiguration.split` (in a path, followed by one of its parts or alone for the sum).
    case split
    /// `DataSplit.train`.
    case train
    /// `DataSplit.validation`.
    case validation
    /// `DataSplit.test`.
    case test
    /// `TrainingConfiguration.earlyStopping`.
    case earlyStopping
    /// `EarlyStopping.patience`.
    case patience
    /// `EarlyStopping.minDelta`.
    case minDelta
    /// `EarlyStopping.monitor`.
    case monitor
    /// `TrainingConfiguration.recordEvery`.
    case recordEvery
    /// `TrainingConfiguration.boundaryResolution`.
    case boundaryResolution
    /// The data as a whole, whatever its source (for the data-size limit).
    case data
    /// The rows of features of `DataSource.inline` (in a path, followed by a row and a column).
    case features
    /// The targets of `DataSource.inline` (in a path, followed by a row and, for rows, a column).
    case targets
    /// The number of rows a built-in dataset generates (`DataSource.builtIn`'s `samples`).
    case samples
    /// The jitter of a generated dataset (`DataSource.builtIn`'s `noise`).
    case noise
    /// A kept model's `Normalization`.
    case normalization
    /// The rows given to `TrainedModel.predict` (in a path, followed by a row and a column).
    case predictionInputs
}
