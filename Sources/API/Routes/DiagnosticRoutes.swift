import Foundation
import Jobs
import Logging
import MicroHTTP
import JSON

/// Routes that exercise the machinery itself, useful to check a deployment:
/// - `POST /v1/sleep {seconds, wait?}`: a job that waits, checking for cancellation every 10 ms and
///   reporting progress; shows queueing, cancellation, events and draining without a heavy workload.
/// - `POST /v1/echo`: parses the JSON body on the job runner and returns it re-serialised.
struct DiagnosticRoutes {
    let runner: JobRunner
    let configuration: APIConfiguration
    let logger: Logger

    func register(in router: inout Router) {
        router.add("POST", "/v1/sleep", body: .json) { [runner, configuration] request throws(APIError) in
            var fields = try JSONFields(try request.json())
            let seconds = try fields.double("seconds", default: 1, in: 0...configuration.maxSleepSeconds)
            let waitInBody = try fields.bool("wait", default: false)
            try fields.finish()
            let wait = try request.queryFlag("wait") ?? waitInBody
            let normalized: JSONValue = ["seconds": .number(seconds), "wait": .bool(wait)]
            return try JobSubmission.job(
                runner, kind: .sleep, request: JSONWriter.bytes(normalized), wait: wait, requestID: request.id,
                caller: request.caller
            ) { context in
                try Self.sleep(seconds, context)
            }
        }
        router.add("POST", "/v1/echo", body: .json) { [runner, configuration, logger] request throws(APIError) in
            let body = request.http.body
            let depth = configuration.maxJSONDepth
            return JobSubmission.synchronous(runner, kind: "echo", requestID: request.id, logger: logger) { _ in
                do throws(JSONParseError) {
                    return try JSONParser.parse(body, maxDepth: depth)
                } catch {
                    throw APIError.malformedJSON(error)
                }
            }
        }
    }

    private static func sleep(_ seconds: Double, _ context: JobContext) throws -> JSONValue {
        let start = ContinuousClock.now
        let total = Duration.milliseconds(Int64((seconds * 1000).rounded()))
        while true {
            let elapsed = ContinuousClock.now - start
            if elapsed >= total { break }
            // Progress every 100 ms; a cancel wakes the pause at once.
            try context.pause(for: min(.milliseconds(100), total - elapsed))
            let slept = ContinuousClock.now - start
            if slept < total { context.report(["elapsed_seconds": slept.seconds, "seconds": seconds]) }
        }
        return ["slept_seconds": .number((ContinuousClock.now - start).seconds)]
    }
}
