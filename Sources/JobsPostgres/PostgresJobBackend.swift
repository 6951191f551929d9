public import Jobs
public import Logging
import PostgresNIO
import Synchronization

/// Kept jobs shared by replicas through PostgreSQL: any replica accepts, reads, streams and cancels
/// any job, and any replica with a free worker runs it.
///
/// - A submission is one row, inserted `running` and started here at once when a worker is free, else
///   `queued` for whichever replica claims it first (`FOR UPDATE SKIP LOCKED`).
/// - A claim carries a lease that the replica's heartbeat renews; every replica's heartbeat also
///   requeues jobs whose lease lapsed (their replica died), up to `maxAttempts` starts, then fails
///   them (`workerLost`). Each start counts an `attempt`, and every write of a running job is fenced by
///   its replica and attempt, so a replica that lost its lease changes nothing.
/// - Every change of a row is announced on a channel with its id and change counter only; a replica
///   whose clients stream or wait on the job reads the row back. Cancels reach the running replica
///   the same way, and through its heartbeat if a notification is lost.
/// - Jobs run on the local `JobRunner`'s kept lane (its threads, time limit and interruption); this
///   backend only moves them between the database and the runner.
///
/// No database call happens under a lock; the runner's subscribers only note what changed and leave
/// the writing to tasks.
public final class PostgresJobBackend: JobBackend {
    let client: PostgresClient
    let runner: JobRunner
    let registry: JobWorkRegistry
    let settings: SharedJobSettings
    /// Uploaded datasets, kept in the same database for as long as jobs are.
    public let datasets: PostgresDatasetStorage
    let logger: Logger
    let state = Mutex(BackendState())
    /// Rung when a worker may have become free or a job queued: wakes the claimer.
    let doorbell: AsyncStream<Void>.Continuation
    let rings: AsyncStream<Void>
    private let main = Mutex<Task<Void, Never>?>(nil)

    /// A backend on `settings.database` that runs claimed jobs on `runner`'s kept lane (its
    /// configuration's limits hold across replicas: jobs per client, queue length, retention),
    /// rebuilding their work with `registry`. Call `start()`.
    public init(settings: SharedJobSettings, runner: JobRunner, registry: JobWorkRegistry, logger: Logger) {
        var configuration = settings.database.clientConfiguration
        configuration.options.maximumConnections = settings.maxConnections
        configuration.options.connectTimeout = .seconds(3)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.datasets = PostgresDatasetStorage(client: client, retention: settings.retention, logger: logger)
        self.runner = runner
        self.registry = registry
        self.settings = settings
        self.logger = logger
        (rings, doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        runner.subscribe { [weak self] event in self?.localEvent(event) }
    }

    /// Connects (retrying until the database answers), brings the schema up to date, then claims,
    /// renews leases, listens and sweeps until `shutdown`.
    public func start() {
        let task = Task { await self.run() }
        main.withLock { $0 = task }
    }

    private func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            group.addTask {
                guard await self.prepareSchema() else { return }
                await withTaskGroup(of: Void.self) { loops in
                    loops.addTask { await self.claimLoop() }
                    loops.addTask { await self.heartbeatLoop() }
                    loops.addTask { await self.listenLoop() }
                    loops.addTask { await self.tickLoop() }
                }
            }
        }
    }

    /// Migrates the schema, retrying with backoff while the database cannot be reached; false if
    /// cancelled first.
    private func prepareSchema() async -> Bool {
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                let applied = try await JobSchema.migrate(client, logger: logger)
                logger.info(
                    "job database ready",
                    metadata: [
                        "database": .string(settings.database.description), "replica": .string(settings.replicaID),
                        "migrations_applied": .string(applied.map(String.init).joined(separator: ",")),
                    ])
                state.withLock { state in
                    if state.phase == .connecting { state.phase = .ready }
                    state.databaseReachable = true
                }
                doorbell.yield()
                return true
            } catch {
                logger.warning(
                    "job database not reachable; retrying",
                    metadata: ["error": .string(Self.describe(error)), "retry_s": .string("\(backoff.next.seconds)")])
                await backoff.wait()
            }
        }
        return false
    }

    /// Rings the doorbell every `claimPoll`: the claimer's fallback when no notification came.
    private func tickLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.claimPoll)
            doorbell.yield()
        }
    }

    /// Stops every loop and closes the connections (after `shutdown`'s release).
    func stopLoops() async {
        let task = main.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    // MARK: - JobBackend

    public func refusal(for client: String?) -> JobSubmissionError? {
        state.withLock { state in
            switch state.phase {
            case .draining, .stopped: return .shuttingDown
            case .connecting: return .unavailable(retryAfterSeconds: 5)
            case .ready: return state.databaseReachable ? nil : .unavailable(retryAfterSeconds: 5)
            }
        }
    }

    public var unavailability: String? {
        state.withLock { state in
            switch state.phase {
            case .connecting: "the job database is not reachable yet"
            case .draining, .stopped: "shutting down"
            case .ready: state.databaseReachable ? nil : "the job database is not reachable"
            }
        }
    }

    /// Runs `query` and reads its rows (so an error raised while they are made is thrown here), within
    /// `timeout`: a database that cannot be reached makes callers wait that long at most (PostgresNIO
    /// would wait for a connection indefinitely).
    func fetch(_ query: PostgresQuery, timeout: Duration = .seconds(5)) async throws -> [PostgresRow] {
        let (client, logger) = (client, logger)
        return try await within(timeout) {
            var rows: [PostgresRow] = []
            for try await row in try await client.query(query, logger: logger) { rows.append(row) }
            return rows
        }
    }

    /// Logs a failed database call: a warning, or a debug line once the backend is stopping (its
    /// connections close under the calls in flight).
    func warn(_ message: Logger.Message, _ error: any Error, _ metadata: Logger.Metadata = [:]) {
        let stopping = state.withLock { $0.phase == .draining || $0.phase == .stopped }
        var metadata = metadata
        metadata["error"] = .string(Self.describe(error))
        logger.log(level: stopping ? .debug : .warning, message, metadata: metadata)
    }

    /// A database error in a sentence: PostgresNIO's own description hides the server's message.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            return error.serverInfo?[.sqlState].map { "\(message) (\($0))" } ?? message
        }
        return "\(error)"
    }
}

/// A database call that did not finish in time.
struct DatabaseTimeout: Error, CustomStringConvertible {
    let after: Duration
    var description: String { "no answer from the database within \(after)" }
}

/// Waits that grow from 100 ms to 2 s, for reconnecting.
struct Backoff {
    private(set) var next = Duration.milliseconds(100)

    mutating func wait() async {
        try? await Task.sleep(for: next)
        next = min(next * 2, .seconds(2))
    }

    mutating func reset() { next = .milliseconds(100) }
}
