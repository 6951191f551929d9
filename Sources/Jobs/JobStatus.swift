/// Where a job is in its life. The only transitions are
/// `queued → running → succeeded | failed | cancelled` and `queued → cancelled | failed` (a queued
/// job the service stops on shutdown fails with reason `shutdown`).
public enum JobStatus: String, Sendable, CaseIterable {
    /// Accepted and waiting for a worker.
    case queued
    /// A worker is running it.
    case running
    /// It finished and has a result.
    case succeeded
    /// It stopped with an error, ran past the time limit (`JobFailure.Reason.timeLimit`), or the
    /// service stopped before it finished (`.shutdown`).
    case failed
    /// A client cancelled it before it finished. (Jobs the service stops on shutdown are `failed` with
    /// reason `.shutdown`.)
    case cancelled

    /// True for the three final states.
    public var isFinished: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }
}
