/// The n-dimensional functions over `x0 … x{n-1}`. Each builds its tree directly, with balanced sums,
/// and writes the same formula as text (the sums as flat chains of `+`, equal up to rounding).
extension NamedFunctions {
    /// The sphere function: Σ xᵢ², minimum 0 at the origin.
    static func sphere(dimension n: Int) -> NamedFunction {
        let names = indexedVariables(n)
        let terms = names.map { power(.variable($0), 2) }
        return NamedFunction(
            name: "sphere",
            description: "The sphere function, the sum of squares, with its minimum of 0 at the origin.",
            arity: .dimensional(minimum: 1, default: 2), variables: names,
            formula: names.map { "\($0)^2" }.joined(separator: " + "),
            latex: "\\sum_{i=0}^{\(n - 1)} x_i^{2}",
            expression: balancedSum(terms),
            domain: Array(repeating: -5.12...5.12, count: n),
            knownMinimum: .init(points: [Array(repeating: 0, count: n)], value: 0),
            family: sphere(dimension:))
    }

    /// Rosenbrock's function: Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², minimum 0 at (1, …, 1).
    static func rosenbrock(dimension n: Int) -> NamedFunction {
        let names = indexedVariables(n)
        var terms: [Expression] = []
        var texts: [String] = []
        for i in 0..<(n - 1) {
            let x = Expression.variable(names[i])
            let next = Expression.variable(names[i + 1])
            let valley = power(.binary(.subtract, next, power(x, 2)), 2)
            let offset = power(.binary(.subtract, .number(1), x), 2)
            terms.append(.binary(.add, .binary(.multiply, .number(100), valley), offset))
            texts.append("100*(\(names[i + 1]) - \(names[i])^2)^2 + (1 - \(names[i]))^2")
        }
        return NamedFunction(
            name: "rosenbrock",
            description:
                "Rosenbrock's banana-shaped valley, easy to find and hard to follow to its minimum of 0 at (1, …, 1).",
            arity: .dimensional(minimum: 2, default: 2), variables: names,
            formula: texts.joined(separator: " + "),
            latex:
                "\\sum_{i=0}^{\(n - 2)} \\left[100\\left(x_{i+1} - x_i^{2}\\right)^{2}"
                + " + \\left(1 - x_i\\right)^{2}\\right]",
            expression: balancedSum(terms),
            domain: Array(repeating: -2...2, count: n),
            knownMinimum: .init(points: [Array(repeating: 1, count: n)], value: 0),
            family: rosenbrock(dimension:))
    }

    /// Rastrigin's function: 10n + Σ (xᵢ² − 10 cos 2πxᵢ), minimum 0 at the origin.
    static func rastrigin(dimension n: Int) -> NamedFunction {
        let names = indexedVariables(n)
        let terms = names.map { name -> Expression in
            let x = Expression.variable(name)
            return .binary(
                .subtract, power(x, 2), .binary(.multiply, .number(10), .unary(.cos, twoPiTimes(x))))
        }
        return NamedFunction(
            name: "rastrigin",
            description:
                "Rastrigin's function, a bowl covered in regularly spaced local minima, lowest (0) at the origin.",
            arity: .dimensional(minimum: 1, default: 2), variables: names,
            formula: "10*\(n) + " + names.map { "\($0)^2 - 10*cos(2*pi*\($0))" }.joined(separator: " + "),
            latex: "10 \\cdot \(n) + \\sum_{i=0}^{\(n - 1)} \\left[x_i^{2} - 10\\cos\\left(2\\pi x_i\\right)\\right]",
            expression: .binary(.add, .number(10 * Double(n)), balancedSum(terms)),
            domain: Array(repeating: -5.12...5.12, count: n),
            knownMinimum: .init(points: [Array(repeating: 0, count: n)], value: 0),
            family: rastrigin(dimension:))
    }

    /// Ackley's function: −20 exp(−0.2 √(Σ xᵢ² / n)) − exp(Σ cos(2πxᵢ) / n) + e + 20, minimum 0 at the
    /// origin. At n = 2 it is Wikipedia's two-variable form (dividing by 2 is multiplying by 0.5).
    static func ackley(dimension n: Int) -> NamedFunction {
        let names = indexedVariables(n)
        let variables = names.map { Expression.variable($0) }
        let count = Expression.number(Double(n))
        let meanSquare = Expression.binary(.divide, balancedSum(variables.map { power($0, 2) }), count)
        let meanCosine = Expression.binary(
            .divide, balancedSum(variables.map { .unary(.cos, twoPiTimes($0)) }), count)
        let envelope = Expression.binary(
            .multiply, .number(-20),
            .unary(.exp, .binary(.multiply, .number(-0.2), .unary(.sqrt, meanSquare))))
        let ripples = Expression.unary(.exp, meanCosine)
        let expression = Expression.binary(
            .add, .binary(.add, .binary(.subtract, envelope, ripples), .constant(.e)), .number(20))
        let squares = names.map { "\($0)^2" }.joined(separator: " + ")
        let cosines = names.map { "cos(2*pi*\($0))" }.joined(separator: " + ")
        return NamedFunction(
            name: "ackley",
            description:
                "Ackley's function, a nearly flat plate of ripples around one deep hole of value 0 at the origin.",
            arity: .dimensional(minimum: 1, default: 2), variables: names,
            formula: "-20*exp(-0.2*sqrt((\(squares))/\(n))) - exp((\(cosines))/\(n)) + e + 20",
            latex: "-20\\exp\\left(-0.2\\sqrt{\\frac{1}{\(n)}\\sum_{i=0}^{\(n - 1)} x_i^{2}}\\right)"
                + " - \\exp\\left(\\frac{1}{\(n)}\\sum_{i=0}^{\(n - 1)} \\cos\\left(2\\pi x_i\\right)\\right) + e + 20",
            expression: expression,
            domain: Array(repeating: -5...5, count: n),
            knownMinimum: .init(points: [Array(repeating: 0, count: n)], value: 0),
            family: ackley(dimension:))
    }
}
