/// Something that happened to a job, told to the runner's event handlers (`JobRunner.addEventHandler`).
///
/// The runner reports; it does not count, format or log. Whoever listens (the service's metrics and
/// log lines) decides what an event is worth, so `Jobs` stays free of any monitoring library.
public struct JobEvent: Sendable {
    /// What changed.
    public enum Change: Sendable, Equatable {
        /// Accepted, waiting for a worker (a job that starts at once skips this).
        case queued
        /// A worker took it.
        case started
        /// It reported progress (`job.progress`).
        case progressed
        /// It ended: `job.status` is succeeded, failed or cancelled.
        case finished
        /// It was refused and never existed (`job.id` was never given out).
        case rejected(JobSubmissionError)
    }

    /// What changed.
    public var change: Change
    /// The job after the change.
    public var job: JobSnapshot
    /// False for synchronous work (not listed, not kept: `submit(retain: false)`).
    public var retained: Bool
    /// The submitter's tag for the job, if it gave one (`submit(correlationID:)`): the HTTP layer
    /// passes its request id, so a job's lines can be matched to the request that made it.
    public var correlationID: String?
    /// Jobs waiting for a worker just after the change.
    public var queueDepth: Int
}
