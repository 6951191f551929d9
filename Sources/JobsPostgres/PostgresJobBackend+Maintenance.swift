import Foundation
import Jobs
import PostgresNIO
import Synchronization

extension PostgresJobBackend {
    /// Every `heartbeat`: renews the leases of the jobs this replica runs (and hears of cancels whose
    /// notification was lost), requeues jobs whose lease lapsed anywhere, and applies retention.
    func heartbeatLoop() async {
        var beats = 0
        while !Task.isCancelled {
            await renewLeases()
            await rescueLapsedJobs()
            if beats % 6 == 0 { await applyRetention() }
            beats += 1
            try? await Task.sleep(for: settings.heartbeat)
        }
    }

    private func renewLeases() async {
        // Only the jobs held before the statement is sent can be judged by its answer: a job submitted
        // or claimed meanwhile is committed after the renewal's snapshot and would look lost.
        let held = state.withLock { Set($0.local.keys) }
        do {
            var renewed: [JobID: (attempt: Int, cancel: Bool)] = [:]
            let rows = try await fetch(
                """
                UPDATE nabla_jobs SET lease_expires_at = now() + make_interval(secs => \(settings.lease.seconds))
                 WHERE worker = \(settings.replicaID) AND status = 'running'
                RETURNING id, attempt, cancel_requested
                """, timeout: max(settings.heartbeat, .seconds(1))
            )
            for row in rows {
                let (uuid, attempt, cancel) = try row.decode((UUID, Int, Bool).self)
                if let id = JobID(uuid.uuidString.replacing("-", with: "")) { renewed[id] = (attempt, cancel) }
            }
            let (cancelled, lost, recovered) = state.withLock { state in
                let recovered = !state.databaseReachable
                state.databaseReachable = true
                state.lastRenewal = .now
                var cancelled: [JobID] = []
                var lost: [JobID] = []
                for (id, run) in state.local where !run.released && held.contains(id) {
                    if let lease = renewed[id], lease.attempt == run.attempt {
                        if lease.cancel { cancelled.append(id) }
                    } else {
                        lost.append(id)
                    }
                }
                return (cancelled, lost, recovered)
            }
            if recovered { logger.info("job database reachable again") }
            for id in cancelled { _ = runner.cancel(id) }
            for id in lost {
                // Its end was written meanwhile, or its lease lapsed and another replica took it: either
                // way this run has nothing more to write.
                logger.debug("job no longer held here", metadata: ["job": .stringConvertible(id)])
                _ = runner.cancel(id)
            }
            if recovered { doorbell.yield() }
        } catch {
            let expired = state.withLock { state -> Bool in
                state.databaseReachable = false
                return state.lastRenewal.map { ContinuousClock.now - $0 > settings.lease } ?? false
            }
            warn("leases not renewed", error)
            if expired {
                // Past the lease another replica may run these jobs: stop ours (their writes are fenced).
                let ids = state.withLock { Array($0.local.keys) }
                for id in ids { _ = runner.cancel(id) }
            }
        }
    }

    /// Requeues running jobs whose lease lapsed (their replica stopped or lost the database), or fails
    /// them once they were started `max_attempts` times; a cancel asked for meanwhile ends them
    /// cancelled. Any replica may run it: the statement is idempotent.
    private func rescueLapsedJobs() async {
        do {
            let rows = try await fetch(
                """
                UPDATE nabla_jobs
                   SET status = CASE WHEN cancel_requested THEN 'cancelled'
                                     WHEN attempt < max_attempts THEN 'queued' ELSE 'failed' END,
                       finished_at = CASE WHEN cancel_requested OR attempt >= max_attempts THEN now() END,
                       failure_reason = CASE WHEN cancel_requested THEN 'cancelled'
                                             WHEN attempt >= max_attempts THEN 'workerLost' END,
                       failure_message = CASE WHEN cancel_requested THEN 'cancelled by a client'
                                              WHEN attempt >= max_attempts
                                              THEN 'the replicas running this job stopped ' || attempt
                                                   || ' times; submit it again' END,
                       worker = NULL, lease_expires_at = NULL, plot = NULL, seq = seq + 1,
                       updated_at = clock_timestamp()
                 WHERE status = 'running' AND lease_expires_at < now()
                RETURNING id, status, attempt, worker
                """
            )
            for row in rows {
                let (uuid, status, attempt) = try row.decode((UUID, String, Int).self)
                logger.warning(
                    "job's lease lapsed",
                    metadata: [
                        "job": .string(uuid.uuidString.replacing("-", with: "").lowercased()),
                        "now": .string(status), "attempt": .stringConvertible(attempt),
                    ])
            }
        } catch {
            logger.debug("rescue skipped", metadata: ["error": .string(Self.describe(error))])
        }
    }

    /// Deletes finished jobs past their retention, beyond the count kept, or while the kept requests
    /// and results pass the byte limit: in batches of 1,000; then the datasets no one can use.
    private func applyRetention() async {
        let configuration = settings
        let statements: [PostgresQuery] = [
            """
            DELETE FROM nabla_jobs WHERE id IN (SELECT id FROM nabla_jobs
             WHERE finished_at < now() - make_interval(secs => \(configuration.retention.seconds))
             ORDER BY finished_at LIMIT 1000)
            """,
            """
            DELETE FROM nabla_jobs WHERE id IN (SELECT id FROM nabla_jobs WHERE finished_at IS NOT NULL
             ORDER BY finished_at DESC, id DESC OFFSET \(configuration.maxRetainedJobs) LIMIT 1000)
            """,
            """
            DELETE FROM nabla_jobs WHERE id IN (SELECT id FROM (SELECT id,
                sum(bytes) OVER (ORDER BY finished_at DESC, id DESC) AS newer
                FROM nabla_jobs WHERE finished_at IS NOT NULL) kept
             WHERE newer > \(configuration.maxRetainedBytes) LIMIT 1000)
            """,
        ]
        for statement in statements {
            do {
                _ = try await fetch(statement)
            } catch {
                logger.debug("retention skipped", metadata: ["error": .string(Self.describe(error))])
                return
            }
        }
        do {
            try await datasets.sweep()
        } catch {
            logger.debug("dataset sweep skipped", metadata: ["error": .string(Self.describe(error))])
        }
    }

    /// Listens on the jobs channel on one connection, reconnecting with backoff when it drops; after
    /// each (re)connection, reads every watched job again and looks for queued jobs, since
    /// notifications sent while no one listened are lost.
    func listenLoop() async {
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: JobSchema.channel) { notifications in
                        backoff.reset()
                        self.refreshAll()
                        self.doorbell.yield()
                        for try await notification in notifications { self.heard(notification.payload) }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "job notifications lost; reconnecting", metadata: ["error": .string(Self.describe(error))])
            }
            await backoff.wait()
        }
    }

    /// One notification: `"<id> <seq> <status> <c|->"`.
    private func heard(_ payload: String) {
        let fields = payload.split(separator: " ")
        guard fields.count == 4, let id = JobRow.id(fromNotified: fields[0]), let seq = Int(fields[1]) else { return }
        if fields[2] == "queued" { doorbell.yield() }
        if fields[3] == "c", fields[2] == "running", state.withLock({ $0.local[id] != nil }) { _ = runner.cancel(id) }
        changed(id, seq: seq)
    }
}
