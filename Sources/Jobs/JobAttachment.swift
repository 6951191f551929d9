/// A larger part of a job's progress that the work publishes now and then, such as a training run's
/// latest plot: named values already encoded by the work's submitter, opaque to `Jobs` like the
/// request and the result. The runner numbers them, so a listener can tell a new one from one it has
/// already passed on, and forgets the last one when the job ends.
public struct JobAttachment: Sendable, Equatable {
    /// One named, encoded value.
    public struct Member: Sendable, Equatable {
        /// Its name.
        public var name: String
        /// Its encoding (the submitter's format; JSON in the service).
        public var encoded: [UInt8]

        /// The member `name` with this encoding.
        public init(name: String, encoded: [UInt8]) {
            self.name = name
            self.encoded = encoded
        }
    }

    /// Counts the job's attachments from 1 (set by the runner).
    public internal(set) var sequence: Int
    /// Its members, in order.
    public var members: [Member]

    /// The `sequence`th attachment of a job, as a store outside this module kept it.
    public init(sequence: Int, members: [Member]) {
        self.sequence = sequence
        self.members = members
    }
}
