import Jobs
import MicroHTTP
import JSON

/// `GET /v1/jobs`, `GET /v1/jobs/{id}`, `DELETE /v1/jobs/{id}` and `GET /v1/jobs/{id}/events`.
///
/// A caller sees only its own jobs (its API key's; without keys, every job is the anonymous
/// caller's): another's job is answered 404 as if it did not exist, never 403, so ids cannot be probed.
/// Jobs are read through the job backend (this process's runner, or a database shared by replicas),
/// in a task: never on a libmicrohttpd thread.
struct JobRoutes {
    let jobs: any JobBackend
    let configuration: APIConfiguration

    func register(in router: inout Router) {
        router.add("GET", "/v1/jobs") { [jobs] request throws(APIError) in
            let limit = try Self.limit(request)
            return .task { () throws(APIError) in
                let list = try await Self.backend { () throws(JobBackendError) in
                    try await jobs.jobs(limit: limit, ownedBy: request.caller.owner)
                }
                return .json(["jobs": .array(list.map(JobRepresentation.summary))])
            }
        }
        router.add("GET", "/v1/jobs/{id}") { [jobs] request throws(APIError) in
            .task { () throws(APIError) in .response(JobRepresentation.response(try await Self.job(request, jobs))) }
        }
        router.add("DELETE", "/v1/jobs/{id}") { [jobs] request throws(APIError) in
            .task { () throws(APIError) in
                let id = try await Self.job(request, jobs).id
                switch try await Self.backend({ () throws(JobBackendError) in try await jobs.cancelJob(id) }) {
                case .notFound:
                    throw .notFound("no job with id \(id) (finished jobs are kept for a limited time)")
                case .cancelled(let job):
                    return .response(JobRepresentation.response(job))
                case .cancelling(let job):
                    return .response(JobRepresentation.response(job, status: 202))
                case .alreadyFinished(let job) where job.status == .cancelled:
                    return .response(JobRepresentation.response(job))
                case .alreadyFinished(let job):
                    throw .conflict(
                        "job \(id) has already finished (\(job.status.rawValue)); there is nothing to cancel")
                }
            }
        }
        let streams = StreamAdmission(perClient: configuration.maxStreamsPerClient)
        router.add("GET", "/v1/jobs/{id}/events") { [jobs, configuration] request throws(APIError) in
            .task { () throws(APIError) in
                let id = try await Self.job(request, jobs).id
                let client = request.caller.client
                try streams.admit(client)
                do throws(APIError) {
                    guard
                        let response = try await JobEventStream.open(
                            id, jobs: jobs, heartbeat: configuration.heartbeatInterval),
                        case .stream(let stream) = response.body
                    else {
                        throw .notFound("no job with id \(id)")
                    }
                    stream.onClose { _ in streams.release(client) }
                    return .response(response)
                } catch {
                    streams.release(client)
                    throw error
                }
            }
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
    static func job(_ request: APIRequest, _ jobs: any JobBackend) async throws(APIError) -> JobSnapshot {
        let id = try id(request)
        let job = try await backend { () throws(JobBackendError) in try await jobs.job(id) }
        guard let job, job.owner == request.caller.owner else {
            throw .notFound("no job with id \(id) (finished jobs are kept for a limited time)")
        }
        return job
    }

    /// The backend's answer, or 503 with `Retry-After` when it cannot be reached.
    static func backend<T>(_ call: () async throws(JobBackendError) -> T) async throws(APIError) -> T {
        do throws(JobBackendError) {
            return try await call()
        } catch {
            switch error {
            case .unavailable(_, let seconds):
                throw .unavailable("the job store cannot be reached; try again", retryAfterSeconds: seconds)
            }
        }
    }
}
