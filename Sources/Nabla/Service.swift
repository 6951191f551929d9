import API
import ArgumentParser
import Dispatch
import Foundation
import Jobs
import Logging
import MicroHTTP
import Synchronization

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
        let runner = JobRunner(configuration: settings.jobs, store: fileStore ?? InMemoryJobStore())
        let state = ServiceState()
        let api = NablaAPI(
            runner: runner, service: state, configuration: settings.api, logger: Logger(label: "nabla.http"),
            jobLogger: Logger(label: "nabla.jobs"))
        let server = HTTPServer(configuration: settings.http, handler: api)
        let stopSignal = SignalWaiter(signals: [SIGTERM, SIGINT])
        try server.start()
        logger.info(
            "listening",
            metadata: [
                "host": .string(settings.http.host), "port": .stringConvertible(server.port),
                "scheme": .string(settings.http.tls == nil ? "http" : "https"),
                "workers": .stringConvertible(settings.jobs.maxConcurrentJobs),
                "http_threads": .stringConvertible(settings.http.threadPoolSize),
            ])
        let signal = stopSignal.wait()
        let started = ContinuousClock.now
        logger.info(
            "draining",
            metadata: ["signal": .stringConvertible(signal), "grace_s": .string(Self.seconds(settings.gracePeriod))])
        state.beginDraining()
        server.beginDraining()
        runner.shutdown(gracePeriod: settings.gracePeriod)
        server.shutdown(gracePeriod: .seconds(2))
        if let fileStore {
            fileStore.flush()
            for error in fileStore.takeErrors() { logger.error("job not saved", metadata: ["error": .string(error)]) }
        }
        let drain = ContinuousClock.now - started
        logger.info("drained, exiting", metadata: ["drain_s": .string(Self.seconds(drain))])
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
