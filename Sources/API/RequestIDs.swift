import Synchronization

/// Request ids for requests that bring none: 16 hex digits, a random per-process prefix and a
/// counter. Unique within the process and across restarts in practice, and cheap (no system
/// randomness per request: it sits on the hot path). They identify, they do not authenticate.
enum RequestIDs {
    private static let prefix: UInt64 = UInt64.random(in: 0...UInt64(UInt32.max)) << 32
    private static let counter = Atomic<UInt64>(0)

    /// The next id.
    static func next() -> String {
        let value = prefix | (counter.add(1, ordering: .relaxed).newValue & 0xFFFF_FFFF)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
