/// `tanh x` in plain IEEE double arithmetic, for the same reasons as `exponential`: it inlines into the
/// activation loop, which vectorises (about 2.5× glibc's `tanh` here), and it gives the same bits on
/// every machine.
///
/// `tanh |x| = −m / (2 + m)` with `m = e^(−2|x|) − 1 ∈ (−1, 0]`, and `m` taken from
/// `exponentialParts` as `(2ᵏ − 1) + 2ᵏ·(eʳ − 1)`, both terms exact for the k ≤ 0 that occur, so
/// there is no cancellation near 0 (where `m = eʳ − 1` itself); the sign of `x` is put back last (so
/// `tanh(−0) = −0`). Within 3 ulp of glibc's `tanh` (checked in the tests); 1 for `|x| > 19.1`, NaN
/// stays NaN.
@inline(__always)
func hyperbolicTangent(_ x: Double) -> Double {
    let parts = exponentialParts(-2 * abs(x))
    let scale = parts.halfScale * 2
    let m = (scale - 1) + scale * parts.excess
    return Double(signOf: x, magnitudeOf: (0 - m) / (2 + m))
}
