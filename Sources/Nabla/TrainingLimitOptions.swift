import ArgumentParser
import NeuralNet

/// The `nabla serve` options for the limits of `POST /v1/train`; a request beyond one is a 400 that
/// names the limit and its flag.
struct TrainingLimitOptions: ParsableArguments {
    @Option(
        name: .customLong("max-epochs"), help: "Most epochs per training run. Env NABLA_MAX_EPOCHS. Default 1000000.")
    var maxEpochs: Int?
    @Option(name: .customLong("max-layers"), help: "Most layers per model. Env NABLA_MAX_LAYERS. Default 32.")
    var maxLayers: Int?
    @Option(
        name: .customLong("max-parameters"),
        help: "Most weights and biases per model. Env NABLA_MAX_PARAMETERS. Default 10000000.")
    var maxParameters: Int?
    @Option(
        name: .customLong("max-data-values"),
        help: "Most samples × features in training data. Env NABLA_MAX_DATA_VALUES. Default 10000000.")
    var maxDataValues: Int?
    @Option(
        name: .customLong("max-training-work"),
        help:
            "Largest work estimate of a training run, about epochs × samples × parameters. Env NABLA_MAX_TRAINING_WORK. Default 100000000000."
    )
    var maxTrainingWork: Int?

    /// The limits from flags, environment or defaults, each checked to be from 1 to 2⁵³.
    func resolve() throws -> TrainingLimits {
        var limits = TrainingLimits()
        let settings: [(WritableKeyPath<TrainingLimits, Int>, Int?, String, String)] = [
            (\.maximumEpochs, maxEpochs, "NABLA_MAX_EPOCHS", "--max-epochs"),
            (\.maximumLayers, maxLayers, "NABLA_MAX_LAYERS", "--max-layers"),
            (\.maximumParameters, maxParameters, "NABLA_MAX_PARAMETERS", "--max-parameters"),
            (\.maximumDataValues, maxDataValues, "NABLA_MAX_DATA_VALUES", "--max-data-values"),
            (\.maximumWork, maxTrainingWork, "NABLA_MAX_TRAINING_WORK", "--max-training-work"),
        ]
        for (keyPath, flag, environment, name) in settings {
            limits[keyPath: keyPath] = try Setting.resolve(
                flag, env: environment, default: limits[keyPath: keyPath], in: 1...(1 << 53), flagName: name)
        }
        return limits
    }
}
