// Every @convention(c) callback, Unmanaged reference and raw libmicrohttpd pointer of Nabla lives here.
//
// Callbacks capture nothing and make one call into a Swift method. Ownership:
// - the server is retained once for libmicrohttpd in `MHDDaemon.start` and released once in `stop`;
// - the same reference is the closure of the connection notifications (opened, closed);
// - each request context is retained once on its first access callback and released once in the
//   request-completed callback;
// - each stream is retained once for its MHD response and released once in the response's free callback;
// - so is each complete body handed over without a copy (`ResponseBody`).
internal import CMicroHTTPD
import Glibc

/// A libmicrohttpd connection handle, valid from the first access callback to request completion.
struct MHDConnection: @unchecked Sendable {
    // @unchecked: an opaque C handle; libmicrohttpd allows suspend/resume from any thread.
    fileprivate let pointer: OpaquePointer

    /// Names the connection while libmicrohttpd keeps it (its handle's address).
    var key: UInt { UInt(bitPattern: Int(bitPattern: pointer)) }

    /// The connection's socket, or -1.
    var socket: Int32 { CMicroHTTPD_connection_fd(pointer) }

    func suspend() { MHD_suspend_connection(pointer) }
    func resume() { MHD_resume_connection(pointer) }

    /// Queues a complete or streamed response (adds `Connection: close` when `close` is set).
    func queue(_ response: HTTPResponse, close: Bool, streamBufferLimit: Int) -> Bool {
        let mhdResponse: OpaquePointer?
        switch response.body {
        case .bytes(let bytes) where bytes.isEmpty:
            mhdResponse = MHD_create_response_from_buffer(0, nil, .RESPMEM_PERSISTENT)
        case .bytes(let bytes):
            // The body is handed over without a copy (megabytes for a large answer): a retained box keeps
            // the array, and so its storage, alive and unchanged until libmicrohttpd frees the response.
            let body = ResponseBody(bytes)
            let retained = Unmanaged.passRetained(body).toOpaque()
            mhdResponse = MHD_create_response_from_buffer_with_free_callback_cls(
                body.count, body.start, responseBodyFreeCallback, retained)
            if mhdResponse == nil { Unmanaged<ResponseBody>.fromOpaque(retained).release() }
        case .stream(let stream):
            stream.bind(to: self, maxBufferedBytes: streamBufferLimit)
            // A client that stops reading fills a small kernel buffer soon; then nothing moves and the
            // idle timeout closes the connection (instead of megabytes queued in the kernel first).
            var sendBuffer: Int32 = 64 * 1024
            _ = setsockopt(socket, SOL_SOCKET, SO_SNDBUF, &sendBuffer, socklen_t(MemoryLayout<Int32>.size))
            let retained = Unmanaged.passRetained(stream).toOpaque()
            mhdResponse = MHD_create_response_from_callback(
                CMicroHTTPD_SIZE_UNKNOWN, 16 * 1024, streamReaderCallback, retained, streamFreeCallback)
            if mhdResponse == nil { Unmanaged<HTTPResponseStream>.fromOpaque(retained).release() }
        }
        guard let mhdResponse else { return false }
        defer { MHD_destroy_response(mhdResponse) }
        for (name, value) in response.headers {
            _ = MHD_add_response_header(mhdResponse, name, value)
        }
        if close { _ = MHD_add_response_header(mhdResponse, "Connection", "close") }
        return MHD_queue_response(pointer, UInt32(clamping: response.status), mhdResponse) == .YES
    }

    /// Every header (`.HEADER_KIND`) or query argument (`.GET_ARGUMENT_KIND`) in order.
    fileprivate func values(of kind: MHD_ValueKind) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        withUnsafeMutablePointer(to: &pairs) { pointerToPairs in
            _ = MHD_get_connection_values(pointer, kind, collectValueCallback, pointerToPairs)
        }
        return pairs
    }

    fileprivate var clientAddress: String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let status = buffer.withUnsafeMutableBufferPointer {
            CMicroHTTPD_client_address(pointer, $0.baseAddress, $0.count)
        }
        guard status == 0 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

/// The running libmicrohttpd daemon.
struct MHDDaemon: @unchecked Sendable {
    // @unchecked: an opaque C handle, used under the server's lock.
    private let pointer: OpaquePointer
    /// The certificate and key given to libmicrohttpd (C strings), freed after it stops.
    private let tlsTexts: [UnsafeMutablePointer<CChar>]

