extension TrainingPlan {
    /// Trains the network. Runs on the caller's thread until the epochs are done, early stopping stops
    /// it, it diverges, or `checkInterruption` throws (it is called before every batch, so a stop takes
    /// effect within one batch). Never throws: every ending is a `TrainingResult` with finite numbers.
    ///
    /// - Parameters:
    ///   - progress: called after every `recordEvery`-th epoch and after the last recorded one.
    ///   - checkInterruption: throw to stop; the error comes back as `interruption`.
    public func run(
        progress: (TrainingProgress) -> Void = { _ in }, checkInterruption: () throws -> Void = {}
    ) -> TrainingResult {
        run(reporting: { report, _ in progress(report) }, checkInterruption: checkInterruption)
    }

    /// The run behind `run(progress:checkInterruption:)` and `run(progressWithPlot:checkInterruption:)`.
    func run(
        reporting progress: (TrainingProgress, () -> ModelPlot) -> Void, checkInterruption: () throws -> Void
    ) -> TrainingResult {
        let clock = ContinuousClock()
        let started = clock.now
        let initial = initialParameters()
        var check: [GradientCheck.Layer]?
        var interruption: (any Error)?
        if configuration.gradientCheck {
            do {
                check = try GradientCheck.run(plan: self, parameters: initial, checkInterruption: checkInterruption)
            } catch {
                interruption = error
            }
        }
        var result =
            switch configuration.precision {
            case .float64:
                train(
                    TrainingRun<Double>(plan: self, initialParameters: initial), progress: progress,
                    checkInterruption: checkInterruption, interruptedBefore: interruption)
            case .float32:
                train(
                    TrainingRun<Float>(plan: self, initialParameters: initial), progress: progress,
                    checkInterruption: checkInterruption, interruptedBefore: interruption)
            }
        result.gradientCheck = check
        result.precision = configuration.precision
        result.duration = clock.now - started
        return result
    }

    /// The starting parameters: explicit ones where given, the rest drawn layer by layer (weights row
    /// by row) from the initialisation stream; biases not given are 0.
    func initialParameters() -> [Double] {
        var parameters = Array(repeating: 0.0, count: layout.parameterCount)
        var random = SplitMix64(seed: configuration.seed, stream: .initialization)
        for (index, layer) in layout.layers.enumerated() {
            if let weights = explicitWeights[index] {
                parameters.replaceSubrange(layer.weightOffset..<layer.biasOffset, with: weights)
            } else {
                for offset in layer.weightOffset..<layer.biasOffset {
                    parameters[offset] = configuration.initialization.draw(
                        inputs: layer.inputs, units: layer.units, using: &random)
                }
            }
            if let biases = explicitBiases[index] {
                parameters.replaceSubrange(layer.biasOffset..<layer.biasOffset + layer.units, with: biases)
            }
        }
        return parameters
    }

    /// The epochs, then the result; `interruptedBefore` (from the gradient check) skips the epochs.
    private func train<Scalar>(
        _ state: TrainingRun<Scalar>, progress: (TrainingProgress, () -> ModelPlot) -> Void,
        checkInterruption: () throws -> Void,
        interruptedBefore: (any Error)?
    ) -> TrainingResult {
        let epochs = interruptedBefore == nil ? configuration.epochs : 0
        var history = History(epochs: epochs, validation: validation.rows > 0, accuracy: accuracyRule != .none)
        var stopping = configuration.earlyStopping.map(EarlyStoppingState.init)
        var stop = interruptedBefore == nil ? TrainingResult.StopReason.epochs : .interrupted
        var interruption = interruptedBefore
        state.training.features.withUnsafeBufferPointer { features in
            state.training.targets.withUnsafeBufferPointer { targets in
                for epoch in 0..<epochs {
                    let outcome = state.trainEpoch(
                        features: features.baseAddress!, targets: targets.baseAddress!,
                        checkInterruption: checkInterruption)
                    guard case .finished(let loss, let correct) = outcome else {
                        if case .interrupted(let error) = outcome {
                            (stop, interruption) = (.interrupted, error)
                        } else {
                            stop = .diverged
                        }
                        return
                    }
                    let validated = validation.rows > 0 ? evaluate(state.validation, with: state) : nil
                    // Validation first: an epoch whose validation loss is not finite is not recorded at all.
                    guard validated?.loss != nil || validation.rows == 0, state.recordIfFinite() else {
                        stop = .diverged
                        return
                    }
                    history.append(
                        loss: loss, accuracy: judged(correct, rows: training.rows), validation: validated)
                    let monitored = configuration.earlyStopping?.monitor == .loss ? loss : validated?.loss
                    if let monitored, stopping?.observe(monitored, epoch: epoch, state: state) == true {
                        stop = .earlyStopping
                    }
                    if (epoch + 1) % configuration.recordEvery == 0 || epoch + 1 == epochs || stop != .epochs {
                        progress(history.progress(epochs: configuration.epochs), { plot(of: state) })
                    }
                    if stop != .epochs { return }
                }
            }
        }
        let restored = stopping?.bestEpoch != nil && state.best != nil ? stopping?.bestEpoch : nil
        let kept = restored != nil ? UnsafePointer(state.best!) : UnsafePointer(state.recorded)
        let parameters = state.doubles(kept)
        let model = TrainedModel(
            normalization: normalization, classes: classes, loss: configuration.loss, layout: layout,
            parameters: parameters, accuracyRule: accuracyRule)
        let final = evaluate(state.training, with: state, parameters: kept)
        return TrainingResult(
            lossHistory: history.loss, validationLossHistory: history.validationLoss,
            accuracyHistory: history.accuracy, validationAccuracyHistory: history.validationAccuracy,
            stopReason: stop, interruption: interruption, restoredEpoch: restored, finalLoss: final.loss,
            finalAccuracy: final.accuracy, model: model,
            test: test.rows > 0 ? evaluate(state.test, with: state, parameters: kept) : nil, gradientCheck: nil,
            curve: curve(of: model), boundary: boundary(of: model), duration: .zero)
    }

    /// Loss (nil if not finite) and accuracy of `parameters` (the run's current ones unless given) on `part`.
    private func evaluate<Scalar>(
        _ part: TrainingRun<Scalar>.Columns, with state: TrainingRun<Scalar>, parameters: UnsafePointer<Scalar>? = nil
    ) -> Evaluation {
        let (loss, correct) = part.features.withUnsafeBufferPointer { features in
            part.targets.withUnsafeBufferPointer { targets in
                state.evaluate(
                    features: features.baseAddress!, targets: targets.baseAddress!, rows: part.rows,
                    parameters: parameters)
            }
        }
        return Evaluation(loss: loss.isFinite ? loss : nil, accuracy: judged(correct, rows: part.rows))
    }

    /// The accuracy from `correct` right judgements on `rows` rows, or nil for regression.
    private func judged(_ correct: Int, rows: Int) -> Double? {
        let judgements = accuracyRule.judgements(rows: rows, outputs: layout.outputs)
        return judgements > 0 ? Double(correct) / Double(judgements) : nil
    }
}
