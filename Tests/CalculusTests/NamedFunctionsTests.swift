import Calculus
import Foundation
import Testing

/// The catalog checked against values worked out by hand and against itself: every formula parses to the
/// expression it names, every known minimum evaluates to its stated value and is not beaten on a grid.
/// Values come from `directValue`, a deliberately tiny evaluator kept here so the checks do not depend on
/// the package's own evaluation.
@Suite struct NamedFunctionsTests {
    static let required = [
        "function_1", "function_2", "sphere", "rosenbrock", "himmelblau", "rastrigin", "ackley", "beale", "booth",
        "matyas", "three_hump_camel",
    ]

    @Test func catalogHoldsTheRequiredFunctionsOnceEach() {
        #expect(Set(NamedFunctions.names) == Set(Self.required))
        #expect(NamedFunctions.names.count == Set(NamedFunctions.names).count)
        for name in Self.required {
            #expect(NamedFunctions.named(name)?.name == name)
        }
        #expect(NamedFunctions.named("Booth") == nil)
        #expect(NamedFunctions.named("no_such_function") == nil)
    }

    @Test func seedFunctionsUseTheSeedVariables() throws {
        let function1 = try #require(NamedFunctions.named("function_1"))
        #expect(function1.variables == ["x"])
        #expect(function1.formula == "0.01*x^2 + 0.1*x")
        // The seed tutorial's function_1 at its tangent points 5 and 10, by hand: 0.25 + 0.5 and 1 + 1.
        #expect(abs(directValue(function1.expression, ["x": 5]) - 0.75) <= 1e-15)
        #expect(abs(directValue(function1.expression, ["x": 10]) - 2) <= 1e-15)
        let function2 = try #require(NamedFunctions.named("function_2"))
        #expect(function2.variables == ["x0", "x1"])
        #expect(directValue(function2.expression, ["x0": -3, "x1": 4]) == 25)
    }

    /// Values worked out by hand from the standard definitions (Wikipedia, "Test functions for
    /// optimization"), independent of the catalog's formula text.
    @Test(arguments: [
        ("himmelblau", [0.0, 0.0], 170.0),  // 11² + 7²
        ("beale", [0, 0], 14.203125),  // 1.5² + 2.25² + 2.625²
        ("booth", [0, 0], 74),  // 7² + 5²
        ("matyas", [1, 1], 0.04),  // 0.26·2 − 0.48
        ("three_hump_camel", [1, 1], 2 - 1.05 + 1.0 / 6 + 1 + 1),
        ("rosenbrock", [0, 0], 1),  // 100·0 + 1²
        ("sphere", [3, 4], 25),
        ("rastrigin", [1, 1], 2),  // 20 + 2·(1 − 10)
        ("ackley", [1, 1], 20 - 20 * exp(-0.2)),  // −20e^(−0.2) − e + e + 20
    ])
    func valuesMatchHandWorkedPoints(name: String, point: [Double], expected: Double) throws {
        let function = try #require(NamedFunctions.named(name))
        let value = directValue(function.expression, bindings(function, point))
        #expect(abs(value - expected) <= 1e-12 * max(1, abs(expected)), "\(name)\(point) = \(value)")
    }

    @Test func rosenbrockAndRastriginGrowWithTheDimension() throws {
        let rosenbrock = try #require(NamedFunctions.named("rosenbrock")).withDimension(3)
        // Two terms of 100·(0 − 0)² + (1 − 0)².
        #expect(directValue(rosenbrock.expression, bindings(rosenbrock, [0, 0, 0])) == 2)
        // 100·(2 − 1)² + 0 and 100·(3 − 4)² + (1 − 2)².
        #expect(directValue(rosenbrock.expression, bindings(rosenbrock, [1, 2, 3])) == 201)
        let rastrigin = try #require(NamedFunctions.named("rastrigin")).withDimension(5)
        #expect(abs(directValue(rastrigin.expression, bindings(rastrigin, [1, 1, 1, 1, 1])) - 5) <= 1e-12)
    }

    /// Tolerance: Ackley's e − e cancellation leaves up to a few ulps of 20 (≈ 1e-14); Himmelblau's
    /// irrational minimisers rounded to Double leave ≈ 1e-30.
    @Test(arguments: Self.instancesForChecking())
    func knownMinimumEvaluatesToTheStatedValue(function: NamedFunction) throws {
        let minimum = try #require(function.knownMinimum)
        for point in minimum.points {
            #expect(point.count == function.dimension)
            let value = directValue(function.expression, bindings(function, point))
            #expect(abs(value - minimum.value) <= 1e-13, "\(function.name) at \(point) = \(value)")
        }
    }

    @Test(arguments: Self.instancesForChecking().filter { $0.dimension <= 2 })
    func noGridPointOfTheDomainBeatsTheKnownMinimum(function: NamedFunction) throws {
        let minimum = try #require(function.knownMinimum)
        for point in minimum.points {
            for (coordinate, range) in zip(point, function.domain) { #expect(range.contains(coordinate)) }
        }
        let steps = 60
        let axes = function.domain.map { range in
            (0...steps).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(steps) }
        }
        let points = axes.count == 1 ? axes[0].map { [$0] } : axes[0].flatMap { x in axes[1].map { [x, $0] } }
        let lowest = points.map { directValue(function.expression, bindings(function, $0)) }.min() ?? .nan
        #expect(lowest >= minimum.value - 1e-12, "\(function.name): \(lowest) below \(minimum.value)")
    }