    /// Starts libmicrohttpd for `server`, retaining it until `stop`.
    static func start(_ configuration: HTTPServerConfiguration, for server: HTTPServer) throws(HTTPServerError)
        -> MHDDaemon
    {
        let flags =
            MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
            | MHD_USE_ITC.rawValue | MHD_USE_ERROR_LOG.rawValue
        // The PEM texts stay allocated while the daemon runs (freed in `stop`), though GnuTLS copies them.
        let tls = try configuration.tls?.load()
        let certificate = tls.map { strdup($0.certificate)! }
        let key = tls.map { strdup($0.key)! }
        let retained = Unmanaged.passRetained(server).toOpaque()
        var error = CMicroHTTPD_START_OK
        let daemon = configuration.host.withCString { host -> OpaquePointer? in
            HTTPServerConfiguration.TLS.priorities.withCString { priorities -> OpaquePointer? in
                var settings = CMicroHTTPD_Settings(
                    flags: UInt32(flags), host: host, port: configuration.port,
                    thread_pool_size: UInt32(configuration.threadPoolSize),
                    connection_limit: UInt32(configuration.connectionLimit),
                    per_ip_connection_limit: UInt32(configuration.perIPConnectionLimit),
                    connection_timeout_seconds: UInt32(configuration.connectionTimeoutSeconds),
                    connection_memory_limit: configuration.connectionMemoryLimit,
                    strict_for_client: configuration.strictHTTP ? 1 : 0,
                    notify_connection: connectionNotifyCallback, notify_connection_cls: retained,
                    accept_policy: acceptPolicyCallback, accept_policy_cls: retained,
                    tls_certificate: certificate, tls_key: key, tls_priorities: priorities)
                return CMicroHTTPD_start(
                    &settings, accessHandlerCallback, retained, requestCompletedCallback, retained, &error)
            }
        }
        guard let daemon else {
            Unmanaged<HTTPServer>.fromOpaque(retained).release()
            free(certificate)
            free(key)
            if error == CMicroHTTPD_START_BAD_HOST { throw .invalidHost(configuration.host) }
            if error == CMicroHTTPD_START_NO_TLS { throw .tlsUnavailable }
            if tls != nil { throw .tlsStartFailed(host: configuration.host, port: configuration.port) }
            throw .startFailed(host: configuration.host, port: configuration.port)
        }
        return MHDDaemon(pointer: daemon, tlsTexts: [certificate, key].compactMap { $0 })
    }

    var boundPort: UInt16 { CMicroHTTPD_bound_port(pointer) }

    /// Stops libmicrohttpd (every connection must be resumed first; it closes the listening socket)
    /// and releases the server.
    ///
    /// Draining never calls `MHD_quiesce_daemon`: in 0.9.75, with a pool of epoll threads, it removes the
    /// listening socket from each thread's epoll set while that thread may be removing it too, and the
    /// loser's `MHD_PANIC` ("Failed to remove listen FD from epoll set", daemon.c:5531) aborts the
    /// process. The accept policy below refuses new connections instead.
    func stop(releasing server: HTTPServer) {
        MHD_stop_daemon(pointer)
        for text in tlsTexts { free(text) }
        Unmanaged.passUnretained(server).release()
    }
}

// MARK: - Callbacks

/// Every accepted connection: closed at once (MHD_NO) once the server drains.
private let acceptPolicyCallback: MHD_AcceptPolicyCallback = { serverPointer, _, _ in
    let server = Unmanaged<HTTPServer>.fromOpaque(serverPointer!).takeUnretainedValue()
    return server.acceptsConnections ? .YES : .NO
}

private let accessHandlerCallback: MHD_AccessHandlerCallback = {
    serverPointer, connection, url, method, _, uploadData, uploadDataSize, contextPointer in
    let server = Unmanaged<HTTPServer>.fromOpaque(serverPointer!).takeUnretainedValue()
    let mhd = MHDConnection(pointer: connection!)
    if let existing = contextPointer!.pointee {
        let context = Unmanaged<RequestContext>.fromOpaque(existing).takeUnretainedValue()
        let size = uploadDataSize!.pointee
        let bytes = UnsafeBufferPointer(
            start: UnsafeRawPointer(uploadData)?.assumingMemoryBound(to: UInt8.self), count: size)
        uploadDataSize!.pointee = 0
        return server.continueRequest(context, upload: bytes) ? .YES : .NO
    }
    let head = HTTPRequest(
        method: String(cString: method!), path: String(cString: url!),
        query: mhd.values(of: .GET_ARGUMENT_KIND), headers: mhd.values(of: .HEADER_KIND),
        remoteAddress: mhd.clientAddress)
    let context = RequestContext(server: server, connection: mhd, request: head)
    contextPointer!.pointee = Unmanaged.passRetained(context).toOpaque()
    return server.beginRequest(context, head: head) ? .YES : .NO
}

