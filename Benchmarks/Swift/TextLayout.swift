/// `value` with `decimals` digits after the point (no Foundation formatting needed).
func format(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int64((abs(value) * scale).rounded())
    let whole = String(scaled / Int64(scale))
    let sign = value < 0 && scaled != 0 ? "-" : ""
    guard decimals > 0 else { return sign + whole }
    let fraction = String(scaled % Int64(scale))
    return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
}

/// `text` padded with spaces to `width` characters, on the right (or on the left, to align numbers).
func padded(_ text: String, _ width: Int, left: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return left ? padding + text : text + padding
}
