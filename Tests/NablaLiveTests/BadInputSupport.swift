import API
import Foundation
import NeuralNet
import TestSupport
import Testing

/// What the bad-input suites share: the service they run against, one request per connection with
/// its wall time, and the checks every answer must pass.
enum BadInput {
    /// The general body limit (`/v1/echo`, `/v1/sleep`) and the data routes' (`/v1/derivative`, …):
    /// the defaults of `nabla serve`.
    static let maxBody = 1_048_576
    static let maxDataBody = 8_388_608

    /// The services made in the current test, when it runs under `ServiceSurvives`.
    @TaskLocal static var made: Services?

    /// With `NABLA_TEST_WITH_KEY` set (the test command's second pass), every service requires a key
    /// and every request carries this one: the bad-input tables must answer the same with keys on.
    static let key: (token: String, ring: KeyRing)? = {
        guard let flag = ProcessInfo.processInfo.environment["NABLA_TEST_WITH_KEY"], !flag.isEmpty else { return nil }
        let token = "bad-input-suite-token"
        guard let keys = try? APIKeys(parsing: APIKeys.line(name: "bad-input", token: token)) else { return nil }
        return (token, KeyRing(keys))
    }()

    /// The Authorization header line for requests written by hand (empty without a key).
    static var authorizationLine: String { key.map { "Authorization: Bearer \($0.token)\r\n" } ?? "" }

    /// One worker, so a second job waits in the queue; an epoch limit of 100,000 for the messages
    /// that name it.
    static func service() throws -> LiveService {
        let service = try LiveService(workers: 1, keys: key?.ring) { $0.trainingLimits.maximumEpochs = 100_000 }
        made?.append(service)
        return service
    }

    final class Services: @unchecked Sendable {
        private let lock = NSLock()
        private var services: [LiveService] = []
        func append(_ service: LiveService) { lock.withLock { services.append(service) } }
        var all: [LiveService] { lock.withLock { services } }
    }

    /// One answer and the wall time from the first byte sent to the last byte read.
    struct Answer {
        let response: RawHTTPClient.Response
        let milliseconds: Double

