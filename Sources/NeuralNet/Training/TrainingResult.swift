/// Everything a finished (or stopped) run returns. Every number in it is finite: a run that diverges
/// keeps only its finite history and the parameters from before.
public struct TrainingResult: Sendable {
    /// Why a run ended.
    public enum StopReason: Sendable, Hashable, CaseIterable {
        /// It ran every epoch.
        case epochs
        /// Early stopping saw no improvement for longer than its patience.
        case earlyStopping
        /// A batch loss, the validation loss or a parameter stopped being finite.
        case diverged
        /// `checkInterruption` threw (the error is in `interruption`): cancelled or out of time.
        case interrupted
    }

    /// `lossHistory[k]`: the mean over epoch `k`'s batches of each batch's loss before its update,
    /// weighted by batch size (full batch: the seed's printed loss).
    public var lossHistory: [Double]
    /// `validationLossHistory[k]`: the loss on the validation rows after epoch `k` (empty without them).
    public var validationLossHistory: [Double]
    /// Classification only: the fraction right over epoch `k`'s batches, each before its update.
    public var accuracyHistory: [Double]
    /// Classification with validation rows: the fraction right on them after epoch `k`.
    public var validationAccuracyHistory: [Double]
    /// Epochs completed and recorded (`lossHistory.count`).
    public var epochsRun: Int { lossHistory.count }
    /// Why the run ended.
    public var stopReason: StopReason
    /// What `checkInterruption` threw, when `stopReason` is `.interrupted`.
    public var interruption: (any Error)?
    /// The epoch (from 0) whose parameters were kept by early stopping's `restoreBest`, else nil.
    public var restoredEpoch: Int?
    /// The loss on the training rows with the returned parameters (nil if it is not finite).
    public var finalLoss: Double?
    /// Classification: the accuracy on the training rows with the returned parameters.
    public var finalAccuracy: Double?
    /// The number type the run trained in (the configuration's).
    public var precision: Precision = .float64
    /// The model: parameters, normalisation, classes. Its parameters are those at the end of the last
    /// recorded epoch (the initial ones if none was), or the best epoch's with `restoreBest`.
    public var model: TrainedModel
    /// Loss and accuracy on the test rows, when there are any.
    public var test: Evaluation?
    /// Backprop against central differences at the initial parameters, when asked for.
    public var gradientCheck: [GradientCheck.Layer]?
    /// One-input models: the model on 200 points across the input range.
    public var curve: Curve?
    /// Two-input classifiers: the predicted class over a grid.
    public var boundary: DecisionBoundary?
    /// Wall-clock time of the run.
    public var duration: Duration
}

/// A loss (and for classification an accuracy) measured on some rows.
public struct Evaluation: Sendable, Hashable {
    /// The loss (nil if it is not finite).
    public var loss: Double?
    /// The fraction of right predictions, for classification.
    public var accuracy: Double?
}

/// What the trainer reports every `recordEvery` epochs and after the last.
public struct TrainingProgress: Sendable, Hashable {
    /// Epochs completed (1 after the first).
    public var epoch: Int
    /// Epochs asked for.
    public var epochs: Int
    /// `lossHistory[epoch − 1]`.
    public var loss: Double
    /// `validationLossHistory[epoch − 1]`, if there is validation data.
    public var validationLoss: Double?
    /// `accuracyHistory[epoch − 1]`, for classification.
    public var accuracy: Double?
    /// `validationAccuracyHistory[epoch − 1]`, for classification with validation data.
    public var validationAccuracy: Double?
}

/// A one-input model sampled across its input range (the seed's fitted curve).
public struct Curve: Sendable, Hashable {
    /// 200 evenly spaced inputs from the smallest to the largest raw input in the data.
    public var x: [Double]
    /// The model's outputs there, `[200, outputs]`.
    public var y: Matrix
}

/// A two-input classifier's predicted classes over a grid covering the data (10% margin each side).
public struct DecisionBoundary: Sendable, Hashable {
    /// The grid's first-feature coordinates (columns).
    public var x: [Double]
    /// The grid's second-feature coordinates (rows).
    public var y: [Double]
    /// `classes[row][column]`: the class predicted at `(x[column], y[row])`.
    public var classes: [[Int]]
}
