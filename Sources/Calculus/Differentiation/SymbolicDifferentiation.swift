/// Symbolic differentiation: the chain rule applied to the tree, each partial read from
/// `FunctionTable` with `T = Expression`, simplified as it is built.
public enum SymbolicDifferentiation {
    /// d expression / d variable.
    public static func derivative(of expression: Expression, withRespectTo variable: String) -> Expression {
        switch expression {
        case .number, .constant: return .number(0)
        case .variable(let name): return .number(name == variable ? 1 : 0)
        case .negate(let operand): return -derivative(of: operand, withRespectTo: variable)
        case .unary(let function, let operand):
            let inner = derivative(of: operand, withRespectTo: variable)
            if inner.isKnownZero { return .number(0) }
            return FunctionTable.derivative(of: function, at: operand) * inner
        case .binary(let operation, let left, let right):
            let leftDerivative = derivative(of: left, withRespectTo: variable)
            let rightDerivative = derivative(of: right, withRespectTo: variable)
            var result = Expression.number(0)
            if !leftDerivative.isKnownZero {
                result = FunctionTable.leftPartial(of: operation, left, right, value: expression) * leftDerivative
            }
            if !rightDerivative.isKnownZero {
                result =
                    result + FunctionTable.rightPartial(of: operation, left, right, value: expression) * rightDerivative
            }
            return result
        }
    }

    /// The `order`-th derivative, refusing results larger than `maxNodes` (repeated differentiation
    /// can grow an expression quickly).
    public static func derivative(
        of expression: Expression, withRespectTo variable: String, order: Int, maxNodes: Int = 200_000
    ) throws(DifferentiationError) -> Expression {
        var result = expression
        for _ in 0..<order {
            result = derivative(of: result, withRespectTo: variable)
            let size = result.size(upTo: maxNodes)
            if size > maxNodes { throw .derivativeTooLarge(limit: maxNodes) }
        }
        return result
    }
}

/// Why a derivative could not be computed.
public enum DifferentiationError: Error, Sendable, Equatable {
    /// The symbolic derivative grew past the node limit.
    case derivativeTooLarge(limit: Int)
    /// The method does not compute derivatives of this order.
    case unsupportedOrder(method: DerivativeMethod, order: Int, supported: ClosedRange<Int>)
    /// An evaluation failed (a free name without a value).
    case evaluation(EvaluationError)
}
