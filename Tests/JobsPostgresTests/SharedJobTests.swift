import Foundation
import Jobs
import PostgresNIO
import Synchronization
import TestSupport
import Testing

@testable import JobsPostgres

/// Replicas sharing jobs through a live PostgreSQL (`SharedDatabase`): two or three backends in this
/// process, each with its own runner, stand for replicas.
@Suite(
    .serialized,
    .enabled(if: SharedDatabase.isConfigured, "NABLA_TEST_DATABASE_URL is not set (scripts/test.sh starts one)"))
struct SharedJobTests {
    func run(_ kind: String, _ text: String) async throws -> JobRunner.Work {
        try await Kinds.registry.work(kind: kind, request: Array(text.utf8))
    }

    @Test func aJobAcceptedByOneReplicaIsReadListedStreamedAndCancelledThroughAnother() async throws {
        try await SharedDatabase.withClient { _ in
            let a = try await SharedDatabase.replica("a")
            let b = try await SharedDatabase.replica("b")
            let job = try await a.submit(
                submission("wait", "gate-1", owner: "alice"), work: try await run("wait", "gate-1"))
            #expect(job.status == .running)
            #expect(job.attempt == 1)
            let read = try #require(try await b.job(job.id))
            #expect(read.kind == "wait")
            #expect(read.request == Array("gate-1".utf8))
            #expect(read.owner == "alice")
            #expect(try await b.jobs(limit: 10, ownedBy: "alice").map(\.id) == [job.id])
            #expect(try await b.jobs(limit: 10, ownedBy: "bob").isEmpty)

            let events = Mutex<[JobEvent]>([])
            let watched = try #require(try await b.watch(job.id) { event in events.withLock { $0.append(event) } })
            #expect(watched.subscription != nil)
            let plotted = await eventually(timeout: .seconds(10)) { () async in
                events.withLock { events in
                    events.contains { $0.change == .progressed && $0.job.attachment?.members.first?.name == "plot" }
                }
            }
            #expect(plotted, "progress with the plot reached the other replica's watcher")

            guard case .cancelling = try await b.cancelJob(job.id) else {
                Issue.record("a running job is cancelling")
                return
            }
            let ended = await eventually(timeout: .seconds(5)) { () async in
                events.withLock { $0.last?.change == .finished }
            }
            #expect(ended)
            let final = try #require(events.withLock { $0.last?.job })
            #expect(final.status == .cancelled)
            #expect(final.failure?.reason == .cancelled)
            #expect(final.attachment == nil)
            await a.shutdown(gracePeriod: .zero)
            await b.shutdown(gracePeriod: .zero)
        }
    }

    @Test func aQueuedJobIsClaimedByAReplicaWithAFreeWorkerAndRebuiltFromItsRequest() async throws {
        try await SharedDatabase.withClient { _ in
            let a = try await SharedDatabase.replica("a")
            let busy = try await a.submit(submission("wait", "gate-2"), work: try await run("wait", "gate-2"))
            // Running at once, or claimed at once when a's claimer held the worker for a moment.
            #expect(await eventually { () async in (try? await a.job(busy.id))?.status == .running })
            // a's one worker is busy: queued, and b (started after) claims it with the work rebuilt.
            let queued = try await a.submit(submission("echo", "hello"), work: { _ in [] })
            #expect(queued.status == .queued)
            let b = try await SharedDatabase.replica("b")
            let done = await eventually(timeout: .seconds(10)) {
                (try? await b.job(queued.id))?.status == .succeeded
            }
            #expect(done)
            let job = try #require(try await a.job(queued.id))
            #expect(job.result == Array("hello".utf8), "b ran the work rebuilt from the stored request")
            #expect(job.attempt == 1)
            Gates.open("gate-2")
            await a.shutdown(gracePeriod: .seconds(2))
            await b.shutdown(gracePeriod: .zero)
        }
    }

    @Test func aReplicaThatLostItsLeaseCannotOverwriteTheJob() async throws {
        try await SharedDatabase.withClient { client in
            let a = try await SharedDatabase.replica("a", lease: .seconds(30), heartbeat: .seconds(20))
            let job = try await a.submit(submission("wait", "gate-3"), work: try await run("wait", "gate-3"))
            #expect(await eventually { () async in (try? await a.job(job.id))?.status == .running })
            // Another replica took the job over (as after a rescue and a new claim).
            try await client.query(
                "UPDATE nabla_jobs SET worker = 'thief', attempt = attempt + 1 WHERE id = \(JobRow.uuid(job.id))"
            ).consume()
            Gates.open("gate-3")
            try await Task.sleep(for: .milliseconds(500))
            let row = try #require(try await a.job(job.id))
            #expect(row.status == .running, "a's end was not written")
            #expect(row.result == nil)
            #expect(row.attempt == 2)
            await a.shutdown(gracePeriod: .zero)
        }
    }

    @Test func aLapsedLeaseIsRunAgainElsewhereUntilItsAttemptsAreUsedUp() async throws {
        try await SharedDatabase.withClient { client in
            let again = JobID.random()
            let lost = JobID.random()
            for (id, attempt) in [(again, 1), (lost, 3)] {
                try await client.query(
                    """
                    INSERT INTO nabla_jobs (id, kind, request, max_attempts, status, worker, attempt, started_at,
                        lease_expires_at)
                    VALUES (\(JobRow.uuid(id)), 'echo', \(ByteBuffer(string: "again")), 3, 'running', 'dead',
                        \(attempt), now() - interval '1 minute', now() - interval '1 second')
                    """
                ).consume()
            }
            let b = try await SharedDatabase.replica("b")
            let settled = await eventually(timeout: .seconds(10)) {
                let first = try? await b.job(again)
                let second = try? await b.job(lost)
                return first?.status == .succeeded && second?.status == .failed
            }
            #expect(settled)
            let rerun = try #require(try await b.job(again))
            #expect(rerun.attempt == 2)
            #expect(rerun.result == Array("again".utf8))
            let failed = try #require(try await b.job(lost))
            #expect(failed.failure?.reason == .workerLost)
            #expect(failed.attempt == 3)
            await b.shutdown(gracePeriod: .zero)
        }
    }

