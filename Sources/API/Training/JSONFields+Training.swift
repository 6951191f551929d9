import JSON

extension JSONFields {
    /// Whole numbers are read up to 2⁵³: every one of them is exact in a `Double`, and no conversion
    /// to `Int` can trap. The engines check the meaningful ranges (and their limits) themselves.
    static let wholeNumbers = -(1 << 53)...(1 << 53)

    /// A whole number, or nil when absent or `null`. A fraction, or a number past 2⁵³, is a 400 that
    /// names `allowed`, the field's own range (`minimum...` when only the lower end is fixed); a whole
    /// number is returned as it is, for the engine to check against `allowed` and its limits with
    /// its own messages.
    mutating func optionalInteger(_ key: String, allowed: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let number = try optionalWholeNumber(key) else { return nil }
        guard number == number.rounded(.towardZero) else {
            throw invalid(key, "must be \(Self.wholeNumbers(allowed)), got \(Self.format(number))")
        }
        guard let whole = Int(exactly: number), Self.wholeNumbers.contains(whole) else {
            let largest = min(allowed.upperBound, Self.wholeNumbers.upperBound)
            let range = number < 0 ? Self.wholeNumbers(allowed) : "at most \(largest)"
            throw invalid(key, "must be \(range), got \(Self.format(number))")
        }
        return whole
    }

    /// `optionalInteger(key, allowed: minimum...2⁵³)`.
    mutating func optionalInteger(_ key: String, atLeast minimum: Int) throws(APIError) -> Int? {
        try optionalInteger(key, allowed: minimum...Self.wholeNumbers.upperBound)
    }

    /// A number given for a whole-number field, or nil when absent or `null`; whether it is whole is
    /// for the caller, which knows the field's range (`optionalInteger`, or later, with the limits).
    mutating func optionalWholeNumber(_ key: String) throws(APIError) -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value else {
            throw invalid(key, "expected a whole number, found \(value.typeName)")
        }
        return number
    }

    /// A finite number, or nil when absent or `null`.
    mutating func optionalDouble(_ key: String) throws(APIError) -> Double? {
        guard value(key) != nil else { return nil }
        return try double(key, default: 0, in: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
    }

    /// A boolean, or nil when absent or `null`.
    mutating func optionalBool(_ key: String) throws(APIError) -> Bool? {
        guard value(key) != nil else { return nil }
        return try bool(key, default: false)
    }

    /// One of the wire names of `Choice`, or nil when absent; anything else is a 400 listing them.
    mutating func choice<Choice: WireNamed>(_ key: String, of _: Choice.Type) throws(APIError) -> Choice? {
        guard let text = try string(key) else { return nil }
        guard let choice = Choice(wireName: text) ?? Choice.aliases[text] else {
            let names = Choice.allCases.map(\.wireName)
            let known = names.map { "'\($0)'" }.joined(separator: ", ")
            throw invalid(
                key, "unknown value '\(text)'\(DidYouMean.hint(for: text, among: names)); known values: \(known)")
        }
        return choice
    }

    /// The fields of the object under `key`, or nil when absent.
    mutating func object(_ key: String) throws(APIError) -> JSONFields? {
        guard let value = value(key) else { return nil }
        guard case .object = value else { throw invalid(key, "expected an object, found \(value.typeName)") }
        return try JSONFields(value, at: pointer(to: key))
    }
}

/// Reading numeric arrays out of parsed JSON, with a pointer to the first element of the wrong type.
enum JSONArrays {
    /// `[number, ...]` at `pointer`.
    static func numbers(_ value: JSONValue, at pointer: String) throws(APIError) -> [Double] {
        if case .numbers(let numbers) = value { return numbers }
        guard case .array(let elements) = value else { throw wrongType(pointer, "an array of numbers", value) }
        var numbers: [Double] = []
        numbers.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .number(let number) = element else {
                throw wrongType("\(pointer)/\(index)", "a number", element)
            }
            numbers.append(number)
        }
        return numbers
    }

    /// `[[number, ...], ...]` at `pointer`; rows may differ in length (the engine names ragged rows).
    static func rows(_ value: JSONValue, at pointer: String) throws(APIError) -> [[Double]] {
        guard case .array(let elements) = value else {
            throw wrongType(pointer, "an array of arrays of numbers", value)
        }
        var rows: [[Double]] = []
        rows.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            rows.append(try numbers(element, at: "\(pointer)/\(index)"))
        }
        return rows
    }

    /// A 400 naming what was expected at `pointer` and what was found.
    static func wrongType(_ pointer: String, _ expected: String, _ found: JSONValue) -> APIError {
        let detail = "expected \(expected), found \(found.typeName)"
        return .invalidRequest(
            "invalid value at \(pointer): \(detail)", issues: [FieldIssue(pointer: pointer, detail: detail)])
    }
}
