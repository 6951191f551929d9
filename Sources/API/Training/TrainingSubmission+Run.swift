import Jobs
import NeuralNet

extension TrainingSubmission {
    /// Trains as job `context`: progress after every `record_every` epochs, a cancellation check
    /// before every batch. A run stopped by a cancel or the time limit keeps its history and
    /// parameters so far: they are thrown as a `JobPartialResult`, so the job ends `cancelled` (or
    /// `failed`, `time_limit`) with them as its result.
    ///
    /// Static, so the job keeps the plan and the hash but not the normalised request (which holds the
    /// data once more).
    static func run(_ plan: TrainingPlan, configHash: String, _ context: JobContext) throws -> JSONValue {
        let result = plan.run(
            progress: { context.report(Self.progress($0)) }, checkCancellation: { try context.checkCancellation() })
        let json = result.json(configHash: configHash, rows: plan.rowCounts, parameterCount: plan.parameterCount)
        if result.stopReason == .interrupted, let interruption = result.interruption as? JobInterruption {
            throw JobPartialResult(interruption: interruption, result: JSONWriter.bytes(json))
        }
        return json
    }

    /// The job's progress (and each `epoch` event): `epoch`, `epochs`, `loss`, and where they exist
    /// `validation_loss`, `accuracy`, `validation_accuracy`.
    static func progress(_ progress: TrainingProgress) -> [String: Double] {
        var values = ["epoch": Double(progress.epoch), "epochs": Double(progress.epochs), "loss": progress.loss]
        values["validation_loss"] = progress.validationLoss
        values["accuracy"] = progress.accuracy
        values["validation_accuracy"] = progress.validationAccuracy
        return values
    }
}
