import Foundation
import Jobs
import Synchronization
import Testing

/// Work that waits `seconds` (an interruption ends the wait at once), then returns "done".
private func sleeper(seconds: Double) -> JobRunner.Work {
    { context in
        try context.pause(for: .milliseconds(Int64(seconds * 1000)))
        return Array("done".utf8)
    }
}

@Suite struct JobRunnerTests {
    @Test func runsAJobToSuccessWithItsResultAndTimes() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 1))
        let job = try runner.submit(kind: "test", request: Array("{}".utf8)) { _ in Array("42".utf8) }
        let finished = try #require(runner.waitUntilFinished(job.id, timeout: .seconds(5)))
        #expect(finished.status == .succeeded)
        #expect(finished.result == Array("42".utf8))
        #expect(finished.request == Array("{}".utf8))
        let started = try #require(finished.started), end = try #require(finished.finished)
        #expect(finished.created <= started && started <= end)
    }

    @Test func neverRunsMoreThanTheConcurrencyLimitAtOnce() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 2, queueLimit: 100))
        let running = Mutex(0), peak = Mutex(0)
        let ids = try (0..<12).map { _ in
            try runner.submit(kind: "count") { context in
                let now = running.withLock {
                    $0 += 1; return $0
                }
                peak.withLock { $0 = max($0, now) }
                try context.pause(for: .milliseconds(20))
                running.withLock { $0 -= 1 }
                return []
            }.id
        }
        for id in ids { #expect(runner.waitUntilFinished(id, timeout: .seconds(10))?.status == .succeeded) }
        #expect(peak.withLock { $0 } == 2)
    }

    @Test func refusesAJobWhenTheQueueIsFull() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 1, queueLimit: 2))
        let first = try runner.submit(kind: "s", work: sleeper(seconds: 5))
        let queued = try (0..<2).map { _ in try runner.submit(kind: "s", work: sleeper(seconds: 5)) }
        #expect(first.status == .running)
        #expect(queued.allSatisfy { $0.status == .queued })
        #expect(runner.isSaturated)
        #expect(runner.refusal(for: nil) == .queueFull(retryAfterSeconds: 1))
        #expect(throws: JobSubmissionError.queueFull(retryAfterSeconds: 1)) {
            try runner.submit(kind: "s", work: sleeper(seconds: 5))
        }
        runner.shutdown(gracePeriod: .zero)
    }

    @Test func refusesAnOwnersJobPastTheirLimitWhileOtherOwnersAreStillAccepted() throws {
        let runner = JobRunner(
            configuration: JobRunnerConfiguration(maxConcurrentJobs: 1, queueLimit: 10, maxJobsPerClient: 2))
        let mine = try (0..<2).map { _ in try runner.submit(kind: "s", client: "10.0.0.1", work: sleeper(seconds: 5)) }
        #expect(throws: JobSubmissionError.clientLimit(limit: 2, retryAfterSeconds: 1)) {
            try runner.submit(kind: "s", client: "10.0.0.1", work: sleeper(seconds: 5))
        }
        #expect(runner.refusal(for: "10.0.0.1") == .clientLimit(limit: 2, retryAfterSeconds: 1))
        #expect(runner.refusal(for: "10.0.0.2") == nil)
        let theirs = try runner.submit(kind: "s", client: "10.0.0.2", work: sleeper(seconds: 5))
        #expect(theirs.status == .queued)
        // Synchronous requests carry no owner and are never counted.
        let unowned = try (0..<3).map { _ in try runner.submit(kind: "s", lane: .request) { _ in [] } }
        #expect(unowned.count == 3)
        runner.shutdown(gracePeriod: .zero)
        _ = mine
    }

    @Test func anOwnersFinishedOrCancelledJobsNoLongerCountAgainstTheirLimit() throws {
        let runner = JobRunner(
            configuration: JobRunnerConfiguration(maxConcurrentJobs: 1, queueLimit: 10, maxJobsPerClient: 2))
        let running = try runner.submit(kind: "s", client: "a", work: sleeper(seconds: 5))
        let queued = try runner.submit(kind: "s", client: "a", work: sleeper(seconds: 5))
        guard case .cancelled = runner.cancel(queued.id) else {
            Issue.record("a queued job should be cancelled at once")
            return
        }
        let replacement = try runner.submit(kind: "s", client: "a") { _ in [] }
        _ = runner.cancel(running.id)
        #expect(runner.waitUntilFinished(running.id, timeout: .seconds(5))?.status == .cancelled)
        #expect(runner.waitUntilFinished(replacement.id, timeout: .seconds(5))?.status == .succeeded)
        // Both slots free again: two more are accepted, a third is not.
        let again = try (0..<2).map { _ in try runner.submit(kind: "s", client: "a", work: sleeper(seconds: 5)) }
        #expect(again.count == 2)
        #expect(throws: JobSubmissionError.clientLimit(limit: 2, retryAfterSeconds: 1)) {
            try runner.submit(kind: "s", client: "a") { _ in [] }
        }
        runner.shutdown(gracePeriod: .zero)
    }

    @Test func aSynchronousRequestRunsAtOnceWhileKeptJobsFillEveryWorkerAndTheQueue() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 1, queueLimit: 1))
        let running = try runner.submit(kind: "train", work: sleeper(seconds: 5))
        let queued = try runner.submit(kind: "train", work: sleeper(seconds: 5))
        #expect(running.status == .running && queued.status == .queued)
        let answered = DispatchSemaphore(value: 0)
        let started = ContinuousClock.now
        try runner.submit(kind: "derivative", lane: .request, onFinish: { _, _ in answered.signal() }) { _ in [] }
        #expect(answered.wait(timeout: .now() + 2) == .success)
        #expect(ContinuousClock.now - started < .seconds(1))
        runner.shutdown(gracePeriod: .zero)
    }

    @Test func keptJobsRunAtALowerPriorityThanRequests() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 1, keptJobNiceness: 10))
        let niceness: JobRunner.Work = { _ in
            Array(String(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)).utf8)
        }
        let kept = try runner.submit(kind: "train", work: niceness)
        #expect(runner.waitUntilFinished(kept.id, timeout: .seconds(5))?.result == Array("10".utf8))
        let answer = Mutex<[UInt8]?>(nil)
        let done = DispatchSemaphore(value: 0)
        try runner.submit(
            kind: "derivative", lane: .request,
            onFinish: { outcome, _ in
                if case .succeeded(let bytes) = outcome { answer.withLock { $0 = bytes } }
                done.signal()
            }, work: niceness)
        _ = done.wait(timeout: .now() + 5)
        // Dispatch sets its own threads' priority from their QoS (-2 for userInitiated when allowed).
        let requestNiceness = try #require(
            answer.withLock { $0 }.flatMap { Int32(String(decoding: $0, as: UTF8.self)) })
        #expect(requestNiceness < 10)
    }

    @Test func cancelsAQueuedJobAtOnceAndNeverRunsIt() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 1))
        let blocker = try runner.submit(kind: "s", work: sleeper(seconds: 5))
        let ran = Mutex(false)
        let queued = try runner.submit(kind: "s") { _ in
            ran.withLock { $0 = true }; return []
        }
        // Queued behind it: the lane runs its queue in order, so when this one ends the cancelled one
        // would have run before it.
        let after = try runner.submit(kind: "s") { _ in [] }
        guard case .cancelled(let job) = runner.cancel(queued.id) else {
            Issue.record("a queued job should be cancelled at once")
            return
        }
        #expect(job.status == .cancelled)
        #expect(job.failure?.reason == .cancelled)
        _ = runner.cancel(blocker.id)
        #expect(runner.waitUntilFinished(blocker.id, timeout: .seconds(5))?.status == .cancelled)
        #expect(runner.waitUntilFinished(after.id, timeout: .seconds(5))?.status == .succeeded)
        #expect(ran.withLock { $0 } == false)
    }

    @Test func cancelsARunningJobAtItsNextCheckAndCancellingTwiceIsHarmless() throws {
        let runner = JobRunner()
        // It reaches its next check only when the gate opens: both cancels find it running.
        let gate = DispatchSemaphore(value: 0)
        let job = try runner.submit(kind: "s") { context in
            gate.wait()
            try context.checkInterruption()
            return []
        }
        let requested = Date()
        guard case .cancelling(let snapshot) = runner.cancel(job.id) else {
            Issue.record("a running job should be cancelling")
            return
        }
        #expect(snapshot.cancelRequested)
        guard case .cancelling = runner.cancel(job.id) else {
            Issue.record("a second cancel should report the same")
            return
        }
        gate.signal()
        let finished = try #require(runner.waitUntilFinished(job.id, timeout: .seconds(5)))
        #expect(finished.status == .cancelled)
        #expect(Date().timeIntervalSince(requested) < 1)
        guard case .alreadyFinished(let final) = runner.cancel(job.id) else {
            Issue.record("cancelling a cancelled job reports it finished")
            return
        }
        #expect(final.status == .cancelled)
    }

    @Test func cancellingASucceededJobReportsItFinishedAndUnknownIDsAreNotFound() throws {
        let runner = JobRunner()
        let job = try runner.submit(kind: "quick") { _ in [] }
        #expect(runner.waitUntilFinished(job.id, timeout: .seconds(5))?.status == .succeeded)
        guard case .alreadyFinished(let snapshot) = runner.cancel(job.id) else {
            Issue.record("expected alreadyFinished")
            return
        }
        #expect(snapshot.status == .succeeded)
        guard case .notFound = runner.cancel(JobID.random()) else {
            Issue.record("expected notFound")
            return
        }
    }

    @Test func aJobPastItsTimeLimitFailsWithReasonTimeLimit() throws {
        let clock = ManualClock()
        let runner = JobRunner(configuration: JobRunnerConfiguration(timeLimit: .seconds(60)), clock: clock.jobClock)
        let job = try runner.submit(kind: "s", work: sleeper(seconds: 30))
        clock.advance(by: .seconds(61))  // the watchdog's next look (within 100 ms) finds it overdue
        let finished = try #require(runner.waitUntilFinished(job.id, timeout: .seconds(5)))
        #expect(finished.status == .failed)
        #expect(finished.failure?.reason == .timeLimit)
    }

    @Test func aThrowingJobFailsWithItsMessage() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "broken on purpose" } }
        let runner = JobRunner()
        let job = try runner.submit(kind: "bad") { _ in throw Broken() }
        let finished = try #require(runner.waitUntilFinished(job.id, timeout: .seconds(5)))
        #expect(finished.status == .failed)
        #expect(finished.failure == JobFailure(.failed(code: "error"), message: "broken on purpose"))
    }

    @Test func subscribersOfAJobSeeItsProgressAndItsEndAndNothingAfter() throws {
        let runner = JobRunner()
        let gate = DispatchSemaphore(value: 0)
        let job = try runner.submit(kind: "p") { context in
            gate.wait()
            for step in 1...3 { context.report(["step": Double(step)]) }
            return []
        }
        let seen = Mutex<[JobEvent]>([])
        let ended = DispatchSemaphore(value: 0)
        let (_, subscription) = try #require(
            runner.observe(job.id) { event in
                seen.withLock { $0.append(event) }
                if event.change == .finished { ended.signal() }
            })
        #expect(subscription != nil)
        gate.signal()
        #expect(ended.wait(timeout: .now() + 5) == .success)
        let events = seen.withLock { $0 }
        #expect(events.map(\.change) == [.progressed, .progressed, .progressed, .finished])
        #expect(events.map { $0.job.progress["step"] ?? 0 } == [1, 2, 3, 3])
        #expect(events.last?.job.status == .succeeded)
        #expect(runner.observe(job.id) { _ in }?.subscription == nil)
        #expect(runner.snapshot(job.id)?.progress == ["step": 3])
    }

    @Test func synchronousJobsAreNotKeptOrListed() throws {
        let runner = JobRunner()
        let done = DispatchSemaphore(value: 0)
        let job = try runner.submit(kind: "sync", lane: .request, onFinish: { _, _ in done.signal() }) { _ in [] }
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(runner.snapshot(job.id) == nil)
        #expect(runner.recent(limit: 10).isEmpty)
    }

    @Test func keepsAtMostTheConfiguredNumberOfFinishedJobsEvictingTheOldest() throws {
        let clock = ManualClock()
        let runner = JobRunner(
            configuration: JobRunnerConfiguration(maxConcurrentJobs: 1, maxRetainedJobs: 3), clock: clock.jobClock)
        var ids: [JobID] = []
        for _ in 0..<5 {
            let job = try runner.submit(kind: "q") { _ in [] }
            _ = runner.waitUntilFinished(job.id, timeout: .seconds(5))
            ids.append(job.id)
        }
        clock.advance(by: .seconds(2))  // a read evicts at most once a second
        #expect(runner.recent(limit: 10).map(\.id) == Array(ids.suffix(3).reversed()))
        #expect(runner.snapshot(ids[0]) == nil)
    }

    @Test func keepsFinishedJobsWithinTheByteBudgetEvictingTheOldest() throws {
        let clock = ManualClock()
        let runner = JobRunner(
            configuration: JobRunnerConfiguration(maxConcurrentJobs: 1, maxRetainedBytes: 250_000),
            clock: clock.jobClock)
        let megabyteless = [UInt8](repeating: 0x20, count: 100_000)
        let ids = try (0..<4).map { _ in
            let job = try runner.submit(kind: "big") { _ in megabyteless }
            _ = runner.waitUntilFinished(job.id, timeout: .seconds(5))
            return job.id
        }
        // 4 × 100 kB against 250 kB: the two oldest go.
        clock.advance(by: .seconds(2))  // a read evicts at most once a second
        #expect(runner.recent(limit: 10).count == 2)
        #expect(ids.map { runner.snapshot($0) != nil } == [false, false, true, true])
    }

    @Test func forgetsFinishedJobsAfterTheRetentionPeriod() throws {
        let clock = ManualClock()
        let runner = JobRunner(configuration: JobRunnerConfiguration(retention: .seconds(60)), clock: clock.jobClock)
        let job = try runner.submit(kind: "q") { _ in [] }
        _ = runner.waitUntilFinished(job.id, timeout: .seconds(5))
        clock.advance(by: .seconds(59))
        #expect(runner.snapshot(job.id)?.status == .succeeded)
        clock.advance(by: .seconds(2))
        #expect(runner.snapshot(job.id) == nil)
    }

    @Test func shutdownFailsQueuedJobsWithReasonShutdownLetsRunningOnesFinishAndRefusesNewWork() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 1))
        let running = try runner.submit(kind: "s", work: sleeper(seconds: 0.2))
        let queued = try runner.submit(kind: "s", work: sleeper(seconds: 0.2))
        runner.shutdown(gracePeriod: .seconds(5))
        #expect(runner.snapshot(running.id)?.status == .succeeded)
        #expect(runner.snapshot(queued.id)?.status == .failed)
        #expect(runner.snapshot(queued.id)?.failure?.reason == .shutdown)
        #expect(throws: JobSubmissionError.shuttingDown) { try runner.submit(kind: "s") { _ in [] } }
    }

    @Test func shutdownStopsRunningJobsAfterTheGracePeriodAsFailedWithReasonShutdown() throws {
        let runner = JobRunner()
        let job = try runner.submit(kind: "s", work: sleeper(seconds: 30))
        let start = Date()
        runner.shutdown(gracePeriod: .milliseconds(100))
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(runner.snapshot(job.id)?.status == .failed)
        #expect(runner.snapshot(job.id)?.failure?.reason == .shutdown)
    }
}
