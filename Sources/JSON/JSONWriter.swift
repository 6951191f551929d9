/// Writes a `JSONValue` as compact UTF-8 JSON. Always valid JSON: a non-finite number (which JSON
/// cannot express) is written as `null`, so it can never fail or turn into a 500. Handlers that must
/// tell the client about a non-finite value say so before building the document.
///
/// The document is written through a pointer into one allocation sized for the longest text the value
/// can have (`maximumCount`), left uninitialised until written: a large answer is megabytes, and
/// neither growing copies nor clearing memory first are worth paying for.
public enum JSONWriter {
    /// The document's bytes.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: maximumCount(value)) { buffer, count in
            count = write(value, to: buffer.baseAddress!)
        }
    }

    /// The document as a `String`.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// Writes `value` at `output`, which has room for `maximumCount(value)` bytes; returns the bytes written.
    private static func write(_ value: JSONValue, to output: UnsafeMutablePointer<UInt8>) -> Int {
        switch value {
        case .null: return copy("null".utf8, to: output)
        case .bool(let flag): return copy((flag ? "true" : "false").utf8, to: output)
        case .number(let number): return NumberText.write(number, to: output)
        case .numbers(let numbers): return writeNumbers(numbers, to: output)
        case .encoded(let bytes): return copy(bytes, to: output)
        case .string(let text): return writeString(text, to: output)
        case .array(let elements):
            output[0] = UInt8(ascii: "[")
            var count = 1
            for (offset, element) in elements.enumerated() {
                if offset > 0 {
                    output[count] = UInt8(ascii: ",")
                    count += 1
                }
                count += write(element, to: output + count)
            }
            output[count] = UInt8(ascii: "]")
            return count + 1
        case .object(let members):
            output[0] = UInt8(ascii: "{")
            var count = 1
            for (offset, member) in members.enumerated() {
                if offset > 0 {
                    output[count] = UInt8(ascii: ",")
                    count += 1
                }
                count += writeString(member.key, to: output + count)
                output[count] = UInt8(ascii: ":")
                count += 1
                count += write(member.value, to: output + count)
            }
            output[count] = UInt8(ascii: "}")
            return count + 1
        }
    }

    /// The most bytes `write` can produce for `value`: a number's longest text, six bytes (`\u001f`) per
    /// byte of a string, the separators.
    static func maximumCount(_ value: JSONValue) -> Int {
        switch value {
        case .null, .bool: 5
        case .number: NumberText.maxLength
        case .numbers(let numbers): numbersMaximumCount(numbers.count)
        case .encoded(let bytes): bytes.count
        case .string(let text): stringMaximumCount(text)
        case .array(let elements): elements.reduce(2 + elements.count) { $0 + maximumCount($1) }
        case .object(let members):
            members.reduce(2 + 2 * members.count) { $0 + stringMaximumCount($1.key) + maximumCount($1.value) }
        }
    }

    private static func stringMaximumCount(_ text: String) -> Int { 2 + 6 * text.utf8.count }

    private static func copy(_ bytes: some Collection<UInt8>, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes {
            output[count] = byte
            count += 1
        }
        return count
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    private static func writeString(_ text: String, to output: UnsafeMutablePointer<UInt8>) -> Int {
        output[0] = UInt8(ascii: "\"")
        var count = 1
        func append(_ byte: UInt8) {
            output[count] = byte
            count += 1
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                append(UInt8(ascii: "\\"))
                append(byte)
            case 0x0A:
                append(UInt8(ascii: "\\"))
                append(UInt8(ascii: "n"))
            case 0x0D:
                append(UInt8(ascii: "\\"))
                append(UInt8(ascii: "r"))
            case 0x09:
                append(UInt8(ascii: "\\"))
                append(UInt8(ascii: "t"))
            case 0x00..<0x20:
                for escape in "\\u00".utf8 { append(escape) }
                append(hexDigits.utf8Start[Int(byte >> 4)])
                append(hexDigits.utf8Start[Int(byte & 0x0F)])
            default: append(byte)
            }
        }
        append(UInt8(ascii: "\""))
        return count
    }
}
