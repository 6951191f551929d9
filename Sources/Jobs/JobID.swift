/// A job's identity: 128 random bits, written as 32 lowercase hex digits.
public struct JobID: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    private let high: UInt64
    private let low: UInt64

    /// A new id from the system's secure random source.
    public static func random() -> JobID {
        var generator = SystemRandomNumberGenerator()
        return JobID(high: generator.next(), low: generator.next())
    }

    /// The id with these 128 bits.
    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses 32 hex digits (either case); anything else is `nil`.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 32, let high = Self.hex(utf8[0..<16]), let low = Self.hex(utf8[16..<32]) else {
            return nil
        }
        self.init(high: high, low: low)
    }

    public var description: String {
        Self.padded(high) + Self.padded(low)
    }

    private static func padded(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func hex(_ digits: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }
}
