import API
import ArgumentParser
import Calculus
import Foundation
import Jobs
import Logging
import MicroHTTP

/// `nabla serve`: runs the HTTP service until SIGTERM or SIGINT, then drains and exits 0.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP service (the default command).")

    @Option(
        help:
            "Address to bind: a numeric IPv4/IPv6 address. Env NABLA_HOST. Default 127.0.0.1 (0.0.0.0 in the container)."
    )
    var host: String?
    @Option(help: "TCP port; 0 picks a free one. Env NABLA_PORT. Default 8080.")
    var port: UInt16?
    @Option(
        help:
            "Jobs computed at once, in each of two lanes (single requests; kept jobs such as trainings). Env NABLA_WORKERS. Default: the number of cores."
    )
    var workers: Int?
    @Option(
        name: .customLong("queue-limit"),
        help: "Jobs waiting for a worker, in each lane, before 503. Env NABLA_QUEUE_LIMIT. Default 256.")
    var queueLimit: Int?
    @Option(
        name: .customLong("max-jobs-per-client"),
        help: "Jobs one client address may have queued or running before 429. Env NABLA_MAX_JOBS_PER_CLIENT. Default 4."
    )
    var maxJobsPerClient: Int?
    @Option(
        name: .customLong("max-streams-per-client"),
        help: "Event streams one client address may have open before 429. Env NABLA_MAX_STREAMS_PER_CLIENT. Default 4."
    )
    var maxStreamsPerClient: Int?
    @Option(
        name: .customLong("max-body-bytes"),
        help: "Largest request body; more is 413. Env NABLA_MAX_BODY_BYTES. Default 1048576.")
    var maxBodyBytes: Int?
    @Option(
        name: .customLong("max-data-body-bytes"),
        help:
            "Largest body of the routes that take numeric arrays (/v1/derivative). Env NABLA_MAX_DATA_BODY_BYTES. Default 8388608."
    )
    var maxDataBodyBytes: Int?
    @Option(
        name: .customLong("max-points"),
        help: "Most points in one 'at' array. Env NABLA_MAX_POINTS. Default 100000.")
    var maxPoints: Int?
    @Option(
        name: .customLong("max-expression-length"),
        help: "Longest expression in characters. Env NABLA_MAX_EXPRESSION_LENGTH. Default 10000.")
    var maxExpressionLength: Int?
    @Option(
        name: .customLong("max-expression-depth"),
        help: "Deepest expression nesting. Env NABLA_MAX_EXPRESSION_DEPTH. Default 256.")
    var maxExpressionDepth: Int?
    @Option(name: .customLong("public-dir"), help: "Directory served at /. Env NABLA_PUBLIC_DIR. Default ./Public.")
    var publicDir: String?
    @Option(
        name: .customLong("job-time-limit"),
        help: "Seconds a job may run before it fails with time_limit. Env NABLA_JOB_TIME_LIMIT. Default 300.")
    var jobTimeLimit: Double?
    @Option(
        name: .customLong("grace-period"),
        help: "Seconds running jobs get to finish on SIGTERM. Env NABLA_GRACE_PERIOD. Default 10.")
    var gracePeriod: Double?
    @Option(
        name: .customLong("http-threads"),
        help: "libmicrohttpd threads (they never compute). Env NABLA_HTTP_THREADS. Default: cores, at least 2.")
    var httpThreads: Int?
    @Option(
        name: .customLong("connection-limit"),
        help: "Simultaneous connections. Env NABLA_CONNECTION_LIMIT. Default 1000.")
    var connectionLimit: Int?
    @Option(
        name: .customLong("per-ip-connection-limit"),
        help: "Simultaneous connections per client address. Env NABLA_PER_IP_CONNECTION_LIMIT. Default 64.")
    var perIPConnectionLimit: Int?
    @Option(
        name: .customLong("connection-timeout"),
        help: "Seconds an idle connection is kept. Env NABLA_CONNECTION_TIMEOUT. Default 10.")
    var connectionTimeout: Int?
    @Option(
        name: .customLong("request-deadline"),
        help:
            "Seconds a request's head and body get to arrive; a slower client is disconnected. Env NABLA_REQUEST_DEADLINE. Default 30."
    )
    var requestDeadline: Int?
    @Option(
        name: .customLong("job-retention"),
        help: "Seconds finished jobs stay readable. Env NABLA_JOB_RETENTION. Default 3600.")
    var jobRetention: Double?
    @Option(
        name: .customLong("max-retained-jobs"),
        help: "Finished jobs kept at most. Env NABLA_MAX_RETAINED_JOBS. Default 1000.")
    var maxRetainedJobs: Int?
    @Option(
        name: .customLong("max-retained-bytes"),
        help:
            "Bytes of finished jobs' requests and results kept at most (oldest evicted first). Env NABLA_MAX_RETAINED_BYTES. Default 268435456."
    )
    var maxRetainedBytes: Int?
    @Option(
        name: .customLong("state-dir"),
        help:
            "Directory where jobs are kept on disk, so a restart loses none (finished jobs come back; unfinished ones as failed, reason shutdown). Env NABLA_STATE_DIR. Default: none, jobs live in memory only."
    )
    var stateDir: String?
    @Option(
        name: .customLong("log-level"),
        help: "trace, debug, info, notice, warning, error or critical. Env NABLA_LOG_LEVEL. Default info.")
    var logLevel: String?
    @Option(name: .customLong("log-format"), help: "text or json. Env NABLA_LOG_FORMAT. Default text.")
    var logFormat: String?
    @OptionGroup(title: "Training limits")
    var trainingLimits: TrainingLimitOptions

    func run() throws {
        MemoryTuning.apply()
        let settings = try resolve()
        let service = Service(settings: settings)
        try service.run()
    }

    /// Every setting from flag, environment or default, checked.
    func resolve() throws -> ServiceSettings {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var http = HTTPServerConfiguration()
        http.host = try Setting.resolve(host, env: "NABLA_HOST", default: http.host)
        http.port = try Setting.resolve(port, env: "NABLA_PORT", default: http.port)
        http.maxBodyBytes = try Setting.resolve(maxBodyBytes, env: "NABLA_MAX_BODY_BYTES", default: http.maxBodyBytes)
        http.threadPoolSize = try Setting.resolve(httpThreads, env: "NABLA_HTTP_THREADS", default: http.threadPoolSize)
        http.connectionLimit = try Setting.resolve(
            connectionLimit, env: "NABLA_CONNECTION_LIMIT", default: http.connectionLimit)
        http.perIPConnectionLimit = try Setting.resolve(
            perIPConnectionLimit, env: "NABLA_PER_IP_CONNECTION_LIMIT", default: http.perIPConnectionLimit)
        http.connectionTimeoutSeconds = try Setting.resolve(
            connectionTimeout, env: "NABLA_CONNECTION_TIMEOUT", default: http.connectionTimeoutSeconds)
        http.requestDeadlineSeconds = try Setting.resolve(
            requestDeadline, env: "NABLA_REQUEST_DEADLINE", default: http.requestDeadlineSeconds)

        var jobs = JobRunnerConfiguration()
        jobs.maxConcurrentJobs = try Setting.resolve(
            workers, env: "NABLA_WORKERS", default: cores, in: 1...1024, flagName: "--workers")
        jobs.queueLimit = try Setting.resolve(
            queueLimit, env: "NABLA_QUEUE_LIMIT", default: jobs.queueLimit, in: 0...1_000_000,
            flagName: "--queue-limit")
        jobs.maxJobsPerClient = try Setting.resolve(
            maxJobsPerClient, env: "NABLA_MAX_JOBS_PER_CLIENT", default: jobs.maxJobsPerClient, in: 1...1_000_000,
            flagName: "--max-jobs-per-client")
        let timeLimit = try Setting.resolve(jobTimeLimit, env: "NABLA_JOB_TIME_LIMIT", default: 300.0)
        let retention = try Setting.resolve(jobRetention, env: "NABLA_JOB_RETENTION", default: 3600.0)
        jobs.maxRetainedJobs = try Setting.resolve(
            maxRetainedJobs, env: "NABLA_MAX_RETAINED_JOBS", default: jobs.maxRetainedJobs, in: 0...1_000_000,
            flagName: "--max-retained-jobs")
        jobs.maxRetainedBytes = try Setting.resolve(
            maxRetainedBytes, env: "NABLA_MAX_RETAINED_BYTES", default: jobs.maxRetainedBytes, in: 0...(1 << 40),
            flagName: "--max-retained-bytes")
        guard timeLimit > 0, timeLimit <= 86_400 else {
            throw ValidationError("--job-time-limit must be in (0, 86400] s")
        }
        guard retention >= 0, retention <= 30 * 86_400 else {
            throw ValidationError("--job-retention must be 0...2592000 s")
        }
        jobs.timeLimit = .milliseconds(Int64(timeLimit * 1000))
        jobs.retention = .milliseconds(Int64(retention * 1000))

        var api = APIConfiguration()
        api.publicDirectory = try Setting.resolve(publicDir, env: "NABLA_PUBLIC_DIR", default: api.publicDirectory)
        api.maxDataBodyBytes = try Setting.resolve(
            maxDataBodyBytes, env: "NABLA_MAX_DATA_BODY_BYTES", default: api.maxDataBodyBytes, in: 0...(1 << 30),
            flagName: "--max-data-body-bytes")
        api.maxPoints = try Setting.resolve(
            maxPoints, env: "NABLA_MAX_POINTS", default: api.maxPoints, in: 1...10_000_000, flagName: "--max-points")
        api.expressionLimits.maxLength = try Setting.resolve(
            maxExpressionLength, env: "NABLA_MAX_EXPRESSION_LENGTH", default: api.expressionLimits.maxLength,
            in: 1...1_000_000, flagName: "--max-expression-length")
        // Each level of nesting takes a few stack frames; 1,000 levels stay well inside a worker thread's stack.
        api.expressionLimits.maxDepth = try Setting.resolve(
            maxExpressionDepth, env: "NABLA_MAX_EXPRESSION_DEPTH", default: api.expressionLimits.maxDepth,
            in: 1...1_000, flagName: "--max-expression-depth")
        api.trainingLimits = try trainingLimits.resolve()
        api.maxStreamsPerClient = try Setting.resolve(
            maxStreamsPerClient, env: "NABLA_MAX_STREAMS_PER_CLIENT", default: api.maxStreamsPerClient,
            in: 1...10_000, flagName: "--max-streams-per-client")

        let grace = try Setting.resolve(gracePeriod, env: "NABLA_GRACE_PERIOD", default: 10.0)
        guard grace >= 0, grace <= 3600 else { throw ValidationError("--grace-period must be 0...3600 s") }
        let levelText = try Setting.resolve(logLevel, env: "NABLA_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw ValidationError(
                "--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let formatText = try Setting.resolve(logFormat, env: "NABLA_LOG_FORMAT", default: "text")
        guard let format = LineLogHandler.Format(rawValue: formatText.lowercased()) else {
            throw ValidationError("--log-format must be text or json")
        }
        let stateDirectory = try Setting.resolve(stateDir, env: "NABLA_STATE_DIR", default: "")
        return ServiceSettings(
            http: http, jobs: jobs, api: api, gracePeriod: .milliseconds(Int64(grace * 1000)), logLevel: level,
            logFormat: format, stateDirectory: stateDirectory.isEmpty ? nil : stateDirectory)
    }
}
