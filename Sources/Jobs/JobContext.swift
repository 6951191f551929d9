import Dispatch
import Synchronization

/// Why a job was told to stop.
public enum JobInterruption: Error, Sendable, Equatable {
    /// A client cancelled it, or the service is shutting down.
    case cancelled
    /// It ran past its wall-clock limit.
    case timeLimit
}

/// What a running job sees of the runner: its id, the interruption check and a progress reporter.
///
/// Interruption is cooperative: the work calls `checkInterruption()` between steps (a batch, a
/// pause) and lets the error propagate.
public final class JobContext: Sendable {
    /// The job's id.
    public let id: JobID
    private let interruption = Mutex<JobInterruption?>(nil)
    /// Signalled once, when the first interruption arrives: wakes a `pause`.
    private let interrupted = DispatchSemaphore(value: 0)
    private let progressSink: @Sendable ([String: Double], [JobAttachment.Member]?) -> Void

    init(id: JobID, progressSink: @escaping @Sendable ([String: Double], [JobAttachment.Member]?) -> Void) {
        self.id = id
        self.progressSink = progressSink
    }

    /// The reason to stop, if there is one.
    public var interruptionReason: JobInterruption? { interruption.withLock { $0 } }

    /// Throws the interruption if the job should stop.
    public func checkInterruption() throws(JobInterruption) {
        if let reason = interruptionReason { throw reason }
    }

    /// Waits `duration`, or less if the job is interrupted meanwhile (then throws the interruption at
    /// once, without waiting out the rest).
    public func pause(for duration: Duration) throws(JobInterruption) {
        try checkInterruption()
        if interrupted.wait(timeout: .now() + duration.seconds) == .success {
            interrupted.signal()  // for the next pause, and anyone else waiting
        }
        try checkInterruption()
    }

    /// Publishes the job's progress: `values` replace the previous ones; `attachment`, when given,
    /// replaces the previous attachment (else the last one stays).
    public func report(_ values: [String: Double], attachment: [JobAttachment.Member]? = nil) {
        progressSink(values, attachment)
    }

    /// Asks the job to stop; the first reason wins.
    func interrupt(_ reason: JobInterruption) {
        let first = interruption.withLock { current -> Bool in
            guard current == nil else { return false }
            current = reason
            return true
        }
        if first { interrupted.signal() }
    }
}
