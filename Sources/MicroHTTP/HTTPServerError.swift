/// Why the HTTP server could not start.
public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    /// A configuration value is out of range; the text says which.
    case invalidConfiguration(String)
    /// The host is not a numeric IPv4 or IPv6 address.
    case invalidHost(String)
    /// libmicrohttpd refused to start (for example, the port is in use).
    case startFailed(host: String, port: UInt16)
    /// `start()` was called twice.
    case alreadyStarted

    public var description: String {
        switch self {
        case .invalidConfiguration(let what): "invalid server configuration: \(what)"
        case .invalidHost(let host): "host '\(host)' is not a numeric IPv4 or IPv6 address"
        case .startFailed(let host, let port):
            "libmicrohttpd could not listen on \(host):\(port) (address in use or not available?)"
        case .alreadyStarted: "the server was already started"
        }
    }
}
