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
        return String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: value >> (60 - 4 * index)) & 0xF
                buffer[index] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble  // 0-9, a-f
            }
            return 16
        }
    }
}
