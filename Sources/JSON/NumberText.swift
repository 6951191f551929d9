/// The JSON text of a double, written through a pointer so that whole arrays can be formatted in place:
/// - non-finite → `null` (JSON has no NaN or infinity);
/// - integral with magnitude below 2^53 → the integer (`3`, not `3.0`; `-0` → `0`);
/// - otherwise exactly the text of `Double.description`: the shortest digits that read back as the same
///   double (`ShortestDecimal`), in decimal notation from 10^-4 up to 2^53 and in exponential notation
///   (`1e-05`, `1.5e+300`) outside; `Double.description` itself for what `ShortestDecimal` leaves
///   undecided.
///
/// The digits are always rendered as 17 (the shortest ones padded with zeros) in three fixed pieces —
/// the first digit and two words of eight — and placed with a few whole-word stores; how many are
/// significant is read off the zeros at the end. No loop over the digits and no branch on their count,
/// except to move an integer part of two digits or more (values of 10 and up) left of its point.
enum NumberText {
    /// The longest text written: `-0.00012345678901234567`, `-1.2345678901234567e-308` (24 bytes). Every
    /// store stays within these 24 bytes, the words of digits included.
    static let maxLength = 24

    /// The look-up tables `write` uses, for a loop over many numbers to fetch once rather than once per
    /// number (every access to a `static let` checks that it is initialised, a call on Linux).
    struct Tables {
        let powers: UnsafePointer<PowersOfFive.Entry>
        let fourDigits: UnsafePointer<UInt32>
    }

    static var tables: Tables { Tables(powers: PowersOfFive.entries, fourDigits: fourDigitsTable) }

    /// Writes `number` at `output`, which has room for `maxLength` bytes; returns the number of bytes written.
    static func write(_ number: Double, to output: UnsafeMutablePointer<UInt8>) -> Int {
        write(number, to: output, tables: tables)
    }

    /// The same, with the tables fetched beforehand (`tables`).
    static func write(_ number: Double, to output: UnsafeMutablePointer<UInt8>, tables: Tables) -> Int {
        let magnitude = number.magnitude
        guard number.isFinite else { return copy("null".utf8, to: output) }
        if magnitude < 0x1p53, Double(Int64(magnitude)) == magnitude {
            let sign = number < 0 ? 1 : 0  // not for -0, which is the integer 0
            output[0] = UInt8(ascii: "-")
            return sign &+ writeInteger(UInt64(magnitude), to: output + sign)
        }
        guard let shortest = ShortestDecimal(magnitude, powers: tables.powers) else {
            return copy(number.description.utf8, to: output)
        }
        // "-" when the sign bit is set, without a branch: signs are as random as the numbers.
        output[0] = UInt8(ascii: "-")
        let sign = Int(truncatingIfNeeded: number.bitPattern >> 63)
        let exponential = magnitude < 1e-4 || magnitude > 0x1p53
        return sign
            &+ writeDecimal(shortest, exponential: exponential, fourDigits: tables.fourDigits, to: output + sign)
    }

    /// `Double.description`'s layout of `decimal`: `123.45`, `0.00012`, `4503599627370498.0`, `1.5e-07`, `1e+22`.
    private static func writeDecimal(
        _ decimal: ShortestDecimal, exponential: Bool, fourDigits: UnsafePointer<UInt32>,
        to output: UnsafeMutablePointer<UInt8>
    )
        -> Int
    {
        let digits = Digits(decimal.digits, fourDigits: fourDigits)
        let significant = digits.significantCount
        let leading = decimal.exponent  // the power of ten of the first digit
        if exponential {
            // d.ddde±XX: the point only when there is more than one digit.
            digits.store(to: output, pointAfterFirst: true)
            var count = significant == 1 ? 1 : significant &+ 1
            output[count] = UInt8(ascii: "e")
            output[count &+ 1] = leading < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            count &+= 2
            let exponent = UInt64(leading.magnitude)
            return count &+ writeDigits(of: exponent, count: exponent < 100 ? 2 : 3, to: output + count)  // e-07
        }
        if leading < 0 {
            // 0.000ddd: at most three zeros after the point (10^-4 and up), so one word holds the prefix.
            storeWord(Self.zeroPointZeros.littleEndian, at: output)
            let first = 1 &- leading
            digits.store(to: output + first, pointAfterFirst: false)
            return first &+ significant
        }
        let integerDigits = leading &+ 1
        if integerDigits == 1 && significant > 1 {
            digits.store(to: output, pointAfterFirst: true)
            return significant &+ 1
        }
        if integerDigits < significant {
            // The digits one place right of where they end up, then the integer part moved left over the gap.
            digits.store(to: output + 1, pointAfterFirst: false)
            for position in 0..<integerDigits { output[position] = output[position &+ 1] }
            output[integerDigits] = UInt8(ascii: ".")
            return significant &+ 1
        }
        // An integral shortest form of a value that is not an integer (only above 2^53 in practice, which
        // is exponential, but the layout is Double.description's whatever the value): ddd000.0
        digits.store(to: output, pointAfterFirst: false)
        for position in significant..<integerDigits { output[position] = UInt8(ascii: "0") }
        output[integerDigits] = UInt8(ascii: ".")
        output[integerDigits &+ 1] = UInt8(ascii: "0")
        return integerDigits &+ 2
    }

