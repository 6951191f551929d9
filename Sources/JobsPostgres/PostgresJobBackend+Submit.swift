import Foundation
public import Jobs
import PostgresNIO
import Synchronization

extension PostgresJobBackend {
    /// Why a submission's transaction refused the job.
    private enum Refusal: Error {
        case refused(JobSubmissionError)
    }

    /// Inserts the job: `running` on this replica when a worker is free (it starts at once, with the
    /// work as submitted), else `queued`. The client's limit and the queue's length are counted over
    /// every replica's jobs, under an advisory lock per client so two replicas cannot both admit one
    /// job too many. The answer comes after COMMIT: every replica can read the job at once.
    public func submit(_ submission: KeptJobSubmission, work: @escaping JobRunner.Work) async throws(JobSubmissionError)
        -> JobSnapshot
    {
        if let refusal = refusal(for: submission.client) { throw refusal }
        let maximum = runner.configuration.maxConcurrentJobs
        let runHere = state.withLock { state -> Bool in
            guard state.freeWorkers(of: maximum) > 0 else { return false }
            state.reserved += 1
            return true
        }
        let id = JobID.random()
        let configuration = runner.configuration
        let me = settings.replicaID
        let row: JobSnapshot
        do {
            row = try await client.withTransaction(logger: logger) { connection in
                if let owner = submission.client {
                    try await connection.query(
                        "SELECT pg_advisory_xact_lock(hashtextextended(\(owner), 0))", logger: self.logger
                    ).consume()
                    let active = try await Self.count(
                        connection,
                        "SELECT count(*) FROM nabla_jobs WHERE client = \(owner) AND status IN ('queued', 'running')",
                        logger: self.logger)
                    if active >= configuration.maxJobsPerClient {
                        throw Refusal.refused(
                            .clientLimit(limit: configuration.maxJobsPerClient, retryAfterSeconds: 1))
                    }
                }
                if !runHere {
                    let queued = try await Self.count(
                        connection, "SELECT count(*) FROM nabla_jobs WHERE status = 'queued'", logger: self.logger)
                    if queued >= configuration.queueLimit { throw Refusal.refused(.queueFull(retryAfterSeconds: 1)) }
                }
                let status = runHere ? "running" : "queued"
                let worker: String? = runHere ? me : nil
                let lease = self.settings.lease.seconds
                let rows = try await connection.query(
                    """
                    INSERT INTO nabla_jobs (id, kind, owner, client, request, max_attempts, status, worker, attempt,
                        started_at, lease_expires_at)
                    VALUES (\(JobRow.uuid(id)), \(submission.kind), \(submission.owner), \(submission.client),
                        \(ByteBuffer(bytes: submission.request)), \(self.settings.maxAttempts), \(status), \(worker),
                        \(runHere ? 1 : 0), CASE WHEN \(runHere) THEN now() END,
                        CASE WHEN \(runHere) THEN now() + make_interval(secs => \(lease)) END)
                    RETURNING \(unescaped: JobRow.summaryColumns)
                    """, logger: self.logger)
                var inserted: JobSnapshot?
                for try await row in rows { inserted = try JobRow.snapshot(row) }
                guard var inserted else { throw JobRow.Problem(description: "the insert returned no row") }
                inserted.request = submission.request
                return inserted
            }
        } catch Refusal.refused(let refusal) {
            if runHere { state.withLock { $0.reserved -= 1 } }
            throw refusal
        } catch {
            if runHere { state.withLock { $0.reserved -= 1 } }
            logger.error("job not accepted: the database failed", metadata: ["error": .string(Self.describe(error))])
            markUnreachable()
            throw .unavailable(retryAfterSeconds: 5)
        }
        if runHere {
            state.withLock { state in
                state.reserved -= 1
                state.local[id] = LocalRun(attempt: 1)
            }
            runLocally(
                id: id, kind: submission.kind, request: submission.request, owner: submission.owner, attempt: 1,
                correlationID: submission.correlationID, work: work)
        }
        return row
    }

    static func count(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> Int {
        var count = 0
        for try await value in try await connection.query(query, logger: logger).decode(Int.self) { count = value }
        return count
    }

    /// Notes that a statement failed: job routes answer 503 until the next heartbeat gets through.
    func markUnreachable() {
        state.withLock { $0.databaseReachable = false }
    }
}

extension Duration {
    /// In seconds, as a `Double` (for SQL intervals and log fields).
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
