import Synchronization

/// Whether the service is taking work, shared between the executable (which starts draining on
/// SIGTERM) and the readiness route.
public final class ServiceState: Sendable {
    private let draining = Atomic<Bool>(false)

    /// A service that is not draining.
    public init() {}

    /// True once shutdown has begun.
    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// Marks the service as draining: `/readyz` answers 503 from now on.
    public func beginDraining() { draining.store(true, ordering: .releasing) }
}
