import Foundation
public import Jobs
import PostgresNIO
import Synchronization

extension PostgresJobBackend {
    public func job(_ id: JobID) async throws(JobBackendError) -> JobSnapshot? {
        try await read(
            "SELECT \(unescaped: JobRow.allColumns) FROM nabla_jobs WHERE id = \(JobRow.uuid(id))"
        ).first
    }

    public func jobs(limit: Int, ownedBy owner: String?) async throws(JobBackendError) -> [JobSnapshot] {
        try await read(
            """
            SELECT \(unescaped: JobRow.summaryColumns) FROM nabla_jobs WHERE owner IS NOT DISTINCT FROM \(owner)
             ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """)
    }

    /// Cancels through the row, whichever replica runs the job: a queued job ends at once; a running
    /// one is marked, and its replica hears of it by notification (or its next heartbeat).
    public func cancelJob(_ id: JobID) async throws(JobBackendError) -> JobRunner.CancelOutcome {
        let columns = JobRow.allColumns.split(separator: ",").map { "j." + $0.trimmingPrefix(while: \.isWhitespace) }
        var found: (before: String, job: JobSnapshot)?
        do {
            let rows = try await fetch(
                """
                WITH old AS (SELECT id, status AS before, cancel_requested AS asked FROM nabla_jobs
                              WHERE id = \(JobRow.uuid(id)) FOR UPDATE)
                UPDATE nabla_jobs j
                   SET cancel_requested = j.cancel_requested OR old.before IN ('queued', 'running'),
                       status = CASE WHEN old.before = 'queued' THEN 'cancelled' ELSE j.status END,
                       finished_at = CASE WHEN old.before = 'queued' THEN now() ELSE j.finished_at END,
                       failure_reason = CASE WHEN old.before = 'queued' THEN 'cancelled' ELSE j.failure_reason END,
                       failure_message = CASE WHEN old.before = 'queued' THEN 'cancelled by a client'
                                              ELSE j.failure_message END,
                       seq = CASE WHEN old.before = 'queued' OR (old.before = 'running' AND NOT old.asked)
                                  THEN j.seq + 1 ELSE j.seq END,
                       updated_at = clock_timestamp()
                  FROM old WHERE j.id = old.id
                RETURNING old.before, \(unescaped: columns.joined(separator: ", "))
                """
            )
            for row in rows {
                found = (try row.makeRandomAccess()["before"].decode(String.self), try JobRow.snapshot(row))
            }
        } catch {
            throw unavailable(error)
        }
        guard let (before, job) = found else { return .notFound }
        switch before {
        case "queued": return .cancelled(job)
        case "running":
            if state.withLock({ $0.local[id] != nil }) { _ = runner.cancel(id) }
            return .cancelling(job)
        default: return .alreadyFinished(job)
        }
    }

    public func watch(_ id: JobID, _ subscriber: @escaping JobRunner.Subscriber) async throws(JobBackendError) -> (
        snapshot: JobSnapshot, subscription: JobRunner.Subscription?
    )? {
        let subscription = state.withLock { state in
            let subscription = JobRunner.Subscription(value: state.nextSubscription, job: id)
            state.nextSubscription += 1
            state.watches[id, default: Watch()].subscribers[subscription] = subscriber
            return subscription
        }
        let job: JobSnapshot?
        do {
            job = try await read(
                "SELECT \(unescaped: JobRow.streamColumns) FROM nabla_jobs WHERE id = \(JobRow.uuid(id))"
            ).first
        } catch {
            unsubscribe(subscription)
            throw error
        }
        guard let job, !job.status.isFinished else {
            unsubscribe(subscription)
            return job.map { ($0, nil) }
        }
        let readAgain = state.withLock { state -> Bool in
            guard var watch = state.watches[id] else { return false }
            if !watch.ready {
                watch.ready = true
                watch.seen = job.revision
            }
            let again = watch.readAgain && !watch.reading
            if again { watch.reading = true }
            watch.readAgain = false
            state.watches[id] = watch
            return again
        }
        if readAgain { Task { await self.refresh(id) } }
        return (job, subscription)
    }

