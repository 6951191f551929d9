import Synchronization

/// The keys in force, replaceable while the service runs (`nabla serve` reloads them on SIGHUP).
/// Requests read them without waiting on a reload: a reload parses first, then swaps.
public final class KeyRing: Sendable {
    private let current: Mutex<APIKeys>

    /// A ring holding `keys`.
    public init(_ keys: APIKeys) {
        current = Mutex(keys)
    }

    /// The keys in force now.
    public var keys: APIKeys { current.withLock { $0 } }

    /// Puts `keys` in force, for the requests that arrive from now on.
    public func replace(with keys: APIKeys) {
        current.withLock { $0 = keys }
    }

    /// The name of the key whose token is `token`, or nil.
    func name(forToken token: String) -> String? {
        keys.name(forToken: token)
    }
}
