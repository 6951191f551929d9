import Synchronization

/// Why a job was told to stop.
public enum JobInterruption: Error, Sendable, Equatable {
    /// A client cancelled it, or the service is shutting down.
    case cancelled
    /// It ran past its wall-clock limit.
    case timeLimit
}

/// What a running job sees of the runner: its id, a cancellation check and a progress reporter.
///
/// Cancellation is cooperative: the work calls `checkCancellation()` between steps (a batch, a
/// sleep slice) and lets the error propagate.
public final class JobContext: Sendable {
    /// The job's id.
    public let id: JobID
    private let interruption = Mutex<JobInterruption?>(nil)
    private let progressSink: @Sendable ([String: Double]) -> Void

    init(id: JobID, progressSink: @escaping @Sendable ([String: Double]) -> Void) {
        self.id = id
        self.progressSink = progressSink
    }

    /// The reason to stop, if there is one.
    public var interruptionReason: JobInterruption? { interruption.withLock { $0 } }

    /// True once the job should stop.
    public var isCancelled: Bool { interruptionReason != nil }

    /// Throws the interruption if the job should stop.
    public func checkCancellation() throws(JobInterruption) {
        if let reason = interruptionReason { throw reason }
    }

    /// Publishes the job's progress (replaces the previous values).
    public func report(_ progress: [String: Double]) {
        progressSink(progress)
    }

    /// Asks the job to stop; the first reason wins.
    func interrupt(_ reason: JobInterruption) {
        interruption.withLock { current in
            if current == nil { current = reason }
        }
    }
}
