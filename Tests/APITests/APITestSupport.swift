import API
import Dispatch
import Foundation
import Jobs
import Logging
import MicroHTTP
import NeuralNet
import Synchronization

/// The repository's root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The API with a real job runner and the repository's Public/ directory, called without a socket.
struct APIHarness {
    let runner: JobRunner
    let api: NablaAPI
    let service = ServiceState()

    init(
        jobs: JobRunnerConfiguration = JobRunnerConfiguration(), publicDirectory: String? = nil,
        trainingLimits: TrainingLimits = TrainingLimits(), keys: KeyRing? = nil, corsOrigins: [String] = [],
        protectMetrics: Bool = false, maxStreamsPerClient: Int = 4,
        configure: (inout APIConfiguration) -> Void = { _ in }
    ) {
        runner = JobRunner(configuration: jobs)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var configuration = APIConfiguration(
            publicDirectory: publicDirectory ?? packageRoot.appendingPathComponent("Public").path,
            trainingLimits: trainingLimits, maxStreamsPerClient: maxStreamsPerClient)
        configuration.corsOrigins = corsOrigins
        configuration.protectMetrics = protectMetrics
        configure(&configuration)
        api = NablaAPI(runner: runner, service: service, configuration: configuration, keys: keys, logger: logger)
    }

    /// Sends a request and waits (up to 10 s) for the answer, which may come from another thread.
    func send(
        _ method: String, _ path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: String? = nil,
        contentType: String? = "application/json", from client: String? = nil
    ) -> HTTPResponse {
        var allHeaders = headers
        if body != nil, let contentType, !headers.contains(where: { $0.name == "Content-Type" }) {
            allHeaders.append(("Content-Type", contentType))
        }
        let request = HTTPRequest(
            method: method, path: path, query: query, headers: allHeaders, body: Array((body ?? "").utf8),
            remoteAddress: client)
        let answer = Mutex<HTTPResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
        api.respond(to: request) { response in
            answer.withLock { $0 = response }
            done.signal()
        }
        _ = done.wait(timeout: .now() + 10)
        return answer.withLock { $0 } ?? HTTPResponse(status: -1)
    }
}

extension HTTPResponse {
    /// The body parsed by Foundation (an independent JSON parser).
    var json: [String: Any] {
        guard let bytes = bodyBytes, let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        else { return [:] }
        return object
    }

    /// The pointers of a problem's `errors`.
    var problemPointers: [String] {
        (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
    }
}
