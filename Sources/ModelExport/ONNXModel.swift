/// An ONNX model (`ModelProto` of onnx.proto): the graph, the operator sets it uses, who made it and
/// free-form metadata. `serialized()` gives the bytes of a `.onnx` file.
public struct ONNXModel: Sendable, Equatable {
    /// The ONNX IR version the file follows (`ir_version`).
    public var irVersion: Int64
    /// The operator sets the graph's nodes come from (`opset_import`).
    public var operatorSets: [ONNXOperatorSet]
    /// The tool that wrote the model (`producer_name`).
    public var producerName: String
    /// Its version (`producer_version`).
    public var producerVersion: String
    /// What the model is, for people; empty for none (`doc_string`).
    public var documentation: String
    /// The computation.
    public var graph: ONNXGraph
    /// Key-value pairs a reader may show or use (`metadata_props`), in order.
    public var metadata: [ONNXMetadataProperty]

    /// A model of `graph` with every part given.
    public init(
        irVersion: Int64, operatorSets: [ONNXOperatorSet], producerName: String, producerVersion: String,
        documentation: String = "", graph: ONNXGraph, metadata: [ONNXMetadataProperty] = []
    ) {
        self.irVersion = irVersion
        self.operatorSets = operatorSets
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.documentation = documentation
        self.graph = graph
        self.metadata = metadata
    }

    /// The model in protobuf's binary encoding: the contents of a `.onnx` file.
    public func serialized() -> [UInt8] {
        var writer = ProtobufWriter()
        encode(into: &writer)
        return writer.bytes
    }

    /// Fields in ascending number order: 1 ir_version, 2 producer_name, 3 producer_version,
    /// 6 doc_string, 7 graph, 8 opset_import, 14 metadata_props.
    func encode(into writer: inout ProtobufWriter) {
        writer.int64(1, irVersion)
        writer.string(2, producerName)
        writer.string(3, producerVersion)
        if !documentation.isEmpty { writer.string(6, documentation) }
        writer.message(7) { graph.encode(into: &$0) }
        for operatorSet in operatorSets { writer.message(8) { operatorSet.encode(into: &$0) } }
        for property in metadata { writer.message(14) { property.encode(into: &$0) } }
    }
}

/// One operator set a model imports (`OperatorSetIdProto`): a domain and its version.
public struct ONNXOperatorSet: Sendable, Equatable {
    /// The domain; empty for the default one, `ai.onnx`.
    public var domain: String
    /// The operator set version: each node's operator is taken as it was defined in that version.
    public var version: Int64

    /// The operator set `version` of `domain`.
    public init(domain: String = "", version: Int64) {
        self.domain = domain
        self.version = version
    }

    /// 1 domain (written even when empty, as ONNX's own helpers do), 2 version.
    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, domain)
        writer.int64(2, version)
    }
}

/// A key-value pair of a model's metadata (`StringStringEntryProto`).
public struct ONNXMetadataProperty: Sendable, Equatable {
    /// The key.
    public var key: String
    /// The value.
    public var value: String

    /// The pair `key`: `value`.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// 1 key, 2 value.
    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, key)
        writer.string(2, value)
    }
}
