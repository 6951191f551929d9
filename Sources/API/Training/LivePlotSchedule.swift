/// When a running training job plots its model for the job's attachment: at its first progress report
/// (they come every `record_every` epochs), then at the first report at least `interval` after the
/// last plot began and at least `costFactor` times that plot's own duration after it, so plotting a
/// large model takes at most about 1/`costFactor` of the run. A model with nothing to plot is not
/// asked again.
struct LivePlotSchedule {
    typealias Instant = ContinuousClock.Instant

    /// The least time between two plots.
    static let interval = Duration.milliseconds(250)
    /// Plots begin at least this many times their own duration apart.
    static let costFactor = 20

    /// When the next plot is due; nil before the first.
    private(set) var next: Instant?
    private var hasNothingToPlot = false

    /// True when the progress report at `now` should carry a plot (then take it and `record` it).
    func isDue(at now: Instant) -> Bool {
        guard !hasNothingToPlot else { return false }
        guard let next else { return true }
        return now >= next
    }

    /// Schedules the next plot after one taken from `started` to `finished`; `plotted` is false when
    /// the model had nothing to plot.
    mutating func record(plotted: Bool, from started: Instant, to finished: Instant) {
        next = started + max(Self.interval, (finished - started) * Self.costFactor)
        hasNothingToPlot = !plotted
    }
}
