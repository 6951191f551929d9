/// Where a job is in its life. The only transitions are
/// `queued → running → succeeded | failed | cancelled` and `queued → cancelled`.
public enum JobStatus: String, Sendable, CaseIterable {
    /// Accepted and waiting for a worker.
    case queued
    /// A worker is running it.
    case running
    /// It finished and has a result.
    case succeeded
    /// It stopped with an error, or ran past the time limit (reason `time_limit`).
    case failed
    /// It was cancelled (by a client or by shutdown) before it finished.
    case cancelled

    /// True for the three final states.
    public var isFinished: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }
}
