/// 128-bit approximations of the powers of five that exact number conversion needs, in both
/// directions (`DecimalToDouble`, `ShortestDecimal`).
///
/// For each `p` in `range`, `5^p ≈ significand · 2^binaryExponent` with `significand` in `[2^127, 2^128)`
/// and *truncated*: `significand ≤ 5^p · 2^-binaryExponent < significand + 1`. Exact for `0 ≤ p ≤ 55`.
/// Both users rely only on that one-sided error bound, never on a particular rounding.
///
/// The table is computed once, at first use, with exact integer arithmetic (no literal constants to
/// mistype): positive powers by repeated multiplication by 5, negative ones as `⌊2^M / 5^n⌋` by repeated
/// division by 5 (`⌊⌊x⌋ / 5⌋ = ⌊x / 5⌋`, so nothing accumulates), then the top 128 bits of each.
enum PowersOfFive {
    /// The exponents covered: every decimal exponent a finite double's conversion needs.
    static let range = -350...350

    struct Entry {
        let significand: UInt128
        let binaryExponent: Int
    }

    /// `5^p`, for `p` in `range`.
    static func entry(_ p: Int) -> Entry { entries[p - range.lowerBound] }

    /// The table as a pointer, for loops over many numbers that fetch it once (every access to a
    /// `static let` checks that it is initialised, a call on Linux): `entries[p - range.lowerBound]` is
    /// `5^p`. Allocated once and kept for the life of the process.
    nonisolated(unsafe) static let entries: UnsafePointer<Entry> = {
        let table = computedTable()
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: table.count)
        entries.initialize(from: table, count: table.count)
        return UnsafePointer(entries)
    }()

    /// The entries for `range`, in order (built once, by `entries`).
    private static func computedTable() -> [Entry] {
        var entries: [Entry] = []
        entries.reserveCapacity(range.count)
        // ⌊2^M / 5^n⌋ keeps at least 128 bits for n ≤ 350 when M ≥ 128 + 350 · log2(5) ≈ 941.
        let scaleBits = 1_024
        var quotient = LittleEndianNatural(powerOfTwo: scaleBits)
        var negative: [Entry] = []
        for _ in 1...(-range.lowerBound) {
            quotient.divide(by: 5)
            let (top, shift) = quotient.top128Bits()
            negative.append(Entry(significand: top, binaryExponent: shift - scaleBits))
        }
        entries.append(contentsOf: negative.reversed())
        var power = LittleEndianNatural(powerOfTwo: 0)
        for p in 0...range.upperBound {
            if p > 0 { power.multiply(by: 5) }
            let (top, shift) = power.top128Bits()
            entries.append(Entry(significand: top, binaryExponent: shift))
        }
        return entries
    }
}

/// A natural number as 32-bit limbs, least significant first: just enough arithmetic to build the table.
private struct LittleEndianNatural {
    private var limbs: [UInt32]

    init(powerOfTwo exponent: Int) {
        limbs = Array(repeating: 0, count: exponent / 32 + 1)
        limbs[exponent / 32] = 1 << UInt32(exponent % 32)
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
    }

    mutating func divide(by divisor: UInt32) {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let dividend = remainder << 32 | UInt64(limbs[i])
            limbs[i] = UInt32(dividend / UInt64(divisor))
            remainder = dividend % UInt64(divisor)
        }
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
    }

    /// `(top, shift)` with `top` in `[2^127, 2^128)` and `top = ⌊self / 2^shift⌋` (`shift` may be negative:
    /// then `top = self · 2^-shift` exactly).
    func top128Bits() -> (top: UInt128, shift: Int) {
        let bitLength = limbs.count * 32 - limbs.last!.leadingZeroBitCount
        var top: UInt128 = 0
        for bit in stride(from: bitLength - 1, through: bitLength - 128, by: -1) {
            let value = bit >= 0 ? (limbs[bit / 32] >> UInt32(bit % 32)) & 1 : 0
            top = top << 1 | UInt128(value)
        }
        return (top, bitLength - 128)
    }
}
