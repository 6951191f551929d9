/// What one fuzz input asks for. The first byte picks the derivative order (its low two bits) and the
/// points (the other six); the rest is the expression, read as UTF-8 with invalid sequences replaced.
struct FuzzCase {
    /// Where corners, domain edges, overflow and signed zeros live.
    static let nastyValues: [Double] = [
        1e308, -0.0, -1e308, .leastNonzeroMagnitude, 1e-300, .infinity, -.infinity, .nan, .pi / 2, -1, 1,
    ]

    let text: String
    /// 1 to 4.
    let order: Int
    /// x from the first byte (a quarter in -8 ... 7.75), 0, and one of `nastyValues`: few enough
    /// lanes that evaluation takes the scalar libm.
    let points: [Double]
    /// x, 0 and every nasty value: enough lanes for the vector libm kernels.
    let widePoints: [Double]

    /// Nil for an empty input.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let selector = bytes.first else { return nil }
        text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        order = Int(selector & 3) + 1
        let pick = Int(selector >> 2)
        let x = Double(pick - 32) / 4
        points = [x, 0, Self.nastyValues[pick % Self.nastyValues.count]]
        widePoints = [x, 0] + Self.nastyValues
    }

    /// The value bound to the free name at `index` (after the variable) in problems and gradients.
    static func parameterValue(_ index: Int) -> Double { 0.5 + 0.75 * Double(index) }
}
