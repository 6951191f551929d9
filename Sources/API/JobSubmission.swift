import Jobs
import Logging
import MicroHTTP
import JSON

/// The two ways a route runs work on the job runner (the libmicrohttpd thread never computes).
enum JobSubmission {
    /// Runs `work` as a synchronous request: not kept, answered with its JSON when done. A full queue
    /// is a 503 with `Retry-After`; an `APIError` the work throws is answered as it is, any other
    /// error is logged and answered as a bare 500. `requestID` tags the job's events (its log lines).
    static func synchronous(
        _ runner: JobRunner, kind: String, requestID: String?, logger: Logger,
        work: @escaping @Sendable (JobContext) throws -> JSONValue
    ) -> Reply {
        synchronous(runner, kind: kind, requestID: requestID, logger: logger, contentType: "application/json") {
            context in JSONWriter.bytes(try work(context))
        }
    }

    /// The same for work that writes its own body, answered as `contentType` (errors stay
    /// `application/problem+json`).
    static func synchronous(
        _ runner: JobRunner, kind: String, requestID: String?, logger: Logger, contentType: String,
        bytes work: @escaping @Sendable (JobContext) throws -> [UInt8]
    ) -> Reply {
        .deferred { complete in
            do throws(JobSubmissionError) {
                try runner.submit(
                    kind: kind, lane: .request, correlationID: requestID,
                    onFinish: { outcome, _ in
                        if case .failed(let error) = outcome, !(error is APIError) {
                            logger.error(
                                "job failed unexpectedly",
                                metadata: ["kind": .string(kind), "error": .string("\(error)")])
                        }
                        complete(response(for: outcome, contentType: contentType))
                    },
                    work: work)
            } catch {
                complete(.failure(apiError(for: error)))
            }
        }
    }

    /// Submits `work` as a kept job (`body`: its normalized request, already written) to `jobs`: 202
    /// with its id and links (and `accepted`'s members) at once, or with `wait` the finished job (200)
    /// when it ends. `requestID` tags the job's events (its log lines); `caller` owns the job, and its
    /// `client` is held to the per-client job limit (429 past it). Runs in a task (the backend may be a
    /// database).
    static func job(
        _ jobs: any JobBackend, kind: JobKind, request body: [UInt8], wait: Bool, requestID: String?, caller: Caller,
        accepted: [(key: String, value: JSONValue)] = [],
        work: @escaping @Sendable (JobContext) throws -> JSONValue
    ) -> Reply {
        let submission = KeptJobSubmission(
            kind: kind.rawValue, request: body, client: caller.client, owner: caller.owner, correlationID: requestID)
        let run = kind.work(work)
        return .task { () throws(APIError) in
            let snapshot: JobSnapshot
            do throws(JobSubmissionError) {
                snapshot = try await jobs.submit(submission, work: run)
            } catch {
                throw apiError(for: error)
            }
            guard wait else {
                let members: [(key: String, value: JSONValue)] = [
                    ("id", .string(snapshot.id.description)), ("status", .string(snapshot.status.rawValue)),
                    ("links", JobRepresentation.links(snapshot.id)),
                ]
                return .json(
                    .object(members + accepted), status: 202, headers: [("Location", "/v1/jobs/\(snapshot.id)")])
            }
            return .response(JobRepresentation.response(try await finished(snapshot.id, in: jobs)))
        }
    }

    /// Job `id` once it has finished (whole, request included).
    private static func finished(_ id: JobID, in jobs: any JobBackend) async throws(APIError) -> JobSnapshot {
        let (ended, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let watched = try await JobRoutes.backend { () throws(JobBackendError) in
            try await jobs.watch(id) { event in if event.change == .finished { signal.yield() } }
        }
        if let subscription = watched?.subscription {
            for await _ in ended { break }
            jobs.unsubscribe(subscription)
        }
        guard let job = try await JobRoutes.backend({ () throws(JobBackendError) in try await jobs.job(id) }) else {
            throw .notFound("job \(id) finished and is no longer kept")
        }
        return job
    }

    static func apiError(for error: JobSubmissionError) -> APIError {
        switch error {
        case .queueFull(let seconds): .queueFull(retryAfterSeconds: seconds)
        case .clientLimit(let limit, let seconds): .tooManyJobs(limit: limit, retryAfterSeconds: seconds)
        case .shuttingDown: .unavailable("the service is shutting down", retryAfterSeconds: 5)
        case .unavailable(let seconds):
            .unavailable("the job store cannot be reached; try again", retryAfterSeconds: seconds)
        }
    }

    private static func response(for outcome: JobRunner.Outcome, contentType: String) -> Result<HTTPResponse, APIError>
    {
        switch outcome {
        case .succeeded(let bytes):
            .success(HTTPResponse(status: 200, headers: [("Content-Type", contentType)], body: bytes))
        case .failed(let error as APIError): .failure(error)
        case .failed: .failure(.internalError)
        case .cancelled: .failure(.unavailable("the service is shutting down", retryAfterSeconds: 5))
        case .timeLimit: .failure(.timeLimitExceeded("the computation ran past the job time limit"))
        }
    }
}
