import Foundation
import Dispatch
import Jobs
import PostgresNIO
import Synchronization

extension PostgresJobBackend {
    /// SIGTERM: stops taking and claiming jobs, gives running ones up to `gracePeriod` to finish, then
    /// gives the rest back to the queue for another replica (not failed: their attempt is not
    /// counted), stops them here, and closes the connections. Blocks the calling thread (not a
    /// Swift-concurrency thread) until done.
    public func shutdown(gracePeriod: Duration) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await self.shutdown(gracePeriod: gracePeriod)
            done.signal()
        }
        done.wait()
    }

    /// `shutdown(gracePeriod:)` for callers in Swift concurrency.
    public func shutdown(gracePeriod: Duration) async {
        state.withLock { $0.phase = .draining }
        let deadline = ContinuousClock.now + gracePeriod
        while ContinuousClock.now < deadline, state.withLock({ !$0.local.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let remaining = state.withLock { state in
            for id in state.local.keys { state.local[id]!.released = true }
            return Array(state.local.keys)
        }
        if !remaining.isEmpty {
            await release(remaining)
            for id in remaining { _ = runner.cancel(id) }
        }
        state.withLock { $0.phase = .stopped }
        await stopLoops()
    }

    /// Gives jobs this replica runs back to the queue: another replica starts them from the beginning
    /// (the attempt is not counted against `maxAttempts`).
    func release(_ ids: [JobID]) async {
        let uuids = ids.map(JobRow.uuid)
        do {
            let rows = try await fetch(
                """
                UPDATE nabla_jobs SET status = 'queued', worker = NULL, lease_expires_at = NULL, started_at = NULL,
                       attempt = attempt - 1, progress = '{}', plot = NULL, seq = seq + 1,
                       updated_at = clock_timestamp()
                 WHERE id = ANY(\(uuids)) AND worker = \(settings.replicaID) AND status = 'running'
                RETURNING id
                """
            )
            let released = rows.count
            logger.info("jobs released to other replicas", metadata: ["jobs": .stringConvertible(released)])
        } catch {
            logger.error(
                "jobs not released (their lease will lapse and another replica will take them)",
                metadata: ["error": .string(Self.describe(error))])
        }
        state.withLock { state in for id in ids { state.local[id] = nil } }
    }
}
