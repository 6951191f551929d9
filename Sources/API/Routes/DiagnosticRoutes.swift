import Foundation
import Jobs
import Logging
import MicroHTTP
import JSON

/// Routes that exercise the machinery itself, useful to check a deployment:
/// - `POST /v1/sleep {seconds, wait?}` (`SleepRequest`): a kept job that waits; shows queueing,
///   cancellation, events and draining without a heavy workload.
/// - `POST /v1/echo`: parses the JSON body on the job runner and returns it re-serialised.
struct DiagnosticRoutes {
    let runner: JobRunner
    let jobs: any JobBackend
    let configuration: APIConfiguration
    let logger: Logger

    func register(in router: inout Router) {
        router.add("POST", "/v1/sleep", body: .json) { [jobs, configuration] request throws(APIError) in
            let sleep = try SleepRequest(try request.json(), maxSeconds: configuration.maxSleepSeconds)
            let wait = try request.queryFlag("wait") ?? sleep.wait
            return JobSubmission.job(
                jobs, kind: .sleep, request: sleep.normalized(wait: wait), wait: wait, requestID: request.id,
                caller: request.caller
            ) { [seconds = sleep.seconds] context in
                try SleepRequest.sleep(seconds, context)
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
}
