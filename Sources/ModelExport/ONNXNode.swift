/// One operator applied in a graph (`NodeProto`): it reads values by name and writes new ones.
public struct ONNXNode: Sendable, Equatable {
    /// The names of the values it reads, in the operator's order.
    public var inputs: [String]
    /// The names of the values it writes.
    public var outputs: [String]
    /// The node's own name, for people and error messages.
    public var name: String
    /// The operator, e.g. `Gemm`, from the default domain.
    public var operatorType: String
    /// The operator's attributes.
    public var attributes: [ONNXAttribute]

    /// `operatorType` named `name`, from `inputs` to `outputs`.
    public init(
        _ operatorType: String, name: String, inputs: [String], outputs: [String], attributes: [ONNXAttribute] = []
    ) {
        self.operatorType = operatorType
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    /// 1 input, 2 output, 3 name, 4 op_type, 5 attribute.
    func encode(into writer: inout ProtobufWriter) {
        for input in inputs { writer.string(1, input) }
        for output in outputs { writer.string(2, output) }
        writer.string(3, name)
        writer.string(4, operatorType)
        for attribute in attributes { writer.message(5) { attribute.encode(into: &$0) } }
    }
}

/// A named attribute of a node (`AttributeProto`); only the kinds Nabla's graphs use.
public struct ONNXAttribute: Sendable, Equatable {
    /// An attribute's value.
    public enum Value: Sendable, Equatable {
        /// An integer (`INT`, type 2, in field 3 `i`).
        case integer(Int64)
    }

    /// The attribute's name, as the operator defines it (e.g. `axis`).
    public var name: String
    /// Its value.
    public var value: Value

    /// The attribute `name` = `value`.
    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    /// 1 name, then the value's field, then 20 type (the `AttributeType` enum).
    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, name)
        switch value {
        case .integer(let integer):
            writer.int64(3, integer)
            writer.int64(20, 2)
        }
    }
}
