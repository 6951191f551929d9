import Jobs

extension JobFailure.Reason {
    /// How clients read the reason in a job's `error.reason`: snake_case, like every reason the API
    /// writes (`stopped`, `error.reason`). Problem types are URNs and keep their kebab-case slugs.
    var wireName: String {
        switch self {
        case .cancelled: "cancelled"
        case .shutdown: "shutdown"
        case .timeLimit: "time_limit"
        case .workerLost: "worker_lost"
        case .failed(let code): code
        }
    }
}

extension APIError {
    /// The reason a kept job failing with this error shows: its slug in snake_case.
    var reasonCode: String { slug.replacing("-", with: "_") }
}
