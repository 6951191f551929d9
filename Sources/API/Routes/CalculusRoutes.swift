import Calculus
import Jobs
import Logging
import MicroHTTP

/// `POST /v1/derivative`, `POST /v1/gradient`, `GET /v1/functions`, `POST /v1/descent`. Bodies are
/// parsed and the work done on the job runner, never on a libmicrohttpd thread (a 100,000-point body is
/// megabytes of JSON).
struct CalculusRoutes {
    let runner: JobRunner
    let configuration: APIConfiguration
    let logger: Logger

    func register(in router: inout Router) {
        let cache = DerivativeCache()
        let limits = DerivativeQuery.Limits(
            expression: configuration.expressionLimits, maxPoints: configuration.maxPoints)
        router.add("POST", "/v1/derivative", body: .jsonWithData) { [runner, logger] request throws(APIError) in
            // `Accept: application/x-npy`: x, f and f' as a NumPy array instead of JSON.
            if NumPyArray.isAccepted(by: request.http.header("Accept")) {
                return JobSubmission.synchronous(
                    runner, kind: "derivative", requestID: request.id, logger: logger,
                    contentType: NumPyArray.mediaType
                ) { context in
                    let query = try DerivativeQuery(try request.json(numberArrays: true), limits: limits, cache: cache)
                    try query.requireArrayAnswer()
                    return try DerivativeAnswer.numPyArray(query) { try context.checkInterruption() }
                }
            }
            return JobSubmission.synchronous(runner, kind: "derivative", requestID: request.id, logger: logger) {
                context in
                let query = try DerivativeQuery(try request.json(numberArrays: true), limits: limits, cache: cache)
                return try DerivativeAnswer.answer(query) { try context.checkInterruption() }
            }
        }
        router.add("POST", "/v1/gradient", body: .jsonWithData) { [runner, logger] request throws(APIError) in
            JobSubmission.synchronous(runner, kind: "gradient", requestID: request.id, logger: logger) { _ in
                try GradientAnswer.answer(try request.json(), limits: limits.expression)
            }
        }
        let catalog = HTTPResponse.json(GradientAnswer.catalog())  // fixed: built once
        router.add("GET", "/v1/functions") { _ throws(APIError) in .response(catalog) }
        router.add("POST", "/v1/descent", body: .jsonWithData) { [runner, logger] request throws(APIError) in
            JobSubmission.synchronous(runner, kind: "descent", requestID: request.id, logger: logger) { context in
                try DescentAnswer.answer(try request.json(), limits: limits.expression) {
                    try context.checkInterruption()
                }
            }
        }
    }
}
