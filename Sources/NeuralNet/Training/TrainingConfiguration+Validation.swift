extension TrainingConfiguration {
    /// Checks every setting that does not depend on the data, in the order the fields are documented.
    func validate(limits: TrainingLimits) throws(TrainingError) {
        guard !layers.isEmpty else { throw .invalidSetting(field: .layers, reason: "must have at least one layer") }
        try limits.check(.layers, layers.count)
        guard epochs >= 1 else {
            throw .invalidSetting(field: FieldPath("epochs"), reason: "must be at least 1, not \(epochs)")
        }
        try limits.check(.epochs, epochs)
        if let batchSize, batchSize < 1 {
            throw .invalidSetting(field: FieldPath("batch_size"), reason: "must be at least 1, not \(batchSize)")
        }
        guard recordEvery >= 1 else {
            throw .invalidSetting(field: FieldPath("record_every"), reason: "must be at least 1, not \(recordEvery)")
        }
        guard (2...500).contains(boundaryResolution) else {
            throw .invalidSetting(
                field: FieldPath("boundary_resolution"), reason: "must be from 2 to 500, not \(boundaryResolution)")
        }
        try optimizer.validate()
        try initialization.validate()
        try split.validate()
        if let earlyStopping {
            let field = FieldPath("early_stopping")
            guard earlyStopping.patience >= 0 else {
                throw .invalidSetting(field: field.appending("patience"), reason: "must be at least 0")
            }
            guard earlyStopping.minDelta.isFinite, earlyStopping.minDelta >= 0 else {
                throw .invalidSetting(field: field.appending("min_delta"), reason: "must be finite and at least 0")
            }
            if earlyStopping.monitor == .validationLoss, split.validation == 0 {
                throw .invalidSetting(
                    field: field.appending("monitor"),
                    reason: "validation_loss needs a validation split (split.validation > 0)")
            }
        }
        try validateActivations()
    }

    private func validateActivations() throws(TrainingError) {
        let last = layers.count - 1
        for (index, layer) in layers.enumerated() where layer.activation == .softmax && index != last {
            throw .invalidSetting(
                field: FieldPath.layers.appending(index).appending("activation"),
                reason: "softmax is for the last layer only")
        }
        let field = FieldPath.layers.appending(last).appending("activation")
        if let needed = loss.requiredOutputActivation {
            guard layers[last].activation == needed else {
                throw .wrongOutputActivation(field: field, loss: loss, needed: needed)
            }
        } else if layers[last].activation == .softmax {
            throw .invalidSetting(field: field, reason: "softmax needs the loss cross_entropy")
        }
    }

    /// Each layer's units: given, implied by its weights, or (last layer) `outputs`.
    func resolvedUnits(outputs: Int) throws(TrainingError) -> [Int] {
        var result: [Int] = []
        for (index, layer) in layers.enumerated() {
            let field = FieldPath.layers.appending(index)
            let implied = layer.weights?.first?.count ?? layer.biases?.count
            guard let units = layer.units ?? implied ?? (index == layers.count - 1 ? outputs : nil) else {
                throw .invalidSetting(field: field.appending("units"), reason: "is needed when no weights are given")
            }
            guard units >= 1 else {
                throw .invalidSetting(field: field.appending("units"), reason: "must be at least 1, not \(units)")
            }
            if index == layers.count - 1, units != outputs {
                throw .shapeMismatch(field: field.appending("units"), expected: outputs, actual: units)
            }
            result.append(units)
        }
        return result
    }

    /// The explicit weights (flattened, checked against `layout`) and biases of each layer, or nil.
    func explicitParameters(layout: ParameterLayout) throws(TrainingError) -> ([[Double]?], [[Double]?]) {
        var weights: [[Double]?] = []
        var biases: [[Double]?] = []
        for (index, (layer, shape)) in zip(layers, layout.layers).enumerated() {
            let field = FieldPath.layers.appending(index)
            if let given = layer.weights {
                let matrix = try Matrix(validating: given, field: field.appending("weights"))
                guard matrix.rows == shape.inputs else {
                    throw .shapeMismatch(field: field.appending("weights"), expected: shape.inputs, actual: matrix.rows)
                }
                guard matrix.columns == shape.units else {
                    throw .shapeMismatch(
                        field: field.appending("weights").appending(0), expected: shape.units, actual: matrix.columns)
                }
                weights.append(matrix.values)
            } else {
                weights.append(nil)
            }
            if let given = layer.biases {
                guard given.count == shape.units else {
                    throw .shapeMismatch(field: field.appending("biases"), expected: shape.units, actual: given.count)
                }
                if let bad = given.firstIndex(where: { !$0.isFinite }) {
                    throw .nonFiniteNumber(field: field.appending("biases").appending(bad))
                }
            }
            biases.append(layer.biases)
        }
        return (weights, biases)
    }
}
