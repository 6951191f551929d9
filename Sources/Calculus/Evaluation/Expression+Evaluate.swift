/// Direct evaluation of the tree in any `CalculusScalar`: nested dual numbers for higher derivatives,
/// complex numbers for the complex step. (`Program` is the fast path for plain values.)
extension Expression {
    /// The value with each free name looked up in `values`.
    public func evaluate<T: CalculusScalar>(_ values: [String: T]) throws(EvaluationError) -> T {
        switch self {
        case .number(let value): return T(constant: value)
        case .constant(let constant): return T(constant: constant.value)
        case .variable(let name):
            guard let value = values[name] else { throw .unboundName(name) }
            return value
        case .negate(let operand): return -(try operand.evaluate(values))
        case .unary(let function, let operand): return T.evaluate(function, try operand.evaluate(values))
        case .binary(let operation, let left, let right):
            return T.evaluate(operation, try left.evaluate(values), try right.evaluate(values))
        }
    }
}
