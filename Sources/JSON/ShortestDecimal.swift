/// The shortest decimal that reads back as a given double, and among the shortest the one nearest to it:
/// the digits `Double.description` prints, found without building a String.
///
/// The idea is Schubfach's (R. Giulietti, "The Schubfach way to render doubles", 2020). Every real in
/// the rounding interval `R` of `v = c · 2^q` (`c ± 1/2` units of `2^q`) reads back as `v`. Scaled by
/// `10^-k` with `k = ⌊log10 2^q⌋`, `R` is between 1 and 10 units wide, so it holds at least one integer
/// (`s = ⌊v · 10^-k⌋` or `s + 1`) and at most one multiple of 10. The multiple of 10, when inside, is
/// shorter than any other candidate; otherwise `s` or `s + 1` is, whichever is inside and nearer to `v`.
///
/// The scaled bounds come from 128-bit truncated powers of five (`PowersOfFive`), so each is known
/// within 2 units of its last bit, and every decision is a comparison of such a value with an integer.
/// A comparison that falls within that error, an exact tie, or an input outside the regular case
/// (zero, subnormals, powers of two whose interval is lopsided) gives `nil`, and the caller uses
/// `Double.description` instead. That is rare: exact boundary hits need large integers or exact ties.
struct ShortestDecimal {
    /// The significant digits followed by zeros to make 17 digits: `10^16 ≤ digits < 10^17`. Padded
    /// rather than stripped, so that a writer renders a fixed number of digits without a loop, and finds
    /// how many are significant from the zeros it has rendered (`NumberText`).
    var digits: UInt64
    /// The power of ten of the first digit: the decimal is `digits · 10^(exponent − 16)`.
    var exponent: Int

    /// The shortest decimal for a positive normal `value` that is not a power of two; `nil` when undecided.
    init?(_ value: Double) { self.init(value, powers: PowersOfFive.entries) }

    /// The same, with the powers of five from `powers` (`PowersOfFive.entries`, fetched once by a caller
    /// that converts many numbers).
    init?(_ value: Double, powers: UnsafePointer<PowersOfFive.Entry>) {
        guard value.isNormal, value > 0, value.significandBitPattern != 0 else { return nil }
        let c = value.significandBitPattern | (1 << 52)
        let q = Int(value.exponentBitPattern) &- 1075
        let k = Self.floorLog10OfPowerOfTwo(q)
        // 10^-k = 5^-k · 2^-k ≈ power.significand · 2^(power.binaryExponent - k). A value of n quarter units
        // of 2^q, scaled by 10^-k, is then ≈ n · power.significand / 2^(64 + f) with
        // f = k - q - power.binaryExponent - 62, and 2^q · 10^-k in [1, 10) puts f in 62...65. Shifting n
        // left by 65 - f gives every value the same 65 fraction bits (n stays below 2^58).
        let power = powers[-k &- PowersOfFive.range.lowerBound]
        let shift = q &+ power.binaryExponent &- k &+ 127
        guard (0...3).contains(shift) else { return nil }  // never, by the bounds above (tested)
        // x · 2^65 for the scaled bounds and value, each known within [a, a + 2) (see `scaled`).
        let (lower, middle, upper) = Self.scaled(quarterUnits: c &<< (2 &+ shift), shift: shift, by: power.significand)
        // An integer n with n · 2^65 in [a, a + 1] might equal the bound or lie on either side of it, and
        // ⌊middle⌋ is undecided when its fraction is all ones: leave those to `Double.description`.
        let mask: UInt128 = (1 << 65) &- 1
        guard (lower &+ 1) & mask > 1, (upper &+ 1) & mask > 1, middle & mask != mask else { return nil }
        // Otherwise the integers strictly inside the interval are exactly lowest...highest.
        let lowest = UInt64(truncatingIfNeeded: lower >> 65) &+ 1
        let highest = UInt64(truncatingIfNeeded: (upper &- 1) >> 65)
        let s = UInt64(truncatingIfNeeded: middle >> 65)
        // s ≥ 2^52 for a normal double, so a multiple of 10 has fewer significant digits than s and s + 1;
        // there is at most one inside, as the interval is narrower than 10. Otherwise s or s + 1, whichever
        // is inside, and the nearer to v (below s + 1/2 or not) when both are. The choice is computed
        // without branches where it can be: which case applies is as random as the digits.
        let tenth = highest / 10
        let tenInside: UInt64 = tenth &* 10 >= lowest ? 1 : 0
        let sInside: UInt64 = s >= lowest ? 1 : 0
        let nextInside: UInt64 = s &+ 1 <= highest ? 1 : 0
        let half = UInt128(2 &* s &+ 1) << 64
        let belowHalf: UInt64 = middle &+ 2 <= half ? 1 : 0
        let aboveHalf: UInt64 = middle > half ? 1 : 0
        // Undecided: a tie (or within the error of one) between s and s + 1, or neither inside (impossible).
        let decided = tenInside | (sInside ^ nextInside) | (sInside & nextInside & (belowHalf | aboveHalf))
        guard decided == 1 else { return nil }
        let nearer = s &+ 1 &- (sInside & (nextInside ^ 1 | belowHalf))
        let chosenTenth = 0 &- tenInside  // all ones when the multiple of 10 is chosen
        // Every candidate lies in [2^52, 10 · 2^53) as s does: 16 or 17 digits (the multiple of 10 with its
        // zero), padded to 17 by one more zero when 16.
        let candidate = (tenth &* 10) & chosenTenth | nearer & ~chosenTenth
        let hasSeventeen = candidate >= 10_000_000_000_000_000
        digits = hasSeventeen ? candidate : candidate &* 10
        exponent = k &+ (hasSeventeen ? 16 : 15)
    }

    /// `⌊q · log10 2⌋`, with log10 2 ≈ 78913 / 2^18: exact for every binary exponent of a double (tested).
    static func floorLog10OfPowerOfTwo(_ q: Int) -> Int { (q * 78_913) >> 18 }
}

extension ShortestDecimal {
    /// `(n - d) · power`, `n · power` and `(n + d) · power` with `d = 2 << shift`, each without its low
    /// 64 bits. `power` is at most 1 below the exact power and `n + d` below 2^58, so each exact product
    /// without its low 64 bits lies in [result, result + 2). One 64 × 128-bit product; the others add and
    /// subtract `d · power`. Nothing overflows: the products stay below 2^186.
    fileprivate static func scaled(quarterUnits n: UInt64, shift: Int, by power: UInt128) -> (UInt128, UInt128, UInt128)
    {
        let high = n.multipliedFullWidth(by: UInt64(truncatingIfNeeded: power >> 64))
        let low = n.multipliedFullWidth(by: UInt64(truncatingIfNeeded: power))
        // n · power = middle · 2^64 + low.low, and d · power = stepHigh · 2^64 + stepLow.
        let middle = (UInt128(high.high) << 64) &+ UInt128(high.low) &+ UInt128(low.high)
        let stepHigh = power &>> (63 &- shift)
        let stepLow = UInt64(truncatingIfNeeded: power) &<< (1 &+ shift)
        let carry: UInt128 = low.low.addingReportingOverflow(stepLow).overflow ? 1 : 0
        let borrow: UInt128 = low.low < stepLow ? 1 : 0
        return (middle &- stepHigh &- borrow, middle, middle &+ stepHigh &+ carry)
    }
}
