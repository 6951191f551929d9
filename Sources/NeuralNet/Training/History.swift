/// The per-epoch histories of a run. Space for the first `reservedEpochs` epochs is reserved up front;
/// longer runs grow their arrays as they go (doubling: a handful of copies over a million epochs).
/// Not every epoch up front: a run of a million epochs would hold 8 MB a series (32 MB with validation
/// and accuracy) before its first epoch, however soon it is cancelled or stops early, and a service
/// that cancels such runs often would see its resident memory creep (README: the soak).
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
    mutating func observe<Scalar>(_ loss: Double, epoch: Int, state: TrainingRun<Scalar>) -> Bool {
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
