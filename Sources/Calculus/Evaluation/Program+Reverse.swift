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
        // Every variable's derivatives in one buffer (slot-major), split into arrays at the end.
        var flat = [Double](repeating: 0, count: variables.count * count)
        let active = activeInstructions()
        let last = instructions.count - 1
        values.withUnsafeMutableBufferPointer { valuesOut in
            flat.withUnsafeMutableBufferPointer { gradientOut in
                forEachChunk(count: count) { chunk in
                    var registers = [Double](repeating: 0, count: instructions.count * block)
                    var adjoints = [Double](repeating: 0, count: instructions.count * block)
                    forEachBlock(in: chunk) { start, lanes in
                        computeValues(
                            columns, start: start, lanes: lanes, stride: block, into: &registers,
                            fillConstants: start == chunk.lowerBound)
                        Self.copy(registers, from: last * block, to: valuesOut, at: start, count: lanes)
                        guard active[last] else { return }
                        propagateAdjoints(
                            lanes: lanes, stride: block, values: registers, active: active, into: &adjoints)
                        // Each variable has one instruction (the program shares identical instructions).
                        for (index, instruction) in instructions.enumerated() {
                            guard case .variable(let slot) = instruction else { continue }
                            Self.copy(
                                adjoints, from: index * block, to: gradientOut, at: slot * count + start, count: lanes)
                        }
                    }
                }
            }
        }
        let gradient =
            variables.count == 1 ? [flat] : variables.indices.map { Array(flat[$0 * count..<($0 + 1) * count]) }
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

    /// The backward pass over one block: each instruction's adjoint times its local partials
    /// (`BlockPartials`), added into its operands' adjoints.
    private func propagateAdjoints(
        lanes: Int, stride block: Int, values: [Double], active: [Bool], into adjoints: inout [Double]
    ) {
        values.withUnsafeBufferPointer { values in
            adjoints.withUnsafeMutableBufferPointer { adjoints in
                // The partials of one instruction with respect to one operand.
                withUnsafeTemporaryAllocation(of: Double.self, capacity: lanes) { partials in
                    let d = partials.baseAddress!
                    let (firstValue, firstAdjoint) = (values.baseAddress!, adjoints.baseAddress!)
                    let value = { (index: Int) in firstValue + index * block }
                    let adjoint = { (index: Int) in firstAdjoint + index * block }
                    for index in 0..<instructions.count where active[index] {
                        adjoint(index).update(repeating: 0, count: lanes)
                    }
                    let last = instructions.count - 1
                    adjoint(last).update(repeating: 1, count: lanes)
                    for index in stride(from: last, through: 0, by: -1) where active[index] {
                        let g = adjoint(index)
                        switch instructions[index] {
                        case .constant, .variable: break
                        case .negate(let a):
                            let ax = adjoint(a)
                            for lane in 0..<lanes { ax[lane] -= g[lane] }
                        case .unary(let function, let a):
                            BlockPartials.derivative(
                                of: function, at: value(a), values: value(index), into: d, lanes: lanes)
                            let ax = adjoint(a)
                            for lane in 0..<lanes { ax[lane] += d[lane] * g[lane] }
                        case .binary(let operation, let a, let b):
                            let (x, y, z) = (value(a), value(b), value(index))
                            if active[a] {
                                BlockPartials.leftPartial(of: operation, x, y, values: z, into: d, lanes: lanes)
                                let ax = adjoint(a)
                                for lane in 0..<lanes { ax[lane] += d[lane] * g[lane] }
                            }
                            if active[b] {
                                BlockPartials.rightPartial(of: operation, x, y, values: z, into: d, lanes: lanes)
                                let ay = adjoint(b)
                                for lane in 0..<lanes { ay[lane] += d[lane] * g[lane] }
                            }
                        }
                    }
                }
            }
        }
    }
}
