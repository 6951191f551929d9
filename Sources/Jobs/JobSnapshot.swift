public import Foundation

/// A job as seen at one moment: what clients read back.
public struct JobSnapshot: Sendable {
    /// The job's id.
    public var id: JobID
    /// What kind of work it is (`sleep`, `train`, ...), chosen by the submitter.
    public var kind: String
    /// Whose job it is, as the submitter names it (opaque here; the API's key name), or nil for jobs
    /// submitted anonymously.
    public var owner: String?
    /// Its state.
    public var status: JobStatus
    /// When it was accepted, started and finished (wall clock).
    public var created: Date
    public var started: Date?
    public var finished: Date?
    /// The job's latest progress values (e.g. `epoch`, `loss`); empty until it reports.
    public var progress: [String: Double]
    /// The latest attachment the running job published with its progress (a plot); nil once it ends.
    public var attachment: JobAttachment?
    /// The submitter's request, opaque bytes kept for clients to read back.
    public var request: [UInt8]
    /// The result's bytes once succeeded, or the partial result of work interrupted with a
    /// `JobPartialResult` (then the status is `cancelled` or `failed`).
    public var result: [UInt8]?
    /// Why it failed or was cancelled.
    public var failure: JobFailure?
    /// True once cancellation was asked for (a running job stops at its next check).
    public var cancelRequested: Bool
    /// How many times a replica has started it, where replicas share jobs (a replica that stops takes
    /// its runs with it, and another starts the job again); 0 where jobs live in one process.
    public var attempt: Int
    /// Counts the changes the runner made to this job: a store keeps the highest revision it was given,
    /// since saves happen outside the runner's lock and may arrive out of order.
    public internal(set) var revision: Int

    /// A freshly queued job.
    public init(id: JobID, kind: String, request: [UInt8], created: Date = Date(), owner: String? = nil) {
        self.id = id
        self.kind = kind
        self.owner = owner
        self.status = .queued
        self.created = created
        self.progress = [:]
        self.request = request
        self.cancelRequested = false
        self.attempt = 0
        self.revision = 0
    }

    /// A job as a store outside this module kept it: `revision` orders its states as the runner's own
    /// revisions do (a database's change counter).
    public init(
        id: JobID, kind: String, owner: String?, status: JobStatus, created: Date, started: Date?, finished: Date?,
        progress: [String: Double], attachment: JobAttachment?, request: [UInt8], result: [UInt8]?,
        failure: JobFailure?, cancelRequested: Bool, attempt: Int, revision: Int
    ) {
        self.id = id
        self.kind = kind
        self.owner = owner
        self.status = status
        self.created = created
        self.started = started
        self.finished = finished
        self.progress = progress
        self.attachment = attachment
        self.request = request
        self.result = result
        self.failure = failure
        self.cancelRequested = cancelRequested
        self.attempt = attempt
        self.revision = revision
    }
}
