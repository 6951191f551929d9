/// Local partial derivatives of one instruction over a block of lanes, for forward mode (times the
/// operands' tangents) and reverse mode (times the result's adjoint).
///
/// The formulas are `FunctionTable`'s. A few are written out here so that their loops vectorise
/// instead of calling the table lane by lane: the arithmetic operators, and the functions whose
/// derivative needs a transcendental function (computed with `VectorMath`'s kernels on blocks of
/// at least `VectorMath.minimumLanes` lanes, like the values) or can be read from the function's
/// value. Each gives the bits the table would give with the same libm as the values;
/// `VectorMathTests` checks that against the table.
enum BlockPartials {
    /// f'(x) in each lane, where `values` holds f(x) as `Program.computeValues` computed it.
    static func derivative(
        of function: UnaryFunction, at x: UnsafePointer<Double>, values: UnsafePointer<Double>,
        into partials: UnsafeMutablePointer<Double>, lanes: Int
    ) {
        let kernelsApply = lanes >= VectorMath.minimumLanes
        switch function {
        // sin' = cos, cos' = -sin.
        case .sin where kernelsApply: VectorMath.kernel(for: .cos)!(x, partials, lanes)
        case .cos where kernelsApply:
            VectorMath.kernel(for: .sin)!(x, partials, lanes)
            for lane in 0..<lanes { partials[lane] = -partials[lane] }
        // From the value, computed by the libm the table's formula would call: exp' = exp,
        // tan' = 1 + tan², tanh' = 1 - tanh², sqrt' = 1/(2 sqrt), sigmoid' = sigmoid (1 - sigmoid).
        case .exp: partials.update(from: values, count: lanes)
        case .tan: for lane in 0..<lanes { partials[lane] = 1 + values[lane] * values[lane] }
        case .tanh: for lane in 0..<lanes { partials[lane] = 1 - values[lane] * values[lane] }
        case .sqrt: for lane in 0..<lanes { partials[lane] = 1 / (2 * values[lane]) }
        case .sigmoid: for lane in 0..<lanes { partials[lane] = values[lane] * (1 - values[lane]) }
        // log' = 1/x.
        case .log: for lane in 0..<lanes { partials[lane] = 1 / x[lane] }
        default:
            for lane in 0..<lanes { partials[lane] = FunctionTable.derivative(of: function, at: x[lane]) }
        }
    }

    /// ∂(x ∘ y)/∂x in each lane, where `values` holds x ∘ y.
    static func leftPartial(
        of operation: BinaryOperation, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>,
        values: UnsafePointer<Double>, into partials: UnsafeMutablePointer<Double>, lanes: Int
    ) {
        switch operation {
        case .add, .subtract: partials.update(repeating: 1, count: lanes)
        case .multiply: partials.update(from: y, count: lanes)
        case .divide: for lane in 0..<lanes { partials[lane] = 1 / y[lane] }
        case .power: for lane in 0..<lanes { partials[lane] = y[lane] * Double.evaluate(.power, x[lane], y[lane] - 1) }
        default:
            for lane in 0..<lanes {
                partials[lane] = FunctionTable.leftPartial(of: operation, x[lane], y[lane], value: values[lane])
            }
        }
    }

    /// ∂(x ∘ y)/∂y in each lane, where `values` holds x ∘ y.
    static func rightPartial(
        of operation: BinaryOperation, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>,
        values: UnsafePointer<Double>, into partials: UnsafeMutablePointer<Double>, lanes: Int
    ) {
        switch operation {
        case .add: partials.update(repeating: 1, count: lanes)
        case .subtract: partials.update(repeating: -1, count: lanes)
        case .multiply: partials.update(from: x, count: lanes)
        case .divide: for lane in 0..<lanes { partials[lane] = -(values[lane] / y[lane]) }
        default:
            for lane in 0..<lanes {
                partials[lane] = FunctionTable.rightPartial(of: operation, x[lane], y[lane], value: values[lane])
            }
        }
    }
}
