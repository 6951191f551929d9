/// Something that happened to a job, told to the runner's subscribers (`JobRunner.subscribe`,
/// `JobRunner.observe`, a submission's `onFinish`).
///
/// The runner reports; it does not count, format or log. Whoever listens (the service's metrics and
/// log lines, an event stream, a waiting request) decides what an event is worth, so `Jobs` stays free
/// of any monitoring library.
public struct JobEvent: Sendable {
    /// What changed.
    public enum Change: Sendable, Equatable {
        /// Accepted, waiting for a worker (a job that starts at once skips this).
        case queued
        /// A worker took it.
        case started
        /// It reported progress (`job.progress`, perhaps a new `job.attachment`).
        case progressed
        /// A client asked to cancel it while it runs (it stops at its next check).
        case cancelRequested
        /// It ended: `job.status` is succeeded, failed or cancelled.
        case finished
        /// It was refused and never existed (`job.id` was never given out).
        case rejected(JobSubmissionError)
    }

    /// What changed.
    public var change: Change
    /// The job after the change.
    public var job: JobSnapshot
    /// The lane it runs in: `.request` work is not listed or kept.
    public var lane: JobRunner.Lane
    /// The submitter's tag for the job, if it gave one (`submit(correlationID:)`): the HTTP layer
    /// passes its request id, so a job's lines can be matched to the request that made it.
    public var correlationID: String?
    /// Jobs waiting for a worker just after the change.
    public var queueDepth: Int

    /// An event of `job`; a backend outside this module tells its subscribers with these.
    public init(
        change: Change, job: JobSnapshot, lane: JobRunner.Lane = .kept, correlationID: String? = nil,
        queueDepth: Int = 0
    ) {
        self.change = change
        self.job = job
        self.lane = lane
        self.correlationID = correlationID
        self.queueDepth = queueDepth
    }
}
