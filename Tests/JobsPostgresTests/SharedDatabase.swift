import Foundation
import Jobs
import Logging
import PostgresNIO
import Synchronization
import TestSupport
import Testing

@testable import JobsPostgres

/// The PostgreSQL these tests run against: `NABLA_TEST_DATABASE_URL`, which `scripts/test.sh` sets to
/// a throwaway cluster it starts (so CI runs every test here); without it the suite is skipped, and
/// says so.
enum SharedDatabase {
    static let url = ProcessInfo.processInfo.environment["NABLA_TEST_DATABASE_URL"]
    static var isConfigured: Bool { url != nil }

    /// A client of the database (its `run()` going in a task that ends with `body`), after the table
    /// has been emptied: each test starts from no jobs.
    static func withClient<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let database = try DatabaseURL(url!)
        let client = PostgresClient(configuration: database.clientConfiguration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            _ = try await JobSchema.migrate(client, logger: logger)
            try await client.query("DELETE FROM nabla_jobs").consume()
            try await client.query("DELETE FROM nabla_datasets").consume()
            return try await body(client)
        }
    }

    static let logger = Logger(label: "tests.shared-jobs")

    /// A replica: a backend named `name` on the test database with a runner of `workers` kept
    /// workers, short leases and heartbeats, running `registry`'s kinds.
    static func replica(
        _ name: String, workers: Int = 1, maxJobsPerClient: Int = 4, lease: Duration = .seconds(2),
        heartbeat: Duration = .milliseconds(200), maxAttempts: Int = 3, registry: JobWorkRegistry = Kinds.registry
    ) async throws -> PostgresJobBackend {
        let runner = JobRunner(
            configuration: JobRunnerConfiguration(
                maxConcurrentJobs: workers, maxJobsPerClient: maxJobsPerClient, keptJobNiceness: 0,
                maxRetainedJobs: 0))
        var settings = SharedJobSettings(
            database: try DatabaseURL(url!), replicaID: name, lease: lease, heartbeat: heartbeat,
            maxAttempts: maxAttempts, claimPoll: .milliseconds(100), progressInterval: .milliseconds(20),
            plotInterval: .milliseconds(20))
        settings.maxConnections = 4
        let backend = PostgresJobBackend(settings: settings, runner: runner, registry: registry, logger: logger)
        backend.start()
        let ready = await eventually(timeout: .seconds(10)) { () async in backend.unavailability == nil }
        #expect(ready, "replica \(name) connected")
        return backend
    }
}

/// The kinds of job the tests run, rebuilt from their requests like the service's.
enum Kinds {
    /// `wait`: runs until its gate (named by the request's text) opens or it is interrupted, reporting
    /// progress and a plot every 10 ms; the result is the request's text.
    /// `echo`: returns its request at once.
    static let registry = JobWorkRegistry([
        "wait": { request in
            { context in
                let gate = Gates.named(String(decoding: request, as: UTF8.self))
                var step = 0.0
                while !gate.isOpen {
                    try context.pause(for: .milliseconds(10))
                    step += 1
                    context.report(
                        ["step": step],
                        attachment: [JobAttachment.Member(name: "plot", encoded: Array("[\(step)]".utf8))])
                }
                return request
            }
        },
        "echo": { request in { _ in request } },
    ])
}

/// Named flags the `wait` jobs poll, opened by the tests.
final class Gates: Sendable {
    private static let open = Mutex<Set<String>>([])
    let name: String
    private init(name: String) { self.name = name }
    static func named(_ name: String) -> Gates { Gates(name: name) }
    var isOpen: Bool { Self.open.withLock { $0.contains(name) } }
    static func open(_ name: String) { _ = Self.open.withLock { $0.insert(name) } }
}

/// A submission of `kind` with `text` as its request.
func submission(_ kind: String, _ text: String, client: String? = nil, owner: String? = nil) -> KeptJobSubmission {
    KeptJobSubmission(kind: kind, request: Array(text.utf8), client: client, owner: owner, correlationID: nil)
}
