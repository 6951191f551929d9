/// A constant float64 tensor (`TensorProto` with data type `DOUBLE`), its values in row-major order.
public struct ONNXTensor: Sendable, Equatable {
    /// `TensorProto.DataType.DOUBLE`.
    static let doubleElementType: Int64 = 11

    /// The name nodes read it by.
    public var name: String
    /// The size of each dimension, outermost first.
    public var dimensions: [Int64]
    /// The values, row-major: the product of `dimensions` of them.
    public var values: [Double]

    /// The tensor `name` of shape `dimensions` holding `values` (row-major).
    public init(name: String, dimensions: [Int64], values: [Double]) {
        precondition(
            dimensions.reduce(1, *) == Int64(values.count), "a tensor holds one value per element of its shape")
        self.name = name
        self.dimensions = dimensions
        self.values = values
    }

    /// 1 dims (one field per dimension: `repeated int64` is not packed in onnx.proto, a proto2
    /// file), 2 data_type, 8 name, 9 raw_data (little-endian float64s).
    func encode(into writer: inout ProtobufWriter) {
        for dimension in dimensions { writer.int64(1, dimension) }
        writer.int64(2, Self.doubleElementType)
        writer.string(8, name)
        writer.littleEndianDoubles(9, values)
    }
}
