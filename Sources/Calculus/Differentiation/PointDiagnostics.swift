/// What can go wrong at one point: an operation leaving the real numbers (log(-1), 1/0), or a function
/// evaluated where it has a corner (abs, relu, min/max ties) or a jump (sign, step).
public enum PointDiagnostics {
    /// A corner or jump met at the point, with the one-sided derivatives there.
    public struct Kink: Sendable {
        /// What was met, e.g. `abs(x - 1) at its corner (argument 0)`.
        public let reasons: [String]
        /// lim h→0⁻ of the difference quotient.
        public let left: Double
        /// lim h→0⁺ of the difference quotient.
        public let right: Double
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

    /// The corners and jumps of f at `x` (first derivative only), or nil when there are none.
    public static func kink(_ problem: DerivativeProblem, at x: Double) -> Kink? {
        guard let program = try? problem.program(), program.hasKinks else { return nil }
        let values = program.registers(at: problem.columns([x]))
        let depends = program.dependsOn(slot: 0)
        var reasons: [String] = []
        for (index, instruction) in program.instructions.enumerated() where depends[index] {
            switch instruction {
            case .unary(let function, let a) where values[a] == 0:
                switch function {
                case .abs, .relu: reasons.append("\(function.name) at its corner (argument 0)")
                case .sign, .step: reasons.append("\(function.name) at its jump (argument 0)")
                default: break
                }
            case .binary(let operation, let a, let b)
            where (operation == .min || operation == .max)
                && values[a] == values[b]:
                reasons.append("\(operation.functionName!) with equal arguments (\(format(values[a])))")
            default: break
            }
        }
        guard !reasons.isEmpty else { return nil }
        let right = directionalDerivative(program, values: values, depends: depends, direction: 1)
        let left = -directionalDerivative(program, values: values, depends: depends, direction: -1)
        return Kink(reasons: reasons, left: left, right: right)
    }

    /// The one-sided directional derivative of f along `direction`: at corners the branch is chosen by
    /// the sign of the incoming tangent (|u|' = |u'| at u = 0, relu' = max(u', 0), min' = min of the
    /// tangents at a tie); elsewhere the derivative table.
    private static func directionalDerivative(_ program: Program, values: [Double], depends: [Bool], direction: Double)
        -> Double
    {
        var tangents = [Double](repeating: 0, count: program.instructions.count)
        for (index, instruction) in program.instructions.enumerated() where depends[index] {
            switch instruction {
            case .constant: break
            case .variable: tangents[index] = direction
            case .negate(let a): tangents[index] = -tangents[a]
            case .unary(let function, let a):
                let (u, t) = (values[a], tangents[a])
                switch function {
                case .abs where u == 0: tangents[index] = Swift.abs(t)
                case .relu where u == 0: tangents[index] = Swift.max(t, 0)
                default: tangents[index] = t == 0 ? 0 : FunctionTable.derivative(of: function, at: u) * t
                }
            case .binary(let operation, let a, let b):
                let (p, q, value) = (values[a], values[b], values[index])
                let (s, t) = (depends[a] ? tangents[a] : 0, depends[b] ? tangents[b] : 0)
                switch operation {
                case .min where p == q: tangents[index] = Swift.min(s, t)
                case .max where p == q: tangents[index] = Swift.max(s, t)
                default:
                    var sum = 0.0
                    if s != 0 { sum += FunctionTable.leftPartial(of: operation, p, q, value: value) * s }
                    if t != 0 { sum += FunctionTable.rightPartial(of: operation, p, q, value: value) * t }
                    tangents[index] = sum
                }
            }
        }
        return tangents[program.instructions.count - 1]
    }
}

extension Program {
    /// Whether it uses a function with corners or jumps (abs, relu, sign, step, min, max).
    var hasKinks: Bool {
        instructions.contains { instruction in
            switch instruction {
            case .unary(let function, _): [.abs, .relu, .sign, .step].contains(function)
            case .binary(let operation, _, _): operation == .min || operation == .max
            default: false
            }
        }
    }

    /// Every instruction's value at one point.
    func registers(at columns: [[Double]]) -> [Double] {
        var registers = [Double](repeating: 0, count: instructions.count)
        computeValues(columns, start: 0, lanes: 1, stride: 1, into: &registers)
        return registers
    }
}
