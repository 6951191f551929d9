import JSON
import Foundation
import Testing

@Suite struct JSONParserTests {
    /// Documents both parsers accept must mean the same thing to both (Foundation is the reference).
    @Test(arguments: [
        #"{"a":1,"b":[true,false,null],"c":"x"}"#, #"[]"#, #"{}"#, #"  [1, -2.5, 3e2, 0.1, -0, 1E-3]  "#,
        #""\u00e9\ud83d\ude00 \n\t\"\\\/""#, #"{"nested":{"deeper":[[[]]]}}"#, #"12345678901234567890"#, #""ü中""#,
    ])
    func agreesWithFoundationOnValidDocuments(_ text: String) throws {
        let ours = try JSONParser.parse(Array(text.utf8))
        let reference = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
        let roundTrip = try JSONSerialization.jsonObject(with: Data(JSONWriter.bytes(ours)), options: .fragmentsAllowed)
        #expect(NSDictionary(dictionary: ["v": roundTrip]).isEqual(to: ["v": reference]))
    }

    @Test(arguments: [
        (#"{"a":1,}"#, "expected a string key in the object", 8),
        (#"[1,2"#, "expected ',' or ']' after an array element", 5),
        (#"{"a" 1}"#, "expected ':' after the key 'a'", 6),
        (#"{"a":1,"a":2}"#, "duplicate key 'a' in the object", 8),
        ("[1e400]", "number 1e400 is out of range for a double", 2),
        ("[NaN]", "expected a JSON value", 2),
        ("[01]", "expected ',' or ']' after an array element", 3),
        ("\u{FEFF}{}", "expected a JSON value", 1),
        ("{} x", "unexpected content after the JSON value", 4),
        ("\"a\u{01}\"", "unescaped control character in a string", 3),
        (#""\ud800""#, "lone high surrogate in a \\u escape", 8),
        (#""\x""#, "invalid escape sequence", 3),
        ("", "expected a JSON value, found the end of the input", 1),
        ("{\n  \"a\": tru\n}", "expected a JSON value", 8),
    ])
    func refusesMalformedDocumentsSayingWhereAndWhy(_ text: String, _ reason: String, _ column: Int) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(text.utf8)) }
        do {
            _ = try JSONParser.parse(Array(text.utf8))
        } catch {
            #expect(error.reason == reason)
            #expect(error.column == column)
        }
    }

    @Test func reportsTheLineOfAnErrorOnALaterLine() {
        do {
            _ = try JSONParser.parse(Array("{\n\"a\": 1,\n\"b\": }".utf8))
            Issue.record("should fail")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 6)
        }
    }

    /// Small objects are checked by scanning, large ones through a set: a duplicate is found either way.
    @Test(arguments: [(3, 1), (15, 0), (16, 3), (17, 16), (40, 15), (40, 39)])
    func findsADuplicateKeyWhereverItIs(members: Int, repeated: Int) throws {
        var text = (0..<members).map { "\"k\($0)\":\($0)" }
        let distinct = "{" + text.joined(separator: ",") + "}"
        let parsed = try JSONParser.parse(Array(distinct.utf8))
        #expect(parsed["k\(members - 1)"] == .number(Double(members - 1)))
        text.append("\"k\(repeated)\":0")
        do throws(JSONParseError) {
            _ = try JSONParser.parse(Array(("{" + text.joined(separator: ",") + "}").utf8))
            Issue.record("a duplicate of k\(repeated) among \(members) members was accepted")
        } catch {
            #expect(error.reason == "duplicate key 'k\(repeated)' in the object")
        }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func refusesNestingPastTheLimitWithoutRecursingFurther() throws {
        let limit = 64
        let ok = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try JSONParser.parse(Array(ok.utf8), maxDepth: limit) }
        let deep = String(repeating: "[", count: 100_000)
        do {
            _ = try JSONParser.parse(Array(deep.utf8), maxDepth: limit)
            Issue.record("should fail")
        } catch {
            #expect(error.reason == "nesting deeper than 64 levels")
            #expect(error.column == 65)
        }
    }

    @Test func writesNonFiniteNumbersAsNullSoTheOutputIsAlwaysJSON() throws {
        let value: JSONValue = ["nan": .number(.nan), "inf": .number(-.infinity), "ok": 1.5]
        let text = JSONWriter.string(value)
        #expect(text == #"{"nan":null,"inf":null,"ok":1.5}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }

    @Test func writesIntegersWithoutAFractionAndOtherNumbersExactly() throws {
        let values: [Double] = [3, -0.0, 1e-7, 0.1, 2.5e300, 9_007_199_254_740_992, 0.1999999999990898]
        let text = JSONWriter.string(.array(values.map { .number($0) }))
        #expect(text.hasPrefix("[3,0,"))
        let parsed = try JSONParser.parse(Array(text.utf8))
        #expect(parsed == .array(values.map { .number($0 == 0 ? 0 : $0) }))
    }

    @Test func escapesStringsSoFoundationReadsThemBack() throws {
        let original = "quote \" backslash \\ newline \n tab \t bell \u{07} emoji 😀"
        let bytes = JSONWriter.bytes(.string(original))
        #expect(!bytes.contains(0x0A))
        let decoded = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) as? String
        #expect(decoded == original)
    }
}
