import API
import ArgumentParser
import Dispatch
import Foundation
import Jobs
import Logging
import MicroHTTP
import Synchronization

#if SharedJobs
    import JobsPostgres
#endif

/// Builds the job runner, the API and the HTTP server, runs them until SIGTERM/SIGINT, then drains:
/// stop accepting, let running jobs finish within the grace period, cancel the rest, answer every
/// request under way, stop libmicrohttpd, exit 0.
struct Service {
    let settings: ServiceSettings

    func run() throws {
        let format = settings.logFormat
        let level = settings.logLevel
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "nabla")
        if !FileManager.default.fileExists(atPath: settings.api.publicDirectory) {
            logger.warning(
                "public directory not found; / will answer 404",
                metadata: ["path": .string(settings.api.publicDirectory)])
        }
        let fileStore = try openStateDirectory(logger: logger)
        let keys = try loadKeys(logger: logger)
        var configuration = settings.api
        // Uploaded datasets are kept as long as jobs are, where jobs are: in memory (and under
        // --state-dir), or in the database replicas share.
        configuration.datasetRetention = settings.jobs.retention
        if settings.databaseURL == nil {
            configuration.datasetDirectory = settings.stateDirectory.map {
                URL(fileURLWithPath: $0).appendingPathComponent("datasets").path
            }
        }
        let datasets = NablaAPI.datasetStore(configuration, logger: Logger(label: "nabla.http"))
        let (runner, shared) = try makeRunner(fileStore: fileStore, datasets: datasets)
        let state = ServiceState()
        let api = NablaAPI(
            runner: runner, jobs: shared?.backend, service: state, configuration: configuration, datasets: datasets,
            keys: keys, logger: Logger(label: "nabla.http"), jobLogger: Logger(label: "nabla.jobs"))
        shared?.start()
        let server = HTTPServer(configuration: settings.http, handler: api)
        let stopSignal = SignalWaiter(signals: [SIGTERM, SIGINT])
        let reloader = keys.flatMap { keys in
            settings.apiKeysFile.map { KeyReloader(keys: keys, path: $0, logger: logger) }
        }
        try server.start()
        logger.info(
            "listening",
            metadata: [
                "host": .string(settings.http.host), "port": .stringConvertible(server.port),
                "scheme": .string(settings.http.tls == nil ? "http" : "https"),
                "workers": .stringConvertible(settings.jobs.maxConcurrentJobs),
                "http_threads": .stringConvertible(settings.http.threadPoolSize),
            ])
        if keys == nil && !Self.isLoopback(settings.http.host) {
            logger.warning(
                "no API keys: anyone who can reach this address can read, cancel and run every job; set --api-keys",
                metadata: ["host": .string(settings.http.host)])
        }
        let signal = stopSignal.wait()
        reloader?.stop()
        let started = ContinuousClock.now
        logger.info(
            "draining",
            metadata: ["signal": .stringConvertible(signal), "grace_s": .string(Self.seconds(settings.gracePeriod))])
        state.beginDraining()
        server.beginDraining()
        shared?.shutdown(settings.gracePeriod)
        runner.shutdown(gracePeriod: shared == nil ? settings.gracePeriod : .seconds(1))
        server.shutdown(gracePeriod: .seconds(2))
        if let fileStore {
            fileStore.flush()
            for error in fileStore.takeErrors() { logger.error("job not saved", metadata: ["error": .string(error)]) }
        }
        let drain = ContinuousClock.now - started
        logger.info("drained, exiting", metadata: ["drain_s": .string(Self.seconds(drain))])
    }

    /// The job runner, and with `--database-url` the backend through which replicas share kept jobs
    /// (the runner then only runs them: the database keeps finished ones) and uploaded `datasets`.
    private func makeRunner(fileStore: FileJobStore?, datasets: DatasetStore?) throws -> (JobRunner, SharedJobs?) {
        guard let text = settings.databaseURL else {
            return (JobRunner(configuration: settings.jobs, store: fileStore ?? InMemoryJobStore()), nil)
        }
        #if SharedJobs
            let database: DatabaseURL
            do {
                database = try DatabaseURL(text)
            } catch {
                throw ValidationError("--database-url: \(error)")
            }
            let replica =
                settings.replicaID.isEmpty ? "\(ProcessInfo.processInfo.hostName)-\(getpid())" : settings.replicaID
            var shared = SharedJobSettings(
                database: database, replicaID: replica, lease: settings.jobLease, heartbeat: settings.jobHeartbeat,
                maxAttempts: settings.maxAttempts)
            shared.retention = settings.jobs.retention
            shared.maxRetainedJobs = settings.jobs.maxRetainedJobs
            shared.maxRetainedBytes = settings.jobs.maxRetainedBytes
            var configuration = settings.jobs
            configuration.maxRetainedJobs = 0
            let runner = JobRunner(configuration: configuration)
            let backend = PostgresJobBackend(
                settings: shared, runner: runner, registry: NablaAPI.jobWorkRegistry(settings.api, datasets: datasets),
                logger: Logger(label: "nabla.jobs.shared"))
            datasets?.share(through: backend.datasets)
            return (
                runner,
                SharedJobs(backend: backend, start: backend.start, shutdown: { backend.shutdown(gracePeriod: $0) })
            )
        #else
            throw ValidationError(
                "--database-url \(text): this nabla was built without database support (the SharedJobs trait); "
                    + "build it with the default traits")
        #endif
    }

    /// The keys in `--api-keys`, if set; a file that cannot be read stops the start.
    private func loadKeys(logger: Logger) throws -> KeyRing? {
        guard let path = settings.apiKeysFile else { return nil }
        do {
            let keys = try APIKeys(contentsOf: path)
            logger.info("api keys", metadata: ["path": .string(path), "keys": .stringConvertible(keys.count)])
            return KeyRing(keys)
        } catch {
            throw ValidationError("--api-keys \(path): \(error)")
        }
    }

    /// Whether `host` only accepts connections from this machine.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The job store in `--state-dir`, if set, with what it read back logged.
    private func openStateDirectory(logger: Logger) throws -> FileJobStore? {
        guard let path = settings.stateDirectory else { return nil }
        let store: FileJobStore
        do {
            store = try FileJobStore(directory: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("--state-dir \(path) cannot be used: \(error.localizedDescription)")
        }
        for problem in store.loadProblems {
            logger.warning("job file skipped", metadata: ["problem": .string(problem)])
        }
        logger.info(
            "state directory", metadata: ["path": .string(path), "jobs": .stringConvertible(store.loadedCount)])
        return store
    }

    /// Seconds with millisecond precision, for log fields (`7.000`).
    private static func seconds(_ duration: Duration) -> String {
        let components = duration.components
        return String(format: "%.3f", Double(components.seconds) + Double(components.attoseconds) * 1e-18)
    }
}

