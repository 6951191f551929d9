/// What `PointDiagnostics` asks of a compiled program: does it use functions with corners or jumps,
/// and at which points does one of them sit exactly on one.
extension Program {
    /// Whether it uses a function with corners or jumps.
    var hasKinks: Bool {
        instructions.contains { instruction in
            switch instruction {
            case .unary(let function, _): function.hasCornerOrJump
            case .binary(let operation, _, _): [.min, .max, .mod, .hypot, .atan2].contains(operation)
            default: false
            }
        }
    }

    /// The points (indices into the columns) where some function sits exactly on a corner or a jump:
    /// one pass of the block evaluator, a quick test before the one-sided passes.
    func pointsMeetingCornerOrJump(_ columns: [[Double]]) -> [Int] {
        let suspects = instructions.indices.filter { index in
            switch instructions[index] {
            case .unary(let function, _): function.hasCornerOrJump
            case .binary(let operation, _, _): [.min, .max, .mod, .hypot, .atan2].contains(operation)
            default: false
            }
        }
        guard !suspects.isEmpty else { return [] }
        let count = pointCount(columns)
        let block = Self.registerStride(for: count)
        var registers = [Double](repeating: 0, count: instructions.count * block)
        var found: [Int] = []
        forEachBlock(in: 0..<count) { start, lanes in
            computeValues(columns, start: start, lanes: lanes, stride: block, into: &registers)
            for lane in 0..<lanes
            where suspects.contains(where: { isOnCornerOrJump(instructions[$0]) { registers[$0 * block + lane] } }) {
                found.append(start + lane)
            }
        }
        return found
    }

    /// Whether `instruction`, its operands' values read through `value`, sits on a corner or a jump.
    private func isOnCornerOrJump(_ instruction: Instruction, value: (Int) -> Double) -> Bool {
        switch instruction {
        case .unary(let function, let a):
            let u = value(a)
            switch function {
            case .abs, .relu, .sign, .step: return u == 0
            case .floor, .ceil, .trunc: return u == u.rounded(.down)
            case .round: return u - u.rounded(.down) == 0.5
            default: return false
            }
        case .binary(let operation, let a, let b):
            let (p, q) = (value(a), value(b))
            switch operation {
            case .min, .max: return p == q
            case .hypot: return p == 0 && q == 0
            case .mod: return Double.evaluate(.mod, p, q) == 0
            case .atan2: return p == 0 && q <= 0
            default: return false
            }
        default: return false
        }
    }

    /// For each function with corners or jumps, a number naming the branch it is on (the side of
    /// its corner, the integer floor gives, which argument min takes, …): where two points' branches
    /// differ, a corner or jump lies between them.
    func branches(_ values: [Double]) -> [Double] {
        func side(_ u: Double) -> Double { u > 0 ? 1 : (u < 0 ? -1 : 0) }
        return instructions.compactMap { instruction -> Double? in
            switch instruction {
            case .unary(let function, let a):
                switch function {
                case .abs, .relu, .sign, .step: return side(values[a])
                case .floor, .ceil, .round, .trunc: return Double.evaluate(function, values[a])
                default: return nil
                }
            case .binary(let operation, let a, let b):
                let (p, q) = (values[a], values[b])
                switch operation {
                case .min, .max: return side(p - q)
                case .mod: return q == 0 ? 0 : ((p - Double.evaluate(.mod, p, q)) / q).rounded()
                case .atan2: return q < 0 ? side(p) : 0
                case .hypot: return p == 0 && q == 0 ? 0 : 1
                default: return nil
                }
            default: return nil
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
