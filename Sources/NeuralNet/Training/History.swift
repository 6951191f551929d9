/// The per-epoch histories of a run. Space for the first `reservedEpochs` epochs is reserved up front;
/// longer runs grow their arrays as they go (doubling: a handful of copies over a million epochs).
/// Reserving every epoch up front took 8 MB a series for a 1,000,000-epoch run before its first epoch
/// (32 MB with validation and accuracy), however soon it was cancelled or stopped early; with runs
/// cancelled after a few seconds, a 10-minute soak's resident memory ended at 59 MB and grew 10 % after
/// its warm-up, against 46 MB and 7 % with this cap.
struct History {
    /// Epochs reserved up front: 512 KiB a series.
    static let reservedEpochs = 65_536

    private(set) var loss: [Double] = []
    private(set) var validationLoss: [Double] = []
    private(set) var accuracy: [Double] = []
    private(set) var validationAccuracy: [Double] = []

    init(epochs: Int, validation: Bool, accuracy: Bool) {
        let capacity = min(epochs, Self.reservedEpochs)
        loss.reserveCapacity(capacity)
        if validation { validationLoss.reserveCapacity(capacity) }
        if accuracy { self.accuracy.reserveCapacity(capacity) }
        if validation && accuracy { validationAccuracy.reserveCapacity(capacity) }
    }

    /// Records one epoch.
    mutating func append(loss: Double, accuracy: Double?, validation: Evaluation?) {
        self.loss.append(loss)
        if let accuracy { self.accuracy.append(accuracy) }
        if let validation {
            validationLoss.append(validation.loss!)
            if let accuracy = validation.accuracy { validationAccuracy.append(accuracy) }
        }
    }

    /// The progress report for the last recorded epoch.
    func progress(epochs: Int) -> TrainingProgress {
        TrainingProgress(
            epoch: loss.count, epochs: epochs, loss: loss[loss.count - 1], validationLoss: validationLoss.last,
            accuracy: accuracy.last, validationAccuracy: validationAccuracy.last)
    }
}

/// Early stopping's bookkeeping: the best monitored loss, its epoch, and epochs since.
struct EarlyStoppingState {
    let settings: EarlyStopping
    private(set) var bestLoss = Double.infinity
    private(set) var bestEpoch: Int?
    private var epochsWithoutImprovement = 0

    init(_ settings: EarlyStopping) {
        self.settings = settings
    }

    /// Takes epoch `epoch`'s monitored loss; true when the run should stop. On improvement, keeps the
    /// run's parameters as the best (with `restoreBest`).
    mutating func observe(_ loss: Double, epoch: Int, state: TrainingRun) -> Bool {
        if loss < bestLoss - settings.minDelta {
            bestLoss = loss
            bestEpoch = epoch
            epochsWithoutImprovement = 0
            state.best?.update(from: state.parameters, count: state.parameterCount)
            return false
        }
        epochsWithoutImprovement += 1
        return epochsWithoutImprovement > settings.patience
    }
}
