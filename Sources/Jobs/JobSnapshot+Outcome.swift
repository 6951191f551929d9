import Foundation

extension JobSnapshot {
    /// Records how the job ended.
    mutating func apply(_ outcome: JobRunner.Outcome, shuttingDown: Bool, timeLimit: Duration) {
        finished = Date()
        switch outcome {
        case .succeeded(let bytes):
            status = .succeeded
            result = bytes
        case .cancelled where shuttingDown && !cancelRequested:
            // Nobody asked: the service stopped it. Clients see a failure they may submit again.
            status = .failed
            failure = JobFailure(reason: "shutdown", message: "stopped because the service is shutting down")
        case .cancelled:
            status = .cancelled
            failure = JobFailure(reason: "cancelled", message: "cancelled by a client")
        case .timeLimit:
            status = .failed
            failure = JobFailure(
                reason: "time_limit", message: "the job ran past its time limit of \(timeLimit.timeInterval) s")
        case .failed(let error as JobFailure):
            status = .failed
            failure = error
        case .failed(let error):
            status = .failed
            failure = JobFailure(reason: "error", message: String(describing: error))
        }
    }
}
