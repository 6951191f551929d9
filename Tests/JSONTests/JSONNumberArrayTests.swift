import JSON
import Testing

/// `JSONParser.parse(_:numberArrays: true)`: arrays of numbers alone read straight into `.numbers`, every
/// other document read exactly as without the option, errors included.
@Suite struct JSONNumberArrayTests {
    static func parse(_ text: String, numberArrays: Bool) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), numberArrays: numberArrays)
    }

    @Test(arguments: [
        ("[1, -2.5 ,3e2,0.1,-0]", [1, -2.5, 300, 0.1, -0.0]),
        ("[ 7 ]", [7]),
        (
            "[1e-400, 12345678901234567890, 0.1000000000000000055511151231257827021181583404541015625]",
            [
                0, 1.234_567_890_123_456_7e19, 0.1,
            ]
        ),
    ])
    func readsAnArrayOfNumbersAloneAsNumbers(_ text: String, _ expected: [Double]) throws {
        let parsed = try Self.parse(text, numberArrays: true)
        guard case .numbers(let numbers) = parsed else {
            Issue.record("\(text) → \(parsed), not .numbers")
            return
        }
        #expect(numbers.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(parsed == (try Self.parse(text, numberArrays: false)))
    }

    @Test func readsEveryOtherArrayAsAnArrayOfValues() throws {
        // Empty, mixed (the number runs first, then not), nested: the inner arrays of numbers are `.numbers`.
        #expect(try Self.parse("[]", numberArrays: true) == .array([]))
        let mixed = try Self.parse(#"[1, 2, "three", 4]"#, numberArrays: true)
        #expect(mixed == .array([1, 2, "three", 4]))
        guard case .array(let elements) = mixed else {
            Issue.record("not an array: \(mixed)")
            return
        }
        #expect(elements.allSatisfy { if case .numbers = $0 { false } else { true } })
        let nested = try Self.parse(#"{"at": [[1, 2], [3]], "b": [true, 1]}"#, numberArrays: true)
        #expect(nested["at"] == .array([.numbers([1, 2]), .numbers([3])]))
        #expect(nested["b"] == .array([true, 1]))
        #expect(
            try Self.parse(#"{"a": [1]}"#, numberArrays: false)["a"].map { if case .array = $0 { true } else { false } }
                == true)
    }

    @Test func readsALargeArrayBitForBitAsWithoutTheOption() throws {
        let values = SeededDoubles.random(count: 50_000, seed: 21)
        let text = "[" + values.map { $0.description }.joined(separator: ",\n ") + "]"
        guard case .numbers(let numbers) = try Self.parse(text, numberArrays: true),
            case .array(let elements) = try Self.parse(text, numberArrays: false)
        else {
            Issue.record("not .numbers and .array")
            return
        }
        #expect(numbers.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(elements == numbers.map { .number($0) })
    }

    /// Past `JSONParser.minimumBytesPerChunk` per core, an array of numbers is read on several cores; one
    /// that turns out otherwise (a late string, a nested array, an error) reads as it does without the option.
    @Test(arguments: [
        ("", ""), (#", "late""#, ""), (", [1, 2]", ""), (", -0, 1.5e-7", #", "b": [true]"#), (", 1.e5", ""),
        (", 01", ""), (",", ""), (", 2 3", ""),
    ])
    func readsALargeArrayOnEveryCoreAsOneAtATime(_ tail: String, _ after: String) throws {
        let values = SeededDoubles.random(count: 40_000, seed: 22)
        let half = values.count / 2
        // The odd element sits in the second half, which another core reads.
        let numbers = values[..<half].map(\.description) + ["7" + tail] + values[half...].map(\.description)
        let text = #"{"at": ["# + numbers.joined(separator: ", ") + "]" + after + "}"
        var results: [Result<JSONValue, JSONParseError>] = []
        for numberArrays in [false, true] {
            do {
                results.append(.success(try Self.parse(text, numberArrays: numberArrays)))
            } catch {
                results.append(.failure(error))
            }
        }
        switch (results[0], results[1]) {
        case (.success(let plain), .success(let read)):
            #expect(read == plain)
            if tail.isEmpty || tail.hasPrefix(", -0") {
                guard case .numbers(let parsed) = read["at"] else {
                    Issue.record("'at' is not .numbers")
                    return
                }
                #expect(parsed.count == values.count + (tail.isEmpty ? 1 : 3))
            }
        case (.failure(let plain), .failure(let read)): #expect(read == plain)
        default: Issue.record("only one way accepted it: \(results.map { (try? $0.get()) == nil })")
        }
    }

    @Test(arguments: [
        "[1,", "[1,]", "[1 2]", "[1,2", "[01]", "[1.]", "[-]", "[1e]", "[1,-,2]", "[1,2,.5]", "[1e400]",
        "[1,\"a\",]", "[1, 2]x", "[1, NaN]", "[" + String(repeating: "1", count: 401) + "]",
    ])
    func refusesWhatTheParserRefusesWithTheSameError(_ text: String) {
        var errors: [JSONParseError] = []
        for numberArrays in [false, true] {
            do {
                let value = try Self.parse(text, numberArrays: numberArrays)
                Issue.record("\(text.prefix(20)) was accepted as \(value)")
            } catch {
                errors.append(error)
            }
        }
        #expect(errors.count == 2)
        #expect(errors.first == errors.last, "\(errors)")
    }
}
