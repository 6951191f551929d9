extension JSONParser {
    // number = [ "-" ] int [ frac ] [ exp ]
    // int = "0" / ( digit1-9 *DIGIT ), frac = "." 1*DIGIT, exp = ( "e" / "E" ) [ "-" / "+" ] 1*DIGIT
    //
    // The digits are gathered into a `DecimalLiteral` while the grammar is checked, so the common
    // literal becomes a double without building a String (`DecimalToDouble`); the rest (more than 19
    // significant digits, subnormals, out of range) goes through `Double(String)` as before.
    mutating func parseNumber() throws(JSONParseError) -> Double {
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
