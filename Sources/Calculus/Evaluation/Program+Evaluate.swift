/// Vectorised evaluation: points are processed in blocks of `Program.blockSize` lanes, and each
/// instruction runs over a whole block before the next (tight loops, registers that stay in cache).
/// `columns[slot][i]` is the value of variable `slot` at point `i`.
extension Program {
    /// Lanes per block.
    static let blockSize = 256

    /// f at every point.
    public func values(at columns: [[Double]]) -> [Double] {
        let count = pointCount(columns)
        let block = Self.registerStride(for: count)
        var result = [Double](repeating: 0, count: count)
        var registers = [Double](repeating: 0, count: instructions.count * block)
        forEachBlock(count: count) { start, lanes in
            computeValues(columns, start: start, lanes: lanes, stride: block, into: &registers)
            let last = (instructions.count - 1) * block
            for lane in 0..<lanes { result[start + lane] = registers[last + lane] }
        }
        return result
    }

    /// f and ∂f/∂(variable `slot`) at every point, by forward mode (a tangent carried with each value;
    /// derivatives from `FunctionTable`).
    public func valuesAndDerivatives(at columns: [[Double]], withRespectTo slot: Int) -> (
        values: [Double], derivatives: [Double]
    ) {
        let count = pointCount(columns)
        let block = Self.registerStride(for: count)
        var values = [Double](repeating: 0, count: count)
        var derivatives = [Double](repeating: 0, count: count)
        let depends = dependsOn(slot: slot)
        var registers = [Double](repeating: 0, count: instructions.count * block)
        var tangents = [Double](repeating: 0, count: instructions.count * block)
        forEachBlock(count: count) { start, lanes in
            computeValues(columns, start: start, lanes: lanes, stride: block, into: &registers)
            computeTangents(lanes: lanes, stride: block, values: registers, depends: depends, into: &tangents)
            let last = (instructions.count - 1) * block
            for lane in 0..<lanes {
                values[start + lane] = registers[last + lane]
                derivatives[start + lane] = depends[instructions.count - 1] ? tangents[last + lane] : 0
            }
        }
        return (values, derivatives)
    }

    /// The number of points: the longest column (a column of one value applies to every point).
    func pointCount(_ columns: [[Double]]) -> Int {
        columns.map(\.count).max() ?? 1
    }

    /// Register stride: one block, or fewer lanes when there are fewer points (a single point needs
    /// one register per instruction, not 256).
    static func registerStride(for count: Int) -> Int { Swift.max(1, Swift.min(blockSize, count)) }

    func forEachBlock(count: Int, _ body: (_ start: Int, _ lanes: Int) -> Void) {
        var start = 0
        while start < count {
            let lanes = Swift.min(Self.blockSize, count - start)
            body(start, lanes)
            start += lanes
        }
    }

    /// Runs every instruction over `lanes` points from `start`.
    func computeValues(_ columns: [[Double]], start: Int, lanes: Int, stride block: Int, into registers: inout [Double])
    {
        registers.withUnsafeMutableBufferPointer { r in
            for (index, instruction) in instructions.enumerated() {
                let out = index * block
                switch instruction {
                case .constant(let value):
                    for lane in 0..<lanes { r[out + lane] = value }
                case .variable(let slot):
                    columns[slot].withUnsafeBufferPointer { column in
                        // A single point given for a variable applies to every lane.
                        if column.count == 1 {
                            for lane in 0..<lanes { r[out + lane] = column[0] }
                        } else {
                            for lane in 0..<lanes { r[out + lane] = column[start + lane] }
                        }
                    }
                case .negate(let a):
                    let x = a * block
                    for lane in 0..<lanes { r[out + lane] = -r[x + lane] }
                case .unary(let function, let a):
                    let x = a * block
                    for lane in 0..<lanes { r[out + lane] = Double.evaluate(function, r[x + lane]) }
                case .binary(let operation, let a, let b):
                    let x = a * block, y = b * block
                    switch operation {
                    case .add: for lane in 0..<lanes { r[out + lane] = r[x + lane] + r[y + lane] }
                    case .subtract: for lane in 0..<lanes { r[out + lane] = r[x + lane] - r[y + lane] }
                    case .multiply: for lane in 0..<lanes { r[out + lane] = r[x + lane] * r[y + lane] }
                    case .divide: for lane in 0..<lanes { r[out + lane] = r[x + lane] / r[y + lane] }
                    default:
                        for lane in 0..<lanes { r[out + lane] = Double.evaluate(operation, r[x + lane], r[y + lane]) }
                    }
                }
            }
        }
    }

    /// Forward-mode tangents for one block whose values are computed.
    private func computeTangents(
        lanes: Int, stride block: Int, values: [Double], depends: [Bool], into tangents: inout [Double]
    ) {
        values.withUnsafeBufferPointer { v in
            tangents.withUnsafeMutableBufferPointer { t in
                for (index, instruction) in instructions.enumerated() where depends[index] {
                    let out = index * block
                    switch instruction {
                    case .constant: break
                    case .variable:
                        for lane in 0..<lanes { t[out + lane] = 1 }
                    case .negate(let a):
                        for lane in 0..<lanes { t[out + lane] = -t[a * block + lane] }
                    case .unary(let function, let a):
                        let x = a * block
                        for lane in 0..<lanes {
                            t[out + lane] = FunctionTable.derivative(of: function, at: v[x + lane]) * t[x + lane]
                        }
                    case .binary(let operation, let a, let b):
                        let x = a * block, y = b * block
                        switch (depends[a], depends[b]) {
                        case (true, false):
                            for lane in 0..<lanes {
                                t[out + lane] =
                                    FunctionTable.leftPartial(
                                        of: operation, v[x + lane], v[y + lane], value: v[out + lane]) * t[x + lane]
                            }
                        case (false, true):
                            for lane in 0..<lanes {
                                t[out + lane] =
                                    FunctionTable.rightPartial(
                                        of: operation, v[x + lane], v[y + lane], value: v[out + lane]) * t[y + lane]
                            }
                        default:
                            for lane in 0..<lanes {
                                let (p, q, value) = (v[x + lane], v[y + lane], v[out + lane])
                                t[out + lane] =
                                    FunctionTable.leftPartial(of: operation, p, q, value: value) * t[x + lane]
                                    + FunctionTable.rightPartial(of: operation, p, q, value: value) * t[y + lane]
                            }
                        }
                    }
                }
            }
        }
    }
}
