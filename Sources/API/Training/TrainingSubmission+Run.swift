import Jobs
import NeuralNet
import JSON

extension TrainingSubmission {
    /// Trains as job `context`: progress after every `record_every` epochs, an interruption check
    /// before every batch. A run stopped by a cancel or the time limit keeps its history and
    /// parameters so far: they are thrown as a `JobPartialResult`, so the job ends `cancelled` (or
    /// `failed`, `time_limit`) with them as its result.
    ///
    /// While it runs, some progress reports (`LivePlotSchedule`: about four a second at most) also
    /// plot the model as it stands, published as the job's attachment (`curve` or `boundary`, and
    /// `plot_epoch`) for its event streams and `GET`; the plots do not change the result.
    ///
    /// Static, so the job keeps the plan and the hash but not the normalised request (which holds the
    /// data once more).
    static func run(_ plan: TrainingPlan, configHash: String, _ context: JobContext) throws -> JSONValue {
        let clock = ContinuousClock()
        var schedule = LivePlotSchedule()
        let result = plan.run(
            progressWithPlot: { progress, plot in
                let now = clock.now
                var attachment: [JobAttachment.Member]?
                if schedule.isDue(at: now) {
                    let taken = plot()
                    schedule.record(plotted: !taken.isEmpty, from: now, to: clock.now)
                    if !taken.isEmpty { attachment = Self.attachment(taken, epoch: progress.epoch) }
                }
                context.report(Self.progress(progress), attachment: attachment)
            },
            checkInterruption: { try context.checkInterruption() })
        let json = result.json(
            configHash: configHash, rows: plan.rowCounts, parameterCount: plan.parameterCount, points: plan.points)
        if result.stopReason == .interrupted, let interruption = result.interruption as? JobInterruption {
            throw JobPartialResult(interruption: interruption, result: JSONWriter.bytes(json))
        }
        return json
    }

    /// A plot as the job's attachment: its members written once (a boundary grid is thousands of
    /// numbers, and a job may have several listeners), then `plot_epoch`.
    static func attachment(_ plot: ModelPlot, epoch: Int) -> [JobAttachment.Member] {
        (plot.members + [("plot_epoch", .number(Double(epoch)))]).map {
            JobAttachment.Member(name: $0.key, encoded: JSONWriter.bytes($0.value))
        }
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
