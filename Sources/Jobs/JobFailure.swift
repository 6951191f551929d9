/// Why a job failed or was cancelled: a reason the API spells for clients, and a sentence for people.
public struct JobFailure: Error, Sendable, Equatable {
    /// The kinds of ending that are not success. Jobs names them; the API chooses how they are written.
    public enum Reason: Sendable, Equatable, Hashable {
        /// A client cancelled it.
        case cancelled
        /// The service stopped (or restarted) before it finished.
        case shutdown
        /// It ran past its time limit.
        case timeLimit
        /// The replica running it stopped, and so did every replica that took it again, as many times
        /// as a job may be attempted (jobs shared by replicas).
        case workerLost
        /// The work failed for a reason of its own, named by the work's submitter (`internal` when unknown).
        case failed(code: String)
    }

    /// Why.
    public var reason: Reason
    /// What happened, for people.
    public var message: String

    /// A failure with this reason and message.
    public init(_ reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }
}
