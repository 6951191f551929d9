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

    /// Submits `work` as a kept job (`body`: its request, already written): 202 with its id and links (and `accepted`'s members) at once, or
    /// with `wait` the finished job (200) when it ends. `requestID` tags the job's events (its log lines);
    /// `caller` owns the job, and its `client` is held to the runner's per-client job limit (429 past it).
    static func job(
        _ runner: JobRunner, kind: JobKind, request body: [UInt8], wait: Bool, requestID: String?, caller: Caller,
        accepted: [(key: String, value: JSONValue)] = [],
        work: @escaping @Sendable (JobContext) throws -> JSONValue
    ) throws(APIError) -> Reply {
        let kind = kind.rawValue
        let run: JobRunner.Work = { context in
            do {
                return JSONWriter.bytes(try work(context))
            } catch let error as APIError {
                throw JobFailure(.failed(code: error.reasonCode), message: error.detail)
            }
        }
        guard wait else {
            let snapshot: JobSnapshot
            do throws(JobSubmissionError) {
                snapshot = try runner.submit(
                    kind: kind, request: body, client: caller.client, owner: caller.owner, correlationID: requestID,
                    work: run)
            } catch {
                throw apiError(for: error)
            }
            let links = JobRepresentation.links(snapshot.id)
            let members: [(key: String, value: JSONValue)] = [
                ("id", .string(snapshot.id.description)), ("status", .string(snapshot.status.rawValue)),
                ("links", links),
            ]
            return .json(
                .object(members + accepted), status: 202, headers: [("Location", "/v1/jobs/\(snapshot.id)")])
        }
        return .deferred { complete in
            do throws(JobSubmissionError) {
                try runner.submit(
                    kind: kind, request: body, client: caller.client, owner: caller.owner, correlationID: requestID,
                    onFinish: { _, snapshot in complete(.success(JobRepresentation.response(snapshot))) },
                    work: run)
            } catch {
                complete(.failure(apiError(for: error)))
            }
        }
    }

    static func apiError(for error: JobSubmissionError) -> APIError {
        switch error {
        case .queueFull(let seconds): .queueFull(retryAfterSeconds: seconds)
        case .clientLimit(let limit, let seconds): .tooManyJobs(limit: limit, retryAfterSeconds: seconds)
        case .shuttingDown: .unavailable("the service is shutting down", retryAfterSeconds: 5)
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
