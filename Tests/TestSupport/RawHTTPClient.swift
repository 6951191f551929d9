import Foundation

/// A blocking HTTP/1.1 client over a plain TCP socket, for tests that need exact control of the bytes
/// (chunked uploads, bodies of an exact size, reading an event stream as it arrives).
public final class RawHTTPClient {
    /// A parsed response.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public var text: String { String(decoding: body, as: UTF8.self) }

        /// The body parsed with Foundation's JSONSerialization (an independent parser).
        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The connected socket, for an exchange this client does not speak itself (a TLS handshake).
    public let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`, from `sourceAddress` (any 127.x.y.z on Linux) if given: several
    /// loopback sources let a test open more connections than the server's per-address limit.
    /// `receiveBufferBytes` shrinks the socket's receive buffer (a client that reads nothing then
    /// holds little).
    public init(port: UInt16, sourceAddress: String? = nil, timeoutSeconds: Int = 10, receiveBufferBytes: Int? = nil)
        throws
    {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket failed") }
        if let receiveBufferBytes {
            var size = Int32(receiveBufferBytes)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        if let sourceAddress {
            var source = sockaddr_in()
            source.sin_family = sa_family_t(AF_INET)
            source.sin_addr.s_addr = inet_addr(sourceAddress)
            let bound = withUnsafePointer(to: &source) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else {
                close(descriptor)
                throw Failure(description: "bind to \(sourceAddress) failed (errno \(errno))")
            }
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw Failure(description: "connect to port \(port) failed (errno \(errno))")
        }
    }

    deinit { close(descriptor) }

    /// Sends raw bytes; false if the peer has closed.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    /// Sends a request with a Content-Length body (`body` nil = no body).
    public func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8]? = nil
    ) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        send(Array(head.utf8) + (body ?? []))
        return try readResponse(method: method)
    }

    /// Convenience: a JSON POST.
    public func postJSON(_ path: String, _ json: String, headers: [String: String] = [:]) throws -> Response {
        try request(
            "POST", path, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a },
            body: Array(json.utf8))
    }

    /// Reads one response (Content-Length, chunked, or until close).
    public func readResponse(method: String = "GET") throws -> Response {
        let headEnd = try readUntil(Array("\r\n\r\n".utf8))
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusParts = lines.removeFirst().split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line in \(head)")
        }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = Response(status: status, headers: headers, body: [])
        if method == "HEAD" || status == 204 || status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            response.body = try readChunkedBody()
        } else if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            try fill(atLeast: length)
            response.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else {
            while try readMore() > 0 {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    /// Reads a response head and then hands each chunk of the (chunked) body to `onChunk` as it
    /// arrives, until the final chunk or `onChunk` returns false.
    public func streamResponse(onChunk: ([UInt8]) -> Bool) throws -> (
        status: Int, headers: [(name: String, value: String)]
    ) {
        let headEnd = try readUntil(Array("\r\n\r\n".utf8))
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        // An answer that is not chunked (a refusal with its problem document) has no chunks to hand on.
        let chunked = headers.contains { $0.name.lowercased() == "transfer-encoding" && $0.value == "chunked" }
        while chunked {
            let chunk = try readChunk()
            if chunk.isEmpty || !onChunk(chunk) { break }
        }
        return (status, headers)
    }

    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let chunk = try readChunk()
            if chunk.isEmpty { return body }
            body += chunk
        }
    }

    private func readChunk() throws -> [UInt8] {
        let lineEnd = try readUntil(Array("\r\n".utf8))
        let sizeText = String(decoding: buffer[0..<lineEnd], as: UTF8.self).split(separator: ";")[0]
        buffer.removeFirst(lineEnd + 2)
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
            throw Failure(description: "bad chunk size '\(sizeText)'")
        }
        if size == 0 {
            _ = try readUntil(Array("\r\n".utf8))  // the empty trailer line
            buffer.removeFirst(2)
            return []
        }
        try fill(atLeast: size + 2)
        let chunk = Array(buffer[0..<size])
        buffer.removeFirst(size + 2)
        return chunk
    }

    private func readUntil(_ marker: [UInt8]) throws -> Int {
        while true {
            if let range = buffer.firstRange(of: marker) { return range.lowerBound }
            guard try readMore() > 0 else { throw Failure(description: "connection closed before \(marker)") }
        }
    }

    private func fill(atLeast count: Int) throws {
        while buffer.count < count {
            guard try readMore() > 0 else { throw Failure(description: "connection closed early") }
        }
    }

    private func readMore() throws -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        if count < 0 {
            if errno == ECONNRESET { return 0 }
            throw Failure(description: "recv failed or timed out (errno \(errno))")
        }
        buffer += chunk[0..<count]
        return count
    }

    /// Reads and discards until the server closes the connection (true) or `seconds` pass (false).
    public func drainUntilClosed(within seconds: Double) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count == 0 || (count < 0 && errno == ECONNRESET) { return true }
            if count < 0 && errno != EAGAIN && errno != EWOULDBLOCK { return false }
        }
        return false
    }

    /// True if the server closed the connection (reads end of stream within `timeoutSeconds`).
    public func isClosedByPeer() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count == 0 || (count < 0 && errno == ECONNRESET) { return true }
            if count < 0 { return false }
        }
    }

    /// Everything the server sends after the responses read so far, until it closes the connection;
    /// nil if it does not close within the socket's timeout.
    public func bytesUntilClosed() -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count == 0 || (count < 0 && errno == ECONNRESET) { break }
            if count < 0 { return nil }
            buffer += chunk[0..<count]
        }
        defer { buffer = [] }
        return buffer
    }
}
