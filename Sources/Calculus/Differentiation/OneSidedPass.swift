import Foundation

/// One side of a point where f meets a corner or a jump: every instruction's one-sided limit and
/// one-sided derivative as x moves away from the point to that side, in one forward walk.
///
/// Each instruction's limit is its function of its operands' limits, except where an operand sits on
/// a jump of the function: there the side the operand comes from picks the branch (floor(u) with u → 2
/// from below is 1). That side is the sign of the operand's tangent, or, where the tangent is 0
/// (`floor(x^2)` at 0), of its change towards `probe`, the registers at a point just beside x. At
/// corners the branch is chosen by the incoming tangent (|u|' = |u'| at u = 0, relu' = max(u', 0),
/// min' = min of the tangents at a tie, hypot' = the length of the tangents at (0, 0)).
struct OneSidedPass {
    /// lim f at the point from this side.
    let limit: Double
    /// The derivative of f along the side's direction (+1 or -1): d/dh f(x + side·h) at h → 0⁺.
    let derivative: Double
    /// The corners and jumps met (jumps only where the branch taken differs from the value).
    let reasons: [String]

    init(_ program: Program, values: [Double], probe: [Double], side: Double) {
        let depends = program.dependsOn(slot: 0)
        var limits = values
        var tangents = [Double](repeating: 0, count: values.count)
        var reasons: [String] = []
        /// +1, -1 or 0: the side instruction `index` approaches its limit from.
        func approach(_ index: Int) -> Double {
            if tangents[index] != 0 { return tangents[index] > 0 ? 1 : -1 }
            let change = probe[index] - limits[index]
            return change.isFinite && change != 0 ? (change > 0 ? 1 : -1) : 0
        }
        for (index, instruction) in program.instructions.enumerated() where depends[index] {
            switch instruction {
            case .constant: break
            case .variable: tangents[index] = side
            case .negate(let a):
                limits[index] = -limits[a]
                tangents[index] = -tangents[a]
            case .unary(let function, let a):
                let (u, t) = (limits[a], tangents[a])
                let plain = Double.evaluate(function, u)
                switch function {
                case .abs where u == 0:
                    (limits[index], tangents[index]) = (0, Swift.abs(t))
                    reasons.append("abs at its corner (argument 0)")
                case .relu where u == 0:
                    (limits[index], tangents[index]) = (0, Swift.max(t, 0))
                    reasons.append("relu at its corner (argument 0)")
                case .sign, .step, .floor, .ceil, .round, .trunc:
                    // Piecewise constant: the value just beside u on the side u comes from.
                    let direction = approach(a)
                    let beside = direction == 0 ? u : (direction > 0 ? u.nextUp : u.nextDown)
                    // Beyond 2^52 every double is an integer and these functions are the identity.
                    let onJump = Swift.abs(u) < 0x1p52 && Double.evaluate(function, beside) != plain
                    limits[index] = onJump ? Double.evaluate(function, beside) : plain
                    if onJump {
                        reasons.append("\(function.name) at a jump (argument \(ExpressionPrinter.number(u)))")
                    }
                default:
                    limits[index] = plain
                    tangents[index] = t == 0 ? 0 : FunctionTable.derivative(of: function, at: u) * t
                }
            case .binary(let operation, let a, let b):
                let (p, q) = (limits[a], limits[b])
                let (s, t) = (depends[a] ? tangents[a] : 0, depends[b] ? tangents[b] : 0)
                let plain = Double.evaluate(operation, p, q)
                limits[index] = plain
                // The chain rule with the table's partials (where the operation is smooth).
                var chained = 0.0
                if s != 0 { chained += FunctionTable.leftPartial(of: operation, p, q, value: plain) * s }
                if t != 0 { chained += FunctionTable.rightPartial(of: operation, p, q, value: plain) * t }
                tangents[index] = chained
                switch operation {
                case .min where p == q, .max where p == q:
                    tangents[index] = operation == .min ? Swift.min(s, t) : Swift.max(s, t)
                    reasons.append("\(operation.functionName!) with equal arguments (\(ExpressionPrinter.number(p)))")
                case .hypot where p == 0 && q == 0:
                    tangents[index] = (s * s + t * t).squareRoot()
                    reasons.append("hypot at its corner (both arguments 0)")
                case .mod where q != 0 && plain == 0:
                    // On a jump: a is a multiple k·b. Unwrapped, the remainder moves at s - k·t; moving
                    // against b's sign it wraps to b, and floor(a/b) becomes k - 1.
                    let k = p / q
                    let change = s - k * t
                    let wrapped = Swift.abs(probe[index] - q) < Swift.abs(probe[index])
                    let direction = change != 0 ? change : (wrapped ? -q : q)
                    let wraps = direction.isFinite && (direction > 0) != (q > 0)
                    limits[index] = wraps ? q : 0
                    tangents[index] = wraps ? s - (k - 1) * t : change
                    if wraps { reasons.append("mod at a jump (a multiple of \(ExpressionPrinter.number(q)))") }
                case .atan2 where p == 0 && q <= 0:
                    // The branch cut (y = 0, x < 0), or the origin, where the limit is the angle of approach.
                    let angle: Double
                    if q < 0 {
                        angle = approach(a) == 0 ? plain : (approach(a) > 0 ? Double.pi : -Double.pi)
                    } else {
                        // Along a ray from the origin the angle is constant.
                        angle = s == 0 && t == 0 ? plain : Foundation.atan2(s, t)
                        tangents[index] = 0
                    }
                    limits[index] = angle
                    if angle != plain {
                        reasons.append("atan2 at a jump (y = 0, x = \(ExpressionPrinter.number(q)))")
                    }
                default: break
                }
            }
        }
        let last = values.count - 1
        limit = limits[last]
        derivative = tangents[last]
        self.reasons = reasons
    }
}

extension UnaryFunction {
    /// Whether the function has a corner (abs, relu) or jumps (sign, step, floor, ceil, round, trunc).
    var hasCornerOrJump: Bool {
        switch self {
        case .abs, .relu, .sign, .step, .floor, .ceil, .round, .trunc: true
        default: false
        }
    }
}
