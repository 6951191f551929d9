import JSON
import Foundation
import Testing

/// Numbers through `JSONParser` and `JSONWriter`: the same doubles as `Double(String)` and
/// `Double.description`, bit for bit, and the same refusals as before the fast paths.
@Suite struct JSONNumberTests {
    static let samples = SeededDoubles.edges + SeededDoubles.random(count: 40_000, seed: 0x4E41_424C_41)

    /// What `JSONWriter` must write: integers below 2^53 without a fraction, else `Double.description`.
    static func expectedText(_ value: Double) -> String {
        value == value.rounded() && value.magnitude < 0x1p53 ? String(Int64(value)) : value.description
    }

    @Test func parsesEveryLiteralToTheDoubleThatDoubleStringGives() throws {
        // Each sample as Swift prints it, with 17 and 15 significant digits, and as JSONWriter writes it.
        var literals: [String] = []
        for value in Self.samples {
            literals += [
                value.description, String(format: "%.16e", value), String(format: "%.14E", value),
                Self.expectedText(value),
            ]
        }
        literals += [
            "0.000000123", "123456789e-20", "1.50000", "1E+2", "-0.0", "0e400", "1e-400", "4.9e-324",
            "2.4703282292062328e-324",
            "1.7976931348623158e308", "0.1000000000000000055511151231257827021181583404541015625",
            "123456789012345678901234567890", "9007199254740993", "18446744073709551615", "18446744073709551616",
            "9999999999999999999", "99999999999999999999", "0.00000000000000000000000000000000000001",
        ]
        // Ties and near-ties between neighbouring doubles above 2^53, where decimal integers are exact.
        var generator = SplitMix64(seed: 53)
        for _ in 0..<2_000 {
            let value = Double(UInt64.random(in: (1 << 53)...(1 << 63), using: &generator))
            let halfUnit = UInt64(value.ulp / 2)
            for offset: Int64 in [-1, 0, 1] {
                literals.append(String(UInt64(value) + UInt64(Int64(halfUnit) + offset)))
            }
        }
        // Rounded to 15 digits, the largest doubles become infinite: the parser refuses those (tested below).
        literals = literals.filter { Double($0)!.isFinite }
        let document = try JSONParser.parse(Array(("[" + literals.joined(separator: ",") + "]").utf8))
        guard case .array(let elements) = document else {
            Issue.record("not an array: \(document.typeName)")
            return
        }
        var mismatches: [String] = []
        for (literal, element) in zip(literals, elements) {
            let expected = Double(literal)!
            guard case .number(let parsed) = element, parsed.bitPattern == expected.bitPattern else {
                mismatches.append("\(literal) → \(element), not \(expected)")
                continue
            }
        }
        #expect(elements.count == literals.count)
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(literals.count) differ, e.g. \(mismatches.prefix(5))")
    }

