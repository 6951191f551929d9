/// The double nearest to a decimal `±significand · 10^exponent` (ties to even, as `Double(String)` and
/// `strtod` round), computed without text for the literals that requests carry: `JSONParser` reads the
/// digits into a `UInt64` and asks here first, and falls back to `Double(String)` on `nil`.
///
/// Two exact methods, tried in order:
/// 1. Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990):
///    `significand ≤ 2^53` and `|exponent| ≤ 22` are both exact doubles, so one IEEE multiplication or
///    division rounds the exact quotient correctly.
/// 2. The Eisel–Lemire method (D. Lemire, "Number parsing at a gigabyte per second", 2021): multiply the
///    normalised significand by a truncated 128-bit `5^exponent` (`PowersOfFive`) and read the 53-bit result
///    off the top of the 192-bit product. The table's truncation puts the exact product within 2 units of
///    the computed top 128 bits, so rounding is decided unless the bits below the result sit within those
///    2 units of the halfway point; then (about one literal in 2^73, or an exact tie) the answer is `nil`.
/// Results that would be subnormal, zero by underflow or infinite are also `nil`: `Double(String)` decides.
enum DecimalToDouble {
    static func nearest(significand: UInt64, exponent: Int, isNegative: Bool) -> Double? {
        guard significand != 0 else { return isNegative ? -0.0 : 0.0 }
        if significand <= (1 << 53), (-22...22).contains(exponent) {
            let magnitude =
                exponent >= 0
                ? Double(significand) * exactPowersOfTen[exponent] : Double(significand) / exactPowersOfTen[-exponent]
            return isNegative ? -magnitude : magnitude
        }
        guard PowersOfFive.range.contains(exponent) else { return nil }
        // significand · 10^exponent = normalized · 2^-shift · 5^exponent · 2^exponent
        //                          ≈ normalized · power.significand · 2^(power.binaryExponent + exponent - shift)
        let power = PowersOfFive.entry(exponent)
        let shift = significand.leadingZeroBitCount
        let normalized = significand << shift
        let high = normalized.multipliedFullWidth(by: UInt64(truncatingIfNeeded: power.significand >> 64))
        let low = normalized.multipliedFullWidth(by: UInt64(truncatingIfNeeded: power.significand))
        // The top 128 of the 192 product bits; it is at least 2^126 (both factors are normalised), and the
        // exact product (with the untruncated power) lies in [top, top + 2) units of its last bit.
        let top = UInt128(high.high) << 64 + UInt128(high.low) + UInt128(low.high)
        let droppedBits = top >> 127 == 1 ? 75 : 74  // all but the 53 significant bits
        let rest = top & ((1 << droppedBits) - 1)
        let half: UInt128 = 1 << (droppedBits - 1)
        guard rest != half, rest != half - 1 else { return nil }
        var mantissa = UInt64(truncatingIfNeeded: top >> droppedBits)
        var binaryExponent = droppedBits + 64 + power.binaryExponent + exponent - shift
        if rest > half {
            mantissa += 1
            if mantissa == (1 << 53) {
                mantissa >>= 1
                binaryExponent += 1
            }
        }
        // value = mantissa · 2^binaryExponent with mantissa in [2^52, 2^53): a normal double or nothing.
        let biasedExponent = binaryExponent + 52 + 1023
        guard (1...2046).contains(biasedExponent) else { return nil }
        return Double(
            sign: isNegative ? .minus : .plus, exponentBitPattern: UInt(biasedExponent),
            significandBitPattern: mantissa & ((1 << 52) - 1))
    }

    /// 10^0 … 10^22: every one is exactly a double.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
