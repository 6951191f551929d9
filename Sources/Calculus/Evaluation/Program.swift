/// An expression compiled for fast, repeated evaluation: a list of instructions in evaluation order,
/// each reading the results of earlier ones, with identical subexpressions computed once (symbolic
/// derivatives repeat many). Variables are slots, filled per point.
///
/// The same instruction list is the tape of reverse mode: each instruction knows its operands, so a
/// backward walk over it accumulates adjoints (see `Program+Reverse.swift`).
public struct Program: Sendable {
    /// One step.
    public enum Instruction: Sendable, Hashable {
        case constant(Double)
        /// The value of variable slot `n`.
        case variable(Int)
        case negate(Int)
        case unary(UnaryFunction, Int)
        case binary(BinaryOperation, Int, Int)
    }

    /// The steps; the last one is the result.
    public private(set) var instructions: [Instruction] = []
    /// The variable of each slot.
    public let variables: [String]

    /// Compiles `expression`; every free name must be in `variables` (else `EvaluationError.unboundName`).
    public init(_ expression: Expression, variables: [String]) throws(EvaluationError) {
        self.variables = variables
        var slots: [String: Int] = [:]
        for (index, name) in variables.enumerated() { slots[name] = index }
        var seen: [SharingKey: Int] = [:]
        seen.reserveCapacity(64)
        instructions.reserveCapacity(64)
        _ = try emit(expression, slots: slots, seen: &seen)
    }

    /// What makes two instructions the same one: constants by their bits, since `0.0 == -0.0` as
    /// doubles while `1/0` and `1/-0` differ (sharing them lost the sign: a fuzzer finding).
    private enum SharingKey: Hashable {
        case constant(bits: UInt64)
        case other(Instruction)

        init(_ instruction: Instruction) {
            if case .constant(let value) = instruction {
                self = .constant(bits: value.bitPattern)
            } else {
                self = .other(instruction)
            }
        }
    }

    private mutating func emit(_ expression: Expression, slots: [String: Int], seen: inout [SharingKey: Int])
        throws(EvaluationError) -> Int
    {
        let instruction: Instruction
        switch expression {
        case .number(let value): instruction = .constant(value)
        case .constant(let constant): instruction = .constant(constant.value)
        case .variable(let name):
            guard let slot = slots[name] else { throw .unboundName(name) }
            instruction = .variable(slot)
        case .negate(let operand): instruction = .negate(try emit(operand, slots: slots, seen: &seen))
        case .unary(let function, let operand):
            instruction = .unary(function, try emit(operand, slots: slots, seen: &seen))
        case .binary(let operation, let left, let right):
            let a = try emit(left, slots: slots, seen: &seen)
            let b = try emit(right, slots: slots, seen: &seen)
            instruction = .binary(operation, a, b)
        }
        let key = SharingKey(instruction)
        if let existing = seen[key] { return existing }
        instructions.append(instruction)
        seen[key] = instructions.count - 1
        return instructions.count - 1
    }

    /// Which instructions depend on variable `slot` (only those carry derivatives with respect to it).
    func dependsOn(slot: Int) -> [Bool] {
        var depends = [Bool](repeating: false, count: instructions.count)
        for (index, instruction) in instructions.enumerated() {
            switch instruction {
            case .constant: depends[index] = false
            case .variable(let other): depends[index] = other == slot
            case .negate(let a), .unary(_, let a): depends[index] = depends[a]
            case .binary(_, let a, let b): depends[index] = depends[a] || depends[b]
            }
        }
        return depends
    }
}

/// Why an expression could not be evaluated.
public enum EvaluationError: Error, Sendable, Equatable {
    /// A free name that has no value.
    case unboundName(String)
}
