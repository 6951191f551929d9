/// Why an expression could not be read, and where: `column` is 1-based, counted in Unicode scalars.
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, without the position (`expected ')' to close '(' opened at column 3`).
    public let reason: String
    /// Where, 1-based.
    public let column: Int

    public init(_ reason: String, column: Int) {
        self.reason = reason
        self.column = column
    }

    /// `reason at column N`.
    public var description: String { "\(reason) at column \(column)" }
}

/// The largest expressions the parser reads; larger ones are refused with a `ParseError`, never a
/// stack overflow.
public struct ExpressionLimits: Sendable {
    /// Characters (Unicode scalars) in the text.
    public var maxLength: Int
    /// Nesting depth, counted in every recursive rule: parentheses, calls, unary signs, `^` chains.
    public var maxDepth: Int

    public init(maxLength: Int = 10_000, maxDepth: Int = 256) {
        self.maxLength = maxLength
        self.maxDepth = maxDepth
    }
}
