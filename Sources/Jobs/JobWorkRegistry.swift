/// How each kind of kept job's work is rebuilt from its stored request: a replica that claims a job
/// another replica accepted has only the job's kind and normalized request.
public struct JobWorkRegistry: Sendable {
    /// Builds the work of a job from its normalized request, or throws why the request cannot be run
    /// (the job then fails with that error). It may wait for what the request names (an uploaded
    /// dataset, fetched from the database).
    public typealias Maker = @Sendable (_ request: [UInt8]) async throws -> JobRunner.Work

    private let makers: [String: Maker]

    /// A registry of these kinds.
    public init(_ makers: [String: Maker]) {
        self.makers = makers
    }

    /// The kinds it can rebuild.
    public var kinds: [String] { makers.keys.sorted() }

    /// The work of a `kind` job with this request.
    public func work(kind: String, request: [UInt8]) async throws -> JobRunner.Work {
        guard let maker = makers[kind] else {
            throw JobFailure(.failed(code: "unknown_kind"), message: "no replica knows how to run a '\(kind)' job")
        }
        return try await maker(request)
    }
}
