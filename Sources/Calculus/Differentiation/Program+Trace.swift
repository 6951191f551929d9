/// The computation graph at one point, for teaching the chain rule: every node with its operation,
/// inputs, value, local derivatives (∂node/∂input) and adjoint (∂f/∂node), as in a backprop tutorial.
public struct TraceNode: Sendable {
    /// Its index; inputs refer to earlier nodes.
    public let id: Int
    /// `x`, `3`, `neg`, `sin`, `+`, `*`, `pow`, …
    public let operation: String
    public let inputs: [Int]
    public let value: Double
    /// ∂(this node)/∂(each input), in the order of `inputs`.
    public let localDerivatives: [Double]
    /// ∂f/∂(this node), accumulated backwards from the result (whose adjoint is 1).
    public let adjoint: Double
}

extension Program {
    /// The graph at one point (`point` ordered as `variables`).
    public func trace(at point: [Double]) -> [TraceNode] {
        let values = registers(at: point.map { [$0] })
        var locals: [[Double]] = []
        var inputs: [[Int]] = []
        var names: [String] = []
        for (index, instruction) in instructions.enumerated() {
            switch instruction {
            case .constant(let value):
                (names, inputs, locals) = (names + [ExpressionPrinter.number(value)], inputs + [[]], locals + [[]])
            case .variable(let slot):
                (names, inputs, locals) = (names + [variables[slot]], inputs + [[]], locals + [[]])
            case .negate(let a):
                (names, inputs, locals) = (names + ["neg"], inputs + [[a]], locals + [[-1]])
            case .unary(let function, let a):
                names.append(function.name)
                inputs.append([a])
                locals.append([FunctionTable.derivative(of: function, at: values[a])])
            case .binary(let operation, let a, let b):
                let symbols: [BinaryOperation: String] = [
                    .add: "+", .subtract: "-", .multiply: "*", .divide: "/", .power: "^",
                ]
                names.append(symbols[operation] ?? operation.functionName!)
                inputs.append([a, b])
                locals.append([
                    FunctionTable.leftPartial(of: operation, values[a], values[b], value: values[index]),
                    FunctionTable.rightPartial(of: operation, values[a], values[b], value: values[index]),
                ])
            }
        }
        var adjoints = [Double](repeating: 0, count: instructions.count)
        adjoints[instructions.count - 1] = 1
        for index in stride(from: instructions.count - 1, through: 0, by: -1) where adjoints[index] != 0 {
            for (input, local) in zip(inputs[index], locals[index]) { adjoints[input] += local * adjoints[index] }
        }
        return instructions.indices.map {
            TraceNode(
                id: $0, operation: names[$0], inputs: inputs[$0], value: values[$0], localDerivatives: locals[$0],
                adjoint: adjoints[$0])
        }
    }
}
