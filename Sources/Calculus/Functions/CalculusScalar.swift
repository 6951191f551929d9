/// A number system the built-in functions can be evaluated in: `Double` (values), `Dual` (forward
/// mode), `Expression` (symbolic derivatives) and `Complex<Double>` (the complex step). The one table of
/// derivatives (`FunctionTable.swift`) is written once against this protocol, so every exact mode reads
/// the same rules.
public protocol CalculusScalar: Sendable {
    /// The constant `value`.
    init(constant value: Double)
    static func + (left: Self, right: Self) -> Self
    static func - (left: Self, right: Self) -> Self
    static func * (left: Self, right: Self) -> Self
    static func / (left: Self, right: Self) -> Self
    static prefix func - (operand: Self) -> Self
    /// The value of a one-argument function.
    static func evaluate(_ function: UnaryFunction, _ operand: Self) -> Self
    /// The value of an operator or two-argument function.
    static func evaluate(_ operation: BinaryOperation, _ left: Self, _ right: Self) -> Self
    /// True when the value is certainly zero (a term multiplied by it can be dropped). `false` is
    /// always a safe answer.
    var isKnownZero: Bool { get }
}

extension CalculusScalar {
    /// `left ^ right`.
    static func pow(_ left: Self, _ right: Self) -> Self { evaluate(.power, left, right) }
    /// A one-argument function applied to `operand`, shorter to read in the table.
    static func call(_ function: UnaryFunction, _ operand: Self) -> Self { evaluate(function, operand) }
}
