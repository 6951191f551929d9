import Synchronization

extension JobRunner: JobBackend {
    /// Runs the job in this process (`submit(kind:request:lane:client:owner:correlationID:work:)`).
    public func submit(_ submission: KeptJobSubmission, work: @escaping Work) async throws(JobSubmissionError)
        -> JobSnapshot
    {
        try submit(
            kind: submission.kind, request: submission.request, lane: .kept, client: submission.client,
            owner: submission.owner, correlationID: submission.correlationID, work: work)
    }

    public func job(_ id: JobID) async throws(JobBackendError) -> JobSnapshot? {
        snapshot(id)
    }

    public func jobs(limit: Int, ownedBy owner: String?) async throws(JobBackendError) -> [JobSnapshot] {
        recent(limit: limit, ownedBy: owner)
    }

    public func cancelJob(_ id: JobID) async throws(JobBackendError) -> CancelOutcome {
        cancel(id)
    }

    public func watch(_ id: JobID, _ subscriber: @escaping Subscriber) async throws(JobBackendError) -> (
        snapshot: JobSnapshot, subscription: Subscription?
    )? {
        observe(id, subscriber)
    }

    /// Nil while the runner accepts jobs; why not once it drains.
    public var unavailability: String? {
        state.withLock { $0.lifecycle == .accepting ? nil : "shutting down" }
    }
}
