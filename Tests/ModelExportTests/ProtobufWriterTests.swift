import Testing

@testable import ModelExport

/// The writer's bytes against encodings worked out by hand from protobuf's encoding guide
/// (https://protobuf.dev/programming-guides/encoding/), whose own examples are among them.
@Suite struct ProtobufWriterTests {
    static func written(_ write: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var writer = ProtobufWriter()
        write(&writer)
        return writer.bytes
    }

    static let varints: [(value: UInt64, bytes: [UInt8])] = [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (150, [0x96, 0x01]),  // the guide's example: 1001_0110 0000_0001
        (300, [0xAC, 0x02]),
        (16_384, [0x80, 0x80, 0x01]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: varints)
    func varintsHoldSevenBitsPerByteLeastSignificantFirst(_ value: UInt64, _ expected: [UInt8]) {
        #expect(Self.written { $0.varint(value) } == expected)
    }

    @Test func keysJoinTheFieldNumberAndTheWireType() {
        #expect(Self.written { $0.key(1, .varint) } == [0x08])
        #expect(Self.written { $0.key(2, .lengthDelimited) } == [0x12])
        #expect(Self.written { $0.key(15, .lengthDelimited) } == [0x7A])
        // 20 << 3 = 160 needs two bytes: AttributeProto's `type`.
        #expect(Self.written { $0.key(20, .varint) } == [0xA0, 0x01])
    }

    @Test func integersAreVarintsAndNegativesTheirSixtyFourBitTwosComplement() {
        // The guide's Test1 { a: 150 }.
        #expect(Self.written { $0.int64(1, 150) } == [0x08, 0x96, 0x01])
        #expect(Self.written { $0.int64(3, -1) } == [0x18] + Array(repeating: 0xFF, count: 9) + [0x01])
        #expect(Self.written { $0.int64(1, -2) } == [0x08, 0xFE] + Array(repeating: 0xFF, count: 8) + [0x01])
        #expect(Self.written { $0.int64(2, Int64.min) } == [0x10] + Array(repeating: 0x80, count: 9) + [0x01])
    }

    @Test func stringsAreTheirLengthThenTheirUTF8() {
        // The guide's Test2 { b: "testing" }.
        #expect(Self.written { $0.string(2, "testing") } == [0x12, 0x07] + Array("testing".utf8))
        #expect(Self.written { $0.string(2, "") } == [0x12, 0x00])
        #expect(Self.written { $0.string(1, "σ") } == [0x0A, 0x02, 0xCF, 0x83])
    }

    @Test func doublesAreLittleEndianIEEE754() {
        let bytes = Self.written { $0.littleEndianDoubles(9, [1.0, -2.0, 0.1]) }
        #expect(
            bytes == [
                0x4A, 0x18,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,  // 1.0 = 0x3FF0_0000_0000_0000
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0,  // -2.0 = 0xC000_0000_0000_0000
                0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xB9, 0x3F,  // 0.1 = 0x3FB9_9999_9999_999A
            ])
        #expect(Self.written { $0.littleEndianDoubles(9, []) } == [0x4A, 0x00])
    }

    @Test func messagesAreLengthDelimitedWhateverTheirDepth() {
        // The guide's Test3 { c: Test1 { a: 150 } }.
        #expect(Self.written { $0.message(3) { $0.int64(1, 150) } } == [0x1A, 0x03, 0x08, 0x96, 0x01])
        #expect(Self.written { $0.message(1) { _ in } } == [0x0A, 0x00])
        let nested = Self.written { outer in
            outer.int64(1, 1)
            outer.message(2) { middle in middle.message(3) { $0.string(4, "ab") } }
            outer.int64(5, 2)
        }
        #expect(nested == [0x08, 0x01, 0x12, 0x06, 0x1A, 0x04, 0x22, 0x02, 0x61, 0x62, 0x28, 0x02])
    }

    @Test func aMessageOfAHundredAndTwentyEightBytesOrMoreHasATwoByteLength() {
        let payload = (0..<200).map { UInt8($0) }
        let bytes = Self.written { $0.message(1) { $0.bytes(1, payload) } }
        // Inner: key 0x0A, length 200 = 0xC8 0x01, payload: 203 bytes = 0xCB 0x01.
        #expect(bytes == [0x0A, 0xCB, 0x01, 0x0A, 0xC8, 0x01] + payload)
    }
}
