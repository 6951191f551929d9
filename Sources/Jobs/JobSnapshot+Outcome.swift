import Foundation

extension JobSnapshot {
    /// Records how the job ended, at `date`.
    mutating func apply(_ outcome: JobRunner.Outcome, shuttingDown: Bool, timeLimit: Duration, at date: Date) {
        finished = date
        attachment = nil
        switch outcome {
        case .succeeded(let bytes):
            status = .succeeded
            result = bytes
        case .cancelled where shuttingDown && !cancelRequested:
            // Nobody asked: the service stopped it. Clients see a failure they may submit again.
            status = .failed
            failure = JobFailure(.shutdown, message: "stopped because the service is shutting down")
        case .cancelled:
            status = .cancelled
            failure = JobFailure(.cancelled, message: "cancelled by a client")
        case .timeLimit:
            status = .failed
            failure = JobFailure(.timeLimit, message: "the job ran past its time limit of \(timeLimit.seconds) s")
        case .failed(let error as JobFailure):
            status = .failed
            failure = error
        case .failed(let error):
            status = .failed
            failure = JobFailure(.failed(code: "error"), message: String(describing: error))
        }
    }
}
