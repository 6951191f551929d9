import Foundation
import Jobs
import Testing

@Suite struct JobPartialResultTests {
    /// Work that runs until interrupted, then throws its interruption with a partial result.
    private func keepsWhatItHas(_ context: JobContext) throws -> [UInt8] {
        while true {
            do {
                try context.checkCancellation()
            } catch {
                throw JobPartialResult(interruption: error, result: Array("partial".utf8))
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
    }

    @Test func aCancelledJobKeepsItsPartialResult() throws {
        let runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: 1))
        let job = try runner.submit(kind: "test", work: keepsWhatItHas)
        while runner.snapshot(job.id)?.status != .running { Thread.sleep(forTimeInterval: 0.002) }
        guard case .cancelling = runner.cancel(job.id) else {
            Issue.record("a running job should be cancelling")
            return
        }
        let finished = try #require(runner.waitUntilFinished(job.id, timeout: .seconds(5)))
        #expect(finished.status == .cancelled)
        #expect(finished.failure?.reason == "cancelled")
        #expect(finished.result == Array("partial".utf8))
    }

    @Test func aJobPastItsTimeLimitKeepsItsPartialResultAndFailsWithTimeLimit() throws {
        let runner = JobRunner(
            configuration: JobRunnerConfiguration(maxConcurrentJobs: 1, timeLimit: .milliseconds(50)))
        let job = try runner.submit(kind: "test", work: keepsWhatItHas)
        let finished = try #require(runner.waitUntilFinished(job.id, timeout: .seconds(5)))
        #expect(finished.status == .failed)
        #expect(finished.failure?.reason == "time_limit")
        #expect(finished.result == Array("partial".utf8))
    }
}
