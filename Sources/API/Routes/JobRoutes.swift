import Jobs
import MicroHTTP
import JSON

/// `GET /v1/jobs`, `GET /v1/jobs/{id}`, `DELETE /v1/jobs/{id}` and `GET /v1/jobs/{id}/events`.
///
/// A caller sees only its own jobs (its API key's; without keys, every job is the anonymous
/// caller's): another's job is answered 404 as if it did not exist, never 403, so ids cannot be probed.
struct JobRoutes {
    let runner: JobRunner
    let configuration: APIConfiguration

    func register(in router: inout Router) {
        router.add("GET", "/v1/jobs") { [runner] request throws(APIError) in
            let limit = try Self.limit(request)
            let jobs = runner.recent(limit: limit, ownedBy: request.caller.owner)
            return .json(["jobs": .array(jobs.map(JobRepresentation.summary))])
        }
        router.add("GET", "/v1/jobs/{id}") { [runner] request throws(APIError) in
            .response(JobRepresentation.response(try Self.job(request, runner)))
        }
        router.add("DELETE", "/v1/jobs/{id}") { [runner] request throws(APIError) in
            let id = try Self.job(request, runner).id
            switch runner.cancel(id) {
            case .notFound:
                throw .notFound("no job with id \(id) (finished jobs are kept for a limited time)")
            case .cancelled(let job):
                return .response(JobRepresentation.response(job))
            case .cancelling(let job):
                return .response(JobRepresentation.response(job, status: 202))
            case .alreadyFinished(let job) where job.status == .cancelled:
                return .response(JobRepresentation.response(job))
            case .alreadyFinished(let job):
                throw .conflict("job \(id) has already finished (\(job.status.rawValue)); there is nothing to cancel")
            }
        }
        let streams = StreamAdmission(perClient: configuration.maxStreamsPerClient)
        router.add("GET", "/v1/jobs/{id}/events") { [runner, configuration] request throws(APIError) in
            let id = try Self.job(request, runner).id
            let client = request.caller.client
            try streams.admit(client)
            guard
                let response = JobEventStream.open(id, runner: runner, heartbeat: configuration.heartbeatInterval),
                case .stream(let stream) = response.body
            else {
                streams.release(client)
                throw .notFound("no job with id \(id)")
            }
            stream.onClose { _ in streams.release(client) }
            return .response(response)
        }
    }

    private static func limit(_ request: APIRequest) throws(APIError) -> Int {
        guard let text = request.http.queryValue("limit") else { return 100 }
        guard let limit = Int(text), (1...1000).contains(limit) else {
            throw .invalidRequest(
                "query parameter 'limit' must be a whole number from 1 to 1000",
                issues: [FieldIssue(pointer: "?limit", detail: "expected 1...1000, got '\(text)'")])
        }
        return limit
    }

    private static func id(_ request: APIRequest) throws(APIError) -> JobID {
        let text = request.parameters["id"] ?? ""
        guard let id = JobID(text) else {
            throw .notFound("no job with id '\(text)' (ids are 32 hex digits)")
        }
        return id
    }

    /// The job named by the request's `{id}` if it is the caller's, or 404.
    static func job(_ request: APIRequest, _ runner: JobRunner) throws(APIError) -> JobSnapshot {
        let id = try id(request)
        guard let job = runner.snapshot(id), job.owner == request.caller.owner else {
            throw .notFound("no job with id \(id) (finished jobs are kept for a limited time)")
        }
        return job
    }
}
