import Foundation

extension ExpressionPrinter {
    /// LaTeX, for rendering (KaTeX, MathJax): `\frac{1}{x}`, `x^{2}`, `\sin\left(x\right)`.
    public static func latex(_ expression: Expression) -> String {
        switch expression {
        case .number(let value): return latexNumber(value)
        case .constant(.pi): return "\\pi"
        case .constant(.e): return "e"
        case .variable(let name): return latexName(name)
        case .negate(let operand): return "-" + latexWrapped(operand, below: .sign)
        case .unary(let function, let operand): return latexCall(function, operand)
        case .binary(let operation, let left, let right):
            switch operation {
            case .add: return latex(left) + " + " + latexWrapped(right, below: .sum)
            case .subtract: return latex(left) + " - " + latexWrapped(right, below: .product)
            case .multiply:
                // A number before a name or call reads best juxtaposed: 2 x, 3 \sin(x).
                let juxtaposed =
                    left.numberValue.map { $0 >= 0 } == true
                    && (precedence(of: right) == .atom || precedence(of: right) == .power) && right.numberValue == nil
                    && !right.startsWithNumber
                let separator = juxtaposed ? " " : " \\cdot "
                return latexWrapped(left, below: .product) + separator + latexWrapped(right, below: .sign)
            case .divide:
                // -x/y reads -\frac{x}{y}, as written by hand.
                if case .negate(let numerator) = left { return "-\\frac{\(latex(numerator))}{\(latex(right))}" }
                return "\\frac{\(latex(left))}{\(latex(right))}"
            case .power:
                if case .number(let exponent) = right, exponent == 0.5 { return "\\sqrt{\(latex(left))}" }
                return latexWrapped(left, below: .atom) + "^{\(latex(right))}"
            case .logBase: return "\\log_{\(latex(right))}\\left(\(latex(left))\\right)"
            case .nthRoot: return "\\sqrt[\(latex(right))]{\(latex(left))}"
            case .min: return "\\min\\left(\(latex(left)), \(latex(right))\\right)"
            case .max: return "\\max\\left(\(latex(left)), \(latex(right))\\right)"
            case .atan2: return "\\operatorname{atan2}\\left(\(latex(left)), \(latex(right))\\right)"
            case .mod: return "\\operatorname{mod}\\left(\(latex(left)), \(latex(right))\\right)"
            case .hypot: return "\\operatorname{hypot}\\left(\(latex(left)), \(latex(right))\\right)"
            }
        }
    }

    private static func latexWrapped(_ child: Expression, below minimum: Precedence) -> String {
        wrapped(child, below: minimum, latex, open: "\\left(", close: "\\right)")
    }

    private static func latexCall(_ function: UnaryFunction, _ operand: Expression) -> String {
        let argument = latex(operand)
        switch function {
        case .sqrt: return "\\sqrt{\(argument)}"
        case .cbrt: return "\\sqrt[3]{\(argument)}"
        case .abs: return "\\left|\(argument)\\right|"
        case .floor: return "\\left\\lfloor \(argument)\\right\\rfloor"
        case .ceil: return "\\left\\lceil \(argument)\\right\\rceil"
        case .exp: return "e^{\(argument)}"
        case .log: return "\\ln\\left(\(argument)\\right)"
        case .log2: return "\\log_{2}\\left(\(argument)\\right)"
        case .log10: return "\\log_{10}\\left(\(argument)\\right)"
        case .sin, .cos, .tan, .sec, .csc, .cot, .sinh, .cosh, .tanh, .coth:
            return "\\\(function.name)\\left(\(argument)\\right)"
        case .asin, .acos, .atan:
            return "\\arc\(function.name.dropFirst())\\left(\(argument)\\right)"
        default:
            return "\\operatorname{\(function.name)}\\left(\(argument)\\right)"
        }
    }

    private static func latexNumber(_ value: Double) -> String {
        let text = number(value)
        guard let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let mantissa = text[..<exponentIndex]
        let exponent = Int(text[text.index(after: exponentIndex)...]) ?? 0
        return "\(mantissa) \\times 10^{\(exponent)}"
    }

    /// `x0` → `x_{0}`, `alpha` stays `alpha` (Greek names are not special-cased).
    private static func latexName(_ name: String) -> String {
        guard let firstDigit = name.firstIndex(where: \.isNumber), firstDigit != name.startIndex,
            name[firstDigit...].allSatisfy(\.isNumber)
        else {
            return name.count == 1 ? name : "\\mathrm{\(name.replacingOccurrences(of: "_", with: "\\_"))}"
        }
        return "\(name[..<firstDigit])_{\(name[firstDigit...])}"
    }
}

extension Expression {
    /// Whether its printed form begins with a digit (then juxtaposition would merge two numbers).
    var startsWithNumber: Bool {
        switch self {
        case .number: true
        case .binary(.power, let base, _): base.startsWithNumber
        default: false
        }
    }
}