    @Test func writesWhatDoubleDescriptionWritesAndReadsBackExactly() throws {
        var mismatches: [String] = []
        for value in Self.samples {
            let text = JSONWriter.string(.number(value))
            if text != Self.expectedText(value) { mismatches.append("\(text) instead of \(Self.expectedText(value))") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(Self.samples.count) differ, e.g. \(mismatches.prefix(5))")
        let document = try JSONParser.parse(JSONWriter.bytes(.numbers(Self.samples)))
        guard case .array(let elements) = document else {
            Issue.record("not an array: \(document.typeName)")
            return
        }
        let readBack = elements.compactMap { element -> Double? in
            guard case .number(let number) = element else { return nil }
            return number
        }
        // -0 is written as the integer 0.
        #expect(readBack.map(\.bitPattern) == Self.samples.map { $0 == 0 ? 0 : $0.bitPattern })
    }

    /// Every layout `Double.description` uses (0.000ddd, d.ddd, ddd.d, ddd.0, d.ddde±XX, de±XXX), for
    /// every count of significant digits and every position of the point, both signs.
    @Test func writesEveryDecimalLayoutAsDoubleDescriptionDoes() {
        var generator = SplitMix64(seed: 17)
        var values: [Double] = []
        for digitCount in 1...17 {
            for leadingExponent in -7...18 {
                for _ in 0..<12 {
                    // digitCount digits, the first and the last not 0 (fewer reappear as shorter forms).
                    var digits = String(UInt8.random(in: 1...9, using: &generator))
                    for position in 1..<digitCount {
                        let lowest: UInt8 = position == digitCount - 1 ? 1 : 0
                        digits += String(UInt8.random(in: lowest...9, using: &generator))
                    }
                    let mantissa = digitCount == 1 ? digits : "\(digits.prefix(1)).\(digits.dropFirst())"
                    let value = Double("\(mantissa)e\(leadingExponent)")!
                    values += [value, -value]
                }
            }
        }
        var mismatches: [String] = []
        for value in values where JSONWriter.string(.number(value)) != Self.expectedText(value) {
            mismatches.append("\(JSONWriter.string(.number(value))) instead of \(Self.expectedText(value))")
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(values.count) differ, e.g. \(mismatches.prefix(5))")
        let expectedArray = "[" + values.map(Self.expectedText).joined(separator: ",") + "]"
        #expect(JSONWriter.string(.numbers(values)) == expectedArray)
    }

    @Test func writesNumbersLikeAnArrayOfNumbersAndEqualsIt() {
        let values = Array(Self.samples.prefix(5_000)) + [.nan, .infinity, -.infinity]
        let elements = JSONValue.array(values.map { .number($0) })
        #expect(JSONWriter.bytes(.numbers(values)) == JSONWriter.bytes(elements))
        #expect(JSONWriter.string(.numbers([])) == "[]")
        #expect(JSONWriter.string(["a": .numbers([1, 2.5, -0.0, .nan])]) == #"{"a":[1,2.5,0,null]}"#)
        #expect(JSONValue.numbers([1, 2.5]) == [1, 2.5])
        #expect(JSONValue.array([1, 2.5]) == .numbers([1, 2.5]))
        #expect(JSONValue.numbers([1, 2.5]) != [1, 2])
        #expect(JSONValue.numbers([1]) != ["1"])
        #expect(JSONValue.numbers([]).typeName == "array")
    }

    @Test func writesLargeArraysOnEveryCoreAsOneAtATime() {
        // Over the size split across cores: the same bytes as one `.number` after another.
        let count = 3 * 16_384 + 7
        let values = (0..<count).map { Self.samples[$0 % Self.samples.count] } + [.nan, -0.0, 1e300]
        #expect(JSONWriter.bytes(.numbers(values)) == JSONWriter.bytes(.array(values.map { .number($0) })))
    }

    @Test func readsLiteralsOfEveryDigitRunLengthAsDoubleStringDoes() throws {
        // Runs of 1–20 digits on each side of the point (the fast path reads eight at a time and gives
        // up past 19), and exponents of 1–5 digits (it gives up past 4).
        var literals: [String] = []
        let digits = "9876543210123456789012"
        for integerDigits in 1...20 {
            for fractionDigits in [0, 1, 7, 8, 9, 15, 16, 17, 19, 20] {
                let integer = String(digits.prefix(integerDigits))
                let fraction = String(digits.suffix(fractionDigits))
                let literal = fractionDigits == 0 ? integer : integer + "." + fraction
                literals += [literal, "-" + literal, "0." + fraction + "1", literal + "e-7", literal + "E+0012"]
            }
        }
        literals += [
            "1e0022", "1.5e-0300", "-2.5E0001", "12345678901234567e-5000", "0.00000000000000000001", "7e00000",
        ]
        let document = try JSONParser.parse(Array(("[" + literals.joined(separator: ",") + "]").utf8))
        guard case .array(let elements) = document else {
            Issue.record("not an array: \(document.typeName)")
            return
        }
        #expect(elements.count == literals.count)
        for (literal, element) in zip(literals, elements) {
            guard case .number(let parsed) = element, parsed.bitPattern == Double(literal)!.bitPattern else {
                Issue.record("\(literal) → \(element), not \(Double(literal)!)")
                continue
            }
        }
    }

    @Test(arguments: [
        ("[01]", "expected ',' or ']' after an array element", 3),
        ("[1.]", "expected a digit after the decimal point", 4),
        ("[.5]", "expected a JSON value", 2),
        ("[1e]", "expected a digit in the exponent", 4),
        ("[1e+]", "expected a digit in the exponent", 5),
        ("[-]", "expected a digit in the number", 3),
        ("[-.5]", "expected a digit in the number", 3),
        ("[1.e5]", "expected a digit after the decimal point", 4),
        ("[+1]", "expected a JSON value", 2),
        ("[1e400]", "number 1e400 is out of range for a double", 2),
        ("[-1e400]", "number -1e400 is out of range for a double", 2),
        ("[1.8e308]", "number 1.8e308 is out of range for a double", 2),
        ("[1e99999999999999999999]", "number 1e99999999999999999999 is out of range for a double", 2),
        ("[" + String(repeating: "1", count: 401) + "]", "number literal longer than 400 characters", 2),
    ])
    func refusesMalformedNumbersAsBefore(_ text: String, _ reason: String, _ column: Int) {
        do throws(JSONParseError) {
            let value = try JSONParser.parse(Array(text.utf8))
            Issue.record("\(text.prefix(20)) was accepted as \(value)")
        } catch {
            #expect(error.reason == reason)
            #expect(error.column == column)
        }
    }

    @Test(arguments: [
        ("1e-400", 0.0), ("-1e-400", -0.0), ("0e400", 0.0), ("-0", -0.0), ("4e-324", .leastNonzeroMagnitude),
    ])
    func acceptsWhatUnderflowsAsDoubleStringDoes(_ text: String, _ expected: Double) throws {
        let parsed = try JSONParser.parse(Array(text.utf8))
        guard case .number(let value) = parsed else {
            Issue.record("not a number: \(parsed.typeName)")
            return
        }
        #expect(value.bitPattern == expected.bitPattern)
    }
}
