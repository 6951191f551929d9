/// `eˣ` in plain IEEE double arithmetic, written out so that (1) it inlines into the activation loops,
/// which then vectorise (the C library's `exp` is a call per element), and (2) it gives the same bits
/// on every machine: no table, no fused multiply-add, no libm version.
///
/// Cody–Waite reduction: `x = k·ln 2 + r` with `k = round(x / ln 2)` (by the 1.5·2⁵² shifter) and
/// `|r| ≤ ln 2 / 2`, `ln 2` split in a high part with 32 trailing zero bits (so `k·ln2High` is exact)
/// and a low part (fdlibm's constants). Then `eʳ = 1 + (r + r²·p(r))` with `p` the Taylor series to
/// degree 13 (truncation below 6e-18 relative) evaluated by Estrin's scheme (depth 8 rather than
/// Horner's 24, so independent elements overlap), and the scaling by `2ᵏ⁻¹·2` through the exponent
/// bits. Within 1 ulp of glibc's `exp` (itself within 0.502 ulp; checked in the tests), equal to it
/// for about 90% of arguments. Results below 2⁻¹⁰²¹ (`x < −708`) are 0, results past the largest
/// double (`x > 709.78`) infinity; NaN stays NaN. Only the activations and losses use it, where
/// values that small vanish beside 1 anyway.
@inline(__always)
func exponential(_ x: Double) -> Double {
    let parts = exponentialParts(x)
    return x < -708.0 ? 0 : (1 + parts.excess) * parts.halfScale * 2
}

/// `eˣ = ((1 + excess) · halfScale) · 2` with `halfScale = 2ᵏ⁻¹` and `excess = eʳ − 1`
/// (`|r| ≤ ln 2 / 2`), as `exponential` computes it (see there); `hyperbolicTangent` takes `eˣ − 1`
/// from the two parts.
@inline(__always)
func exponentialParts(_ x: Double) -> (excess: Double, halfScale: Double) {
    let inverseLn2 = 0x1.71547652b82fep0
    let ln2High = 0x1.62e42fee00000p-1
    let ln2Low = 0x1.a39ef35793c76p-33
    let shifter = 0x1.8p52
    // Clamped so 2ᵏ⁻¹ is a normal number. Above, e^709.8 overflows to +inf by itself; NaN passes the
    // comparisons and propagates through the arithmetic.
    let clamped = x > 709.8 ? 709.8 : (x < -708.0 ? -708.0 : x)
    let shifted = clamped * inverseLn2 + shifter
    let k = shifted - shifter
    let r = (clamped - k * ln2High) - k * ln2Low
    let r2 = r * r
    let r4 = r2 * r2
    let r8 = r4 * r4
    let c23 = 1.0 / 2 + r * (1.0 / 6)
    let c45 = 1.0 / 24 + r * (1.0 / 120)
    let c67 = 1.0 / 720 + r * (1.0 / 5_040)
    let c89 = 1.0 / 40_320 + r * (1.0 / 362_880)
    let c1011 = 1.0 / 3_628_800 + r * (1.0 / 39_916_800)
    let c1213 = 1.0 / 479_001_600 + r * (1.0 / 6_227_020_800)
    let p = ((c23 + c45 * r2) + (c67 + c89 * r2) * r4) + (c1011 + c1213 * r2) * r8
    // k sits in the low bits of `shifted`; 2ᵏ⁻¹ has the biased exponent k + 1022, from 1 to 2046 here.
    // Scaling by 2ᵏ⁻¹ and then 2 keeps k = 1024 (x just below the overflow threshold) finite.
    let exponent = Int64(bitPattern: shifted.bitPattern) &- Int64(bitPattern: shifter.bitPattern) &+ 1022
    return (r + r2 * p, Double(bitPattern: UInt64(bitPattern: exponent &<< 52)))
}
