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
    /// A TLS certificate or key file is missing, empty or unreadable.
    case tlsFileUnreadable(path: String)
    /// A TLS certificate or key file does not hold what it should; the text says what.
    case tlsFileNotPEM(path: String, expected: String)
    /// The system's libmicrohttpd was built without TLS.
    case tlsUnavailable
    /// libmicrohttpd could not start with TLS: the port, or GnuTLS refused the certificate or key.
    case tlsStartFailed(host: String, port: UInt16)

    public var description: String {
        switch self {
        case .invalidConfiguration(let what): "invalid server configuration: \(what)"
        case .invalidHost(let host): "host '\(host)' is not a numeric IPv4 or IPv6 address"
        case .startFailed(let host, let port):
            "libmicrohttpd could not listen on \(host):\(port) (address in use or not available?)"
        case .alreadyStarted: "the server was already started"
        case .tlsFileUnreadable(let path): "cannot read the TLS file '\(path)' (missing, empty or not readable)"
        case .tlsFileNotPEM(let path, let expected): "the TLS file '\(path)' is not \(expected)"
        case .tlsUnavailable: "this libmicrohttpd was built without TLS (GnuTLS)"
        case .tlsStartFailed(let host, let port):
            "libmicrohttpd could not serve HTTPS on \(host):\(port): the address is in use or not available, "
                + "or GnuTLS refused the certificate or key (a key that does not match the certificate?); "
                + "libmicrohttpd's own message is logged above"
        }
    }
}
