/// The model as it stands at a progress report, sampled as the result's `curve` (one input) or
/// `boundary` (two-input classifier) would be if the run stopped there: for plotting while it learns.
public struct ModelPlot: Sendable, Hashable {
    /// One-input models: the model on `TrainingPlan.curvePoints` points across the input range.
    public var curve: Curve?
    /// Two-input classifiers: the predicted class over the result's grid.
    public var boundary: DecisionBoundary?

    /// True when there is nothing to plot (more than two inputs, or two inputs and regression).
    public var isEmpty: Bool { curve == nil && boundary == nil }
}

extension TrainingPlan {
    /// Trains as `run(progress:checkInterruption:)` does, and hands `progress` a second argument:
    /// `plot`, which samples the model as it stands after the reported epoch (the parameters recorded
    /// then). Calling it is optional and costs about one forward pass over the curve's points or the
    /// boundary's grid; it reads the parameters only, so the run's result does not depend on whether
    /// or how often it is called. `plot` cannot be kept past the call (it is not escaping).
    public func run(
        progressWithPlot progress: (TrainingProgress, _ plot: () -> ModelPlot) -> Void,
        checkInterruption: () throws -> Void = {}
    ) -> TrainingResult {
        run(reporting: progress, checkInterruption: checkInterruption)
    }

    /// The plot of `state`'s recorded parameters (nothing is copied when there is nothing to plot).
    func plot<Scalar>(of state: TrainingRun<Scalar>) -> ModelPlot {
        guard layout.inputs <= 2 else { return ModelPlot() }
        let parameters = state.doubles(state.recorded)
        let model = TrainedModel(
            normalization: normalization, classes: classes, loss: configuration.loss, layout: layout,
            parameters: parameters, accuracyRule: accuracyRule)
        return ModelPlot(curve: curve(of: model), boundary: boundary(of: model))
    }
}
