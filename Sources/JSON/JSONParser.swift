/// Where and why a JSON text could not be parsed.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, e.g. "expected ',' or '}' after an object member".
    public var reason: String
    /// 1-based line and column (in bytes) of the offending character.
    public var line: Int
    public var column: Int

    public var description: String { "\(reason) at line \(line), column \(column)" }
}

/// A strict RFC 8259 parser over UTF-8 bytes, built for untrusted input:
/// - nesting deeper than `maxDepth` is refused before recursing further (no stack overflow);
/// - duplicate object keys are refused, naming the key (RFC 8259 leaves them undefined);
/// - numbers that do not fit a finite `Double` (`1e400`) are refused; `NaN`/`Infinity` are not JSON;
/// - invalid UTF-8, unescaped control characters, lone surrogates, trailing commas, a BOM and
///   anything after the value are refused.
/// Every error carries its line and column.
public struct JSONParser: Sendable {
    // `bytes`, `index`, `peek`, `skipWhitespace` and `error` are internal for the grammar rules in
    // `JSONParser+*.swift`.
    let bytes: [UInt8]
    private let maxDepth: Int
    private let numberArrays: Bool
    var index = 0
    private var depth = 0

    /// Parses one complete JSON text. With `numberArrays`, every non-empty array of numbers alone comes
    /// back as `.numbers` (read straight into `[Double]`, without a `JSONValue` per element), for readers
    /// that take large arrays of numbers and match `.numbers`; otherwise arrays are always `.array`. The
    /// text accepted and the errors are the same either way.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64, numberArrays: Bool = false)
        throws(JSONParseError) -> JSONValue
    {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth, numberArrays: numberArrays)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected content after the JSON value") }
        return value
    }

    init(bytes: [UInt8], maxDepth: Int, numberArrays: Bool) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.numberArrays = numberArrays
    }

    // value = object / array / string / number / "true" / "false" / "null"
    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("expected a JSON value, found the end of the input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        default: throw error("expected a JSON value")
        }
    }

    // object = "{" [ string ":" value *( "," string ":" value ) ] "}"
    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterNesting()
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        var keys = Set<String>()  // filled only for large objects; small ones are scanned
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw error("expected a string key in the object") }
            let keyStart = index
            let key = try parseString()
            let isDuplicate: Bool
            if members.count < 16 {
                isDuplicate = members.contains { $0.key == key }
                if !isDuplicate && members.count == 15 { keys = Set(members.map(\.key) + [key]) }
            } else {
                isDuplicate = !keys.insert(key).inserted
            }
            guard !isDuplicate else {
                index = keyStart
                throw error("duplicate key '\(key)' in the object")
            }
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw error("expected ':' after the key '\(key)'") }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            guard peek(UInt8(ascii: "}")) else { throw error("expected ',' or '}' after an object member") }
            index += 1
            depth -= 1
            return .object(members)
        }
    }

    // array = "[" [ value *( "," value ) ] "]"
    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterNesting()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            depth -= 1
            return .array(elements)
        }
        if numberArrays, startsNumber {
            if let numbers = parseNumbersOnEveryCore() {
                depth -= 1
                return .numbers(numbers)
            }
            var numbers: [Double] = []
            while true {
                numbers.append(try parseNumber())
                skipWhitespace()
                if peek(UInt8(ascii: ",")) {
                    index += 1
                    skipWhitespace()
                    if startsNumber { continue }
                    // Not numbers alone after all: on as an array of values, from this element.
                    elements = numbers.map { .number($0) }
                    break
                }
                guard peek(UInt8(ascii: "]")) else { throw error("expected ',' or ']' after an array element") }
                index += 1
                depth -= 1
                return .numbers(numbers)
            }
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            guard peek(UInt8(ascii: "]")) else { throw error("expected ',' or ']' after an array element") }
            index += 1
            depth -= 1
            return .array(elements)
        }
    }

    private mutating func enterNesting() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
    }

    // string = quotation-mark *char quotation-mark, validated as UTF-8
    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: most strings have no escapes, and are validated and copied in one step.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"),
            bytes[index] >= 0x20
        {
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            guard let string = String(validating: bytes[start..<index], as: UTF8.self) else {
                throw error("invalid UTF-8 in a string", at: start)
            }
            index += 1
            return string
        }
        var scalars = String.UnicodeScalarView()
        var runStart = start
        while true {
            guard index < bytes.count else { throw error("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                try appendRun(from: runStart, into: &scalars)
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw error("unescaped control character in a string") }
                scalars.append(try parseEscape())
                runStart = index
            } else {
                index += 1
            }
        }
    }

    /// Appends bytes[start..<index] (no quotes, escapes or controls) after validating them as UTF-8.
    private func appendRun(from start: Int, into scalars: inout String.UnicodeScalarView) throws(JSONParseError) {
        guard start < index else { return }
        var decoder = UTF8()
        var iterator = bytes[start..<index].makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: return
            case .error: throw error("invalid UTF-8 in a string", at: start)
            }
        }
    }

    private mutating func parseEscape() throws(JSONParseError) -> Unicode.Scalar {
        index += 1
        guard index < bytes.count else { throw error("unterminated escape sequence") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try parseHex4()
            if (0xD800...0xDBFF).contains(first) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw error("lone high surrogate in a \\u escape") }
                index += 2
                let second = try parseHex4()
                guard (0xDC00...0xDFFF).contains(second) else { throw error("invalid low surrogate in a \\u escape") }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(first) else { throw error("lone low surrogate in a \\u escape") }
            return scalar
        default:
            index -= 1
            throw error("invalid escape sequence")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let digit = Self.hexValue(bytes[index]) else {
                throw error("expected 4 hex digits in a \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONParseError) {
        let expected = literal.utf8
        guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected)
        else { throw error("expected a JSON value") }
        index += expected.count
    }

    /// Whether a number starts here (`-` or a digit).
    private var startsNumber: Bool {
        index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] &- UInt8(ascii: "0") < 10)
    }

    func peek(_ byte: UInt8) -> Bool {
        index < bytes.count && bytes[index] == byte
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func error(_ reason: String, at position: Int? = nil) -> JSONParseError {
        let offset = min(position ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return JSONParseError(reason: reason, line: line, column: offset - lineStart + 1)
    }
}
