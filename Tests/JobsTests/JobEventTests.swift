import Foundation
import Jobs
import Synchronization
import Testing

/// Collects a runner's events, in the order they were told.
private final class EventLog: Sendable {
    private let events = Mutex<[JobEvent]>([])

    init(_ runner: JobRunner) {
        runner.subscribe { [self] event in events.withLock { $0.append(event) } }
    }

    var all: [JobEvent] { events.withLock { $0 } }

    func changes(of id: JobID) -> [JobEvent.Change] {
        all.filter { $0.job.id == id }.map(\.change)
    }
}

@Suite struct JobEventTests {
    @Test func reportsEachTransitionOfAQueuedJobWithItsTag() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 1))
        let log = EventLog(runner)
        let gate = DispatchSemaphore(value: 0)
        let first = try runner.submit(kind: "block", correlationID: "r1") { _ in
            gate.wait()
            return []
        }
        let second = try runner.submit(kind: "count", correlationID: "r2") { context in
            context.report(["epoch": 1])
            return []
        }
        // A synchronous request runs in its own lane: never queued behind the kept jobs.
        let answered = DispatchSemaphore(value: 0)
        let third = try runner.submit(
            kind: "derivative", lane: .request, correlationID: "r3", onFinish: { _, _ in answered.signal() }
        ) { _ in [] }
        gate.signal()
        #expect(runner.waitUntilFinished(first.id, timeout: .seconds(5))?.status == .succeeded)
        #expect(runner.waitUntilFinished(second.id, timeout: .seconds(5))?.status == .succeeded)
        #expect(answered.wait(timeout: .now() + 5) == .success)

        #expect(log.changes(of: first.id) == [.started, .finished])
        #expect(log.changes(of: second.id) == [.queued, .started, .progressed, .finished])
        let events = log.all
        #expect(events.filter { $0.job.id == first.id }.allSatisfy { $0.correlationID == "r1" && $0.lane == .kept })
        #expect(events.filter { $0.job.id == second.id }.allSatisfy { $0.correlationID == "r2" && $0.lane == .kept })
        #expect(log.changes(of: third.id) == [.started, .finished])
        #expect(events.filter { $0.job.id == third.id }.allSatisfy { $0.correlationID == "r3" && $0.lane == .request })
        let queued = try #require(events.first { $0.job.id == second.id && $0.change == .queued })
        #expect(queued.queueDepth == 1 && queued.job.status == .queued)
        let finished = try #require(events.last { $0.job.id == second.id })
        #expect(finished.job.status == .succeeded && finished.job.finished != nil && finished.queueDepth == 0)
    }

    @Test func reportsRefusedSubmissionsAndCancelledQueuedJobs() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 1, queueLimit: 1))
        let log = EventLog(runner)
        let gate = DispatchSemaphore(value: 0)
        let running = try runner.submit(kind: "block") { _ in
            gate.wait()
            return []
        }
        let queued = try runner.submit(kind: "wait") { _ in [] }
        #expect(throws: JobSubmissionError.queueFull(retryAfterSeconds: 1)) {
            try runner.submit(kind: "refused") { _ in [] }
        }
        _ = runner.cancel(queued.id)
        gate.signal()
        _ = runner.waitUntilFinished(running.id, timeout: .seconds(5))

        let refused = try #require(log.all.first { $0.job.kind == "refused" })
        #expect(refused.change == .rejected(.queueFull(retryAfterSeconds: 1)))
        #expect(log.changes(of: queued.id) == [.queued, .finished])
        #expect(log.all.last { $0.job.id == queued.id }?.job.status == .cancelled)
    }
}
