import Jobs

/// Where a shared backend is in its life.
enum BackendPhase {
    /// The schema is not ready yet (the database has not answered).
    case connecting
    /// Taking and running jobs.
    case ready
    /// SIGTERM: no new jobs or claims; running ones get their grace period, then are released.
    case draining
    case stopped
}

/// A job this replica runs: its attempt (the fence of its writes) and the progress not yet written.
struct LocalRun {
    let attempt: Int
    /// The latest progress not yet written, and whether a write is under way.
    var pending: [String: Double]?
    var pendingPlot: JobAttachment?
    var writing = false
    /// The plot sequence last written, and when.
    var writtenPlot = 0
    var plotWrittenAt: ContinuousClock.Instant?
    var progressWrittenAt: ContinuousClock.Instant?
    /// Given back to the queue at shutdown: its end is not written.
    var released = false
}

/// A job some client of this replica streams or waits on, read back from its row on each notification.
struct Watch {
    var subscribers: [JobRunner.Subscription: JobRunner.Subscriber] = [:]
    /// The change counter of the state last told.
    var seen = -1
    /// False until the first read: notifications before it only ask for another read.
    var ready = false
    var reading = false
    var readAgain = false
}

/// Everything the backend tracks, behind its one lock (no database call is made under it).
struct BackendState {
    var phase = BackendPhase.connecting
    var databaseReachable = false
    var lastRenewal: ContinuousClock.Instant?
    var local: [JobID: LocalRun] = [:]
    /// Workers promised to submissions whose insert is under way.
    var reserved = 0
    var watches: [JobID: Watch] = [:]
    var nextSubscription: UInt64 = 0

    /// Workers free for another job.
    func freeWorkers(of maximum: Int) -> Int { max(0, maximum - local.count - reserved) }
}
