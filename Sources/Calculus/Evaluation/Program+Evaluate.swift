import Parallel
import Foundation

/// Vectorised evaluation: points are processed in blocks of `Program.blockSize` lanes, and each
/// instruction runs over a whole block before the next (tight loops, registers that stay in cache).
/// `columns[slot][i]` is the value of variable `slot` at point `i`.
///
/// Blocks of at least `VectorMath.minimumLanes` lanes compute sin, cos, tan, exp, log and tanh, and
/// the derivatives that need them, with glibc's vector libm (within 4 ULP of the scalar libm);
/// smaller blocks, a single point included, use the scalar libm.
extension Program {
    /// Lanes per block.
    static let blockSize = 256

    /// f at every point.
    public func values(at columns: [[Double]]) -> [Double] {
        let count = pointCount(columns)
        let block = Self.registerStride(for: count)
        let last = (instructions.count - 1) * block
        // Left uninitialised: every point is written once, by the chunk that holds it.
        return [Double](unsafeUninitializedCapacity: count) { output, initialized in
            let output = output
            forEachChunk(count: count) { chunk in
                var registers = [Double](repeating: 0, count: instructions.count * block)
                forEachBlock(in: chunk) { start, lanes in
                    computeValues(
                        columns, start: start, lanes: lanes, stride: block, into: &registers,
                        fillConstants: start == chunk.lowerBound)
                    Self.copy(registers, from: last, to: output, at: start, count: lanes)
                }
            }
            initialized = count
        }
    }

