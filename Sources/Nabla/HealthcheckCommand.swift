import ArgumentParser
import Foundation
import MicroHTTP

/// `nabla healthcheck`: exits 0 if `GET /healthz` answers 200 (the container's HEALTHCHECK; the
/// runtime image has no curl). A plain HTTP/1.1 request over a TCP socket, with a timeout; over TLS
/// (without verifying the certificate: it is the service's own port) when the service serves HTTPS.
struct HealthcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck", abstract: "Exit 0 if the service at --host/--port answers GET /healthz with 200.")

    @Option(help: "IPv4 address of the service. Env NABLA_HEALTHCHECK_HOST. Default 127.0.0.1.")
    var host: String?
    @Option(help: "Port of the service. Env NABLA_PORT. Default 8080.")
    var port: UInt16?
    @Option(help: "Seconds to wait for the answer.")
    var timeout: Int = 3
    @Flag(
        help: "Speak HTTPS (the certificate is not verified). Default: when NABLA_TLS_CERT is set, as for `serve`.")
    var tls = false

    func run() throws {
        let host = try Self.resolve(self.host, env: "NABLA_HEALTHCHECK_HOST", default: "127.0.0.1")
        let port = try Self.resolve(self.port, env: "NABLA_PORT", default: UInt16(8080))
        let tls = tls || !(ProcessInfo.processInfo.environment["NABLA_TLS_CERT"] ?? "").isEmpty
        let status = try HealthProbe.status(
            host: host, port: port, path: "/healthz", tls: tls, timeoutSeconds: timeout)
        print("GET \(tls ? "https" : "http")://\(host):\(port)/healthz -> \(status)")
        if status != 200 { throw ExitCode.failure }
    }

    /// The flag's value, else the environment variable's (a malformed one is an error), else `defaultValue`.
    private static func resolve<Value: ExpressibleByArgument>(
        _ flag: Value?, env name: String, default defaultValue: Value
    ) throws -> Value {
        if let flag { return flag }
        guard let text = ProcessInfo.processInfo.environment[name] else { return defaultValue }
        guard let value = Value(argument: text.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("environment variable \(name)='\(text)' is not a valid value")
        }
        return value
    }
}

/// A minimal blocking HTTP GET that reads only the status line.
enum HealthProbe {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func status(host: String, port: UInt16, path: String, tls: Bool, timeoutSeconds: Int) throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(socketDescriptor) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(socketDescriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socketDescriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw Failure(description: "bad IPv4 address \(host)")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "cannot connect to \(host):\(port)") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
        let answer: [UInt8]
        if tls {
            answer = try TLSProbeExchange.exchange(onSocket: socketDescriptor, request: request, capacity: 512)
        } else {
            guard send(socketDescriptor, request, request.count, 0) == request.count else {
                throw Failure(description: "send failed")
            }
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = recv(socketDescriptor, &buffer, buffer.count, 0)
            answer = Array(buffer[0..<max(0, count)])
        }
        guard answer.count > 12 else {
            throw Failure(
                description: "no HTTP answer (timed out after \(timeoutSeconds) s, or closed: HTTPS needs --tls)")
        }
        let statusLine = String(decoding: answer, as: UTF8.self).prefix { $0 != "\r" }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw Failure(description: "not HTTP: \(statusLine)")
        }
        return status
    }
}
