/// The doubles the JSON workloads carry: seeded, so every run times the same text.
enum SampleNumbers {
    /// A mix like real request and answer arrays: 70 % full-precision values in ±10 (16–17 significant
    /// digits, as `Double.description` prints them), 10 % integers (`42`), 10 % small values written with
    /// an exponent (`-1.2345678901234567e-07`) and 10 % large ones (`3.0123456789012345e+21`).
    static func realistic(count: Int, seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            switch generator.next() % 10 {
            case 0: Double(Int.random(in: -1_000_000...1_000_000, using: &generator))
            case 1: Double.random(in: -1e-6...1e-6, using: &generator)
            case 2: Double.random(in: -1e22...1e22, using: &generator)
            default: Double.random(in: -10...10, using: &generator)
            }
        }
    }

    /// The JSON array of `numbers` as a client would send it: integers without a fraction, other
    /// values as `Double.description` prints them (shortest text that reads back exactly).
    static func jsonArray(_ numbers: [Double]) -> String {
        let items = numbers.map { number in
            number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : number.description
        }
        return "[" + items.joined(separator: ",") + "]"
    }
}

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014).
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