    /// f and ∂f/∂(variable `slot`) at every point, by forward mode (a tangent carried with each value;
    /// derivatives from `FunctionTable`).
    public func valuesAndDerivatives(at columns: [[Double]], withRespectTo slot: Int) -> (
        values: [Double], derivatives: [Double]
    ) {
        let count = pointCount(columns)
        let block = Self.registerStride(for: count)
        let last = (instructions.count - 1) * block
        var values = [Double](repeating: 0, count: count)
        var derivatives = [Double](repeating: 0, count: count)
        let depends = dependsOn(slot: slot)
        values.withUnsafeMutableBufferPointer { valuesOut in
            derivatives.withUnsafeMutableBufferPointer { derivativesOut in
                forEachChunk(count: count) { chunk in
                    var registers = [Double](repeating: 0, count: instructions.count * block)
                    var tangents = [Double](repeating: 0, count: instructions.count * block)
                    forEachBlock(in: chunk) { start, lanes in
                        computeValues(
                            columns, start: start, lanes: lanes, stride: block, into: &registers,
                            fillConstants: start == chunk.lowerBound)
                        computeTangents(
                            lanes: lanes, stride: block, values: registers, depends: depends, into: &tangents)
                        Self.copy(registers, from: last, to: valuesOut, at: start, count: lanes)
                        if depends[instructions.count - 1] {
                            Self.copy(tangents, from: last, to: derivativesOut, at: start, count: lanes)
                        }
                    }
                }
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

    /// Calls `body` for each block of `size` lanes in `range` (whole blocks from its start, the last one
    /// partial).
    func forEachBlock(
        in range: Range<Int>, size: Int = Program.blockSize, _ body: (_ start: Int, _ lanes: Int) -> Void
    ) {
        var start = range.lowerBound
        while start < range.upperBound {
            let lanes = Swift.min(size, range.upperBound - start)
            body(start, lanes)
            start += lanes
        }
    }

    /// Points a chunk must have (waking a thread costs about as much as evaluating a few hundred points).
    static let minimumPointsPerChunk = 4_096

    /// Chunks per core at most.
    static let chunksPerCore = 4

    /// Runs `body` over contiguous ranges covering `0..<count`: up to `chunksPerCore` per core when there
    /// are `minimumPointsPerChunk` points per range or more, else one range on this thread. The ranges are
    /// handed out as cores come free, so a core that is busy elsewhere holds up at most one range. Ranges
    /// start on block boundaries, so the blocks are those of a single pass and every lane takes the same
    /// path (vector or scalar libm): the results are the same bits however the batch is split.
    func forEachChunk(count: Int, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.min(Self.cores * Self.chunksPerCore, count / Self.minimumPointsPerChunk)
        guard chunks > 1 else {
            body(0..<count)
            return
        }
        let blocks = (count + Self.blockSize - 1) / Self.blockSize
        // forEach returns only when every chunk has run, so `body` never outlives this call,
        // and the chunks write disjoint ranges of their outputs.
        withoutActuallyEscaping(body) { body in
            let work = ChunkWork(body: body)
            ParallelLoop.forEach(iterations: chunks) { chunk in
                let lower = blocks * chunk / chunks * Self.blockSize
                let upper = Swift.min(count, blocks * (chunk + 1) / chunks * Self.blockSize)
                work.body(lower..<upper)
            }
        }
    }

    static let cores = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Copies `count` lanes of a register, from `offset` in `registers`, to `output` at `start`.
    static func copy(
        _ registers: [Double], from offset: Int, to output: UnsafeMutableBufferPointer<Double>, at start: Int,
        count: Int
    ) {
        registers.withUnsafeBufferPointer { source in
            (output.baseAddress! + start).update(from: source.baseAddress! + offset, count: count)
        }
    }

    /// Runs every instruction over `lanes` points from `start`. With `shift`, over `lanes` points in each
    /// of its groups side by side (`lanes × offsets.count` lanes, see `Shift`), the choice of vector or
    /// scalar libm still made by `lanes`, so each group's values are those of evaluating it alone.
    /// Constants are written only with `fillConstants`: no instruction writes another's register, so
    /// after the first block of a run (the one with the most lanes) they are still in place.
    func computeValues(
        _ columns: [[Double]], start: Int, lanes pointLanes: Int, stride block: Int, into registers: inout [Double],
        shift: Shift? = nil, fillConstants: Bool = true
    ) {
        let lanes = pointLanes * (shift?.offsets.count ?? 1)
        let vectorised = pointLanes >= VectorMath.minimumLanes
        registers.withUnsafeMutableBufferPointer { buffer in
            // Registers as pointers to their first lane: lane loops without index arithmetic (and its
            // overflow checks), which the compiler vectorises.
            let first = buffer.baseAddress!
            let register = { (index: Int) in first + index * block }
            for (index, instruction) in instructions.enumerated() {
                let result = register(index)
                switch instruction {
                case .constant(let value):
                    if fillConstants { result.update(repeating: value, count: lanes) }
                case .variable(let slot):
                    columns[slot].withUnsafeBufferPointer { column in
                        for group in 0..<(shift?.offsets.count ?? 1) {
                            let offset = shift.map { $0.slot == slot ? $0.offsets[group] : 0 } ?? 0
                            Self.fill(result + group * pointLanes, column, from: start, plus: offset, count: pointLanes)
                        }
                    }
                case .negate(let a):
                    let x = register(a)
                    for lane in 0..<lanes { result[lane] = -x[lane] }
                case .unary(let function, let a):
                    let x = register(a)
                    if vectorised, let kernel = VectorMath.kernel(for: function) {
                        kernel(x, result, lanes)
                    } else {
                        for lane in 0..<lanes { result[lane] = Double.evaluate(function, x[lane]) }
                    }
                case .binary(let operation, let a, let b):
                    let (x, y) = (register(a), register(b))
                    guard !vectorised else {
                        Self.computeBlock(operation, x, y, constant: constantValue(b), into: result, lanes: lanes)
                        continue
                    }
                    switch operation {
                    case .add: for lane in 0..<lanes { result[lane] = x[lane] + y[lane] }
                    case .subtract: for lane in 0..<lanes { result[lane] = x[lane] - y[lane] }
                    case .multiply: for lane in 0..<lanes { result[lane] = x[lane] * y[lane] }
                    case .divide: for lane in 0..<lanes { result[lane] = x[lane] / y[lane] }
                    case .power where instructions[b] == .constant(2):
                        // x^2 is x·x (as `Double.evaluate` computes it), in a loop the compiler vectorises.
                        for lane in 0..<lanes { result[lane] = x[lane] * x[lane] }
                    case .power: for lane in 0..<lanes { result[lane] = Double.evaluate(.power, x[lane], y[lane]) }
                    default:
                        for lane in 0..<lanes { result[lane] = Double.evaluate(operation, x[lane], y[lane]) }
                    }
                }
            }
        }
    }

    /// The value of instruction `index` when it is a constant.
    private func constantValue(_ index: Int) -> Double? {
        if case .constant(let value) = instructions[index] { value } else { nil }
    }

    /// `x operation y` over a block's lanes, with the vector kernels where there is one: a division by a
    /// power of two as a multiplication by its reciprocal (both exact, so the same bits), `x^2` as
    /// `x · x` (as `Double.evaluate` computes it), the other operations lane by lane.
    private static func computeBlock(
        _ operation: BinaryOperation, _ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>,
        constant: Double?, into result: UnsafeMutablePointer<Double>, lanes: Int
    ) {
        if operation == .divide, let divisor = constant, let reciprocal = exactReciprocal(of: divisor) {
            VectorMath.scale(x, by: reciprocal, into: result, count: lanes)
        } else if operation == .power, constant == 2 {
            VectorMath.kernel(for: .multiply)!(x, x, result, lanes)
        } else if let kernel = VectorMath.kernel(for: operation) {
            kernel(x, y, result, lanes)
        } else {
            for lane in 0..<lanes { result[lane] = Double.evaluate(operation, x[lane], y[lane]) }
        }
    }

    /// `1 / divisor` when `divisor` is a power of two whose reciprocal is a normal double too: then
    /// `x / divisor` and `x · (1 / divisor)` are the same exact scaling, rounded once, for every x.
    static func exactReciprocal(of divisor: Double) -> Double? {
        guard divisor.isNormal, divisor.significandBitPattern == 0 else { return nil }
        let reciprocal = 1 / divisor
        return reciprocal.isNormal ? reciprocal : nil
    }

    /// Points moved along one variable, evaluated side by side: every register holds `offsets.count`
    /// groups of a block's lanes, group g with variable `slot` at the point plus `offsets[g]` and the
    /// other variables unmoved.
    struct Shift {
        let slot: Int
        let offsets: [Double]
    }

    /// `count` lanes of a variable from `start` in `column` (or its single value, which applies to every
    /// point), plus `offset`; an offset of 0 copies the points exactly (-0 stays -0).
    private static func fill(
        _ lanes: UnsafeMutablePointer<Double>, _ column: UnsafeBufferPointer<Double>, from start: Int,
        plus offset: Double, count: Int
    ) {
        if column.count == 1 {
            lanes.update(repeating: offset == 0 ? column[0] : column[0] + offset, count: count)
        } else if offset == 0 {
            lanes.update(from: column.baseAddress! + start, count: count)
        } else {
            let source = column.baseAddress! + start
            for lane in 0..<count { lanes[lane] = source[lane] + offset }
        }
    }

    /// Forward-mode tangents for one block whose values are computed: each instruction's local
    /// partials (`BlockPartials`) times its operands' tangents.
    private func computeTangents(
        lanes: Int, stride block: Int, values: [Double], depends: [Bool], into tangents: inout [Double]
    ) {
        values.withUnsafeBufferPointer { values in
            tangents.withUnsafeMutableBufferPointer { tangents in
                // The partials of one instruction with respect to its first and second operand.
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * lanes) { partials in
                    let (dx, dy) = (partials.baseAddress!, partials.baseAddress! + lanes)
                    let (firstValue, firstTangent) = (values.baseAddress!, tangents.baseAddress!)
                    let value = { (index: Int) in firstValue + index * block }
                    let tangent = { (index: Int) in firstTangent + index * block }
                    for (index, instruction) in instructions.enumerated() where depends[index] {
                        let result = tangent(index)
                        switch instruction {
                        case .constant: break
                        case .variable:
                            result.update(repeating: 1, count: lanes)
                        case .negate(let a):
                            let tx = tangent(a)
                            for lane in 0..<lanes { result[lane] = -tx[lane] }
                        case .unary(let function, let a):
                            BlockPartials.derivative(
                                of: function, at: value(a), values: value(index), into: dx, lanes: lanes)
                            let tx = tangent(a)
                            for lane in 0..<lanes { result[lane] = dx[lane] * tx[lane] }
                        case .binary(let operation, let a, let b):
                            // Only the partials of operands that depend on the variable (x^2 at negative
                            // x never computes log x).
                            let (x, y, z) = (value(a), value(b), value(index))
                            if depends[a] {
                                BlockPartials.leftPartial(of: operation, x, y, values: z, into: dx, lanes: lanes)
                            }
                            if depends[b] {
                                BlockPartials.rightPartial(of: operation, x, y, values: z, into: dy, lanes: lanes)
                            }
                            let (tx, ty) = (tangent(a), tangent(b))
                            switch (depends[a], depends[b]) {
                            case (true, false): for lane in 0..<lanes { result[lane] = dx[lane] * tx[lane] }
                            case (false, true): for lane in 0..<lanes { result[lane] = dy[lane] * ty[lane] }
                            default:
                                for lane in 0..<lanes { result[lane] = dx[lane] * tx[lane] + dy[lane] * ty[lane] }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A chunk's work handed to the loop's threads: each call touches only its own range.
private struct ChunkWork: @unchecked Sendable {
    let body: (Range<Int>) -> Void
}
