extension JSONParser {
    // number = [ "-" ] int [ frac ] [ exp ]
    // int = "0" / ( digit1-9 *DIGIT ), frac = "." 1*DIGIT, exp = ( "e" / "E" ) [ "-" / "+" ] 1*DIGIT
    //
    // The digits are gathered into a `DecimalLiteral` while the grammar is checked, so the common
    // literal becomes a double without building a String (`DecimalToDouble`); the rest (more than 19
    // significant digits, subnormals, out of range) goes through `Double(String)` as before.
    mutating func parseNumber() throws(JSONParseError) -> Double {
        if let value = parseShortNumber() { return value }
        let start = index
        var literal = DecimalLiteral()
        if peek(UInt8(ascii: "-")) {
            literal.isNegative = true
            index += 1
        }
        if peek(UInt8(ascii: "0")) {
            index += 1
        } else {
            guard consumeDigits(into: &literal) > 0 else { throw error("expected a digit in the number") }
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            let fractionDigits = consumeDigits(into: &literal)
            guard fractionDigits > 0 else { throw error("expected a digit after the decimal point") }
            literal.exponent -= fractionDigits
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            let isNegative = peek(UInt8(ascii: "-"))
            if isNegative || peek(UInt8(ascii: "+")) { index += 1 }
            let digitsStart = index
            var exponent = 0
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                // Far beyond any double's range already; stop growing rather than overflow.
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
                index += 1
            }
            guard index > digitsStart else { throw error("expected a digit in the exponent") }
            literal.exponent += isNegative ? -exponent : exponent
        }
        guard index - start <= 400 else { throw error("number literal longer than 400 characters", at: start) }
        if literal.significantDigits <= 19,
            let value = DecimalToDouble.nearest(
                significand: literal.significand, exponent: literal.exponent, isNegative: literal.isNegative)
        {
            return value
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("number \(text.prefix(40)) is out of range for a double", at: start)
        }
        return value
    }

    /// The common literal read in one pass over the raw bytes: at most 19 digits before the exponent (so
    /// the significand is exact, leading zeros included) and at most 4 exponent digits, read eight digits
    /// at a time where it can. Anything else — an error included — returns nil with `index` unmoved,
    /// for `parseNumber`'s general path; the grammar is the same, so a literal reads the same either way.
    private mutating func parseShortNumber() -> Double? {
        bytes.withUnsafeBufferPointer { buffer -> Double? in
            let base = buffer.baseAddress!
            let end = buffer.count
            var position = index
            let isNegative = base[position] == UInt8(ascii: "-")
            if isNegative { position &+= 1 }
            var significand: UInt64 = 0
            var digits = 0
            // int = "0" / digit1-9 *DIGIT
            guard position < end else { return nil }
            if base[position] == UInt8(ascii: "0") {
                position &+= 1
            } else {
                let before = position
                Self.readDigits(base, end, &position, &significand)
                guard position > before else { return nil }
                digits = position &- before
            }
            var exponent = 0
            if position < end, base[position] == UInt8(ascii: ".") {
                position &+= 1
                let before = position
                Self.readDigits(base, end, &position, &significand)
                guard position > before else { return nil }
                exponent = before &- position
                digits &+= position &- before
            }
            // Zeros before the first significant digit are counted too: at most 19 digits, exact.
            guard digits <= 19 else { return nil }
            if position < end, base[position] | 0x20 == UInt8(ascii: "e") {
                position &+= 1
                guard position < end else { return nil }
                let negativeExponent = base[position] == UInt8(ascii: "-")
                if negativeExponent || base[position] == UInt8(ascii: "+") { position &+= 1 }
                let before = position
                var written = 0
                while position < end, base[position] &- UInt8(ascii: "0") < 10, position &- before < 4 {
                    written = written &* 10 &+ Int(base[position] &- UInt8(ascii: "0"))
                    position &+= 1
                }
                guard position > before, position == end || base[position] &- UInt8(ascii: "0") >= 10 else {
                    return nil
                }
                exponent &+= negativeExponent ? -written : written
            }
            guard
                let value = DecimalToDouble.nearest(
                    significand: significand, exponent: exponent, isNegative: isNegative)
            else { return nil }
            index = position
            return value
        }
    }

    /// Reads a run of digits at `position` into `significand` (wrapping past 19 digits; the caller counts
    /// them), eight at a time while eight are there.
    private static func readDigits(
        _ base: UnsafePointer<UInt8>, _ end: Int, _ position: inout Int, _ significand: inout UInt64
    ) {
        while end &- position >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            // Every byte is an ASCII digit: its high nibble is 3 and adding 6 does not carry out of the nibble.
            guard word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
                (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
            else { break }
            significand = significand &* 100_000_000 &+ eightDigitsValue(word &- 0x3030_3030_3030_3030)
            position &+= 8
        }
        while position < end {
            let digit = base[position] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            significand = significand &* 10 &+ UInt64(digit)
            position &+= 1
        }
    }

    /// The value of eight digits 0…9, one per byte, the first in the lowest-addressed byte: pairs in 16-bit
    /// lanes (d·10 + next ≤ 99, no carry between bytes), then fours in 32-bit lanes (≤ 9999), then the two.
    static func eightDigitsValue(_ word: UInt64) -> UInt64 {
        let pairs = (word &* 10 &+ (word >> 8)) & 0x00FF_00FF_00FF_00FF
        let fours = (pairs &* 100 &+ (pairs >> 16)) & 0x0000_FFFF_0000_FFFF
        return (fours & 0xFFFF) &* 10_000 &+ (fours >> 32)
    }

    /// Consumes a run of digits, appending them to the literal's significand; returns how many.
    private mutating func consumeDigits(into literal: inout DecimalLiteral) -> Int {
        let start = index
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            // Wraps past 19 significant digits (even to 0); `significantDigits`, counted from the first
            // non-zero digit, then sends the literal to the slow path.
            literal.significand = literal.significand &* 10 &+ UInt64(digit)
            if literal.significantDigits > 0 || digit != 0 { literal.significantDigits += 1 }
            index += 1
        }
        return index - start
    }
}

/// `±significand · 10^exponent`, exact while `significantDigits ≤ 19` (leading zeros are not counted).
private struct DecimalLiteral {
    var significand: UInt64 = 0
    var significantDigits = 0
    var exponent = 0
    var isNegative = false
}

extension JSONParser {
    /// `bytes` as one JSON number literal and nothing else (no blanks around it), read as `parse`
    /// reads numbers; nil when it is not one. For number fields of other formats (CSV cells).
    public static func number(_ bytes: [UInt8]) -> Double? {
        guard let first = bytes.first, first == UInt8(ascii: "-") || first &- UInt8(ascii: "0") < 10 else {
            return nil
        }
        var parser = JSONParser(bytes: bytes, maxDepth: 1, numberArrays: false)
        guard let value = try? parser.parseNumber(), parser.index == bytes.count else { return nil }
        return value
    }
}
