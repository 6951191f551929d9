/// A dual number `value + derivative·ε` with ε² = 0: forward-mode automatic differentiation. Nested
/// (`Dual<Dual<Double>>`) it carries higher derivatives: each level differentiates once more.
public struct Dual<Base: CalculusScalar>: CalculusScalar {
    /// The function's value.
    public var value: Base
    /// Its derivative along the seeded direction.
    public var derivative: Base

    /// A dual number with this value and derivative.
    public init(value: Base, derivative: Base) {
        self.value = value
        self.derivative = derivative
    }

    public init(constant value: Double) {
        self.init(value: Base(constant: value), derivative: Base(constant: 0))
    }

    public static func + (left: Dual, right: Dual) -> Dual {
        Dual(value: left.value + right.value, derivative: left.derivative + right.derivative)
    }

    public static func - (left: Dual, right: Dual) -> Dual {
        Dual(value: left.value - right.value, derivative: left.derivative - right.derivative)
    }

    public static func * (left: Dual, right: Dual) -> Dual {
        evaluate(.multiply, left, right)
    }

    public static func / (left: Dual, right: Dual) -> Dual {
        evaluate(.divide, left, right)
    }

    public static prefix func - (operand: Dual) -> Dual {
        Dual(value: -operand.value, derivative: -operand.derivative)
    }

    /// The chain rule: f(u + u'ε) = f(u) + f'(u)·u'ε, with f' from the function table.
    public static func evaluate(_ function: UnaryFunction, _ operand: Dual) -> Dual {
        let value = Base.evaluate(function, operand.value)
        guard !operand.derivative.isKnownZero else { return Dual(value: value, derivative: Base(constant: 0)) }
        return Dual(
            value: value, derivative: FunctionTable.derivative(of: function, at: operand.value) * operand.derivative)
    }

    /// The chain rule for two operands; a partial whose operand has no derivative is not computed
    /// (so `x^2` at negative `x` never asks for `log(x)`).
    public static func evaluate(_ operation: BinaryOperation, _ left: Dual, _ right: Dual) -> Dual {
        let value = Base.evaluate(operation, left.value, right.value)
        var derivative = Base(constant: 0)
        var hasDerivative = false
        if !left.derivative.isKnownZero {
            derivative =
                FunctionTable.leftPartial(of: operation, left.value, right.value, value: value) * left.derivative
            hasDerivative = true
        }
        if !right.derivative.isKnownZero {
            let term =
                FunctionTable.rightPartial(of: operation, left.value, right.value, value: value) * right.derivative
            derivative = hasDerivative ? derivative + term : term
        }
        return Dual(value: value, derivative: derivative)
    }

    public var isKnownZero: Bool { value.isKnownZero && derivative.isKnownZero }
}
