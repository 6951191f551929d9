import API
import Foundation
import Jobs
import Logging
import MicroHTTP
import TestSupport

/// The real service (job runner, API, libmicrohttpd server) on 127.0.0.1 and an ephemeral port.
final class LiveService {
    let runner: JobRunner
    let server: HTTPServer

    init(
        workers: Int = 2, queueLimit: Int = 256, maxBodyBytes: Int = 1 << 20, heartbeat: Duration = .seconds(15),
        maxStreamsPerClient: Int = 4, connectionTimeoutSeconds: Int = 10, keys: KeyRing? = nil,
        configure: (inout APIConfiguration) -> Void = { _ in }
    ) throws {
        runner = JobRunner(configuration: JobRunnerConfiguration(maxConcurrentJobs: workers, queueLimit: queueLimit))
        var logger = Logger(label: "live")
        logger.logLevel = .critical
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var configuration = APIConfiguration(
            publicDirectory: root.appendingPathComponent("Public").path, heartbeatInterval: heartbeat,
            maxStreamsPerClient: maxStreamsPerClient)
        configure(&configuration)
        let api = NablaAPI(
            runner: runner, service: ServiceState(), configuration: configuration, keys: keys, logger: logger)
        server = HTTPServer(
            configuration: HTTPServerConfiguration(
                port: 0, connectionTimeoutSeconds: connectionTimeoutSeconds, maxBodyBytes: maxBodyBytes),
            handler: api)
        try server.start()
    }

    var port: UInt16 { server.port }

    func client(from source: String? = nil) throws -> RawHTTPClient {
        try RawHTTPClient(port: port, sourceAddress: source)
    }

    /// `GET /v1/jobs/{id}/events` read on a new connection until the stream ends: its head and text.
    func eventStream(of id: String) throws -> (
        head: (status: Int, headers: [(name: String, value: String)]), text: String
    ) {
        let events = try client()
        events.send("GET /v1/jobs/\(id)/events HTTP/1.1\r\nHost: x\r\n\r\n")
        var text = ""
        let head = try events.streamResponse { chunk in
            text += String(decoding: chunk, as: UTF8.self)
            return true
        }
        return (head, text)
    }

    deinit {
        runner.shutdown(gracePeriod: .zero)
        server.shutdown(gracePeriod: .seconds(1))
    }
}