private let requestCompletedCallback: MHD_RequestCompletedCallback = {
    serverPointer, _, contextPointer, termination in
    guard let raw = contextPointer?.pointee else { return }
    contextPointer!.pointee = nil
    let context = Unmanaged<RequestContext>.fromOpaque(raw).takeRetainedValue()
    let server = Unmanaged<HTTPServer>.fromOpaque(serverPointer!).takeUnretainedValue()
    server.requestFinished(context, cleanly: termination == .REQUEST_TERMINATED_COMPLETED_OK)
}

private let connectionNotifyCallback: MHD_NotifyConnectionCallback = { serverPointer, connection, _, code in
    let server = Unmanaged<HTTPServer>.fromOpaque(serverPointer!).takeUnretainedValue()
    let mhd = MHDConnection(pointer: connection!)
    if code == .CONNECTION_NOTIFY_STARTED {
        server.connectionOpened(mhd)
    } else {
        server.connectionClosed(mhd)
    }
}

private let collectValueCallback: MHD_KeyValueIterator = { pairsPointer, _, key, value in
    let pairs = pairsPointer!.assumingMemoryBound(to: [(name: String, value: String)].self)
    pairs.pointee.append((key.map { String(cString: $0) } ?? "", value.map { String(cString: $0) } ?? ""))
    return .YES
}

private let streamReaderCallback: MHD_ContentReaderCallback = { streamPointer, _, buffer, capacity in
    let stream = Unmanaged<HTTPResponseStream>.fromOpaque(streamPointer!).takeUnretainedValue()
    switch stream.pull(into: UnsafeMutableRawPointer(buffer!), capacity: capacity) {
    case .bytes(let count): return count
    case .endOfStream: return CMicroHTTPD_CONTENT_READER_END_OF_STREAM
    case .error: return CMicroHTTPD_CONTENT_READER_END_WITH_ERROR
    case .suspended: return 0
    }
}

private let streamFreeCallback: MHD_ContentReaderFreeCallback = { streamPointer in
    Unmanaged<HTTPResponseStream>.fromOpaque(streamPointer!).release()
}

/// A complete response body lent to libmicrohttpd: the bytes never change while it lives, so the address of
/// their storage (a native array's, which stays put while the array is neither mutated nor freed) stays
/// valid until `responseBodyFreeCallback` releases the box.
private final class ResponseBody {
    let bytes: [UInt8]
    let start: UnsafeMutableRawPointer
    var count: Int { bytes.count }

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // withUnsafeBytes lends the array's own storage (no copy for a native, contiguous array); the
        // pointer outlives the closure only as long as `bytes` holds that storage unchanged.
        start = UnsafeMutableRawPointer(mutating: bytes.withUnsafeBytes { $0.baseAddress! })
    }
}

private let responseBodyFreeCallback: MHD_ContentReaderFreeCallback = { bodyPointer in
    Unmanaged<ResponseBody>.fromOpaque(bodyPointer!).release()
}

// MARK: - TLS client for health probes

/// One request and its answer over TLS, for a health probe of an HTTPS server (GnuTLS, as libmicrohttpd
/// uses). The server's certificate is not verified: meant for a service's own port over loopback.
public enum TLSProbeExchange {
    /// Why the exchange failed (GnuTLS's message).
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sends `request` over TLS on the connected socket `socket` and returns up to `capacity` bytes of
    /// the answer. Timeouts come from the socket's SO_RCVTIMEO/SO_SNDTIMEO.
    public static func exchange(onSocket socket: Int32, request: [UInt8], capacity: Int) throws(Failure) -> [UInt8] {
        var answer = [UInt8](repeating: 0, count: capacity)
        let count = request.withUnsafeBytes { requestBytes in
            answer.withUnsafeMutableBytes { answerBytes in
                CMicroHTTPD_tls_exchange(
                    socket, requestBytes.baseAddress?.assumingMemoryBound(to: CChar.self), requestBytes.count,
                    answerBytes.baseAddress?.assumingMemoryBound(to: CChar.self), answerBytes.count)
            }
        }
        guard count >= 0 else {
            throw Failure(description: "TLS: " + String(cString: gnutls_strerror(Int32(count))))
        }
        return Array(answer[0..<count])
    }
}
