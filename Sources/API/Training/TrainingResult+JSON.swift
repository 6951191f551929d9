import NeuralNet
import JSON

extension TrainingResult {
    /// The job's result document, with the data's `points` when given (small data only). Long arrays
    /// are `JSONValue.numbers`; every number is finite (the engine keeps only finite histories and
    /// parameters; a loss that is not finite is `null`).
    func json(
        configHash: String, rows: (train: Int, validation: Int, test: Int), parameterCount: Int,
        points: DataPoints? = nil
    ) -> JSONValue {
        let classification = finalAccuracy != nil
        var members: [(key: String, value: JSONValue)] = [
            ("config_hash", .string(configHash)),
            ("stopped", .string(stoppedName)),
            ("epochs_run", .number(Double(epochsRun))),
            // `loss_function` names the loss; `loss`, the same name, is kept for existing clients and
            // deprecated (progress and events use `loss` for the number, as `final_loss` here).
            ("loss_function", .string(model.loss.wireName)),
            ("loss", .string(model.loss.wireName)),
            ("precision", .string(precision.wireName)),
            ("final_loss", finalLoss.map(JSONValue.number) ?? .null),
        ]
        if let finalAccuracy { members.append(("final_accuracy", .number(finalAccuracy))) }
        members += [
            ("loss_history", .numbers(lossHistory)),
            ("validation_loss_history", .numbers(validationLossHistory)),
        ]
        if classification {
            members += [
                ("accuracy_history", .numbers(accuracyHistory)),
                ("validation_accuracy_history", .numbers(validationAccuracyHistory)),
            ]
        }
        if let restoredEpoch { members.append(("restored_epoch", .number(Double(restoredEpoch)))) }
        members += [
            ("parameters", ["layers": .array(model.layers.map(Self.layer))]),
            ("parameter_count", .number(Double(parameterCount))),
            ("normalization", Self.normalization(model.normalization)),
            ("classes", model.classes.map { .array($0.map(JSONValue.string)) } ?? .null),
            (
                "rows",
                [
                    "train": .number(Double(rows.train)), "validation": .number(Double(rows.validation)),
                    "test": .number(Double(rows.test)),
                ]
            ),
        ]
        if let test {
            var evaluation: [(key: String, value: JSONValue)] = [("loss", test.loss.map(JSONValue.number) ?? .null)]
            if let accuracy = test.accuracy { evaluation.append(("accuracy", .number(accuracy))) }
            members.append(("test", .object(evaluation)))
        }
        if let gradientCheck {
            members.append(
                (
                    "gradient_check",
                    .array(
                        gradientCheck.enumerated().map { index, layer in
                            [
                                "layer": .number(Double(index)),
                                "max_relative_error": .number(layer.maxRelativeError),
                                "max_absolute_error": .number(layer.maxAbsoluteError),
                                "checked_parameters": .number(Double(layer.checkedParameters)),
                            ]
                        })
                ))
        }
        if let curve { members.append(("curve", curve.json)) }
        if let boundary { members.append(("boundary", boundary.json)) }
        if let points { members.append(("points", points.json)) }
        members.append(("duration_ms", .number(duration.seconds * 1000)))
        return .object(members)
    }

    private static func layer(_ layer: TrainedModel.Layer) -> JSONValue {
        [
            "weights": .array(layer.weights.map(JSONValue.numbers)), "biases": .numbers(layer.biases),
            "activation": .string(layer.activation.wireName),
        ]
    }

    private static func normalization(_ normalization: Normalization) -> JSONValue {
        [
            "kind": .string(normalization.kind.wireName), "offsets": .numbers(normalization.offsets),
            "scales": .numbers(normalization.scales),
        ]
    }
}
