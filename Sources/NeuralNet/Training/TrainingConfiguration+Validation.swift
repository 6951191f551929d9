extension TrainingConfiguration {
    /// Checks every setting that does not depend on the data, in the order the properties are documented.
    func validate(limits: TrainingLimits) throws(TrainingError) {
        guard !layers.isEmpty else { throw .invalidSetting(at: .layers, reason: .noLayers) }
        try limits.check(.layers, layers.count)
        guard epochs >= 1 else {
            throw .invalidSetting(at: SettingPath(.epochs), reason: .atLeast(1, given: epochs))
        }
        try limits.check(.epochs, epochs)
        if let batchSize, batchSize < 1 {
            throw .invalidSetting(at: SettingPath(.batchSize), reason: .atLeast(1, given: batchSize))
        }
        guard recordEvery >= 1 else {
            throw .invalidSetting(at: SettingPath(.recordEvery), reason: .atLeast(1, given: recordEvery))
        }
        guard (2...500).contains(boundaryResolution) else {
            throw .invalidSetting(
                at: SettingPath(.boundaryResolution), reason: .within(2...500, given: boundaryResolution))
        }
        try optimizer.validate()
        try initialization.validate()
        try split.validate()
        if let earlyStopping {
            let path = SettingPath(.earlyStopping)
            guard earlyStopping.patience >= 0 else {
                throw .invalidSetting(at: path.appending(.patience), reason: .atLeast(0, given: nil))
            }
            guard earlyStopping.minDelta.isFinite, earlyStopping.minDelta >= 0 else {
                throw .invalidSetting(at: path.appending(.minDelta), reason: .finiteAndNotNegative(given: nil))
            }
            if earlyStopping.monitor == .validationLoss, split.validation == 0 {
                throw .invalidSetting(
                    at: path.appending(.monitor), reason: .monitorNeedsValidation(earlyStopping.monitor))
            }
        }
        try validateActivations()
    }

    private func validateActivations() throws(TrainingError) {
        let last = layers.count - 1
        for (index, layer) in layers.enumerated() where layer.activation == .softmax && index != last {
            throw .invalidSetting(at: .layer(index, .activation), reason: .lastLayerOnly(.softmax))
        }
        let path = SettingPath.layer(last, .activation)
        if let needed = loss.requiredOutputActivation {
            guard layers[last].activation == needed else {
                throw .wrongOutputActivation(at: path, loss: loss, needed: needed)
            }
        } else if layers[last].activation == .softmax {
            throw .invalidSetting(at: path, reason: .activationNeedsLoss(.softmax, loss: .crossEntropy))
        }
    }

    /// Each layer's units: given, implied by its weights, or (last layer) `outputs`.
    func resolvedUnits(outputs: Int) throws(TrainingError) -> [Int] {
        var result: [Int] = []
        for (index, layer) in layers.enumerated() {
            let path = SettingPath.layer(index)
            let implied = layer.weights?.first?.count ?? layer.biases?.count
            guard let units = layer.units ?? implied ?? (index == layers.count - 1 ? outputs : nil) else {
                throw .invalidSetting(at: path.appending(.units), reason: .unitsWithoutWeights)
            }
            guard units >= 1 else {
                throw .invalidSetting(at: path.appending(.units), reason: .atLeast(1, given: units))
            }
            if index == layers.count - 1, units != outputs {
                throw .shapeMismatch(at: path.appending(.units), expected: outputs, actual: units)
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
            if let given = layer.weights {
                let path = SettingPath.layer(index, .weights)
                let matrix = try Matrix(validating: given, at: path)
                guard matrix.rows == shape.inputs else {
                    throw .shapeMismatch(at: path, expected: shape.inputs, actual: matrix.rows)
                }
                guard matrix.columns == shape.units else {
                    throw .shapeMismatch(at: path.appending(0), expected: shape.units, actual: matrix.columns)
                }
                weights.append(matrix.values)
            } else {
                weights.append(nil)
            }
            if let given = layer.biases {
                let path = SettingPath.layer(index, .biases)
                guard given.count == shape.units else {
                    throw .shapeMismatch(at: path, expected: shape.units, actual: given.count)
                }
                if let bad = given.firstIndex(where: { !$0.isFinite }) {
                    throw .nonFiniteNumber(at: path.appending(bad))
                }
            }
            biases.append(layer.biases)
        }
        return (weights, biases)
    }
}
