/// The JSON text of a double, written through a pointer so that whole arrays can be formatted in place:
/// - non-finite → `null` (JSON has no NaN or infinity);
/// - integral with magnitude below 2^53 → the integer (`3`, not `3.0`; `-0` → `0`);
/// - otherwise exactly the text of `Double.description`: the shortest digits that read back as the same
///   double (`ShortestDecimal`), in decimal notation from 10^-4 up to 2^53 and in exponential notation
///   (`1e-05`, `1.5e+300`) outside; `Double.description` itself for what `ShortestDecimal` leaves
///   undecided.
struct NumberText {
    /// The longest text written: `-0.00012345678901234567`, `-1.2345678901234567e-308` (24 bytes).
    static let maxLength = 24

    private let output: UnsafeMutablePointer<UInt8>
    private var count = 0

    /// Writes `number` at `output`, which has room for `maxLength` bytes; returns the number of bytes written.
    static func write(_ number: Double, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var text = NumberText(output: output)
        let magnitude = number.magnitude
        if !number.isFinite {
            text.append(contentsOf: "null".utf8)
        } else if magnitude < 0x1p53, Double(Int64(magnitude)) == magnitude {
            if number < 0 { text.append(UInt8(ascii: "-")) }
            let integer = UInt64(magnitude)
            text.appendDigits(of: integer, count: Self.digitCount(of: integer))
        } else if let shortest = ShortestDecimal(magnitude) {
            text.appendSign(of: number)
            text.appendDescription(of: shortest, exponential: magnitude < 1e-4 || magnitude > 0x1p53)
        } else {
            text.append(contentsOf: number.description.utf8)
        }
        return text.count
    }

    private init(output: UnsafeMutablePointer<UInt8>) { self.output = output }

    private mutating func append(_ byte: UInt8) {
        output[count] = byte
        count &+= 1
    }

    /// "-" when the sign bit is set (so not for a -0, which is written as an integer), without a branch:
    /// signs are as random as the numbers.
    private mutating func appendSign(of number: Double) {
        output[count] = UInt8(ascii: "-")
        count &+= Int(truncatingIfNeeded: number.bitPattern >> 63)
    }

    private mutating func append(_ byte: UInt8, count repeats: Int) {
        for _ in 0..<repeats { append(byte) }
    }

    private mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        for byte in bytes { append(byte) }
    }

    /// `Double.description`'s layout of `decimal`: `123.45`, `0.00012`, `4503599627370498.0`, `1.5e-07`, `1e+22`.
    /// The digits are written in place, then the few before the point move left to make room for it.
    private mutating func appendDescription(of decimal: ShortestDecimal, exponential: Bool) {
        let digitCount = decimal.digitCount
        let leadingExponent = decimal.exponent + digitCount - 1  // the power of ten of the first digit
        if exponential {
            if digitCount == 1 {
                appendDigits(of: decimal.digits, count: 1)
            } else {
                appendDigits(of: decimal.digits, count: digitCount, leaving: 1)
            }
            append(UInt8(ascii: "e"))
            append(leadingExponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let exponentMagnitude = UInt64(leadingExponent.magnitude)
            appendDigits(of: exponentMagnitude, count: exponentMagnitude < 100 ? 2 : 3)  // at least two: e-07
        } else if leadingExponent < 0 {
            append(UInt8(ascii: "0"))
            append(UInt8(ascii: "."))
            append(UInt8(ascii: "0"), count: -leadingExponent - 1)
            appendDigits(of: decimal.digits, count: digitCount)
        } else if leadingExponent + 1 < digitCount {
            appendDigits(of: decimal.digits, count: digitCount, leaving: leadingExponent + 1)
        } else {
            // An integral shortest form of a value that is not an integer (4503599627370497.5).
            appendDigits(of: decimal.digits, count: digitCount)
            append(UInt8(ascii: "0"), count: leadingExponent + 1 - digitCount)
            append(UInt8(ascii: "."))
            append(UInt8(ascii: "0"))
        }
    }

    /// The `count` last decimal digits of `value` (with leading zeros if it has fewer), with a point after
    /// the first `integerDigits` of them when that is given.
    private mutating func appendDigits(of value: UInt64, count digitCount: Int, leaving integerDigits: Int? = nil) {
        guard let integerDigits else {
            renderDigits(of: value, from: count, to: count &+ digitCount)
            count &+= digitCount
            return
        }
        renderDigits(of: value, from: count &+ 1, to: count &+ 1 &+ digitCount)
        for position in count..<(count &+ integerDigits) { output[position] = output[position &+ 1] }
        output[count &+ integerDigits] = UInt8(ascii: ".")
        count &+= digitCount &+ 1
    }

    /// Writes the last `end - start` digits of `value` right to left into `start..<end`: eight at a time
    /// (`eightDigits`), then two at a time, then the odd one.
    private func renderDigits(of value: UInt64, from start: Int, to end: Int) {
        var remaining = value
        var position = end
        while position &- start >= 8 {
            let eight = UInt32(truncatingIfNeeded: remaining % 100_000_000)
            remaining /= 100_000_000
            position &-= 8
            UnsafeMutableRawPointer(output + position).storeBytes(of: Self.eightDigits(eight), as: UInt64.self)
        }
        var small = UInt32(truncatingIfNeeded: remaining % 100_000_000)
        while position &- start >= 2 {
            position &-= 2
            renderTwoDigits(small % 100, at: position)
            small /= 100
        }
        // An odd count leaves one digit; otherwise this rewrites the byte at `start` unchanged. Without a
        // branch: whether the count is odd is as random as the numbers.
        let digit = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: small % 10)
        let isOdd = 0 &- UInt8(truncatingIfNeeded: position &- start)  // all ones or zero
        output[start] = digit & isOdd | output[start] & ~isOdd
    }

    /// The eight ASCII digits of `value` (< 10^8), in memory order once stored: the first digit in the
    /// lowest-addressed byte. Computed in lanes of one 64-bit word: two 4-digit halves in 32-bit lanes,
    /// split into hundreds and rest (16-bit lanes), then into tens and units (bytes). Each division by a
    /// constant is a multiplication and a shift, exact in its range: ⌊v / 100⌋ = ⌊v · 5243 / 2^19⌋ for
    /// v < 10^4 and ⌊w / 10⌋ = ⌊w · 103 / 2^10⌋ for w < 100; no lane's product reaches the next lane.
    private static func eightDigits(_ value: UInt32) -> UInt64 {
        let halves = UInt64(value / 10_000) | (UInt64(value % 10_000) << 32)
        let hundreds = ((halves &* 5_243) >> 19) & 0x0000_007F_0000_007F
        let pairs = hundreds | ((halves &- hundreds &* 100) << 16)
        let tens = ((pairs &* 103) >> 10) & 0x000F_000F_000F_000F
        let digits = tens | ((pairs &- tens &* 10) << 8)
        return (digits | 0x3030_3030_3030_3030).littleEndian
    }

    /// Copies the two digits of `value` (< 100) to `position`.
    private func renderTwoDigits(_ value: UInt32, at position: Int) {
        let pair = UnsafeRawPointer(Self.digitPairs.utf8Start + Int(value) &* 2).loadUnaligned(as: UInt16.self)
        UnsafeMutableRawPointer(output + position).storeBytes(of: pair, as: UInt16.self)
    }

    /// "00", "01", … "99", back to back.
    private static let digitPairs: StaticString = """
        0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// The number of decimal digits of `value` (1 for 0).
    private static func digitCount(of value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 100 {
            rest /= 100
            count &+= 2
        }
        return rest >= 10 ? count &+ 1 : count
    }
}
