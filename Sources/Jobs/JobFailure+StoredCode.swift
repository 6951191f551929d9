extension JobFailure.Reason {
    /// How a reason is written where jobs are stored (job files, a database): the case's name, or
    /// `failed:` and the work's own code.
    public var storedCode: String {
        switch self {
        case .cancelled: "cancelled"
        case .shutdown: "shutdown"
        case .timeLimit: "timeLimit"
        case .workerLost: "workerLost"
        case .failed(let code): "failed:" + code
        }
    }

    /// The reason written as `storedCode`. Job files of the first version wrote the API's spelling of
    /// the runner's reasons (`time_limit`) and the work's code alone: letters are compared without case
    /// or underscores, and any other text is the work's code.
    public init(storedCode code: String) {
        if code.hasPrefix("failed:") {
            self = .failed(code: String(code.dropFirst("failed:".count)))
            return
        }
        let letters = code.lowercased().filter { $0 != "_" }
        for reason in [Self.cancelled, .shutdown, .timeLimit, .workerLost]
        where reason.storedCode.lowercased() == letters {
            self = reason
            return
        }
        self = .failed(code: code)
    }
}
