import Foundation

/// A number while simplifying: an exact fraction while numerator and denominator fit in `Int`, a
/// `Double` otherwise (decimals as written, overflowing fractions). Exact fractions keep `x^(1/2)`
/// recognisable as a square root and print coefficients as `x/2` rather than `0.5*x`.
enum ExactNumber: Hashable, Comparable, Sendable {
    /// numerator / denominator, in lowest terms, the denominator positive.
    case fraction(Int, Int)
    /// Anything else; never an integer (integers are fractions).
    case real(Double)

    static let zero = ExactNumber.fraction(0, 1)
    static let one = ExactNumber.fraction(1, 1)
    static let minusOne = ExactNumber.fraction(-1, 1)

    /// An integer as a fraction, anything else as a real.
    init(_ value: Double) {
        if value == value.rounded(), Swift.abs(value) < 9e15 {
            self = .fraction(Int(value), 1)
        } else {
            self = .real(value)
        }
    }

    /// `numerator / denominator` in lowest terms (the denominator must not be 0).
    static func ratio(_ numerator: Int, _ denominator: Int) -> ExactNumber {
        precondition(denominator != 0)
        guard numerator != Int.min, denominator != Int.min else {
            return ExactNumber(Double(numerator) / Double(denominator))
        }
        let divisor = greatestCommonDivisor(numerator, denominator)
        let sign = denominator < 0 ? -1 : 1
        return .fraction(sign * numerator / divisor, sign * denominator / divisor)
    }

    var value: Double {
        switch self {
        case .fraction(let p, let q): Double(p) / Double(q)
        case .real(let value): value
        }
    }

    var isZero: Bool { self == .zero }
    var isOne: Bool { self == .one }
    var isNegative: Bool { value < 0 }
    var isFinite: Bool { value.isFinite }

    /// The integer it is, if it is one.
    var integer: Int? {
        if case .fraction(let p, 1) = self { return p }
        return nil
    }

    var magnitude: ExactNumber { isNegative ? -self : self }

    static prefix func - (number: ExactNumber) -> ExactNumber {
        switch number {
        case .fraction(let p, let q) where p != Int.min: .fraction(-p, q)
        default: ExactNumber(-number.value)
        }
    }

    static func + (a: ExactNumber, b: ExactNumber) -> ExactNumber {
        guard case .fraction(let p, let q) = a, case .fraction(let r, let s) = b,
            let ps = multiplied(p, s), let rq = multiplied(r, q), let qs = multiplied(q, s)
        else { return ExactNumber(a.value + b.value) }
        let (sum, overflow) = ps.addingReportingOverflow(rq)
        return overflow ? ExactNumber(a.value + b.value) : ratio(sum, qs)
    }

    static func - (a: ExactNumber, b: ExactNumber) -> ExactNumber { a + -b }

    static func * (a: ExactNumber, b: ExactNumber) -> ExactNumber {
        guard case .fraction(let p, let q) = a, case .fraction(let r, let s) = b,
            let pr = multiplied(p, r), let qs = multiplied(q, s)
        else { return ExactNumber(a.value * b.value) }
        return ratio(pr, qs)
    }

    /// a / b; nil when b is 0.
    static func / (a: ExactNumber, b: ExactNumber) -> ExactNumber? {
        if b.isZero { return nil }
        if case .fraction(let r, let s) = b { return a * ratio(s, r) }
        return ExactNumber(a.value / b.value)
    }

    /// self^n for an integer n, nil for 0^negative.
    func raised(to n: Int) -> ExactNumber? {
        if n < 0 { return ExactNumber.one / (raised(to: -n) ?? .zero) }
        var result = ExactNumber.one
        for _ in 0..<min(n, 4096) { result = result * self }
        return n > 4096 ? ExactNumber(Foundation.pow(value, Double(n))) : result
    }

    static func < (a: ExactNumber, b: ExactNumber) -> Bool { a.value < b.value }

    private static func multiplied(_ a: Int, _ b: Int) -> Int? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (Swift.abs(a), Swift.abs(b))
        while b != 0 { (a, b) = (b, a % b) }
        return max(a, 1)
    }
}
