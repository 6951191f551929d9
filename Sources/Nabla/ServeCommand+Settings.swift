import API
import Calculus
import Jobs
import MicroHTTP
import NeuralNet

/// Every setting of `nabla serve`, each declared once: flag, option, where it lands, allowed values,
/// meaning. `--help`, the environment variables, the checks and README's configuration table
/// (`nabla serve --settings-table`) all come from here; the defaults are the configurations' own.
extension ServeCommand {
    static var settings: [any AnySetting] {
        [
            Setting(
                "host", \.host, sets: \.http.host, default: .valueWith("(`0.0.0.0` in the container)"),
                meaning: "numeric IPv4/IPv6 address to bind"),
            Setting("port", \.port, sets: \.http.port, meaning: "TCP port; `0` picks a free one (logged)"),
            Setting(
                "workers", \.workers, sets: \.jobs.maxConcurrentJobs, in: .range(1...1024),
                default: .described("the number of cores"),
                meaning: "jobs computed at once in each of two lanes: single requests (derivatives, gradients, "
                    + "descents, predictions) and kept jobs (trainings, sleeps), so requests never wait behind "
                    + "trainings; kept jobs' threads run at nice 10, so requests and HTTP get the cores first"),
            Setting(
                "queue-limit", \.queueLimit, sets: \.jobs.queueLimit, in: .range(0...1_000_000),
                meaning: "jobs waiting for a worker, in each lane; one more is 503 + `Retry-After`"),
            Setting(
                "max-jobs-per-client", \.maxJobsPerClient, sets: \.jobs.maxJobsPerClient, in: .range(1...1_000_000),
                meaning: "kept jobs (trainings, sleeps) one client (its API key, else its address) may have queued or "
                    + "running; one more is 429 + `Retry-After`"),
            Setting(
                "max-streams-per-client", \.maxStreamsPerClient, sets: \.api.maxStreamsPerClient,
                in: .range(1...10_000),
                meaning: "event streams one client (its API key, else its address) may have open; one more is 429 + "
                    + "`Retry-After`"),
            Setting(
                "max-body-bytes", \.maxBodyBytes, sets: \.http.maxBodyBytes,
                meaning: "largest request body; one byte more is 413, not buffered"),
            Setting(
                "max-data-body-bytes", \.maxDataBodyBytes, sets: \.api.maxDataBodyBytes, in: .range(0...(1 << 30)),
                meaning: "largest body of `/v1/derivative`, `/v1/gradient`, `/v1/descent`, `/v1/train`, "
                    + "`/v1/jobs/{id}/predict` (numeric arrays)"),
            Setting(
                "max-dataset-bytes", \.maxDatasetBytes, sets: \.api.maxDatasetBytes, in: .range(0...(16 << 30)),
                meaning: "largest upload to `POST /v1/datasets` (CSV, read as it streams in, or JSON); one byte more "
                    + "is 413"),
            Setting(
                "max-stored-dataset-bytes", \.maxStoredDatasetBytes, sets: \.api.maxStoredDatasetBytes,
                in: .range(0...(1 << 40)),
                meaning: "memory for uploaded datasets' values, every owner (and replica) together; an upload that "
                    + "does not fit is 507"),
            Setting(
                "max-points", \.maxPoints, sets: \.api.maxPoints, in: .range(1...10_000_000),
                meaning: "most points in one `at` array"),
            Setting(
                "max-expression-length", \.maxExpressionLength, sets: \.api.expressionLimits.maxLength,
                in: .range(1...1_000_000), meaning: "longest expression, in characters"),
            // Each level of nesting takes a few stack frames; 1,000 levels stay well inside a worker thread's stack.
            Setting(
                "max-expression-depth", \.maxExpressionDepth, sets: \.api.expressionLimits.maxDepth,
                in: .range(1...1_000), meaning: "deepest expression nesting (at most 1000)"),
            Setting(
                "max-epochs", \.maxEpochs, sets: \.api.trainingLimits.maximumEpochs, in: .range(1...(1 << 53)),
                meaning: "most epochs per training run"),
            Setting(
                "max-layers", \.maxLayers, sets: \.api.trainingLimits.maximumLayers, in: .range(1...(1 << 53)),
                meaning: "most layers per model"),
            Setting(
                "max-parameters", \.maxParameters, sets: \.api.trainingLimits.maximumParameters,
                in: .range(1...(1 << 53)), meaning: "most weights and biases per model"),
            Setting(
                "max-data-values", \.maxDataValues, sets: \.api.trainingLimits.maximumDataValues,
                in: .range(1...(1 << 53)), meaning: "most samples × features of training data"),
            Setting(
                "max-training-work", \.maxTrainingWork, sets: \.api.trainingLimits.maximumWork,
                in: .range(1...(1 << 53)),
                meaning: "largest work estimate of a run (≈ epochs × samples × parameters)"),
            Setting("public-dir", \.publicDir, sets: \.api.publicDirectory, meaning: "directory served at `/`"),
            Setting(
                "job-time-limit", \.jobTimeLimit, sets: \.jobs.timeLimit.inSeconds,
                in: .positiveSeconds(upTo: 86_400),
                meaning: "seconds a job may run; then it fails with `time_limit`"),
            Setting(
                "grace-period", \.gracePeriod, sets: \.gracePeriod.inSeconds, in: .seconds(0...3600),
                meaning: "seconds running jobs get to finish on SIGTERM/SIGINT"),
            Setting(
                "job-retention", \.jobRetention, sets: \.jobs.retention.inSeconds, in: .seconds(0...(30 * 86_400)),
                meaning: "seconds finished jobs stay readable"),
            Setting(
                "max-retained-jobs", \.maxRetainedJobs, sets: \.jobs.maxRetainedJobs, in: .range(0...1_000_000),
                meaning: "finished jobs kept at most (oldest evicted first)"),
            Setting(
                "max-retained-bytes", \.maxRetainedBytes, sets: \.jobs.maxRetainedBytes, in: .range(0...(1 << 40)),
                meaning: "bytes of kept jobs' requests and results at most (oldest finished evicted first; a "
                    + "million-epoch run's histories are ~20 MB)"),
            Setting(
                "http-threads", \.httpThreads, sets: \.http.threadPoolSize, default: .described("cores, at least 2"),
                meaning: "libmicrohttpd threads (epoll); they never compute"),
            Setting(
                "connection-limit", \.connectionLimit, sets: \.http.connectionLimit,
                meaning: "simultaneous connections"),
            Setting(
                "per-ip-connection-limit", \.perIPConnectionLimit, sets: \.http.perIPConnectionLimit,
                meaning: "simultaneous connections from one address"),
            Setting(
                "connection-timeout", \.connectionTimeout, sets: \.http.connectionTimeoutSeconds,
                meaning: "seconds an idle connection is kept"),
            Setting(
                "request-deadline", \.requestDeadline, sets: \.http.requestDeadlineSeconds,
                meaning: "seconds a request's head and body get to arrive (from the connection's opening or the "
                    + "end of its previous request); a slower client is disconnected"),
            Setting(
                "state-dir", \.stateDir, sets: \.stateDirectoryPath, default: .described("none (memory only)"),
                meaning: "directory where every job is kept on disk, so a restart loses none: finished jobs come "
                    + "back, unfinished ones as failed with reason `shutdown`"),
            Setting(
                "database-url", \.databaseURL, sets: \.databaseURLText,
                default: .described("none (jobs in memory, or in the state directory)"),
                meaning: "PostgreSQL where replicas share kept jobs, `postgres://USER:PASSWORD@HOST:PORT/DB` "
                    + "(`?sslmode=disable|prefer|require|verify-full`; without it, TLS is off on loopback and "
                    + "verified elsewhere): any replica accepts, runs, streams and cancels any job "
                    + "([docs/replicas.md](docs/replicas.md)); excludes a state directory"),
            Setting(
                "replica-id", \.replicaID, sets: \.replicaID, default: .described("host name and process id"),
                meaning: "this replica's name on the jobs it runs (replicas sharing a database)"),
            Setting(
                "job-lease", \.jobLease, sets: \.jobLease.inSeconds, in: .positiveSeconds(upTo: 3600),
                meaning: "seconds a replica's claim on a running job holds without a heartbeat; then another "
                    + "replica starts the job again (replicas sharing a database)"),
            Setting(
                "job-heartbeat", \.jobHeartbeat, sets: \.jobHeartbeat.inSeconds, in: .positiveSeconds(upTo: 600),
                meaning: "seconds between a replica's lease renewals and sweeps for lapsed leases; less than the "
                    + "job lease (replicas sharing a database)"),
            Setting(
                "max-attempts", \.maxAttempts, sets: \.maxAttempts, in: .range(1...100),
                meaning: "times a job is started at most when the replicas running it stop; then it fails "
                    + "with `worker_lost` (replicas sharing a database)"),
            Setting(
                "tls-cert", \.tlsCert, sets: \.tlsCertificateFile, default: .described("none (plain HTTP)"),
                meaning: "PEM certificate (chain) file: with `--tls-key`, serve HTTPS only (TLS 1.2 and 1.3, "
                    + "libmicrohttpd's GnuTLS)"),
            Setting(
                "tls-key", \.tlsKey, sets: \.tlsKeyFile, default: .described("none"),
                meaning: "PEM private key file of `--tls-cert`, unencrypted; read once at start"),
            Setting(
                "api-keys", \.apiKeys, sets: \.apiKeysPath,
                default: .described("none: every route is open to everyone"),
                meaning: "file of API keys, one `NAME:SHA256HEX` per line (`nabla keys create NAME` makes one); "
                    + "with it every `/v1` route needs `Authorization: Bearer TOKEN`, each key sees only its own "
                    + "jobs, and SIGHUP re-reads the file"),
            Setting(
                "protect-metrics", \.protectMetrics, sets: \.api.protectMetrics,
                meaning: "`/metrics` needs an API key too (with `--api-keys`)"),
            Setting(
                "cors-origin", \.corsOrigins, sets: \.corsOriginList, in: .origins(), default: .described("none"),
                meaning: "origin whose pages may call the API from a browser (CORS), e.g. "
                    + "`https://app.example.com`; repeat the flag for more (the environment variable takes them "
                    + "comma-separated)"),
            Setting(
                "log-level", \.logLevel, sets: \.logLevel,
                meaning: "least severe level logged, from `trace` to `critical`"),
            Setting(
                "log-format", \.logFormat, sets: \.logFormat,
                meaning: "line format: `text`, or `json` with one object per line"),
        ]
    }
}
