@testable import Calculus
import Testing

/// The arithmetic kernels (+, −, ×, ÷ over arrays, eight or four lanes at a time) and the division by a
/// power of two done as a multiplication: the same bits as one Swift operation at a time.
@Suite struct ArithmeticKernelTests {
    /// Ordinary, tiny, huge and special operands, as x and as y.
    static let operands: [Double] = {
        let specials: [Double] = [
            0, -0.0, 1, -1, 3, 0.1, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNormalMagnitude,
            .leastNormalMagnitude / 3, .greatestFiniteMagnitude, -1e300, 1e-300, 2, 0.5,
        ]
        // A deterministic spread over many magnitudes: (k · golden ratio mod 1) scaled by 10^(k mod 41 − 20).
        let spread = (0..<983).map { k -> Double in
            let fraction = (Double(k) * 0.618_033_988_749_894_8).truncatingRemainder(dividingBy: 1) - 0.5
            return fraction * Double.pow10(k % 41 - 20)
        }
        return specials + spread
    }()

    @Test(arguments: [BinaryOperation.add, .subtract, .multiply, .divide])
    func kernelsGiveTheBitsOfOneOperationAtATime(_ operation: BinaryOperation) throws {
        let kernel = try #require(VectorMath.kernel(for: operation))
        let x = Self.operands
        let y = Array(Self.operands.reversed().dropFirst(7) + Self.operands.prefix(7))
        // Every length up to 19 (whole vectors and every tail), then the whole array from several starts.
        let calls: [(start: Int, count: Int)] =
            (0...19).map { (0, $0) } + [(0, x.count), (1, x.count - 1), (5, x.count - 9)]
        for call in calls {
            var results = [Double](repeating: 42, count: x.count)
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    results.withUnsafeMutableBufferPointer { r in
                        kernel(
                            x.baseAddress! + call.start, y.baseAddress! + call.start, r.baseAddress! + call.start,
                            call.count)
                    }
                }
            }
            for index in call.start..<(call.start + call.count) {
                let expected = Double.evaluate(operation, x[index], y[index])
                #expect(
                    identical(results[index], expected),
                    "\(x[index]) \(operation) \(y[index]) = \(results[index]), expected \(expected)")
            }
            // Nothing written outside the call's range.
            #expect(results[..<call.start].allSatisfy { $0 == 42 })
            #expect(results[(call.start + call.count)...].allSatisfy { $0 == 42 })
        }
    }

    @Test func aPowerOfTwoHasAnExactReciprocalAndNothingElseDoes() {
        #expect(Program.exactReciprocal(of: 2) == 0.5)
        #expect(Program.exactReciprocal(of: 0.25) == 4)
        #expect(Program.exactReciprocal(of: -8) == -0.125)
        #expect(Program.exactReciprocal(of: 0x1p-1022) == 0x1p1022)
        for divisor in [3, 0.1, 0, -0.0, .infinity, .nan, 0x1p1023, .leastNonzeroMagnitude, 1e300] as [Double] {
            #expect(Program.exactReciprocal(of: divisor) == nil, "\(divisor)")
        }
    }

    @Test(arguments: [2.0, 0.5, -4, 0x1p-1022, 0x1p1000, 1])
    func dividingByAPowerOfTwoIsScalingByItsReciprocal(_ divisor: Double) throws {
        let reciprocal = try #require(Program.exactReciprocal(of: divisor))
        var scaled = [Double](repeating: 0, count: Self.operands.count)
        VectorMath.scale(Self.operands, by: reciprocal, into: &scaled, count: Self.operands.count)
        for (x, result) in zip(Self.operands, scaled) {
            #expect(identical(result, x / divisor), "\(x) / \(divisor): \(result), expected \(x / divisor)")
        }
    }

    /// A batch (blocks through the kernels) and each point alone (scalar arithmetic) give the same bits
    /// for an expression of arithmetic only, divisions by powers of two and by other numbers included.
    @Test func aBatchOfArithmeticIsEveryPointAloneToTheBit() throws {
        let expression = try Parser.parse("x/4 - 3/x + x^2/2 - (x + 1)*(x - 0.1)/0.25 - x/3").expression
        let program = try Program(expression, variables: ["x"])
        let points = (0..<1003).map { -3 + 6 * Double($0) / 1002 }
        let batch = program.values(at: [points])
        for (index, x) in points.enumerated() {
            let alone = program.values(at: [[x]])[0]
            #expect(identical(batch[index], alone), "at \(x): \(batch[index]) in the batch, \(alone) alone")
        }
    }
}

/// The same bits (any NaN matches any NaN).
private func identical(_ a: Double, _ b: Double) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
}

extension Double {
    fileprivate static func pow10(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<abs(exponent) { value *= 10 }
        return exponent < 0 ? 1 / value : value
    }
}
