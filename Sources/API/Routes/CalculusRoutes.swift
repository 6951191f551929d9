import Calculus
import Jobs
import Logging

/// `POST /v1/derivative`. The body is parsed and the work done on the job runner, never on a
/// libmicrohttpd thread (a 100,000-point body is megabytes of JSON).
struct CalculusRoutes {
    let runner: JobRunner
    let configuration: APIConfiguration
    let logger: Logger

    func register(in router: inout Router) {
        let limits = DerivativeQuery.Limits(
            expression: configuration.expressionLimits, maxPoints: configuration.maxPoints)
        router.add("POST", "/v1/derivative", body: .jsonWithData) { [runner, logger] request throws(APIError) in
            JobSubmission.synchronous(runner, kind: "derivative", logger: logger) { context in
                let query = try DerivativeQuery(try request.json(), limits: limits)
                return try DerivativeAnswer.answer(query) { try context.checkCancellation() }
            }
        }
    }
}
