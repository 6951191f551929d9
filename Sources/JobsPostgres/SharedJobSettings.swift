/// How replicas share kept jobs through PostgreSQL: the database, this replica's name, and the timing
/// of leases, heartbeats and retries.
public struct SharedJobSettings: Sendable {
    /// Where the jobs live.
    public var database: DatabaseURL
    /// This replica's name, written on the jobs it runs (default: host name and process id).
    public var replicaID: String
    /// How long a claim holds without a heartbeat: past it, another replica may take the job again.
    public var lease: Duration
    /// How often a replica renews the leases of the jobs it runs, looks for cancels it missed and
    /// requeues jobs whose lease lapsed.
    public var heartbeat: Duration
    /// How many times a job is started at most (a replica that stops takes its run with it); past it
    /// the job fails with reason `worker_lost`.
    public var maxAttempts: Int
    /// How often an idle replica looks for queued jobs when no notification woke it.
    public var claimPoll: Duration
    /// The shortest time between two progress writes of one job (the latest values win), and between
    /// two writes of its plot (`plotInterval`).
    public var progressInterval: Duration
    public var plotInterval: Duration
    /// Connections to the database at most (one of them listens for notifications).
    public var maxConnections: Int
    /// How long finished jobs stay, how many are kept at most, and how many bytes of their requests
    /// and results (oldest finished deleted first), over every replica's jobs.
    public var retention: Duration = .seconds(3600)
    public var maxRetainedJobs = 1_000
    public var maxRetainedBytes = 256 << 20

    /// The defaults: a 15-s lease renewed every 5 s, 3 attempts, a 1-s poll, progress written at most
    /// 5 times and plots once a second per job, 8 connections.
    public init(
        database: DatabaseURL, replicaID: String, lease: Duration = .seconds(15), heartbeat: Duration = .seconds(5),
        maxAttempts: Int = 3, claimPoll: Duration = .seconds(1), progressInterval: Duration = .milliseconds(200),
        plotInterval: Duration = .seconds(1), maxConnections: Int = 8
    ) {
        self.database = database
        self.replicaID = replicaID
        self.lease = lease
        self.heartbeat = heartbeat
        self.maxAttempts = maxAttempts
        self.claimPoll = claimPoll
        self.progressInterval = progressInterval
        self.plotInterval = plotInterval
        self.maxConnections = maxConnections
    }
}
