/// A classic test function for optimisation (or one of the seed tutorials' examples) at one dimension:
/// its formula in Nabla's expression language, the same as an `Expression`, a LaTeX rendering, where to
/// look at it and where its minimum is.
///
/// Fixed-arity functions exist at one dimension; n-dimensional ones (sphere, Rosenbrock, Rastrigin,
/// Ackley) are built for any `n` in their `arity` with `withDimension(_:)`, over the variables
/// `x0 … x{n-1}`.
public struct NamedFunction: Sendable {
    /// The catalog name, e.g. `rosenbrock` or `function_1`.
    public let name: String
    /// One sentence for people.
    public let description: String
    /// How many variables it takes.
    public let arity: Arity
    /// Its variables in order: the order of every point (domain, known minimum, gradient) that goes with it.
    public let variables: [String]
    /// The text in Nabla's expression language. Long for large `n` (past the parser's length limit at
    /// about a thousand variables), so use `expression` rather than parsing it again.
    public let formula: String
    /// The formula in LaTeX (the right-hand side of `f(x) = …`), with sums written as `\sum`.
    public let latex: String
    /// The formula as a tree. Sums over many variables are balanced (pairwise), so even at 1,000 variables
    /// the tree is only about 20 levels deep.
    public let expression: Expression
    /// A recommended box to plot or search in: one range per variable, in `variables` order.
    public let domain: [ClosedRange<Double>]
    /// Where the global minimum is and its value, when it is known.
    public let knownMinimum: KnownMinimum?
    /// Builds the same function at another dimension; nil for fixed-arity functions.
    private let family: (@Sendable (Int) -> NamedFunction)?

    /// The number of variables.
    public var dimension: Int { variables.count }

    init(
        name: String, description: String, arity: Arity, variables: [String], formula: String, latex: String,
        expression: Expression, domain: [ClosedRange<Double>], knownMinimum: KnownMinimum?,
        family: (@Sendable (Int) -> NamedFunction)?
    ) {
        precondition(domain.count == variables.count, "\(name): one domain range per variable")
        self.name = name
        self.description = description
        self.arity = arity
        self.variables = variables
        self.formula = formula
        self.latex = latex
        self.expression = expression
        self.domain = domain
        self.knownMinimum = knownMinimum
        self.family = family
    }

    /// The same function over `dimension` variables, or `NamedFunctionError.unsupportedDimension` when
    /// its arity does not allow that many.
    public func withDimension(_ dimension: Int) throws(NamedFunctionError) -> NamedFunction {
        guard arity.accepts(dimension) else {
            throw .unsupportedDimension(name: name, requested: dimension, arity: arity)
        }
        if dimension == self.dimension { return self }
        guard let family else {
            preconditionFailure("\(name): a fixed arity accepts only its own dimension")
        }
        return family(dimension)
    }
}

extension NamedFunction {
    /// How many variables a named function takes.
    public enum Arity: Sendable, Hashable {
        /// Exactly this many.
        case fixed(Int)
        /// Any number from `minimum` to `Arity.maximumDimension`; the catalog lists it at `default`.
        case dimensional(minimum: Int, default: Int)

        /// The most variables an n-dimensional function is built with.
        public static let maximumDimension = 1_000

        /// The fewest variables.
        public var minimumDimension: Int {
            switch self {
            case .fixed(let count): count
            case .dimensional(let minimum, _): minimum
            }
        }

        /// The most variables.
        public var maximumDimension: Int {
            switch self {
            case .fixed(let count): count
            case .dimensional: Self.maximumDimension
            }
        }

        /// The dimension the catalog lists it at.
        public var defaultDimension: Int {
            switch self {
            case .fixed(let count): count
            case .dimensional(_, let defaultDimension): defaultDimension
            }
        }

        /// Whether it can be built over `dimension` variables.
        public func accepts(_ dimension: Int) -> Bool {
            (minimumDimension...maximumDimension).contains(dimension)
        }
    }

    /// The global minimum of a named function.
    public struct KnownMinimum: Sendable, Hashable {
        /// Every global minimiser (Himmelblau's function has four), each in `variables` order, rounded to
        /// the nearest `Double` where the exact point is irrational.
        public let points: [[Double]]
        /// The minimum value.
        public let value: Double

        /// A minimum of `value` at each of `points`.
        public init(points: [[Double]], value: Double) {
            self.points = points
            self.value = value
        }
    }
}

/// Why a named function could not be built.
public enum NamedFunctionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The function does not take `requested` variables.
    case unsupportedDimension(name: String, requested: Int, arity: NamedFunction.Arity)

    /// `booth takes exactly 2 variables, not 3` or `rosenbrock takes 2 to 1000 variables, not 1`.
    public var description: String {
        switch self {
        case .unsupportedDimension(let name, let requested, let arity):
            switch arity {
            case .fixed(let count):
                "\(name) takes exactly \(count) variable\(count == 1 ? "" : "s"), not \(requested)"
            case .dimensional:
                "\(name) takes \(arity.minimumDimension) to \(arity.maximumDimension) variables, not \(requested)"
            }
        }
    }
}
