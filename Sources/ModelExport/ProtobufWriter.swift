/// Protocol Buffers' binary wire format, written field by field: the few field kinds ONNX's messages
/// need (varints, strings, bytes, float64 arrays as bytes, nested messages).
///
/// Each field is a key, `(field number << 3) | wire type`, as a varint, then its value: a varint (wire
/// type 0), or a length as a varint followed by that many bytes (wire type 2). A varint holds 7 bits
/// per byte, least significant first, with the high bit set on every byte but the last; a negative
/// `int64` or `int32` is its 64-bit two's complement, so always 10 bytes.
/// (https://protobuf.dev/programming-guides/encoding/)
///
/// Callers write a message's fields in ascending field-number order, as protobuf's own serializers
/// do, so that a message parsed and serialized again by them comes back byte for byte.
struct ProtobufWriter {
    /// How a field's value is laid out.
    enum WireType: UInt8 {
        /// A varint.
        case varint = 0
        /// A length (varint), then that many bytes: strings, bytes, messages, packed arrays.
        case lengthDelimited = 2
    }

    /// What has been written so far.
    private(set) var bytes: [UInt8] = []

    /// An empty message.
    init() {}

    /// `value` as a varint, with no key.
    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// The key of field `field` with `wireType`.
    mutating func key(_ field: Int, _ wireType: WireType) {
        precondition(field >= 1 && field < 1 << 29, "protobuf field numbers are 1 to 2^29 - 1")
        varint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    /// An `int64`, `int32` or enum field: a varint of the value's two's complement.
    mutating func int64(_ field: Int, _ value: Int64) {
        key(field, .varint)
        varint(UInt64(bitPattern: value))
    }

    /// A `string` field, as UTF-8.
    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    /// A `bytes` field.
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `bytes` field holding `values` as IEEE 754 float64s, little-endian, 8 bytes each (ONNX's
    /// `raw_data`; the same bytes as a packed `repeated double`).
    mutating func littleEndianDoubles(_ field: Int, _ values: [Double]) {
        key(field, .lengthDelimited)
        varint(UInt64(values.count) * 8)
        bytes.reserveCapacity(bytes.count + values.count * 8)
        for value in values {
            let bits = value.bitPattern
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
        }
    }

    /// An embedded message field, whose fields `body` writes.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        key(field, .lengthDelimited)
        // The body is written in place, then its length is inserted before it: one move of the body
        // per level of nesting, instead of a copy of every nested message into its parent.
        let start = bytes.count
        body(&self)
        var length = ProtobufWriter()
        length.varint(UInt64(bytes.count - start))
        bytes.insert(contentsOf: length.bytes, at: start)
    }
}
