/// The catalog of named functions: the seed tutorials' two examples and the classic test functions for
/// optimisation, with the standard definitions and minima (Wikipedia, "Test functions for optimization").
public enum NamedFunctions {
    /// Every named function, each at its default dimension, in a fixed order: the seed examples, the
    /// n-dimensional functions, then the two-variable ones.
    public static let all: [NamedFunction] = [
        function1, function2,
        sphere(dimension: 2), rosenbrock(dimension: 2), rastrigin(dimension: 2), ackley(dimension: 2),
        himmelblau, beale, booth, matyas, threeHumpCamel,
    ]

    /// The catalog names, in `all`'s order.
    public static let names: [String] = all.map(\.name)

    private static let byName: [String: NamedFunction] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The function called `name` (exactly, e.g. `three_hump_camel`) at its default dimension, or nil.
    public static func named(_ name: String) -> NamedFunction? {
        byName[name]
    }

    // MARK: - Building blocks

    /// A fixed-arity function whose `formula` is the one source: the expression is its parse, so the two
    /// cannot disagree.
    static func fixed(
        name: String, description: String, variables: [String], formula: String, latex: String,
        domain: [ClosedRange<Double>], knownMinimum: NamedFunction.KnownMinimum?
    ) -> NamedFunction {
        let expression: Expression
        do {
            expression = try Parser.parse(formula).expression
        } catch {
            preconditionFailure("the catalog formula of \(name) does not parse: \(error)")
        }
        return NamedFunction(
            name: name, description: description, arity: .fixed(variables.count), variables: variables,
            formula: formula, latex: latex, expression: expression, domain: domain, knownMinimum: knownMinimum,
            family: nil)
    }

    /// `x0 … x{n-1}`.
    static func indexedVariables(_ dimension: Int) -> [String] {
        (0..<dimension).map { "x\($0)" }
    }

    /// The sum of `terms` as a balanced tree of `+` (pairwise), so its depth grows with log₂ of the count
    /// rather than the count: a left-leaning chain of 1,000 terms would be 1,000 levels deep.
    static func balancedSum(_ terms: [Expression]) -> Expression {
        precondition(!terms.isEmpty, "a sum needs at least one term")
        return balancedSum(terms[...])
    }

    private static func balancedSum(_ terms: ArraySlice<Expression>) -> Expression {
        if terms.count == 1 { return terms[terms.startIndex] }
        let middle = terms.startIndex + terms.count / 2
        return .binary(.add, balancedSum(terms[..<middle]), balancedSum(terms[middle...]))
    }

    /// `base ^ exponent` for a whole-number exponent.
    static func power(_ base: Expression, _ exponent: Double) -> Expression {
        .binary(.power, base, .number(exponent))
    }

    /// `2·pi·x`, the argument of the cosines in Rastrigin's and Ackley's functions.
    static func twoPiTimes(_ variable: Expression) -> Expression {
        .binary(.multiply, .binary(.multiply, .number(2), .constant(.pi)), variable)
    }
}
