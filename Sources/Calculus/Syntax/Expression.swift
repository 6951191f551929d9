/// A parsed mathematical expression: a tree of numbers, names, operators and built-in functions.
///
/// Functions with an optional argument are resolved by the parser: `log(x)` is `.unary(.log, x)`,
/// `log(x, b)` is `.binary(.logBase, x, b)`, `nthRoot(x)` is `.unary(.sqrt, x)`. Build expressions in
/// code through the simplifying constructors in `Expression+Building.swift`.
public indirect enum Expression: Sendable, Hashable {
    /// A numeric literal.
    case number(Double)
    /// A named constant (`pi`, `e`): kept by name so it prints as written.
    case constant(MathConstant)
    /// A free name: a variable or a parameter, given a value at evaluation.
    case variable(String)
    /// `-operand`.
    case negate(Expression)
    /// A one-argument built-in function.
    case unary(UnaryFunction, Expression)
    /// An arithmetic operator or a two-argument built-in function.
    case binary(BinaryOperation, Expression, Expression)
}

/// The named constants.
public enum MathConstant: String, Sendable, CaseIterable {
    case pi, e

    /// Its value.
    public var value: Double {
        switch self {
        case .pi: Double.pi
        case .e: 2.718281828459045
        }
    }
}

/// One-argument built-in functions. `sign` and `step` (Heaviside, 0 at 0) appear in derivatives of
/// `abs` and `relu` and may be written too. `round` rounds halves away from zero (as C's `round`).
public enum UnaryFunction: String, Sendable, CaseIterable {
    case sin, cos, tan, sec, csc, cot
    case asin, acos, atan, asec, acsc, acot
    case sinh, cosh, tanh, sech, csch, coth
    case asinh, acosh, atanh, asech, acsch, acoth
    case exp, log, log2, log10, sqrt, cbrt
    case abs, sign, step, sigmoid, softplus, relu
    case floor, ceil, round, trunc

    /// The name it is written with.
    public var name: String { rawValue }
}

/// Two-operand operations: the arithmetic operators and the two-argument built-in functions.
public enum BinaryOperation: String, Sendable, CaseIterable {
    case add, subtract, multiply, divide, power
    /// `log(x, base)`.
    case logBase
    /// `nthRoot(x, n)`: the real n-th root (negative x with odd n gives a negative root, as math.js).
    case nthRoot
    case min, max, atan2
    /// `mod(x, m)`: `x - m·floor(x/m)`, with the sign of `m`; `mod(x, 0)` is `x` (as math.js).
    case mod
    /// `hypot(a, b)`: `sqrt(a² + b²)` without overflow.
    case hypot

    /// The function name for the two-argument functions (`pow` is written as `^`); nil for operators.
    public var functionName: String? {
        switch self {
        case .add, .subtract, .multiply, .divide, .power: nil
        case .logBase: "log"
        case .nthRoot: "nthRoot"
        case .min: "min"
        case .max: "max"
        case .atan2: "atan2"
        case .mod: "mod"
        case .hypot: "hypot"
        }
    }
}

extension Expression {
    /// Every free name in order of first appearance (left to right).
    public var freeVariables: [String] {
        var names: [String] = []
        var seen = Set<String>()
        func visit(_ expression: Expression) {
            switch expression {
            case .number, .constant: break
            case .variable(let name): if seen.insert(name).inserted { names.append(name) }
            case .negate(let operand), .unary(_, let operand): visit(operand)
            case .binary(_, let left, let right):
                visit(left)
                visit(right)
            }
        }
        visit(self)
        return names
    }

    /// Whether `name` occurs in the expression.
    public func contains(variable name: String) -> Bool {
        switch self {
        case .number, .constant: false
        case .variable(let other): other == name
        case .negate(let operand), .unary(_, let operand): operand.contains(variable: name)
        case .binary(_, let left, let right): left.contains(variable: name) || right.contains(variable: name)
        }
    }

    /// The number of nodes, counting shared subtrees each time they occur, but stopping as soon as the
    /// count passes `limit` (then `limit + 1`): derivatives share subtrees, so the full count can be
    /// far larger than the memory the tree takes.
    public func size(upTo limit: Int) -> Int {
        var remaining = limit + 1
        func visit(_ expression: Expression) {
            guard remaining > 0 else { return }
            remaining -= 1
            switch expression {
            case .number, .constant, .variable: break
            case .negate(let operand), .unary(_, let operand): visit(operand)
            case .binary(_, let left, let right):
                visit(left)
                visit(right)
            }
        }
        visit(self)
        return limit + 1 - remaining
    }

    /// The number of nodes (counting shared subtrees each time); see `size(upTo:)` for large trees.
    public var size: Int {
        switch self {
        case .number, .constant, .variable: 1
        case .negate(let operand), .unary(_, let operand): 1 + operand.size
        case .binary(_, let left, let right): 1 + left.size + right.size
        }
    }
}
