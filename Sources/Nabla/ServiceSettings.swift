import API
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
