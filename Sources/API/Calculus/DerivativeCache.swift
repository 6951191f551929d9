import Synchronization

/// Prepared expressions by (text, variable, parameter names, order): clients evaluating one function
/// at many points, or polling it, skip parsing, differentiating, compiling and printing. Bounded:
/// at most `capacity` entries of expressions up to `maxTextLength` characters; when full, an
/// arbitrary entry makes room. Errors are not cached.
final class DerivativeCache: Sendable {
    struct Key: Hashable, Sendable {
        let text: String
        let variable: String?
        let parameterNames: [String]
        let order: Int
    }

    let capacity: Int
    let maxTextLength: Int
    private let entries = Mutex<[Key: PreparedDerivative]>([:])

    init(capacity: Int = 512, maxTextLength: Int = 2_000) {
        self.capacity = capacity
        self.maxTextLength = maxTextLength
    }

    /// The prepared expression for `key`, built by `make` when it is not cached.
    func prepared(for key: Key, make: () throws(APIError) -> PreparedDerivative) throws(APIError)
        -> PreparedDerivative
    {
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let made = try make()
        if capacity > 0, key.text.utf8.count <= maxTextLength {
            entries.withLock { entries in
                if entries.count >= capacity, let victim = entries.keys.first { entries[victim] = nil }
                entries[key] = made
            }
        }
        return made
    }

    /// Entries kept now.
    var count: Int { entries.withLock { $0.count } }
}
