/// A JSON document as parsed by `JSONParser` and written by `JSONWriter`. Object members keep their
/// order; numbers are `Double` (the parser refuses what does not fit one).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])
    /// An array of numbers held as `[Double]`, for answers that carry many: written exactly like `.array`
    /// of `.number`s (and equal to it), but straight from the doubles, without a `JSONValue` per element.
    /// Two 100,000-number arrays take about half the time to write this way (`NablaBenchmarks json`).
    /// `JSONParser` produces it only when asked (`numberArrays`), for a non-empty array of numbers alone;
    /// otherwise always `.array`, so code that reads other requests matches `.array` alone.
    case numbers([Double])
    /// One JSON value already written by `JSONWriter` (a stored request or result, a published plot),
    /// written again as it is, without being parsed and written a second time: a training result can
    /// be megabytes. Only for building documents; equal only to the same bytes.
    case encoded([UInt8])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.numbers(let a), .numbers(let b)): a == b
        case (.encoded(let a), .encoded(let b)): a == b
        case (.numbers(let numbers), .array(let elements)), (.array(let elements), .numbers(let numbers)):
            numbers.count == elements.count && zip(numbers, elements).allSatisfy { .number($0) == $1 }
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The member with this key, for objects.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The JSON type's name, for error messages (`object`, `array`, `string`, `number`, `boolean`, `null`).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array, .numbers: "array"
        case .object: "object"
        case .encoded: "value"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { (key: $0.0, value: $0.1) })
    }
    public init(nilLiteral: ()) { self = .null }
}