        var status: Int { response.status }
        var mediaType: String {
            (response.header("Content-Type") ?? "").split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces)
            } ?? ""
        }
    }

    /// Sends one request on a new connection; a JSON answer must parse with Foundation's strict
    /// parser (no NaN, no infinity, anywhere).
    static func send(
        _ service: LiveService, _ method: String, _ path: String, body: [UInt8]? = nil,
        contentType: String? = "application/json", headers: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Answer {
        var all = headers
        if body != nil, let contentType { all["Content-Type"] = contentType }
        if let key, all["Authorization"] == nil { all["Authorization"] = "Bearer \(key.token)" }
        let client = try service.client()
        let started = ContinuousClock.now
        let response = try client.request(method, path, headers: all, body: body)
        let elapsed = ContinuousClock.now - started
        let answer = Answer(
            response: response,
            milliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        if ["application/json", "application/problem+json"].contains(answer.mediaType), !response.body.isEmpty {
            let parsed = try? JSONSerialization.jsonObject(with: Data(response.body), options: .fragmentsAllowed)
            #expect(parsed != nil, "not strict JSON: \(response.text.prefix(300))", sourceLocation: sourceLocation)
        }
        return answer
    }

    static func post(
        _ service: LiveService, _ path: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Answer {
        try send(service, "POST", path, body: Array(body.utf8), sourceLocation: sourceLocation)
    }

    /// The answer is `status` with an RFC 9457 problem body: type, title, status (equal to the HTTP
    /// status) and detail; `pointer`, when given, is the first error's JSON pointer; each of
    /// `texts` appears in the detail or in an error's detail. Returns the problem.
    @discardableResult
    static func expectProblem(
        _ answer: Answer, _ status: Int, pointer: String? = nil, _ texts: String..., title: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [String: Any] {
        let shown = "\(answer.status) \(answer.response.text.prefix(300))"
        #expect(answer.status == status, "expected \(status): \(shown)", sourceLocation: sourceLocation)
        #expect(
            answer.mediaType == "application/problem+json", "not problem+json: \(shown)", sourceLocation: sourceLocation
        )
        let problem = answer.response.json ?? [:]
        for key in ["type", "title", "detail"] {
            #expect((problem[key] as? String)?.isEmpty == false, "no \(key): \(shown)", sourceLocation: sourceLocation)
        }
        #expect(problem["status"] as? Int == answer.status, "status: \(shown)", sourceLocation: sourceLocation)
        if let title { #expect(problem["title"] as? String == title, "\(shown)", sourceLocation: sourceLocation) }
        let errors = problem["errors"] as? [[String: Any]] ?? []
        if let pointer {
            #expect(
                errors.first?["pointer"] as? String == pointer, "pointer \(pointer): \(shown)",
                sourceLocation: sourceLocation)
        }
        let all = ([problem["detail"] as? String ?? ""] + errors.map { $0["detail"] as? String ?? "" }).joined(
            separator: " ")
        for text in texts where !text.isEmpty {
            #expect(all.contains(text), "'\(text)' not in '\(all)'", sourceLocation: sourceLocation)
        }
        return problem
    }

    /// Sends and checks until the time is within `budget` milliseconds, at most five times (a build or
    /// test beside this one on the same cores should not fail it; a slow path stays slow every time);
    /// fails with the fastest time.
    static func timed(
        _ budget: Double, sourceLocation: SourceLocation = #_sourceLocation, _ attempt: () throws -> Answer
    ) throws {
        var fastest = Double.infinity
        for _ in 0..<5 {
            fastest = min(fastest, try attempt().milliseconds)
            if fastest < budget { break }
        }
        #expect(fastest < budget, "\(fastest) ms, budget \(budget) ms", sourceLocation: sourceLocation)
    }

    /// `{"expression": E, "at": 1}` with E escaped as Python's json.dumps does (ASCII only: every
    /// other character as \uXXXX), so that the server's parser decodes the escapes.
    static func expressionBody(_ expression: String) -> String {
        var text = "\""
        for unit in expression.utf16 {
            switch unit {
            case 0x22: text += "\\\""
            case 0x5C: text += "\\\\"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: text += String(format: "\\u%04x", unit)
            }
        }
        return #"{"expression": \#(text)", "at": 1}"#
    }

    /// The bytes of `text` with each character below U+0100 as one byte (for bodies that are not UTF-8).
    static func latin1(_ text: String) -> [UInt8] { text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } }

    /// Reads job `id`'s event stream to its end (the job's `done` event).
    static func readEventsToTheEnd(_ service: LiveService, _ id: String) throws {
        let events = try service.client()
        events.send("GET /v1/jobs/\(id)/events HTTP/1.1\r\nHost: x\r\n\(authorizationLine)\r\n")
        _ = try events.streamResponse { _ in true }
    }

    /// Reads job `id`'s event stream until an event says it runs (or the stream ends).
    static func waitUntilRunning(_ service: LiveService, _ id: String) throws {
        let events = try service.client()
        events.send("GET /v1/jobs/\(id)/events HTTP/1.1\r\nHost: x\r\n\(authorizationLine)\r\n")
        var text = ""
        _ = try events.streamResponse { chunk in
            text += String(decoding: chunk, as: UTF8.self)
            return !(text.contains(#""status":"running""#) || text.contains("event: epoch"))
        }
    }
}

/// After each test (each case of a parameterized one), every service `BadInput.service()` made for it
/// must still answer `GET /healthz` with 200.
struct ServiceSurvives: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let made = BadInput.Services()
        try await BadInput.$made.withValue(made) { try await function() }
        for service in made.all {
            let status = try? service.client().request("GET", "/healthz").status
            #expect(status == 200, "the service is unwell after \(test.name)")
        }
    }
}

extension Trait where Self == ServiceSurvives {
    /// Checks that the services a bad-input test made are well after it.
    static var serviceSurvives: Self { Self() }
}

/// A table case whose value is large: the test's name shows `name`, not the value.
struct Named<Value: Sendable>: Sendable, CustomTestStringConvertible {
    let name: String
    let value: Value
    var testDescription: String { name }
}
