import Foundation

/// Every libmicrohttpd setting Nabla uses, in one place, with the defaults documented.
///
/// libmicrohttpd's own defaults are unsafe for a public service: no connection timeout, no per-IP
/// limit (a few hundred slow clients from one address take the server down) and a connection limit
/// of 1020. These defaults close those holes.
public struct HTTPServerConfiguration: Sendable, Equatable {
    /// Numeric IPv4 or IPv6 address to bind. Default `127.0.0.1`.
    public var host: String
    /// TCP port; 0 picks a free one (read it back from `HTTPServer.port`). Default 8080.
    public var port: UInt16
    /// Threads in libmicrohttpd's pool, each polling with epoll. They only parse and hand off, never
    /// compute. Default: the number of active cores, at least 2.
    public var threadPoolSize: Int
    /// `MHD_OPTION_CONNECTION_LIMIT`: simultaneous connections in all. Default 1,000.
    public var connectionLimit: Int
    /// `MHD_OPTION_PER_IP_CONNECTION_LIMIT`: simultaneous connections from one address. Default 64.
    public var perIPConnectionLimit: Int
    /// `MHD_OPTION_CONNECTION_TIMEOUT`: seconds a connection may stay idle. Default 10.
    public var connectionTimeoutSeconds: Int
    /// Seconds a request's head and body get to arrive, from the connection's opening (or the end of
    /// its previous request); past it the connection is closed. The idle timeout alone does not stop a
    /// client that trickles a byte every few seconds. Default 30.
    public var requestDeadlineSeconds: Int
    /// `MHD_OPTION_CONNECTION_MEMORY_LIMIT`: bytes per connection for the request head and read
    /// buffer; a longer head is answered 431/414 by libmicrohttpd. Default 32 KiB.
    public var connectionMemoryLimit: Int
    /// `MHD_OPTION_STRICT_FOR_CLIENT`: refuse sloppy HTTP (bare LF, spaces in header names). Default on.
    public var strictHTTP: Bool
    /// Largest request body accepted; one byte more is answered 413 without buffering it. Default 1 MiB.
    public var maxBodyBytes: Int
    /// Largest amount a streamed response may buffer for a client that does not read; past it the
    /// stream is aborted. Default 1 MiB.
    public var maxStreamBufferBytes: Int
    /// Serve HTTPS with this certificate and key instead of plain HTTP. Default nil (plain HTTP).
    public var tls: TLS?

    /// A configuration with every default above, changed only where you say.
    public init(
        host: String = "127.0.0.1",
        port: UInt16 = 8080,
        threadPoolSize: Int = HTTPServerConfiguration.defaultThreadPoolSize,
        connectionLimit: Int = 1_000,
        perIPConnectionLimit: Int = 64,
        connectionTimeoutSeconds: Int = 10,
        requestDeadlineSeconds: Int = 30,
        connectionMemoryLimit: Int = 32 * 1024,
        strictHTTP: Bool = true,
        maxBodyBytes: Int = 1 << 20,
        maxStreamBufferBytes: Int = 1 << 20,
        tls: TLS? = nil
    ) {
        self.host = host
        self.port = port
        self.threadPoolSize = threadPoolSize
        self.connectionLimit = connectionLimit
        self.perIPConnectionLimit = perIPConnectionLimit
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.requestDeadlineSeconds = requestDeadlineSeconds
        self.connectionMemoryLimit = connectionMemoryLimit
        self.strictHTTP = strictHTTP
        self.maxBodyBytes = maxBodyBytes
        self.maxStreamBufferBytes = maxStreamBufferBytes
        self.tls = tls
    }

    /// The number of active cores, at least 2.
    public static var defaultThreadPoolSize: Int {
        max(2, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Checks every value is in a range libmicrohttpd accepts.
    func validate() throws(HTTPServerError) {
        func check(_ ok: Bool, _ what: String) throws(HTTPServerError) {
            if !ok { throw .invalidConfiguration(what) }
        }
        try check((1...256).contains(threadPoolSize), "thread pool size must be 1...256")
        try check((1...100_000).contains(connectionLimit), "connection limit must be 1...100000")
        try check((1...100_000).contains(perIPConnectionLimit), "per-IP connection limit must be 1...100000")
        try check((1...86_400).contains(connectionTimeoutSeconds), "connection timeout must be 1...86400 s")
        try check((1...86_400).contains(requestDeadlineSeconds), "request deadline must be 1...86400 s")
        try check((4096...(16 << 20)).contains(connectionMemoryLimit), "connection memory limit must be 4 KiB...16 MiB")
        try check((0...(1 << 30)).contains(maxBodyBytes), "max body bytes must be 0...1 GiB")
        try check((1024...(1 << 30)).contains(maxStreamBufferBytes), "max stream buffer must be 1 KiB...1 GiB")
    }
}
