import API
import Dispatch
import Foundation
import Logging
import Synchronization

/// The service under test, called without a socket: two `NablaAPI`s with small limits, each with a
/// job runner of its own, so that queued training jobs never turn the synchronous routes into 503s.
///
/// Written against `API`'s public signatures only: `MicroHTTP` (`HTTPRequest`), `Jobs` (`JobRunner`)
/// and `NeuralNet` (`TrainingLimits`) are not products of the root package, so their types are built
/// as implicit members (`.init(...)`) of the parameters that take them and never named here.
final class FuzzedService: Sendable {
    /// Longest wait for an answer. Far above what the limits allow (a job stops at 2 s), below
    /// libFuzzer's per-input timeout so that a lost answer is reported as one.
    static let answerTimeout: DispatchTimeInterval = .seconds(6)
    /// A well-formed job id that no job has.
    static let unknownJobID = "0123456789abcdef0123456789abcdef"
    /// A classifier small enough for `limits`, trained at start-up for the predict route.
    static let modelRequest = #"""
        {"data": {"x": [[0, 0], [0, 1], [1, 0], [1, 1]], "y": ["off", "on", "on", "off"]},
         "model": {"layers": [{"units": 3, "activation": "tanh"}, {}]}, "loss": "cross_entropy",
         "epochs": 3, "seed": 1, "boundary_resolution": 5, "wait": true}
        """#

    /// Kept jobs (train, sleep): one worker, one queued, two per client (else 503 or 429), four kept,
    /// so that however fast the fuzzer submits, memory holds at most seven jobs.
    private let jobsAPI: NablaAPI
    /// The synchronous routes and predictions on the trained model; no kept job but that one is ever
    /// submitted here, so it is never evicted.
    private let computeAPI: NablaAPI
    /// `/v1/jobs/{id}/predict` of the model trained at start-up.
    private let predictPath: String

    /// Builds both APIs and trains the model; a failure here is a broken harness, not a finding.
    init() {
        var logger = Logger(label: "nabla-fuzz")
        logger.logLevel = .critical  // one line per request otherwise
        var configuration = APIConfiguration(maxSleepSeconds: 0.005, maxPoints: 16, maxDataBodyBytes: 3_072)
        configuration.trainingLimits.maximumEpochs = 5
        configuration.trainingLimits.maximumLayers = 4
        configuration.trainingLimits.maximumParameters = 100
        configuration.trainingLimits.maximumDataValues = 1_000
        configuration.trainingLimits.maximumWork = 200_000
        jobsAPI = NablaAPI(
            runner: .init(
                configuration: .init(
                    maxConcurrentJobs: 1, queueLimit: 1, maxJobsPerClient: 2, timeLimit: .seconds(2),
                    retention: .seconds(60), maxRetainedJobs: 4)),
            service: ServiceState(), configuration: configuration, logger: logger)
        computeAPI = NablaAPI(
            runner: .init(
                configuration: .init(
                    maxConcurrentJobs: 1, queueLimit: 4, maxJobsPerClient: 1, timeLimit: .seconds(2),
                    retention: .seconds(365 * 86_400), maxRetainedJobs: 1)),
            service: ServiceState(), configuration: configuration, logger: logger)
        predictPath = "/v1/jobs/\(Self.trainModel(computeAPI))/predict"
    }

    /// Sends `body` to `route` as JSON and returns the answer, checking that the completion is called
    /// once within `answerTimeout` (a second call, even later, is a finding).
    func send(_ body: [UInt8], to route: FuzzedRoute) -> Answer {
        switch route {
        case .derivative: Self.post(body, to: "/v1/derivative", computeAPI)
        case .gradient: Self.post(body, to: "/v1/gradient", computeAPI)
        case .descent: Self.post(body, to: "/v1/descent", computeAPI)
        case .echo: Self.post(body, to: "/v1/echo", computeAPI)
        case .predict: Self.post(body, to: predictPath, computeAPI)
        case .predictUnknownJob: Self.post(body, to: "/v1/jobs/\(Self.unknownJobID)/predict", computeAPI)
        case .train: Self.post(body, to: "/v1/train", jobsAPI)
        case .sleep: Self.post(body, to: "/v1/sleep", jobsAPI)
        }
    }

    /// One POST from 127.0.0.1, as the server would hand it over: a body past the route's limit is
    /// answered by `responseForOversizedBody` without reaching the handler.
    private static func post(_ body: [UInt8], to path: String, _ api: NablaAPI) -> Answer {
        let headers = [(name: "Content-Type", value: "application/json")]
        if let limit = api.maxBodyBytes(for: .init(method: "POST", path: path)), body.count > limit {
            let response = api.responseForOversizedBody(
                .init(method: "POST", path: path, headers: headers, remoteAddress: "127.0.0.1"), limit: limit)
            return Answer(
                status: response.status, contentType: response.header("Content-Type"), body: response.bodyBytes)
        }
        let mailbox = AnswerMailbox()
        api.respond(to: .init(method: "POST", path: path, headers: headers, body: body, remoteAddress: "127.0.0.1")) {
            response in
            let answer = Answer(
                status: response.status, contentType: response.header("Content-Type"), body: response.bodyBytes)
            if let calls = mailbox.deliver(answer) {
                finding("the completion was called \(calls) times for POST \(path)")
            }
        }
        guard let answer = mailbox.wait(timeout: answerTimeout) else {
            finding("no answer to POST \(path) within \(answerTimeout)")
        }
        return answer
    }

    /// Trains `modelRequest` on `api` and returns the job's id.
    private static func trainModel(_ api: NablaAPI) -> String {
        let answer = post(Array(modelRequest.utf8), to: "/v1/train", api)
        guard answer.status == 200, let body = answer.body,
            let job = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            job["status"] as? String == "succeeded", let id = job["id"] as? String
        else {
            fatalError("fuzz harness: the start-up training failed (\(answer.status)): \(answer.text())")
        }
        return id
    }
}

/// Where one request's completion leaves its answer, counting the calls.
private final class AnswerMailbox: Sendable {
    private let state = Mutex<(calls: Int, answer: Answer?)>((0, nil))
    private let delivered = DispatchSemaphore(value: 0)

    /// Keeps the first answer; returns the number of calls from the second call on, else nil.
    func deliver(_ answer: Answer) -> Int? {
        let calls = state.withLock { state in
            state.calls += 1
            if state.calls == 1 { state.answer = answer }
            return state.calls
        }
        if calls == 1 { delivered.signal() }
        return calls > 1 ? calls : nil
    }

    /// The first answer, or nil if none came within `timeout`.
    func wait(timeout: DispatchTimeInterval) -> Answer? {
        guard delivered.wait(timeout: .now() + timeout) == .success else { return nil }
        return state.withLock { $0.answer }
    }
}
