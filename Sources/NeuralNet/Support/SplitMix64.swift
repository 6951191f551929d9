#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the
/// constants of Vigna's reference version): a 64-bit counter advanced by the golden-ratio increment,
/// its value scrambled by two xor-shift-multiply rounds. Small, fast, passes BigCrush, and written out
/// here (uniforms, normals, shuffles included) so a seed gives the same numbers on every machine and
/// every Swift version, which the standard library's `random(in:using:)` does not promise.
///
/// Each use draws from its own stream (`Stream`), so changing, say, the initialisation does not move
/// the data split.
struct SplitMix64 {
    /// What a stream of numbers is for; its raw value is mixed into the seed.
    enum Stream: UInt64 {
        case dataset = 1
        case split = 2
        case initialization = 3
        case shuffle = 4
    }

    private var state: UInt64

    /// A generator whose first output is determined by `seed` alone.
    init(seed: UInt64) {
        state = seed
    }

    /// The generator for `stream` under `seed`: the seed and the stream number are mixed through one
    /// SplitMix64 step each, so nearby seeds and streams start far apart.
    init(seed: UInt64, stream: Stream) {
        var mixer = SplitMix64(seed: seed)
        let first = mixer.next()
        var streamMixer = SplitMix64(seed: stream.rawValue &* 0xD1B5_4A32_D192_ED03)
        state = first ^ streamMixer.next()
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in [0, 1): the top 53 bits over 2⁵³.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform number in [lower, upper).
    mutating func nextUniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUnit()
    }

    /// A uniform integer in 0..<bound (bound ≥ 1), unbiased: Lemire's multiply-shift with rejection
    /// ("Fast random integer generation in an interval", 2019).
    mutating func nextIndex(below bound: Int) -> Int {
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A standard normal number by the Box–Muller transform (one of the pair; the other is dropped so
    /// each call uses exactly two uniforms).
    mutating func nextNormal() -> Double {
        let u1 = 1 - nextUnit()  // in (0, 1]: log never sees 0
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Shuffles `count` indices at `indices` in place (Fisher–Yates, from the back).
    mutating func shuffle(_ indices: UnsafeMutablePointer<Int>, count: Int) {
        var index = count - 1
        while index > 0 {
            let other = nextIndex(below: index + 1)
            indices.swapAt(index, other)
            index -= 1
        }
    }

    /// `array` shuffled (Fisher–Yates, from the back).
    mutating func shuffled(_ array: [Int]) -> [Int] {
        var result = array
        result.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { shuffle(base, count: buffer.count) }
        }
        return result
    }
}

extension UnsafeMutablePointer where Pointee == Int {
    fileprivate func swapAt(_ first: Int, _ second: Int) {
        let value = self[first]
        self[first] = self[second]
        self[second] = value
    }
}
