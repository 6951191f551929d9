import API
import ArgumentParser
import Jobs
import Logging
import MicroHTTP

/// Everything `nabla serve` runs with. `ServiceSettings()` holds the defaults: the configurations'
/// own, and the four below.
struct ServiceSettings {
    var http = HTTPServerConfiguration()
    var jobs = JobRunnerConfiguration()
    var api = APIConfiguration()
    /// How long running jobs get to finish once SIGTERM or SIGINT arrives.
    var gracePeriod: Duration = .seconds(10)
    var logLevel: Logger.Level = .info
    var logFormat: LineLogHandler.Format = .text
    /// Where jobs are kept on disk; nil keeps them in memory only.
    var stateDirectory: String?
    /// The API keys file; nil: no keys, every route open.
    var apiKeysFile: String?
    /// The TLS certificate and key files (`--tls-cert`, `--tls-key`): both serve HTTPS, neither plain HTTP.
    var tlsCertificateFile = ""
    var tlsKeyFile = ""
    /// PostgreSQL shared by replicas (`--database-url`); nil keeps jobs in this process.
    var databaseURL: String?
    /// This replica's name on the jobs it runs; empty: host name and process id.
    var replicaID = ""
    /// How long a claim holds without a heartbeat, and how often heartbeats come.
    var jobLease: Duration = .seconds(15)
    var jobHeartbeat: Duration = .seconds(5)
    /// How many times a job is started at most, where replicas share jobs.
    var maxAttempts = 3
}

extension ServiceSettings {
    /// `databaseURL` as the command line says it: the empty text keeps jobs in this process.
    var databaseURLText: String {
        get { databaseURL ?? "" }
        set { databaseURL = newValue.isEmpty ? nil : newValue }
    }

    /// Refuses settings of shared jobs that contradict each other.
    func checkSharedJobs() throws {
        guard databaseURL != nil else { return }
        if stateDirectory != nil {
            throw ValidationError(
                "--database-url and --state-dir exclude each other: jobs are kept in PostgreSQL or on disk, not both")
        }
        if jobHeartbeat >= jobLease {
            throw ValidationError(
                "--job-heartbeat (\(jobHeartbeat.inSeconds) s) must be shorter than --job-lease (\(jobLease.inSeconds) s)"
            )
        }
    }
}

extension ServiceSettings {
    /// Sets `http.tls` from the two TLS files; one without the other is an error.
    mutating func pairTLSFiles() throws {
        switch (tlsCertificateFile.isEmpty, tlsKeyFile.isEmpty) {
        case (true, true): http.tls = nil
        case (false, false): http.tls = .init(certificateFile: tlsCertificateFile, keyFile: tlsKeyFile)
        case (false, true): throw ValidationError("--tls-cert needs --tls-key (NABLA_TLS_KEY) too")
        case (true, false): throw ValidationError("--tls-key needs --tls-cert (NABLA_TLS_CERT) too")
        }
    }
}

extension ServiceSettings {
    /// `stateDirectory` as the command line says it: the empty path keeps jobs in memory only.
    var stateDirectoryPath: String {
        get { stateDirectory ?? "" }
        set { stateDirectory = newValue.isEmpty ? nil : newValue }
    }
}

extension ServiceSettings {
    /// `apiKeysFile` as the command line says it: the empty path means no keys.
    var apiKeysPath: String {
        get { apiKeysFile ?? "" }
        set { apiKeysFile = newValue.isEmpty ? nil : newValue }
    }

    /// The CORS origins as one setting.
    var corsOriginList: OriginList {
        get { OriginList(origins: api.corsOrigins) }
        set { api.corsOrigins = newValue.origins }
    }
}

extension Duration {
    /// The duration in seconds, as settings give it; set, it keeps whole milliseconds.
    var inSeconds: Double {
        get { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
        set { self = .milliseconds(Int64(newValue * 1000)) }
    }
}
