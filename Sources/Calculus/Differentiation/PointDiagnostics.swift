/// What can go wrong at one point: an operation leaving the real numbers (log(-1), 1/0), or a function
/// evaluated where it has a corner (abs, relu, min/max ties, hypot at 0) or a jump (sign, step, floor,
/// ceil, round, trunc, mod, atan2 across its branch cut).
public enum PointDiagnostics {
    /// Corners or jumps met at the point: f's value and one-sided limits there, and its one-sided
    /// derivatives (which mean something only where f is continuous).
    public struct Kink: Sendable {
        /// What was met, e.g. `abs at its corner (argument 0)`, `floor at a jump (argument 2)`.
        public let reasons: [String]
        /// f at the point.
        public let value: Double
        /// lim h→0⁺ of f(x - h).
        public let leftLimit: Double
        /// lim h→0⁺ of f(x + h).
        public let rightLimit: Double
        /// lim h→0⁺ of (f(x) - f(x - h)) / h, on f's left branch.
        public let left: Double
        /// lim h→0⁺ of (f(x + h) - f(x)) / h, on f's right branch.
        public let right: Double

        /// Whether f jumps at the point: a one-sided limit differs from the value (then no derivative
        /// exists, and difference quotients grow like 1/h).
        public var isDiscontinuous: Bool { leftLimit != value || rightLimit != value }

        /// Whether f has a derivative there after all: continuous, with equal one-sided derivatives.
        public var hasDerivative: Bool { !isDiscontinuous && left == right }
    }

    /// Describes the first operation whose result is not finite although its operands are
    /// (`log(-1) is not a real number`), or nil when f is finite at `x`.
    public static func firstNonFiniteOperation(_ problem: DerivativeProblem, at x: Double) -> String? {
        guard let program = try? problem.program() else { return nil }
        let values = program.registers(at: problem.columns([x]))
        for (index, instruction) in program.instructions.enumerated() where !values[index].isFinite {
            switch instruction {
            case .constant, .variable: return "a value is not finite"
            case .negate: continue
            case .unary(let function, let a):
                guard values[a].isFinite else { continue }
                return "\(function.name)(\(format(values[a]))) is \(describe(values[index]))"
            case .binary(let operation, let a, let b):
                guard values[a].isFinite, values[b].isFinite else { continue }
                let text: String
                let (p, q) = (format(values[a]), format(values[b]))
                switch operation {
                case .add: text = "\(p) + \(q)"
                case .subtract: text = "\(p) - \(q)"
                case .multiply: text = "\(p) * \(q)"
                case .divide: text = "\(p) / \(q)"
                case .power: text = "\(p)^\(q)"
                default: text = "\(operation.functionName!)(\(p), \(q))"
                }
                return "\(text) is \(describe(values[index]))"
            }
        }
        return nil
    }

    private static func format(_ value: Double) -> String { ExpressionPrinter.number(value) }

    private static func describe(_ value: Double) -> String {
        value.isNaN ? "not a real number" : "infinite (overflow or division by zero)"
    }

    /// The corners and jumps met at `x`, with f's one-sided limits and derivatives there, or nil when
    /// f has none. For `order` above 1 the same is said of the derivative of order `order - 1` (whose
    /// jump or corner leaves no derivative of order `order`).
    public static func kink(_ problem: DerivativeProblem, at x: Double) -> Kink? {
        guard let program = try? diagnosedProgram(problem), program.hasKinks else { return nil }
        return kink(program, problem, at: x, values: program.registers(at: problem.columns([x])))
    }

    /// Where among `points` there is no derivative of the problem's order: the indices, and whether
    /// it is a jump there (no derivative by any method) rather than a corner (none by the exact ones).
    /// Only points where some function sits on a corner or jump are analysed.
    public static func pointsWithoutDerivative(_ problem: DerivativeProblem, at points: [Double]) -> [(
        index: Int, isJump: Bool
    )] {
        guard let program = try? diagnosedProgram(problem), program.hasKinks else { return [] }
        var found: [(index: Int, isJump: Bool)] = []
        for index in program.pointsMeetingCornerOrJump(problem.columns(points)) {
            let x = points[index]
            guard let kink = kink(program, problem, at: x, values: program.registers(at: problem.columns([x]))),
                !kink.hasDerivative
            else { continue }
            found.append((index, kink.isDiscontinuous))
        }
        return found
    }

    private static func kink(_ program: Program, _ problem: DerivativeProblem, at x: Double, values: [Double])
        -> Kink?
    {
        let columns = { (point: Double) in problem.columns([point]) }
        // Where a first-order tangent is 0 (floor(x^2) at 0), a point just beside x tells the side the
        // argument comes from.
        let probe = 1e-7 * Swift.max(1, Swift.abs(x))
        let right = OneSidedPass(program, values: values, probe: program.registers(at: columns(x + probe)), side: 1)
        let left = OneSidedPass(program, values: values, probe: program.registers(at: columns(x - probe)), side: -1)
        let reasons = distinct(left.reasons + right.reasons)
        guard !reasons.isEmpty else { return nil }
        let value = values[values.count - 1]
        return Kink(
            reasons: reasons, value: value, leftLimit: left.limit, rightLimit: right.limit,
            left: -left.derivative, right: right.derivative)
    }

    /// Whether f has a corner or a jump somewhere in [a, b] (seen as a change of branch between a,
    /// the middle and b): then the difference formulas' error bounds, which assume f smooth over
    /// their stencil, do not apply.
    public static func hasKink(_ problem: DerivativeProblem, between a: Double, and b: Double) -> Bool {
        guard let program = try? diagnosedProgram(problem), program.hasKinks else { return false }
        let signatures = [a, (a + b) / 2, b].map { program.branches(program.registers(at: problem.columns([$0]))) }
        return signatures.dropFirst().contains { $0 != signatures[0] }
    }

    /// f, or for higher orders its derivative of order `order - 1`, compiled.
    private static func diagnosedProgram(_ problem: DerivativeProblem) throws -> Program {
        // Derivatives of f meet corners and jumps only where f's own functions have them (asec's
        // |x| is outside its domain), so a smooth f needs no derivative built here.
        let program = try problem.program()
        guard problem.order > 1, program.hasKinks else { return program }
        let lower = try SymbolicDifferentiation.derivative(
            of: problem.expression, withRespectTo: problem.variable, order: problem.order - 1)
        return try Program(lower, variables: problem.slots)
    }

    /// The strings in order of first appearance, each once.
    private static func distinct(_ reasons: [String]) -> [String] {
        var seen = Set<String>()
        return reasons.filter { seen.insert($0).inserted }
    }
}
