public import Foundation

/// Limits of the job runner, with the documented defaults.
public struct JobRunnerConfiguration: Sendable, Equatable {
    /// Jobs running at once in each lane (requests; kept jobs). Default: the number of active cores.
    public var maxConcurrentJobs: Int
    /// Jobs waiting for a worker, in each lane; one more is refused (HTTP 503 + Retry-After). Default 256.
    public var queueLimit: Int
    /// Kept jobs one client may have queued or running at once; one more is refused (HTTP 429 +
    /// Retry-After). Default 4.
    public var maxJobsPerClient: Int
    /// The nice value (0–19, higher yields more) of the threads running kept jobs, so requests and the
    /// HTTP threads get the cores first. 0 leaves them as they are. Default 10.
    public var keptJobNiceness: Int32
    /// Wall-clock limit per job, from its start; past it the job ends `failed` (`timeLimit`).
    /// Default 300 s.
    public var timeLimit: Duration
    /// How long finished kept jobs stay readable. Default 1 hour.
    public var retention: Duration
    /// How many finished kept jobs are retained at most (oldest evicted first). Default 1,000.
    public var maxRetainedJobs: Int
    /// Bytes of kept jobs' requests and results retained at most (oldest finished evicted first): a
    /// long training run's histories are megabytes. Default 256 MiB.
    public var maxRetainedBytes: Int

    /// The defaults above, changed only where you say.
    public init(
        maxConcurrentJobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        queueLimit: Int = 256,
        maxJobsPerClient: Int = 4,
        keptJobNiceness: Int32 = 10,
        timeLimit: Duration = .seconds(300),
        retention: Duration = .seconds(3600),
        maxRetainedJobs: Int = 1_000,
        maxRetainedBytes: Int = 256 << 20
    ) {
        self.maxConcurrentJobs = maxConcurrentJobs
        self.queueLimit = queueLimit
        self.maxJobsPerClient = maxJobsPerClient
        self.keptJobNiceness = keptJobNiceness
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
    /// The client already has `limit` jobs queued or running; try again after this many seconds.
    case clientLimit(limit: Int, retryAfterSeconds: Int)
    /// The runner is shutting down and takes no new work.
    case shuttingDown
    /// Where jobs are kept cannot be reached (a shared database is down); try again after this many
    /// seconds.
    case unavailable(retryAfterSeconds: Int)
}
