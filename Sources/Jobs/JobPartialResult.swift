/// Thrown by work that stopped on an interruption (`JobContext.checkInterruption`) but has a result
/// worth keeping, such as a training run's history up to the cancelled epoch. The job ends as the
/// interruption says (`cancelled`, or `failed` past its time limit) and keeps `result` as its result.
public struct JobPartialResult: Error, Sendable, Equatable {
    /// Why the work stopped.
    public var interruption: JobInterruption
    /// The result's bytes so far.
    public var result: [UInt8]

    /// The result `result` of work stopped by `interruption`.
    public init(interruption: JobInterruption, result: [UInt8]) {
        self.interruption = interruption
        self.result = result
    }
}
