import Calculus
import JSON

/// `explain: "en" | "zh"`: the formula of the method with the numbers substituted.
enum DerivativeExplanation {
    static func text(_ query: DerivativeQuery, result: DerivativeResult, language: String) -> String {
        let chinese = language == "zh"
        let x = query.points[0]
        let v = query.variable
        let d = result.derivatives[0]
        let n = { (value: Double) in JSONWriter.string(.number(value)) }
        switch result.method {
        case .central where query.order == 1:
            let h = result.step!
            let formula = "(f(\(n(x + h))) − f(\(n(x - h)))) / \(n(2 * h)) = \(n(d))"
            return chinese ? "中心差分，h = \(n(h))：\(formula)" : "Central difference with h = \(n(h)): \(formula)"
        case .central:
            let h = result.step!
            let formula = "(f(\(n(x + h))) − 2·f(\(n(x))) + f(\(n(x - h)))) / \(n(h * h)) = \(n(d))"
            return chinese ? "二阶中心差分，h = \(n(h))：\(formula)" : "Second central difference with h = \(n(h)): \(formula)"
        case .forwardDifference:
            let h = result.step!
            let formula = "(f(\(n(x + h))) − f(\(n(x)))) / \(n(h)) = \(n(d))"
            return chinese ? "前向差分，h = \(n(h))：\(formula)" : "Forward difference with h = \(n(h)): \(formula)"
        case .backwardDifference:
            let h = result.step!
            let formula = "(f(\(n(x))) − f(\(n(x - h)))) / \(n(h)) = \(n(d))"
            return chinese ? "后向差分，h = \(n(h))：\(formula)" : "Backward difference with h = \(n(h)): \(formula)"
        case .richardson:
            return chinese
                ? "理查森外推：用步长 h, h/2, h/4, … 的中心差分逐次消去 h², h⁴, … 误差项，得到 \(n(d))"
                : "Richardson extrapolation: central differences with steps h, h/2, h/4, … combined to cancel the "
                    + "h², h⁴, … error terms, giving \(n(d))"
        case .complexStep:
            let h = result.step!
            return chinese
                ? "复步长法：f'(\(n(x))) ≈ Im f(\(n(x)) + \(n(h))i) / \(n(h)) = \(n(d))，没有相减，所以没有舍入误差的放大"
                : "Complex step: f'(\(n(x))) ≈ Im f(\(n(x)) + \(n(h))i) / \(n(h)) = \(n(d)); nothing is subtracted, "
                    + "so rounding errors are not amplified"
        case .symbolic:
            return chinese
                ? "符号求导：按链式法则求出导数表达式，再代入 \(v) = \(n(x))，得到 \(n(d))"
                : "Symbolic: the derivative expression by the chain rule, evaluated at \(v) = \(n(x)): \(n(d))"
        case .forward:
            return chinese
                ? "前向模式（对偶数）：f(\(n(x)) + ε) = \(n(result.values[0])) + \(n(d))ε"
                : "Forward mode (dual numbers): f(\(n(x)) + ε) = \(n(result.values[0])) + \(n(d))ε"
        case .reverse:
            return chinese
                ? "反向模式：前向计算每个节点的值，再从输出（伴随值 1）反向累加局部导数，得到 ∂f/∂\(v) = \(n(d))"
                : "Reverse mode: a forward pass records every node, a backward pass from the output (adjoint 1) "
                    + "accumulates local derivatives, giving ∂f/∂\(v) = \(n(d))"
        }
    }
}
