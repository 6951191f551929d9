/// Where kept jobs are accepted, read, cancelled and watched: this process's `JobRunner`, or a
/// database shared by replicas (the `JobsPostgres` module), where any replica may run a job another
/// accepted. The HTTP layer reaches kept jobs only through this protocol. Calls may wait for a
/// database, hence `async`; none blocks a thread while it waits.
public protocol JobBackend: Sendable {
    /// Accepts a kept job. `work` is its work as the submitter built it; a backend whose jobs may run
    /// elsewhere rebuilds it there from `submission.kind` and `submission.request` (`JobWorkRegistry`).
    func submit(_ submission: KeptJobSubmission, work: @escaping JobRunner.Work) async throws(JobSubmissionError)
        -> JobSnapshot

    /// Why a job of `client` would be refused now, when that is known without asking anyone (the
    /// backend is draining or unreachable, the local runner is full); nil when it may be accepted.
    func refusal(for client: String?) -> JobSubmissionError?

    /// The kept job as it is now, or nil if there is none (never was, or evicted).
    func job(_ id: JobID) async throws(JobBackendError) -> JobSnapshot?

    /// `owner`'s kept jobs (nil: the anonymous ones), newest first, without their requests and results.
    func jobs(limit: Int, ownedBy owner: String?) async throws(JobBackendError) -> [JobSnapshot]

    /// Cancels a kept job: a queued one at once, a running one at its next interruption check.
    func cancelJob(_ id: JobID) async throws(JobBackendError) -> JobRunner.CancelOutcome

    /// Calls `subscriber` with later events of job `id` until it finishes (`finished` is the last);
    /// returns the job as it is now and a subscription, or no subscription if it has already
    /// finished; nil if there is no such job.
    func watch(_ id: JobID, _ subscriber: @escaping JobRunner.Subscriber) async throws(JobBackendError) -> (
        snapshot: JobSnapshot, subscription: JobRunner.Subscription?
    )?

    /// Stops calling a subscriber of `watch`.
    func unsubscribe(_ subscription: JobRunner.Subscription)

    /// Why the backend takes no jobs now (shown by `/readyz`), or nil when it does.
    var unavailability: String? { get }
}

/// What a kept job is, as its submitter describes it.
public struct KeptJobSubmission: Sendable {
    /// What kind of work (`train`, `sleep`): names the work in a `JobWorkRegistry`.
    public var kind: String
    /// The normalized request: enough to rebuild the work.
    public var request: [UInt8]
    /// Who submits it, held to the per-client job limit; nil is not counted.
    public var client: String?
    /// Whose job it is; nil: anonymous.
    public var owner: String?
    /// The submitter's tag for the job's events.
    public var correlationID: String?

    /// A submission of a `kind` job with this request.
    public init(kind: String, request: [UInt8], client: String?, owner: String?, correlationID: String?) {
        self.kind = kind
        self.request = request
        self.client = client
        self.owner = owner
        self.correlationID = correlationID
    }
}

/// Why a backend could not answer: where jobs are kept cannot be reached now.
public enum JobBackendError: Error, Sendable, Equatable {
    /// Try again after this many seconds; `reason` says what failed, for logs.
    case unavailable(reason: String, retryAfterSeconds: Int)
}
