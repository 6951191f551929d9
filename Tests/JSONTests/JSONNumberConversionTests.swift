import Foundation
import Testing

@testable import JSON

/// The pieces behind the fast number paths, checked where the public tests cannot see: the table, the
/// exponent estimate, and that the fast paths really decide (the fallbacks would hide a slow regression).
@Suite struct JSONNumberConversionTests {
    /// 5^p fits 64 bits up to p = 27: the table must hold it exactly, normalised to 128 bits.
    @Test func holdsSmallPowersOfFiveExactly() {
        var power: UInt64 = 1
        for p in 0...27 {
            let entry = PowersOfFive.entry(p)
            let shift = power.leadingZeroBitCount + 64
            #expect(entry.significand == UInt128(power) << shift, "5^\(p)")
            #expect(entry.binaryExponent == -shift, "5^\(p)")
            power = power &* 5
        }
    }

    /// 5^-n ≈ significand · 2^binaryExponent, truncated: significand · 5^n ≤ 2^-binaryExponent <
    /// (significand + 1) · 5^n, checked in exact 192-bit arithmetic for 5^n below 2^64.
    @Test func truncatesSmallNegativePowersOfFive() {
        var power: UInt64 = 5
        for n in 1...27 {
            let entry = PowersOfFive.entry(-n)
            let below = Self.product(entry.significand, power)
            let above = Self.product(entry.significand + 1, power)
            let exponent = -entry.binaryExponent  // 2^exponent, with exponent in 128..<192
            #expect((128..<192).contains(exponent), "5^-\(n)")
            let target = (high: UInt64(1) << (exponent - 128), low: UInt128(0))
            #expect(below.high < target.high || (below.high == target.high && below.low <= target.low), "5^-\(n)")
            #expect(above.high > target.high || (above.high == target.high && above.low > target.low), "5^-\(n)")
            power = power &* 5
        }
    }

    @Test func estimatesTheDecimalExponentOfEveryBinaryExponent() {
        for q in -1200...1200 {
            // 10^k ≤ 2^q < 10^(k+1), checked in floating point far from any integer (log10 2 is irrational).
            let exact = (Double(q) * 0.301_029_995_663_981_195).rounded(.down)
            #expect(ShortestDecimal.floorLog10OfPowerOfTwo(q) == Int(exact), "q = \(q)")
        }
    }

    /// The eight digits of values below 10^8 are the text of their two halves of four digits (each half
    /// from an independent digit-by-digit rendering): every trailing half with every seventh leading
    /// one and the last.
    @Test func writesTheEightDigitsOfEveryValueBelowTenToTheEighth() {
        let halves: [UInt64] = (0..<10_000).map { value in
            var word: UInt64 = 0
            var rest = UInt64(value)
            for position in (0..<4).reversed() {
                word |= (0x30 + rest % 10) << (8 * position)
                rest /= 10
            }
            return word
        }
        var wrong: [UInt32] = []
        for leading in Array(Swift.stride(from: 0, to: 10_000, by: 7)) + [9_999] {
            for trailing in 0..<10_000 {
                let value = UInt32(leading * 10_000 + trailing)
                let expected = (halves[leading] | halves[trailing] << 32).littleEndian
                if NumberText.eightDigits(value) != expected, wrong.count < 5 { wrong.append(value) }
            }
        }
        #expect(wrong.isEmpty, "wrong digits for \(wrong)")
    }

    /// Almost every normal double below 2^53 that is not a power of two is decided without
    /// `Double.description`. (Above 2^53 the rounding interval's ends can be exact decimals, which the
    /// fast path leaves to the fallback: a fifth of the integers just above 2^53.)
    @Test func decidesShortestDigitsWithoutTheFallback() {
        let values = SeededDoubles.random(count: 20_000, seed: 11).map(\.magnitude).filter {
            $0.isNormal && $0.significandBitPattern != 0 && $0 < 0x1p53
        }
        let undecided = values.filter { ShortestDecimal($0) == nil }
        #expect(undecided.count * 1_000 < values.count, "undecided: \(undecided.prefix(5))")
    }

    /// Almost every literal `Double.description` prints for a normal double is read without `Double(String)`.
    @Test func readsPrintedDoublesWithoutTheFallback() {
        let values = SeededDoubles.random(count: 20_000, seed: 12).filter(\.isNormal)
        var fallbacks: [String] = []
        for value in values {
            let text = value.description
            let mantissa = text.prefix { $0 != "e" }
            let exponent = Int(text.drop { $0 != "e" }.dropFirst()) ?? 0
            let digits = mantissa.filter(\.isNumber)
            let fractionDigits = mantissa.drop { $0 != "." }.dropFirst().count
            guard let significand = UInt64(digits),
                let parsed = DecimalToDouble.nearest(
                    significand: significand, exponent: exponent - fractionDigits, isNegative: value < 0)
            else {
                fallbacks.append(text)
                continue
            }
            #expect(parsed.bitPattern == value.bitPattern, "\(text)")
        }
        #expect(fallbacks.count * 1_000 < values.count, "fallbacks: \(fallbacks.prefix(5))")
    }

    /// A large array of numbers alone is read on every core (not left to the one-at-a-time reading,
    /// which gives the same numbers and would hide a fallback); anything else in it sends it back.
    @Test func readsLargeArraysOfNumbersOnEveryCore() throws {
        let values = SeededDoubles.random(count: 60_000, seed: 23)
        let text = "[" + values.map(\.description).joined(separator: ", ") + "]"
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { return }  // one core: one at a time
        let numbers = try #require(JSONParser.numbersReadOnEveryCore(Array(text.utf8)))
        #expect(numbers.map(\.bitPattern) == values.map(\.bitPattern))
        let withString = "[" + values.map(\.description).joined(separator: ", ") + #", "x"]"#
        #expect(JSONParser.numbersReadOnEveryCore(Array(withString.utf8)) == nil)
        #expect(JSONParser.numbersReadOnEveryCore(Array("[1, 2]".utf8)) == nil)  // too short to split
    }

    /// `a · b` as 192 bits.
    private static func product(_ a: UInt128, _ b: UInt64) -> (high: UInt64, low: UInt128) {
        let low = b.multipliedFullWidth(by: UInt64(truncatingIfNeeded: a))
        let high = b.multipliedFullWidth(by: UInt64(truncatingIfNeeded: a >> 64))
        let middle = UInt128(high.low) + UInt128(low.high)
        return (high.high + UInt64(middle >> 64), (middle << 64) | UInt128(low.low))
    }
}
