import Foundation

/// Looks for what JSON cannot hold (NaN, infinities), on the bytes and on Foundation's reading of them.
enum JSONTokens {
    /// The first run of ASCII letters outside strings that is not in `allowed` (`NaN`, `Infinity`,
    /// `inf`), or nil. Number exponents are the single letters `e`/`E`.
    static func firstBareWord(in bytes: [UInt8], except allowed: Set<String>) -> String? {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index = endOfString(bytes, from: index)
            } else if isLetter(byte) {
                let start = index
                while index < bytes.count && isLetter(bytes[index]) { index += 1 }
                let word = String(decoding: bytes[start..<index], as: UTF8.self)
                if !allowed.contains(word) { return word }
            } else {
                index += 1
            }
        }
        return nil
    }

    /// The first number in a value from `JSONSerialization` that is infinite or NaN, or nil.
    static func firstNonFiniteNumber(in value: Any) -> Double? {
        switch value {
        case let number as NSNumber:
            return number.doubleValue.isFinite ? nil : number.doubleValue
        case let array as [Any]:
            return array.lazy.compactMap { firstNonFiniteNumber(in: $0) }.first
        case let object as [String: Any]:
            return object.values.lazy.compactMap { firstNonFiniteNumber(in: $0) }.first
        default:
            return nil
        }
    }

    /// The index just past the string that opens at `start`, skipping escaped characters.
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return index
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
