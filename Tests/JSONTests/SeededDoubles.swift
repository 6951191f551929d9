/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): a tiny
/// seeded generator, so every run of the number tests checks the same doubles.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Finite doubles that exercise number conversion: the edges of the format, and seeded random values.
enum SeededDoubles {
    /// ±0, the extremes, subnormals, powers of two and ten with their neighbours, integers around 2^53.
    static let edges: [Double] = {
        var values: [Double] = [
            0, -0.0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude,
            .leastNonzeroMagnitude, -.leastNonzeroMagnitude, Double.leastNormalMagnitude.nextDown, 0x1p53, -0x1p53,
            0x1p53 + 2, 0x1p53 - 1, 0x1p52 + 0.5, 4_503_599_627_370_497.5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3,
            123_456_789_012_345.6, 1e-4, 1e-5, 1e23, 8.5e15, 9.5e15,
        ]
        for exponent in -1074...1023 {
            let power = Double(sign: .plus, exponent: exponent, significand: 1)
            values += [power, power.nextUp, power.nextDown]
        }
        for exponent in -323...308 {
            let power = Double("1e\(exponent)")!
            values += [power, power.nextUp, power.nextDown, -power]
        }
        return values.filter(\.isFinite)
    }()

    /// `count` seeded doubles: random bit patterns (every exponent, subnormals included), values in ±10
    /// with 16–17 significant digits, small and huge magnitudes, integers up to 2^53 and beyond.
    static func random(count: Int, seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(count)
        while values.count < count {
            let value: Double
            switch generator.next() % 8 {
            case 0, 1: value = Double(bitPattern: generator.next())
            case 2: value = Double(bitPattern: generator.next() & 0x800F_FFFF_FFFF_FFFF)  // subnormal or ±0
            case 3: value = Double.random(in: -10...10, using: &generator)
            case 4: value = Double.random(in: -1e-6...1e-6, using: &generator)
            case 5: value = Double.random(in: -1e22...1e22, using: &generator)
            case 6: value = Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &generator))
            default: value = Double(Int64(bitPattern: generator.next()) >> (generator.next() % 64))
            }
            if value.isFinite { values.append(value) }
        }
        return values
    }
}
