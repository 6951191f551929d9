import NeuralNet
import JSON

extension TrainingSubmission {
    /// The configuration as a complete request, every default written out, in a fixed field order
    /// (the preset expanded, `learning_rate` inside `optimizer`, `momentum`/`nesterov` as `sgd`): two
    /// requests that mean the same run normalise to the same bytes. Resubmitting it gives the same run.
    static func normalized(_ configuration: TrainingConfiguration, units: [Int], data: TrainingRequest.Data)
        -> JSONValue
    {
        var members: [(key: String, value: JSONValue)] = [
            ("model", ["layers": .array(zip(configuration.layers, units).map(layer))]),
            ("loss", .string(configuration.loss.wireName)),
            ("optimizer", optimizer(configuration.optimizer)),
            ("epochs", .number(Double(configuration.epochs))),
            ("batch_size", configuration.batchSize.map { .number(Double($0)) } ?? .null),
            ("shuffle", .bool(configuration.shuffle)),
            ("seed", .number(Double(configuration.seed))),
        ]
        switch configuration.initialization {
        case .xavier: members.append(("init", "xavier"))
        case .he: members.append(("init", "he"))
        case .normal(let deviation): members += [("init", "normal"), ("init_scale", .number(deviation))]
        case .uniform(let limit): members += [("init", "uniform"), ("init_scale", .number(limit))]
        }
        let split = configuration.split
        members += [
            ("normalize", .string(configuration.normalization.wireName)),
            (
                "split",
                [
                    "train": .number(split.train), "validation": .number(split.validation),
                    "test": .number(split.test),
                ]
            ),
            ("early_stopping", configuration.earlyStopping.map(earlyStopping) ?? .null),
            ("record_every", .number(Double(configuration.recordEvery))),
            ("gradient_check", .bool(configuration.gradientCheck)),
            ("boundary_resolution", .number(Double(configuration.boundaryResolution))),
        ]
        // Only when not the default, so the hashes of requests from before the field stay as they were.
        if configuration.precision != .float64 {
            members.append(("precision", .string(configuration.precision.wireName)))
        }
        switch data {
        case .inline(let x, let y):
            members.append(("data", ["x": .array(x.map(JSONValue.numbers)), "y": targets(y)]))
        case .csv(let text, let target):
            members.append(("data", ["csv": .string(text), "target": .string(target)]))
        case .dataset(let dataset, let samples, let noise):
            members.append(("dataset", .string(dataset.wireName)))
            if dataset.isGenerated {
                members.append(("n", .number(Double(samples ?? dataset.defaultSamples))))
                members.append(("noise", .number(noise ?? 0)))
            }
        case .uploaded(let id, let target, let features):
            members.append(("dataset", .string(id)))
            if let target { members.append(("target", .string(target))) }
            if let features { members.append(("features", .array(features.map(JSONValue.string)))) }
        }
        return .object(members)
    }

    private static func layer(_ layer: LayerSpecification, units: Int) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("units", .number(Double(units))), ("activation", .string(layer.activation.wireName)),
        ]
        if let weights = layer.weights { members.append(("weights", .array(weights.map(JSONValue.numbers)))) }
        if let biases = layer.biases { members.append(("biases", .numbers(biases))) }
        return .object(members)
    }

    private static func optimizer(_ optimizer: TrainingOptimizer) -> JSONValue {
        switch optimizer {
        case .sgd(let rate, let momentum, let nesterov):
            [
                "name": "sgd", "learning_rate": .number(rate), "momentum": .number(momentum),
                "nesterov": .bool(nesterov),
            ]
        case .adam(let rate, let beta1, let beta2, let epsilon):
            [
                "name": "adam", "learning_rate": .number(rate), "beta1": .number(beta1), "beta2": .number(beta2),
                "epsilon": .number(epsilon),
            ]
        }
    }

    private static func earlyStopping(_ stopping: EarlyStopping) -> JSONValue {
        [
            "monitor": .string(stopping.monitor.wireName), "patience": .number(Double(stopping.patience)),
            "min_delta": .number(stopping.minDelta), "restore_best": .bool(stopping.restoreBest),
        ]
    }

    private static func targets(_ targets: Targets) -> JSONValue {
        switch targets {
        case .values(let values): .numbers(values)
        case .rows(let rows): .array(rows.map(JSONValue.numbers))
        case .labels(let labels): .array(labels.map(JSONValue.string))
        }
    }
}
