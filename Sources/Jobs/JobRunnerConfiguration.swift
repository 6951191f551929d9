public import Foundation

/// Limits of the job runner, with the documented defaults.
public struct JobRunnerConfiguration: Sendable, Equatable {
    /// Jobs running at once in each lane (synchronous requests; kept jobs). Default: the number of
    /// active cores.
    public var maxConcurrentJobs: Int
    /// Jobs waiting for a worker, in each lane; one more is refused (HTTP 503 + Retry-After). Default 256.
    public var queueLimit: Int
    /// Kept jobs one owner (a client address) may have queued or running at once; one more is
    /// refused (HTTP 429 + Retry-After). Default 4.
    public var maxJobsPerOwner: Int
    /// The nice value (0–19, higher yields more) of threads running kept jobs, so requests and the
    /// HTTP threads get the cores first. 0 leaves them as they are. Default 10.
    public var backgroundNiceness: Int32
    /// Wall-clock limit per job, from its start; past it the job ends `failed` (`time_limit`).
    /// Default 300 s.
    public var timeLimit: Duration
    /// How long finished jobs stay readable. Default 1 hour.
    public var retention: Duration
    /// How many finished jobs are kept at most (oldest evicted first). Default 1,000.
    public var maxRetainedJobs: Int
    /// Bytes of requests and results kept at most (oldest finished evicted first): a long training
    /// run's histories are megabytes. Default 256 MiB.
    public var maxRetainedBytes: Int

    /// The defaults above, changed only where you say.
    public init(
        maxConcurrentJobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        queueLimit: Int = 256,
        maxJobsPerOwner: Int = 4,
        backgroundNiceness: Int32 = 10,
        timeLimit: Duration = .seconds(300),
        retention: Duration = .seconds(3600),
        maxRetainedJobs: Int = 1_000,
        maxRetainedBytes: Int = 256 << 20
    ) {
        self.maxConcurrentJobs = maxConcurrentJobs
        self.queueLimit = queueLimit
        self.maxJobsPerOwner = maxJobsPerOwner
        self.backgroundNiceness = backgroundNiceness
        self.timeLimit = timeLimit
        self.retention = retention
        self.maxRetainedJobs = maxRetainedJobs
        self.maxRetainedBytes = maxRetainedBytes
    }
}

/// Why a job was not accepted.
public enum JobSubmissionError: Error, Sendable, Equatable {
    /// The queue is full; try again after this many seconds.
    case queueFull(retryAfterSeconds: Int)
    /// The owner already has `limit` jobs queued or running; try again after this many seconds.
    case ownerLimit(limit: Int, retryAfterSeconds: Int)
    /// The runner is shutting down and takes no new work.
    case shuttingDown
}
