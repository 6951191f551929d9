import Jobs
import NeuralNet
import Synchronization
import JSON

/// The latest plot of each running training job: published by the job as it trains (on its own
/// thread, `LivePlotSchedule` says when), read by its event streams (`epoch` events) and by
/// `GET /v1/jobs/{id}` (its `progress`). An entry lives from the job's first plot until its run
/// returns, so there are at most as many as jobs running, each one curve or one boundary grid.
///
/// Process-wide rather than one per `NablaAPI`: the jobs' progress (`JobSnapshot.progress`) holds
/// numbers only, and job ids are random 128-bit values, so jobs of several APIs never collide.
final class LiveTrainingPlots: Sendable {
    /// One plot of a job's model.
    struct Plot: Sendable {
        /// Counts the job's plots from 1: a stream sends each plot once (`JobEventStream`).
        let sequence: Int
        /// The epoch whose parameters it plots.
        let epoch: Int
        /// `curve` or `boundary`, then `plot_epoch`, as members of the job's progress.
        let members: [(key: String, value: JSONValue)]
        /// The same members written once, each after a comma, to splice into every event that carries
        /// them: a boundary grid is thousands of numbers, and a job may have several listeners.
        let bytes: [UInt8]
    }

    /// The one registry.
    static let shared = LiveTrainingPlots()

    private let plots = Mutex<[JobID: Plot]>([:])

    /// Keeps `plot` (taken after epoch `epoch`) as job `id`'s latest, replacing the one before.
    func publish(_ plot: ModelPlot, epoch: Int, for id: JobID) {
        let members = plot.members + [("plot_epoch", .number(Double(epoch)))]
        var bytes = JSONWriter.bytes(.object(members))
        bytes[0] = UInt8(ascii: ",")  // the object's opening brace: the members follow others
        bytes.removeLast()  // its closing brace
        plots.withLock { plots in
            let sequence = (plots[id]?.sequence ?? 0) + 1
            plots[id] = Plot(sequence: sequence, epoch: epoch, members: members, bytes: bytes)
        }
    }

    /// Job `id`'s latest plot, if it is running and has plotted.
    func latest(for id: JobID) -> Plot? {
        plots.withLock { $0[id] }
    }

    /// Forgets job `id`'s plots (its run has returned; the result has the final curve or boundary).
    func remove(_ id: JobID) {
        _ = plots.withLock { $0.removeValue(forKey: id) }
    }
}
