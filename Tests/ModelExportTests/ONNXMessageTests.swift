import Testing

@testable import ModelExport

/// ONNX's messages against encodings worked out by hand from onnx.proto's field numbers (ONNX 1.23),
/// each field in ascending number order as protobuf's serializers write them.
@Suite struct ONNXMessageTests {
    static func written(_ encode: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var writer = ProtobufWriter()
        encode(&writer)
        return writer.bytes
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }

    @Test func anOperatorSetIsItsDomainThenItsVersion() {
        // OperatorSetIdProto: 1 domain (empty: ai.onnx), 2 version.
        #expect(Self.written { ONNXOperatorSet(version: 13).encode(into: &$0) } == [0x0A, 0x00, 0x10, 0x0D])
    }

    @Test func anIntegerAttributeCarriesItsTypeTwo() {
        // AttributeProto: 1 name, 3 i, 20 type = INT (2).
        let bytes = Self.written { ONNXAttribute("axis", .integer(-1)).encode(into: &$0) }
        #expect(
            bytes == [0x0A, 0x04] + Self.text("axis") + [0x18] + Array(repeating: 0xFF, count: 9) + [
                0x01, 0xA0, 0x01, 0x02,
            ])
    }

    @Test func aNodeListsInputsOutputsNameAndOperator() {
        // NodeProto: 1 input, 2 output, 3 name, 4 op_type, 5 attribute.
        let node = ONNXNode("Gemm", name: "g", inputs: ["x", "w", "b"], outputs: ["z"])
        let bytes = Self.written { node.encode(into: &$0) }
        let expected: [[UInt8]] = [
            [0x0A, 0x01, 0x78], [0x0A, 0x01, 0x77], [0x0A, 0x01, 0x62], [0x12, 0x01, 0x7A], [0x1A, 0x01, 0x67],
            [0x22, 0x04] + Self.text("Gemm"),
        ]
        #expect(bytes == expected.flatMap { $0 })
        let softmax = ONNXNode(
            "Softmax", name: "s", inputs: ["z"], outputs: ["y"], attributes: [.init("axis", .integer(1))])
        #expect(
            Self.written { softmax.encode(into: &$0) }
                == [0x0A, 0x01, 0x7A, 0x12, 0x01, 0x79, 0x1A, 0x01, 0x73, 0x22, 0x07] + Self.text("Softmax")
                + [0x2A, 0x0B, 0x0A, 0x04] + Self.text("axis") + [0x18, 0x01, 0xA0, 0x01, 0x02])  // 11 bytes
    }

    @Test func aTensorIsDimensionsTypeDoubleNameAndRawLittleEndianData() {
        // TensorProto: 1 dims (unpacked, one key each), 2 data_type = DOUBLE (11), 8 name, 9 raw_data.
        let tensor = ONNXTensor(name: "b", dimensions: [1, 2], values: [0.5, 2])
        #expect(
            Self.written { tensor.encode(into: &$0) } == [
                0x08, 0x01, 0x08, 0x02, 0x10, 0x0B, 0x42, 0x01, 0x62, 0x4A, 0x10,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x3F,  // 0.5
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40,  // 2.0
            ])
    }

    @Test func aValueInfoNestsTypeTensorShapeAndDimensions() {
        // ValueInfoProto { 1 name, 2 type: TypeProto { 1 tensor_type: { 1 elem_type, 2 shape:
        // TensorShapeProto { 1 dim: { 2 dim_param }, 1 dim: { 1 dim_value } } } } }.
        let info = ONNXValueInfo(name: "x", shape: [.named("rows"), .size(3)])
        let rows: [UInt8] = [0x0A, 0x06, 0x12, 0x04] + Self.text("rows")
        let three: [UInt8] = [0x0A, 0x02, 0x08, 0x03]
        let shape: [UInt8] = [0x12, 0x0C] + rows + three
        let tensorType: [UInt8] = [0x0A, 0x10, 0x08, 0x0B] + shape
        #expect(Self.written { info.encode(into: &$0) } == [0x0A, 0x01, 0x78, 0x12, 0x12] + tensorType)
    }

    @Test func aModelWritesItsFieldsInNumberOrder() {
        let graph = ONNXGraph(
            name: "g", nodes: [ONNXNode("Relu", name: "r", inputs: ["x"], outputs: ["y"])], initializers: [],
            inputs: [ONNXValueInfo(name: "x", shape: [.size(1)])],
            outputs: [ONNXValueInfo(name: "y", shape: [.size(1)])])
        let model = ONNXModel(
            irVersion: 7, operatorSets: [ONNXOperatorSet(version: 13)], producerName: "n", producerVersion: "1",
            documentation: "d", graph: graph, metadata: [ONNXMetadataProperty(key: "k", value: "v")])
        let node: [UInt8] = [0x0A, 0x01, 0x78, 0x12, 0x01, 0x79, 0x1A, 0x01, 0x72, 0x22, 0x04] + Self.text("Relu")
        func info(_ name: UInt8) -> [UInt8] {
            [0x0A, 0x01, name, 0x12, 0x0A, 0x0A, 0x08, 0x08, 0x0B, 0x12, 0x04, 0x0A, 0x02, 0x08, 0x01]
        }
        let graphBytes: [UInt8] =
            [0x0A, UInt8(node.count)] + node + [0x12, 0x01, 0x67] + [0x5A, 0x0F] + info(0x78) + [0x62, 0x0F]
            + info(0x79)
        let expected: [UInt8] =
            [0x08, 0x07, 0x12, 0x01, 0x6E, 0x1A, 0x01, 0x31, 0x32, 0x01, 0x64]  // 1 ir, 2 producer, 3 version, 6 doc
            + [0x3A, UInt8(graphBytes.count)] + graphBytes  // 7 graph
            + [0x42, 0x04, 0x0A, 0x00, 0x10, 0x0D]  // 8 opset_import
            + [0x72, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76]  // 14 metadata_props
        #expect(model.serialized() == expected)
    }
}