    @Test(arguments: Self.instancesForChecking())
    func formulaParsesToTheSameFunction(function: NamedFunction) throws {
        let parsed = try Parser.parse(function.formula)
        #expect(Set(parsed.expression.freeVariables) == Set(function.variables))
        if case .fixed = function.arity {
            #expect(parsed.expression == function.expression)
        }
        // n-dimensional trees sum pairwise, the text left to right: equal up to rounding.
        var generator = SplitMix64(seed: 42)
        for _ in 0..<20 {
            let point = function.domain.map { range in
                range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUnit()
            }
            let fromText = directValue(parsed.expression, bindings(function, point))
            let fromTree = directValue(function.expression, bindings(function, point))
            #expect(abs(fromText - fromTree) <= 1e-12 * max(1, abs(fromTree)), "\(function.name) at \(point)")
        }
    }

    @Test(arguments: Self.instancesForChecking())
    func descriptionDomainAndLatexAreFilledIn(function: NamedFunction) {
        #expect(function.description.hasSuffix("."))
        #expect(!function.latex.isEmpty)
        #expect(function.domain.count == function.dimension)
        #expect(function.domain.allSatisfy { $0.lowerBound < $0.upperBound })
        #expect(function.arity.accepts(function.dimension))
    }

    @Test func nDimensionalFunctionsUseIndexedVariables() throws {
        let sphere = try #require(NamedFunctions.named("sphere")).withDimension(4)
        #expect(sphere.variables == ["x0", "x1", "x2", "x3"])
        #expect(sphere.formula == "x0^2 + x1^2 + x2^2 + x3^2")
        #expect(sphere.knownMinimum == .init(points: [[0, 0, 0, 0]], value: 0))
        #expect(sphere.latex == "\\sum_{i=0}^{3} x_i^{2}")
    }

    @Test(arguments: ["sphere", "rosenbrock", "rastrigin", "ackley"])
    func thousandDimensionalTreesStayShallow(name: String) throws {
        let function = try #require(NamedFunctions.named(name)).withDimension(1_000)
        #expect(function.dimension == 1_000)
        #expect(depth(function.expression) <= 24, "\(name): depth \(depth(function.expression))")
        let minimum = try #require(function.knownMinimum)
        let value = directValue(function.expression, bindings(function, minimum.points[0]))
        #expect(abs(value - minimum.value) <= 1e-12)
    }

    @Test func thousandDimensionalSphereSumsItsSquares() throws {
        let sphere = try #require(NamedFunctions.named("sphere")).withDimension(1_000)
        #expect(depth(sphere.expression) <= 20)
        #expect(sphere.expression.size == 1_000 * 3 + 999)
        let point = (0..<1_000).map { Double($0 % 7) - 3 }
        let expected = point.reduce(0) { $0 + $1 * $1 }
        #expect(directValue(sphere.expression, bindings(sphere, point)) == expected)
    }

    @Test(arguments: [("booth", 3), ("function_1", 2), ("rosenbrock", 1), ("sphere", 0), ("sphere", 1_001)])
    func refusesUnsupportedDimensions(name: String, dimension: Int) throws {
        let function = try #require(NamedFunctions.named(name))
        #expect(
            throws: NamedFunctionError.unsupportedDimension(name: name, requested: dimension, arity: function.arity)
        ) {
            try function.withDimension(dimension)
        }
    }

    @Test func unsupportedDimensionMessagesNameTheRange() {
        let fixed = NamedFunctionError.unsupportedDimension(name: "booth", requested: 3, arity: .fixed(2))
        #expect(fixed.description == "booth takes exactly 2 variables, not 3")
        let ranged = NamedFunctionError.unsupportedDimension(
            name: "rosenbrock", requested: 1, arity: .dimensional(minimum: 2, default: 2))
        #expect(ranged.description == "rosenbrock takes 2 to 1000 variables, not 1")
    }

    // MARK: - Helpers

    /// Every catalog function at its default dimension, plus the n-dimensional ones at 1, 3 and 7.
    static func instancesForChecking() -> [NamedFunction] {
        NamedFunctions.all
            + NamedFunctions.all.filter { $0.arity.maximumDimension > $0.arity.minimumDimension }.flatMap { function in
                [1, 3, 7].compactMap { try? function.withDimension($0) }
            }
    }
}

/// `function`'s variables bound to `point`.
private func bindings(_ function: NamedFunction, _ point: [Double]) -> [String: Double] {
    Dictionary(uniqueKeysWithValues: zip(function.variables, point))
}

/// Plain Double arithmetic over the tree, for the few operations the catalog uses.
private func directValue(_ expression: Calculus.Expression, _ values: [String: Double]) -> Double {
    switch expression {
    case .number(let value): return value
    case .constant(let constant): return constant == .pi ? Double.pi : M_E
    case .variable(let name): return values[name] ?? .nan
    case .negate(let operand): return -directValue(operand, values)
    case .unary(let function, let operand):
        let x = directValue(operand, values)
        switch function {
        case .cos: return cos(x)
        case .exp: return exp(x)
        case .sqrt: return x.squareRoot()
        default:
            Issue.record("the test evaluator does not know \(function)")
            return .nan
        }
    case .binary(let operation, let left, let right):
        let (a, b) = (directValue(left, values), directValue(right, values))
        switch operation {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .power: return pow(a, b)
        default:
            Issue.record("the test evaluator does not know \(operation)")
            return .nan
        }
    }
}

/// The number of levels from the root to the deepest leaf.
private func depth(_ expression: Calculus.Expression) -> Int {
    switch expression {
    case .number, .constant, .variable: 1
    case .negate(let operand), .unary(_, let operand): 1 + depth(operand)
    case .binary(_, let left, let right): 1 + max(depth(left), depth(right))
    }
}

/// A small deterministic generator (SplitMix64), so sampled points are the same on every run.
private struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A uniform Double in [0, 1).
    mutating func nextUnit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