    @Test func theClientLimitCountsTheJobsOfEveryReplica() async throws {
        try await SharedDatabase.withClient { _ in
            let a = try await SharedDatabase.replica("a", workers: 2, maxJobsPerClient: 2)
            let b = try await SharedDatabase.replica("b", workers: 2, maxJobsPerClient: 2)
            for _ in 0..<2 {
                _ = try await a.submit(
                    submission("wait", "gate-5", client: "10.0.0.7"), work: try await run("wait", "gate-5"))
            }
            await #expect(throws: JobSubmissionError.clientLimit(limit: 2, retryAfterSeconds: 1)) {
                try await b.submit(
                    submission("wait", "gate-5", client: "10.0.0.7"), work: try await run("wait", "gate-5"))
            }
            let other = try await b.submit(
                submission("wait", "gate-5", client: "10.0.0.8"), work: try await run("wait", "gate-5"))
            #expect(other.status == .running)
            Gates.open("gate-5")
            await a.shutdown(gracePeriod: .seconds(2))
            await b.shutdown(gracePeriod: .seconds(2))
        }
    }

    @Test func aJobReleasedAtShutdownRunsOnAnotherReplicaWithoutCountingAnAttempt() async throws {
        try await SharedDatabase.withClient { _ in
            let a = try await SharedDatabase.replica("a")
            let job = try await a.submit(submission("wait", "gate-7"), work: try await run("wait", "gate-7"))
            #expect(await eventually { () async in (try? await a.job(job.id))?.status == .running })
            await a.shutdown(gracePeriod: .milliseconds(100))
            let b = try await SharedDatabase.replica("b")
            let moved = await eventually(timeout: .seconds(10)) { (try? await b.job(job.id))?.status == .running }
            #expect(moved)
            Gates.open("gate-7")
            let done = await eventually(timeout: .seconds(10)) { (try? await b.job(job.id))?.status == .succeeded }
            #expect(done)
            let rerun = try #require(try await b.job(job.id))
            #expect(rerun.attempt == 1, "the release did not count: \(rerun.attempt)")
            await b.shutdown(gracePeriod: .zero)
        }
    }

    /// A lease renewal in flight while a job starts here answers without that job's row: the job is
    /// not lost (CI once saw a fresh job cancelled so). A 1-ms heartbeat keeps a renewal in flight
    /// nearly always.
    @Test func aJobStartedWhileLeasesAreRenewedKeepsRunning() async throws {
        try await SharedDatabase.withClient { _ in
            let a = try await SharedDatabase.replica(
                "a", workers: 4, maxJobsPerClient: 100, heartbeat: .milliseconds(1))
            for round in 0..<6 {
                let gate = "gate-9-\(round)"
                var ids: [JobID] = []
                for _ in 0..<4 {
                    ids.append(try await a.submit(submission("wait", gate), work: try await run("wait", gate)).id)
                }
                try await Task.sleep(for: .milliseconds(100))
                for id in ids {
                    let job = try #require(try await a.job(id))
                    #expect(job.status == .running, "round \(round): \(job.status), \(String(describing: job.failure))")
                }
                Gates.open(gate)
                let ended = await eventually(timeout: .seconds(10)) { () async in
                    var all = true
                    for id in ids where (try? await a.job(id))?.status != .succeeded { all = false }
                    return all
                }
                #expect(ended, "round \(round): every job succeeded")
            }
            await a.shutdown(gracePeriod: .seconds(2))
        }
    }

    @Test func cancellingAQueuedJobEndsItAtOnce() async throws {
        try await SharedDatabase.withClient { _ in
            let a = try await SharedDatabase.replica("a")
            _ = try await a.submit(submission("wait", "gate-8"), work: try await run("wait", "gate-8"))
            let queued = try await a.submit(submission("echo", "never"), work: { _ in [] })
            guard case .cancelled(let job) = try await a.cancelJob(queued.id) else {
                Issue.record("a queued job is cancelled at once")
                return
            }
            #expect(job.status == .cancelled)
            #expect(job.finished != nil)
            guard case .alreadyFinished = try await a.cancelJob(queued.id) else {
                Issue.record("cancelling again finds it finished")
                return
            }
            guard case .notFound = try await a.cancelJob(JobID.random()) else {
                Issue.record("an unknown id is not found")
                return
            }
            Gates.open("gate-8")
            await a.shutdown(gracePeriod: .seconds(2))
        }
    }

    @Test func migrationsOfReplicasStartingTogetherApplyEachVersionOnce() async throws {
        try await SharedDatabase.withClient { client in
            // The tables, with the functions that name the jobs' type.
            try await client.query("DROP TABLE nabla_dataset_parts, nabla_datasets").consume()
            try await client.query("DROP TABLE nabla_jobs CASCADE").consume()
            try await client.query("DROP FUNCTION nabla_jobs_notify()").consume()
            try await client.query("DROP TABLE nabla_schema").consume()
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<3 { group.addTask { try await JobSchema.migrate(client, logger: SharedDatabase.logger) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(applied.sorted { $0.count < $1.count } == [[], [], Array(1...JobSchema.migrations.count)])
        }
    }
}
