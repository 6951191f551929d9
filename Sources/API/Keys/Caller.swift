/// Who sent a request: the name of the API key it presented (nil when the service has no keys), and
/// its address.
public struct Caller: Sendable, Equatable {
    /// The key's name; nil for an anonymous caller (a service without keys).
    public let keyName: String?
    /// The client's address, if known.
    public let address: String?

    /// Whose jobs the caller submits and sees: the key's name, or nil (the one anonymous owner).
    public var owner: String? { keyName }

    /// What per-client limits (jobs, event streams) count: the key when there is one (every address
    /// using it together), else the address.
    public var client: String? { keyName.map { "key:" + $0 } ?? address }
}
