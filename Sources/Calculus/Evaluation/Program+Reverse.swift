/// Reverse mode: the instruction list is the tape. A forward pass records every value; a backward
/// pass walks the instructions once from the result to the inputs, adding each node's adjoint times
/// its local partial (from `FunctionTable`) into its operands' adjoints. One pass gives the derivative
/// with respect to every variable.
extension Program {
    /// f and its gradient at every point: `gradient[slot][i]` is ∂f/∂(variable `slot`) at point `i`.
    public func valuesAndGradients(at columns: [[Double]]) -> (values: [Double], gradient: [[Double]]) {
        let count = pointCount(columns)
        let block = Self.registerStride(for: count)
        var values = [Double](repeating: 0, count: count)
        var gradient = [[Double]](repeating: [Double](repeating: 0, count: count), count: variables.count)
        let active = activeInstructions()
        var registers = [Double](repeating: 0, count: instructions.count * block)
        var adjoints = [Double](repeating: 0, count: instructions.count * block)
        let last = instructions.count - 1
        forEachBlock(count: count) { start, lanes in
            computeValues(columns, start: start, lanes: lanes, stride: block, into: &registers)
            for lane in 0..<lanes { values[start + lane] = registers[last * block + lane] }
            guard active[last] else { return }
            propagateAdjoints(lanes: lanes, stride: block, values: registers, active: active, into: &adjoints)
            for (index, instruction) in instructions.enumerated() {
                guard case .variable(let slot) = instruction else { continue }
                for lane in 0..<lanes { gradient[slot][start + lane] += adjoints[index * block + lane] }
            }
        }
        return (values, gradient)
    }

    /// f and its gradient at one point.
    public func gradient(at point: [Double]) -> (value: Double, gradient: [Double]) {
        let (values, gradient) = valuesAndGradients(at: point.map { [$0] })
        return (values[0], gradient.map { $0[0] })
    }

    /// Instructions that depend on some variable: only they receive adjoints.
    private func activeInstructions() -> [Bool] {
        var active = [Bool](repeating: false, count: instructions.count)
        for (index, instruction) in instructions.enumerated() {
            switch instruction {
            case .constant: active[index] = false
            case .variable: active[index] = true
            case .negate(let a), .unary(_, let a): active[index] = active[a]
            case .binary(_, let a, let b): active[index] = active[a] || active[b]
            }
        }
        return active
    }

    /// The backward pass over one block.
    private func propagateAdjoints(
        lanes: Int, stride block: Int, values: [Double], active: [Bool], into adjoints: inout [Double]
    ) {
        values.withUnsafeBufferPointer { v in
            adjoints.withUnsafeMutableBufferPointer { adjoint in
                for index in 0..<instructions.count where active[index] {
                    for lane in 0..<lanes { adjoint[index * block + lane] = 0 }
                }
                let last = instructions.count - 1
                for lane in 0..<lanes { adjoint[last * block + lane] = 1 }
                for index in stride(from: last, through: 0, by: -1) where active[index] {
                    let out = index * block
                    switch instructions[index] {
                    case .constant, .variable: break
                    case .negate(let a):
                        for lane in 0..<lanes { adjoint[a * block + lane] -= adjoint[out + lane] }
                    case .unary(let function, let a):
                        let x = a * block
                        for lane in 0..<lanes {
                            adjoint[x + lane] +=
                                FunctionTable.derivative(of: function, at: v[x + lane]) * adjoint[out + lane]
                        }
                    case .binary(let operation, let a, let b):
                        let x = a * block, y = b * block
                        if active[a] {
                            for lane in 0..<lanes {
                                adjoint[x + lane] +=
                                    FunctionTable.leftPartial(
                                        of: operation, v[x + lane], v[y + lane], value: v[out + lane])
                                    * adjoint[out + lane]
                            }
                        }
                        if active[b] {
                            for lane in 0..<lanes {
                                adjoint[y + lane] +=
                                    FunctionTable.rightPartial(
                                        of: operation, v[x + lane], v[y + lane], value: v[out + lane])
                                    * adjoint[out + lane]
                            }
                        }
                    }
                }
            }
        }
    }
}
