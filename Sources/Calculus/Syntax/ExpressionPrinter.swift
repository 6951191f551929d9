/// Prints expressions as text the parser reads back (`2*x^2 - sin(x)/x`) and as LaTeX.
public enum ExpressionPrinter {
    /// Binding strength, weakest first; a child binding weaker than its context gets parentheses.
    enum Precedence: Int, Comparable {
        case sum = 1, product, sign, power, atom

        static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
    }

    static func precedence(of expression: Expression) -> Precedence {
        switch expression {
        case .number(let value): value.sign == .minus ? .sign : .atom
        case .constant, .variable, .unary: .atom
        case .negate: .sign
        case .binary(let operation, _, _):
            switch operation {
            case .add, .subtract: .sum
            case .multiply, .divide: .product
            case .power: .power
            case .logBase, .nthRoot, .min, .max, .atan2, .mod, .hypot: .atom
            }
        }
    }

    /// Plain text in the expression language. It reads back as the same tree (sums and products on
    /// the right keep their parentheses: `a + (b + c)` rounds differently from `a + b + c`), so the
    /// re-parsed text evaluates to the same bits.
    public static func text(_ expression: Expression) -> String {
        switch expression {
        case .number(let value): return number(value)
        case .constant(let constant): return constant.rawValue
        case .variable(let name): return name
        case .negate(let operand): return "-" + wrapped(operand, below: .sign, text)
        case .unary(let function, let operand): return "\(function.name)(\(text(operand)))"
        case .binary(let operation, let left, let right):
            if let name = operation.functionName { return "\(name)(\(text(left)), \(text(right)))" }
            let symbol: String
            var leftMinimum = Precedence.sum, rightMinimum = Precedence.sum
            switch operation {
            case .add:
                symbol = " + "
                rightMinimum = .product
            case .subtract:
                symbol = " - "
                rightMinimum = .product
            case .multiply:
                symbol = "*"
                (leftMinimum, rightMinimum) = (.product, .sign)
            case .divide:
                symbol = "/"
                (leftMinimum, rightMinimum) = (.product, .power)
            default:
                // ^ is right associative; a signed base needs parentheses: (-2)^x.
                symbol = "^"
                (leftMinimum, rightMinimum) = (.atom, .power)
            }
            return wrapped(left, below: leftMinimum, text) + symbol + wrapped(right, below: rightMinimum, text)
        }
    }

    /// `render(child)`, parenthesised when it binds weaker than `minimum`.
    static func wrapped(
        _ child: Expression, below minimum: Precedence, _ render: (Expression) -> String,
        open: String = "(", close: String = ")"
    ) -> String {
        precedence(of: child) < minimum ? open + render(child) + close : render(child)
    }

    /// Shortest text that reads back as the same double; integers without a fraction.
    static func number(_ value: Double) -> String {
        // -0 keeps its sign: y/(-0) is -inf for y > 0, y/0 is +inf.
        if value == 0, value.sign == .minus { return "-0" }
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