/// Re-reads the keys file on SIGHUP: a file that reads puts its keys in force for the next requests
/// (connections stay open); a broken one keeps the keys in force and logs why.
final class KeyReloader {
    private let source: any DispatchSourceSignal

    init(keys: KeyRing, path: String, logger: Logger) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            do {
                let loaded = try APIKeys(contentsOf: path)
                keys.replace(with: loaded)
                logger.info(
                    "api keys reloaded", metadata: ["path": .string(path), "keys": .stringConvertible(loaded.count)])
            } catch {
                logger.error(
                    "api keys not reloaded; the previous keys stay in force",
                    metadata: ["path": .string(path), "error": .string("\(error)")])
            }
        }
        source.resume()
    }

    func stop() { source.cancel() }
}

/// Blocks until one of the given signals arrives (their default action is disabled meanwhile).
final class SignalWaiter: @unchecked Sendable {
    // @unchecked: the sources are created in init and only cancelled; the semaphore is thread-safe.
    private let arrived = DispatchSemaphore(value: 0)
    private let received = Atomic<Int32>(0)
    private var sources: [any DispatchSourceSignal] = []

    init(signals: [Int32]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                received.store(number, ordering: .releasing)
                arrived.signal()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Waits for the first signal; returns its number.
    func wait() -> Int32 {
        arrived.wait()
        return received.load(ordering: .acquiring)
    }
}

/// Kept jobs shared by replicas (`--database-url`): the backend, and how the service starts and
/// stops it.
struct SharedJobs {
    let backend: any JobBackend
    let start: @Sendable () -> Void
    let shutdown: @Sendable (Duration) -> Void
}
