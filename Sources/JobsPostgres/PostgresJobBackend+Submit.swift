import Foundation
public import Jobs
import PostgresNIO
import Synchronization

extension PostgresJobBackend {
    /// Inserts the job (`nabla_submit`, one round trip): `running` on this replica when a worker is free
    /// (it starts at once, with the work as submitted), else `queued`. The client's limit and the
    /// queue's length are counted over every replica's jobs. The answer comes after the commit: every
    /// replica can read the job at once.
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
        let row: JobSnapshot
        do {
            let rows = try await fetch(
                """
                SELECT \(unescaped: JobRow.summaryColumns) FROM nabla_submit(\(JobRow.uuid(id)), \(submission.kind)::text,
                    \(submission.owner)::text, \(submission.client)::text, \(ByteBuffer(bytes: submission.request)),
                    \(settings.maxAttempts)::integer, \(runHere ? settings.replicaID : nil)::text,
                    \(settings.lease.seconds)::double precision, \(configuration.maxJobsPerClient)::integer,
                    \(configuration.queueLimit)::integer)
                """
            )
            var inserted: JobSnapshot?
            for row in rows { inserted = try JobRow.snapshot(row) }
            guard var inserted else { throw JobRow.Problem(description: "the insert returned no row") }
            inserted.request = submission.request
            row = inserted
        } catch {
            if runHere { state.withLock { $0.reserved -= 1 } }
            switch (error as? PSQLError)?.serverInfo?[.sqlState] {
            case JobSchema.clientLimitCode:
                throw .clientLimit(limit: configuration.maxJobsPerClient, retryAfterSeconds: 1)
            case JobSchema.queueFullCode:
                throw .queueFull(retryAfterSeconds: 1)
            default:
                logger.error(
                    "job not accepted: the database failed", metadata: ["error": .string(Self.describe(error))])
                markUnreachable()
                throw .unavailable(retryAfterSeconds: 5)
            }
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
