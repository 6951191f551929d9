import Foundation
import Jobs
import Testing

@Suite struct JobPartialResultTests {
    /// Work that runs until interrupted, then throws its interruption with a partial result.
    private func keepsWhatItHas(_ context: JobContext) throws -> [UInt8] {
        do {
            try context.pause(for: .seconds(30))
        } catch {
            throw JobPartialResult(interruption: error, result: Array("partial".utf8))
        }
        return Array("waited it out".utf8)
    }

    @Test func aCancelledJobKeepsItsPartialResult() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 1))
        let job = try runner.submit(kind: "test", work: keepsWhatItHas)
        guard case .cancelling = runner.cancel(job.id) else {
            Issue.record("a running job should be cancelling")
            return
        }
        let finished = try #require(runner.waitUntilFinished(job.id, timeout: .seconds(5)))
        #expect(finished.status == .cancelled)
        #expect(finished.failure?.reason == .cancelled)
        #expect(finished.result == Array("partial".utf8))
    }

    @Test func aJobPastItsTimeLimitKeepsItsPartialResultAndFailsWithTimeLimit() throws {
        let clock = ManualClock()
        let runner = JobRunner(
            configuration: JobRunnerConfiguration(maxConcurrentJobs: 1, timeLimit: .seconds(10)), clock: clock.jobClock)
        let job = try runner.submit(kind: "test", work: keepsWhatItHas)
        clock.advance(by: .seconds(11))
        let finished = try #require(runner.waitUntilFinished(job.id, timeout: .seconds(5)))
        #expect(finished.status == .failed)
        #expect(finished.failure?.reason == .timeLimit)
        #expect(finished.result == Array("partial".utf8))
    }
}
