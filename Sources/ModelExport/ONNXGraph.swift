/// An ONNX graph (`GraphProto`): nodes in an order where each node's inputs are computed before it,
/// the constant tensors they read (initializers), and the graph's named inputs and outputs.
public struct ONNXGraph: Sendable, Equatable {
    /// The graph's name.
    public var name: String
    /// The computation, in topological order.
    public var nodes: [ONNXNode]
    /// Constant tensors, read by name like values.
    public var initializers: [ONNXTensor]
    /// What a caller feeds.
    public var inputs: [ONNXValueInfo]
    /// What the graph gives back.
    public var outputs: [ONNXValueInfo]

    /// A graph of `nodes` over `initializers`, from `inputs` to `outputs`.
    public init(
        name: String, nodes: [ONNXNode], initializers: [ONNXTensor], inputs: [ONNXValueInfo],
        outputs: [ONNXValueInfo]
    ) {
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
    }

    /// 1 node, 2 name, 5 initializer, 11 input, 12 output.
    func encode(into writer: inout ProtobufWriter) {
        for node in nodes { writer.message(1) { node.encode(into: &$0) } }
        writer.string(2, name)
        for tensor in initializers { writer.message(5) { tensor.encode(into: &$0) } }
        for input in inputs { writer.message(11) { input.encode(into: &$0) } }
        for output in outputs { writer.message(12) { output.encode(into: &$0) } }
    }
}

/// A graph input's or output's name, element type and shape (`ValueInfoProto` holding a tensor
/// `TypeProto`). Nabla's tensors are float64.
public struct ONNXValueInfo: Sendable, Equatable {
    /// One dimension of a shape.
    public enum Dimension: Sendable, Equatable {
        /// A fixed size.
        case size(Int64)
        /// A size named, not fixed (`dim_param`), e.g. the number of rows.
        case named(String)
    }

    /// The value's name.
    public var name: String
    /// The tensor's shape.
    public var shape: [Dimension]

    /// A float64 tensor called `name` of `shape`.
    public init(name: String, shape: [Dimension]) {
        self.name = name
        self.shape = shape
    }

    /// 1 name, 2 type: `TypeProto` { 1 tensor_type: { 1 elem_type, 2 shape: `TensorShapeProto`
    /// { 1 dim: { 1 dim_value | 2 dim_param } } } }.
    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, name)
        writer.message(2) { type in
            type.message(1) { tensorType in
                tensorType.int64(1, ONNXTensor.doubleElementType)
                tensorType.message(2) { shapeWriter in
                    for dimension in shape {
                        shapeWriter.message(1) { dimensionWriter in
                            switch dimension {
                            case .size(let size): dimensionWriter.int64(1, size)
                            case .named(let name): dimensionWriter.string(2, name)
                            }
                        }
                    }
                }
            }
        }
    }
}
