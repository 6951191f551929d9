import Jobs
import NeuralNet
import JSON

extension TrainingSubmission {
    /// Trains as job `context`: progress after every `record_every` epochs, a cancellation check
    /// before every batch. A run stopped by a cancel or the time limit keeps its history and
    /// parameters so far: they are thrown as a `JobPartialResult`, so the job ends `cancelled` (or
    /// `failed`, `time_limit`) with them as its result.
    ///
    /// While it runs, some progress reports (`LivePlotSchedule`: about four a second at most) also
    /// plot the model as it stands, for `LiveTrainingPlots`; the plots do not change the result.
    ///
    /// Static, so the job keeps the plan and the hash but not the normalised request (which holds the
    /// data once more).
    static func run(_ plan: TrainingPlan, configHash: String, _ context: JobContext) throws -> JSONValue {
        let plots = LiveTrainingPlots.shared
        defer { plots.remove(context.id) }
        let clock = ContinuousClock()
        var schedule = LivePlotSchedule()
        let result = plan.run(
            progressWithPlot: { progress, plot in
                let now = clock.now
                if schedule.isDue(at: now) {
                    let taken = plot()
                    schedule.record(plotted: !taken.isEmpty, from: now, to: clock.now)
                    if !taken.isEmpty { plots.publish(taken, epoch: progress.epoch, for: context.id) }
                }
                context.report(Self.progress(progress))
            },
            checkCancellation: { try context.checkCancellation() })
        let json = result.json(
            configHash: configHash, rows: plan.rowCounts, parameterCount: plan.parameterCount, points: plan.points)
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