    public func unsubscribe(_ subscription: JobRunner.Subscription) {
        guard let id = subscription.job else { return }
        state.withLock { state in
            state.watches[id]?.subscribers[subscription] = nil
            if state.watches[id]?.subscribers.isEmpty == true { state.watches[id] = nil }
        }
    }

    /// A notification that job `id` changed (its counter is now `seq`): watched jobs are read again,
    /// one read at a time per job (a notification during a read asks for one more).
    func changed(_ id: JobID, seq: Int) {
        let start = state.withLock { state -> Bool in
            guard var watch = state.watches[id] else { return false }
            guard watch.ready else {
                watch.readAgain = true
                state.watches[id] = watch
                return false
            }
            guard seq > watch.seen else { return false }
            if watch.reading {
                watch.readAgain = true
                state.watches[id] = watch
                return false
            }
            watch.reading = true
            state.watches[id] = watch
            return true
        }
        if start { Task { await self.refresh(id) } }
    }

    /// Reads every watched job again (after the listener reconnected: notifications in the gap are lost).
    func refreshAll() {
        let ids = state.withLock { state in
            state.watches.filter(\.value.ready).map(\.key).filter { id in
                guard !(state.watches[id]?.reading ?? true) else { return false }
                state.watches[id]?.reading = true
                return true
            }
        }
        for id in ids { Task { await self.refresh(id) } }
    }

    /// Reads job `id` for its watchers and tells them what changed since they last heard, until no
    /// notification came during the read.
    private func refresh(_ id: JobID) async {
        while true {
            state.withLock { $0.watches[id]?.readAgain = false }
            let job: JobSnapshot?
            do {
                job = try await read(
                    "SELECT \(unescaped: JobRow.streamColumns) FROM nabla_jobs WHERE id = \(JobRow.uuid(id))"
                ).first
            } catch {
                // The listener's reconnect reads every watched job again.
                state.withLock { $0.watches[id]?.reading = false }
                return
            }
            let (subscribers, event, again) = state.withLock {
                state -> ([JobRunner.Subscriber], JobEvent?, Bool) in
                guard var watch = state.watches[id] else { return ([], nil, false) }
                var event: JobEvent?
                if let job, job.revision > watch.seen {
                    watch.seen = job.revision
                    let change: JobEvent.Change =
                        job.status.isFinished
                        ? .finished
                        : job.status == .queued
                            ? .queued
                            : job.progress.isEmpty ? .started : .progressed
                    event = JobEvent(change: change, job: job)
                } else if job == nil {
                    // Evicted meanwhile: nothing more will come.
                    state.watches[id] = nil
                    return ([], nil, false)
                }
                let subscribers = Array(watch.subscribers.values)
                if job?.status.isFinished == true {
                    state.watches[id] = nil
                    return (subscribers, event, false)
                }
                let again = watch.readAgain
                watch.readAgain = false
                watch.reading = again
                state.watches[id] = watch
                return (subscribers, event, again)
            }
            if let event { for subscriber in subscribers { subscriber(event) } }
            if !again { return }
        }
    }

    /// The rows of `query` as jobs; a failure is the database being unavailable.
    func read(_ query: PostgresQuery) async throws(JobBackendError) -> [JobSnapshot] {
        do {
            var jobs: [JobSnapshot] = []
            for row in try await fetch(query) { jobs.append(try JobRow.snapshot(row)) }
            return jobs
        } catch {
            throw unavailable(error)
        }
    }

    func unavailable(_ error: any Error) -> JobBackendError {
        markUnreachable()
        logger.warning("job database call failed", metadata: ["error": .string(Self.describe(error))])
        return .unavailable(reason: Self.describe(error), retryAfterSeconds: 5)
    }
}
