/// Function calls in normal form: `sqrt(u)` → `u^(1/2)`, `exp(u)` → `e^u`, `log(e)` → 1, a function of
/// its inverse cancels (`sin(asin(u))` → `u`, `log(exp(u))` → `u`), odd and even functions take the
/// sign out of their argument (`sin(-u)` → `-sin(u)`, `cos(-u)` → `cos(u)`), and calls on numbers fold
/// when the result is an integer (`cos(0)` → 1).
extension Algebraic {
    static func apply(_ function: UnaryFunction, _ argument: Algebraic) -> Algebraic {
        switch function {
        case .sqrt: return raise(argument, .number(.ratio(1, 2)))
        case .exp: return raise(.constant(.e), argument)
        case .log:
            if argument == .constant(.e) { return .one }
            if case .power(.constant(.e), let exponent) = argument { return exponent }
        default: break
        }
        if case .call(let inner, let innerArgument) = argument, inverses[function] == inner { return innerArgument }
        if let number = argument.numberValue {
            let value = Double.evaluate(function, number.value)
            // Not −0, which would fold to 0 (1/−0 is −∞).
            if value.isFinite, value == value.rounded(), value.sign == .plus || value != 0 {
                return .number(ExactNumber(value))
            }
        }
        let (coefficient, _) = argument.coefficientAndMonomial
        if coefficient.isNegative {
            if oddFunctions.contains(function) { return negated(.call(function, negated(argument))) }
            if evenFunctions.contains(function) { return .call(function, negated(argument)) }
        }
        return .call(function, argument)
    }

    /// f(g(u)) = u for every real u where the left side is defined.
    private static let inverses: [UnaryFunction: UnaryFunction] = [
        .sin: .asin, .cos: .acos, .tan: .atan, .sinh: .asinh, .cosh: .acosh, .tanh: .atanh,
    ]
    private static let oddFunctions: Set<UnaryFunction> = [
        .sin, .tan, .cot, .csc, .asin, .atan, .sinh, .tanh, .coth, .csch, .asinh, .atanh, .cbrt,
    ]
    private static let evenFunctions: Set<UnaryFunction> = [.cos, .sec, .cosh, .sech]

    /// A two-argument function of numbers folds when the result is an integer.
    static func applyPair(_ operation: BinaryOperation, _ left: Algebraic, _ right: Algebraic) -> Algebraic {
        if let a = left.numberValue, let b = right.numberValue {
            let value = Double.evaluate(operation, a.value, b.value)
            // Not −0, which would fold to 0 (1/−0 is −∞).
            if value.isFinite, value == value.rounded(), value.sign == .plus || value != 0 {
                return .number(ExactNumber(value))
            }
        }
        return .pair(operation, left, right)
    }
}
