import Foundation
public import JSON

/// Reads a JSON object's members by name with errors that name the field's JSON pointer, and
/// refuses members nobody read (`finish()`), so a misspelt field is a 400, never silently ignored.
public struct JSONFields {
    /// The object's own pointer ("" for the whole body).
    public let pointer: String
    let members: [(key: String, value: JSONValue)]
    private var known: [String] = []

    /// The fields of `value`, which must be an object.
    public init(_ value: JSONValue, at pointer: String = "") throws(APIError) {
        guard case .object(let members) = value else {
            throw .invalidRequest(
                "expected a JSON object",
                issues: [FieldIssue(pointer: pointer, detail: "expected an object, found \(value.typeName)")])
        }
        self.pointer = pointer
        self.members = members
    }

    /// The pointer of a member (RFC 6901 escaping of `~` and `/`).
    public func pointer(to key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return pointer + "/" + key
        }
        return pointer + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The member's value; `nil` when absent or `null`.
    public mutating func value(_ key: String) -> JSONValue? {
        known.append(key)
        guard let value = members.first(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    /// A number in `range`; `defaultValue` when absent.
    public mutating func double(_ key: String, default defaultValue: Double, in range: ClosedRange<Double>)
        throws(APIError) -> Double
    {
        guard let value = value(key) else { return defaultValue }
        guard case .number(let number) = value else { throw wrongType(key, "a number", value) }
        guard range.contains(number) else {
            throw invalid(
                key,
                "must be between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound)), got \(Self.format(number))"
            )
        }
        return number
    }

    /// A whole number in `range`; `defaultValue` when absent. `1.5`, `"10"` and out-of-range values
    /// are refused before any conversion to `Int` (which would trap on `1e300`), naming `range`.
    public mutating func integer(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>)
        throws(APIError) -> Int
    {
        guard let value = value(key) else { return defaultValue }
        guard case .number(let number) = value else { throw wrongType(key, "a whole number", value) }
        guard number >= Double(range.lowerBound), number <= Double(range.upperBound),
            number == number.rounded(.towardZero)
        else {
            // Past 2⁵³ "of at least 1" would read as if the number were fine: name both ends.
            let allowed =
                number > Double(range.upperBound)
                ? "a whole number between \(range.lowerBound) and \(range.upperBound)" : Self.wholeNumbers(range)
            throw invalid(key, "must be \(allowed), got \(Self.format(number))")
        }
        return Int(number)
    }

    /// "a whole number between 1 and 4"; "a whole number of at least 1" when `range` reaches 2⁵³ (every
    /// whole number a JSON number holds exactly: the field has no upper bound of its own).
    public static func wholeNumbers(_ range: ClosedRange<Int>) -> String {
        range.upperBound >= 1 << 53
            ? "a whole number of at least \(range.lowerBound)"
            : "a whole number between \(range.lowerBound) and \(range.upperBound)"
    }

    /// A boolean; `defaultValue` when absent.
    public mutating func bool(_ key: String, default defaultValue: Bool) throws(APIError) -> Bool {
        guard let value = value(key) else { return defaultValue }
        guard case .bool(let flag) = value else { throw wrongType(key, "true or false", value) }
        return flag
    }

    /// A string; `nil` when absent.
    public mutating func string(_ key: String) throws(APIError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return text
    }

    /// Refuses the members that no accessor asked for, naming each and listing the known ones.
    public func finish() throws(APIError) {
        let unknown = members.filter { !known.contains($0.key) }
        guard !unknown.isEmpty else { return }
        // A field may be read twice (`optimizer` as a string, then as an object): list each once.
        let names = Set(known).sorted()
        let list = names.joined(separator: ", ")
        let hint = unknown.count == 1 ? DidYouMean.hint(for: unknown[0].key, among: names) : ""
        throw .invalidRequest(
            unknown.count == 1 ? "unknown field '\(unknown[0].key)'\(hint)" : "unknown fields",
            issues: unknown.map {
                let hint = DidYouMean.hint(for: $0.key, among: names)
                return FieldIssue(pointer: pointer(to: $0.key), detail: "unknown field\(hint); known fields: \(list)")
            })
    }

    /// A 400 for a member with a bad value.
    public func invalid(_ key: String, _ detail: String) -> APIError {
        .invalidRequest(
            "invalid value for '\(key)': \(detail)", issues: [FieldIssue(pointer: pointer(to: key), detail: detail)])
    }

    private func wrongType(_ key: String, _ expected: String, _ found: JSONValue) -> APIError {
        invalid(key, "expected \(expected), found \(found.typeName)")
    }

    /// `number` as JSON writes it (`1.5`, `1e+300`), for messages.
    public static func format(_ number: Double) -> String {
        JSONWriter.string(.number(number))
    }
}