    /// "0.000000", the first byte lowest.
    private static let zeroPointZeros: UInt64 = 0x3030_3030_3030_2E30

    /// The 17 digits of a `ShortestDecimal` as ASCII: the first one and two words of eight (the first
    /// digit of each in its lowest-addressed byte once stored), and how many are significant.
    private struct Digits {
        let first: UInt8
        let high: UInt64
        let low: UInt64
        let significantCount: Int

        init(_ value: UInt64, fourDigits: UnsafePointer<UInt32>) {
            let firstDigit = value / 10_000_000_000_000_000
            let rest = value &- firstDigit &* 10_000_000_000_000_000
            let highValue = rest / 100_000_000
            first = UInt8(truncatingIfNeeded: firstDigit) | UInt8(ascii: "0")
            high = NumberText.eightDigits(UInt32(truncatingIfNeeded: highValue), fourDigits)
            low = NumberText.eightDigits(UInt32(truncatingIfNeeded: rest &- highValue &* 100_000_000), fourDigits)
            // A '0' is the only digit that is 0 after `^ "0"`; the last digit is the word's top byte, so the
            // zero bytes at the top are the trailing zeros.
            let lowZeros = (UInt64(littleEndian: low) ^ 0x3030_3030_3030_3030).leadingZeroBitCount &>> 3
            let highZeros = (UInt64(littleEndian: high) ^ 0x3030_3030_3030_3030).leadingZeroBitCount &>> 3
            significantCount = 17 &- (lowZeros == 8 ? 8 &+ highZeros : lowZeros)
        }

        /// All 17 digits from `output`, with a point after the first when asked (18 bytes then).
        func store(to output: UnsafeMutablePointer<UInt8>, pointAfterFirst: Bool) {
            output[0] = first
            var next = 1
            if pointAfterFirst {
                output[1] = UInt8(ascii: ".")
                next = 2
            }
            storeWord(high, at: output + next)
            storeWord(low, at: output + (next &+ 8))
        }
    }

    private static func storeWord(_ word: UInt64, at output: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(output).storeBytes(of: word, as: UInt64.self)
    }

    private static func copy(_ bytes: some Sequence<UInt8>, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes {
            output[count] = byte
            count &+= 1
        }
        return count
    }

    /// The decimal digits of `value`; returns how many.
    private static func writeInteger(_ value: UInt64, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let count = digitCount(of: value)
        return writeDigits(of: value, count: count, to: output)
    }

    /// The `count` last decimal digits of `value` (with leading zeros if it has fewer), right to left:
    /// eight at a time (`eightDigits`), then two at a time, then the odd one. Returns `count`.
    private static func writeDigits(of value: UInt64, count: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var remaining = value
        var position = count
        while position >= 8 {
            let eight = UInt32(truncatingIfNeeded: remaining % 100_000_000)
            remaining /= 100_000_000
            position &-= 8
            storeWord(eightDigits(eight), at: output + position)
        }
        var small = UInt32(truncatingIfNeeded: remaining % 100_000_000)
        while position >= 2 {
            position &-= 2
            let pair = UnsafeRawPointer(digitPairs.utf8Start + Int(small % 100) &* 2).loadUnaligned(as: UInt16.self)
            UnsafeMutableRawPointer(output + position).storeBytes(of: pair, as: UInt16.self)
            small /= 100
        }
        if position == 1 { output[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: small % 10) }
        return count
    }

    /// The eight ASCII digits of `value` (< 10^8), in memory order once stored: the first digit in the
    /// lowest-addressed byte. Two look-ups of four digits each (`fourDigitsTable`) after one division.
    static func eightDigits(_ value: UInt32) -> UInt64 { eightDigits(value, fourDigitsTable) }

    private static func eightDigits(_ value: UInt32, _ fourDigits: UnsafePointer<UInt32>) -> UInt64 {
        let upper = value / 10_000
        let lower = value &- upper &* 10_000
        return (UInt64(fourDigits[Int(upper)]) | UInt64(fourDigits[Int(lower)]) &<< 32).littleEndian
    }

    /// The four ASCII digits of 0…9999 (`"0000"` … `"9999"`), the first digit in the lowest byte of each
    /// word. 40 KB: a look-up is cheaper than the arithmetic it replaces (three dependent multiplications
    /// for four digits), even from the second-level cache (measured: a table-free split in lanes of one
    /// word writes 200,000 numbers in 6.5 ms on one core, these look-ups in 6.1). Allocated once and kept
    /// for the life of the process.
    nonisolated(unsafe) private static let fourDigitsTable: UnsafePointer<UInt32> = {
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 10_000)
        for value in 0..<10_000 {
            var word: UInt32 = 0
            var rest = UInt32(value)
            for _ in 0..<4 {
                word = word << 8 | (UInt32(UInt8(ascii: "0")) + rest % 10)
                rest /= 10
            }
            table[value] = word
        }
        return UnsafePointer(table)
    }()

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
