import Foundation
import TestSupport
import Testing

/// Bad input at the HTTP and JSON level over real HTTP: content types, methods, body and head sizes
/// (413 from Nabla, 414 and 431 from libmicrohttpd), malformed JSON and numbers out of range for their
/// field. Every answer is problem+json with `status` equal to the HTTP status (but 414 and 431,
/// libmicrohttpd's HTML), and no JSON answer holds NaN or an infinity.
@Suite(.serviceSurvives) struct BadRequestTests {
    typealias B = BadInput
    static let small = #"{"expression": "x^2", "at": 1}"#
    static let malformed = "Malformed JSON"

    // MARK: Transport

    @Test(arguments: [
        nil, "text/plain", "application/x-www-form-urlencoded", "application/jsonx", "multipart/form-data",
    ])
    func aPostWithoutAJSONContentTypeIs415(_ contentType: String?) throws {
        let answer = try B.send(
            B.service(), "POST", "/v1/derivative", body: Array(Self.small.utf8), contentType: contentType)
        B.expectProblem(answer, 415, "Content-Type: application/json")
    }

    @Test func jsonWithACharsetParameterIsAccepted() throws {
        let answer = try B.send(
            B.service(), "POST", "/v1/derivative", body: Array(Self.small.utf8),
            contentType: "application/json; charset=utf-8")
        #expect(answer.status == 200)
    }

    @Test(arguments: [
        ("PUT", "/v1/derivative", "POST"), ("GET", "/v1/derivative", "POST"), ("DELETE", "/v1/train", "POST"),
        ("PATCH", "/v1/jobs", "GET"), ("POST", "/healthz", "GET"),
        ("PUT", "/v1/jobs/00000000000000000000000000000000", "DELETE"),
    ])
    func aWrongMethodIs405WithAllow(_ method: String, _ path: String, _ allowed: String) throws {
        let body: [UInt8]? = ["PUT", "PATCH", "POST"].contains(method) ? Array("{}".utf8) : nil
        let answer = try B.send(B.service(), method, path, body: body)
        B.expectProblem(answer, 405)
        let allow = answer.response.header("Allow") ?? ""
        #expect(
            allow.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains(allowed), "\(allow)")
    }

    @Test func aBodyOverTheLimitWithContentLengthIs413BeforeItIsSent() throws {
        let service = try B.service()
        let client = try service.client()
        client.send(
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\n\(B.authorizationLine)Content-Type: application/json\r\nContent-Length: \(2 * B.maxBody)\r\n\r\n"
        )
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.text.contains("\(B.maxBody)"))
    }

    @Test func aChunkedBodyOverTheLimitIs413() throws {
        let service = try B.service()
        let client = try service.client()
        client.send(
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\n\(B.authorizationLine)Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 65536) + Array("\r\n".utf8)
        for _ in 0..<(B.maxBody / 65536 + 1) where client.send(chunk) {}
        client.send("0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.header("Content-Type") == "application/problem+json")
    }

    @Test func aDataRouteTakesMoreThanTheGeneralLimitButNotMoreThanItsOwn() throws {
        let service = try B.service()
        let padded = #"{"expression": "x", "at": 1}"# + String(repeating: " ", count: B.maxBody + 10)
        #expect(try B.post(service, "/v1/derivative", padded).status == 200)
        let client = try service.client()
        client.send(
            "POST /v1/derivative HTTP/1.1\r\nHost: x\r\n\(B.authorizationLine)Content-Type: application/json\r\n"
                + "Content-Length: \(B.maxDataBody + 1)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.text.contains("\(B.maxDataBody)"))
    }

    /// libmicrohttpd answers these itself, before Nabla sees the request, with a small HTML page: only
    /// the status is checked (README, Configuration: the request head may use 32 KiB).
    @Test func aURLTooLongIs414AndHeadersTooLargeAre431() throws {
        let service = try B.service()
        #expect(try B.send(service, "GET", "/healthz?" + String(repeating: "a", count: 40_000)).status == 414)
        let padding = ["X-Padding": String(repeating: "a", count: 40_000)]
        #expect(try B.send(service, "GET", "/healthz", headers: padding).status == 431)
        var many: [String: String] = [:]
        for index in 0..<400 { many["X-Padding-\(index)"] = String(repeating: "a", count: 100) }
        #expect(try B.send(service, "GET", "/healthz", headers: many).status == 431)
    }

    @Test func anUnknownPathIs404() throws {
        let service = try B.service()
        B.expectProblem(try B.send(service, "GET", "/v1/nothing-here"), 404)
        B.expectProblem(try B.post(service, "/v1/nothing-here", Self.small), 404)
    }

    // MARK: JSON

    @Test(arguments: [
        Named(name: "[ x 65", value: String(repeating: "[", count: 65) + String(repeating: "]", count: 65)),
        Named(name: "{ x 65", value: String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)),
        Named(name: "[ x 100,000", value: String(repeating: "[", count: 100_000)),
    ])
    func nestingPast64LevelsIs400AtOnce(_ body: Named<String>) throws {
        let service = try B.service()
        try B.timed(50) {
            let answer = try B.post(service, "/v1/derivative", body.value)
            B.expectProblem(answer, 400, "nesting deeper than 64 levels", title: Self.malformed)
            return answer
        }
    }

    @Test func nestingOf64LevelsIsRead() throws {
        let body =
            #"{"expression": "x", "at": 1, "parameters": "# + String(repeating: #"{"a":"#, count: 62) + "1"
            + String(repeating: "}", count: 62) + "}"
        // Read, then refused for what it means (a parameter is not an object), not for its depth.
        let problem = B.expectProblem(try B.post(B.service(), "/v1/derivative", body), 400, pointer: "/parameters/a")
        #expect((problem["detail"] as? String)?.contains("nesting") == false)
    }

    @Test func aDuplicateKeyIs400NamingIt() throws {
        let service = try B.service()
        let answer = try B.post(service, "/v1/derivative", #"{"expression": "x", "at": 1, "expression": "y"}"#)
        let problem = B.expectProblem(answer, 400, "duplicate key 'expression'", title: Self.malformed)
        #expect((problem["errors"] as? [[String: Any]])?.first?["position"] as? Int == 30)
        let deep = #"{"preset": "clothing-size", "optimizer": {"name": "adam", "beta1": 0.9, "beta1": 0.8}}"#
        B.expectProblem(try B.post(service, "/v1/train", deep), 400, "duplicate key 'beta1'")
    }

    @Test(arguments: [
        (#"{"preset": "clothing-size", "epochs": 1.5}"#, "/epochs", "between 1 and 100000"),
        (#"{"preset": "clothing-size", "epochs": -1}"#, "/epochs", "at least 1"),
        (#"{"preset": "clothing-size", "epochs": 0}"#, "/epochs", "at least 1"),
        (#"{"preset": "clothing-size", "epochs": 1e9}"#, "/epochs", "the limit is 100000"),
        (#"{"preset": "clothing-size", "epochs": 1e300}"#, "/epochs", "between 1 and 100000"),
        (#"{"preset": "clothing-size", "epochs": "10"}"#, "/epochs", "expected a whole number, found string"),
        (#"{"preset": "clothing-size", "epochs": true}"#, "/epochs", "expected a whole number"),
        (#"{"preset": "clothing-size", "learning_rate": -0.5}"#, "/learning_rate", "greater than 0"),
        (#"{"preset": "clothing-size", "learning_rate": "NaN"}"#, "/learning_rate", "expected a number, found string"),
        (#"{"preset": "clothing-size", "learning_rate": "-Infinity"}"#, "/learning_rate", "expected a number"),
        (#"{"preset": "clothing-size", "seed": -1}"#, "/seed", "between 0 and 9007199254740991"),
        (#"{"preset": "clothing-size", "batch_size": 2.5}"#, "/batch_size", "of at least 1"),
        (#"{"preset": "clothing-size", "boundary_resolution": 1000}"#, "/boundary_resolution", "2 to 500"),
        (#"{"expression": "x", "at": 1, "h": 0, "method": "central"}"#, "/h", "greater than 0"),
        (#"{"expression": "x", "at": 1, "h": -1, "method": "central"}"#, "/h", "greater than 0"),
        (#"{"expression": "x", "at": 1, "order": 5}"#, "/order", "between 1 and 4"),
        (#"{"expression": "x", "at": 1, "order": 1.5}"#, "/order", "between 1 and 4"),
        (#"{"expression": "x^2", "start": [1], "learning_rate": 0.1, "steps": -1}"#, "/steps", "between 0 and"),
    ])
    func aNumberOutOfRangeIs400NamingTheFieldAndItsRange(_ body: String, _ pointer: String, _ text: String) throws {
        let path =
            body.contains(#""start""#) ? "/v1/descent" : body.contains("preset") ? "/v1/train" : "/v1/derivative"
        let problem = B.expectProblem(try B.post(B.service(), path, body), 400, pointer: pointer, text)
        #expect((problem["detail"] as? String)?.contains("9007199254740992") == false)
    }

    /// The JSON parser refuses 1e400 before any field is read: the position, not a field pointer, says
    /// where (README, API: `position` is the column).
    @Test func aNumberBeyondADoubleIs400WithItsPosition() throws {
        let answer = try B.post(B.service(), "/v1/derivative", #"{"expression": "x", "at": 1e400}"#)
        let problem = B.expectProblem(answer, 400, "out of range for a double", title: Self.malformed)
        #expect((problem["errors"] as? [[String: Any]])?.first?["position"] as? Int == 27)
        #expect(problem["column"] as? Int == 27)
    }

    /// Bodies as bytes: each character below U+0100 is one byte (`BadInput.latin1`).
    @Test(arguments: [
        ("{\"expression\": \"x\u{FF}\", \"at\": 1}", "invalid UTF-8"),
        ("{\"expression\": \"x\u{C0}\u{80}\", \"at\": 1}", "invalid UTF-8"),  // overlong NUL
        ("{\"expression\": \"x\u{ED}\u{A0}\u{80}\", \"at\": 1}", "invalid UTF-8"),  // encoded surrogate
        (#"{"expression": "\ud800", "at": 1}"#, "lone high surrogate"),
        (#"{"expression": "x", "at": 1"#, "expected ',' or '}'"),
        (#"{"expression": "x", "at": "#, "expected a JSON value"),
        (#"{"expression": "x", "at": 1} trailing"#, "unexpected content after the JSON value"),
        (#"{"expression": "x", "at": 1}{}"#, "unexpected content after the JSON value"),
        ("\u{EF}\u{BB}\u{BF}{\"expression\": \"x\", \"at\": 1}", "expected a JSON value"),  // a BOM
        (#"{"expression": "x", "at": 1,}"#, "expected a string key"),
        ("{'expression': 'x'}", "expected a string key"),
        (#"{"expression": "x", "at": NaN}"#, "expected a JSON value"),
        (#"{"expression": "x", "at": Infinity}"#, "expected a JSON value"),
        (#"{"expression": "x", "at": 01}"#, "expected ',' or '}'"),
        ("{\"expression\": \"a\u{01}b\", \"at\": 1}", "unescaped control character"),
    ])
    func malformedJSONIs400WithLineAndColumn(_ body: String, _ text: String) throws {
        let answer = try B.send(B.service(), "POST", "/v1/derivative", body: B.latin1(body))
        let problem = B.expectProblem(answer, 400, text, title: Self.malformed)
        #expect((problem["line"] as? Int ?? 0) >= 1 && (problem["column"] as? Int ?? 0) >= 1)
    }

    @Test func anEmptyBodyIs400() throws {
        let service = try B.service()
        B.expectProblem(try B.post(service, "/v1/derivative", ""), 400, "empty body")
        B.expectProblem(try B.post(service, "/v1/derivative", "   \n"), 400)
    }

    @Test(arguments: ["[1, 2]", #""text""#, "42", "null", "true"])
    func aTopLevelValueThatIsNotAnObjectIs400(_ body: String) throws {
        let service = try B.service()
        B.expectProblem(try B.post(service, "/v1/derivative", body), 400, pointer: "", "expected an object")
        B.expectProblem(try B.post(service, "/v1/train", body), 400, pointer: "")
    }

    @Test func anUnknownFieldIs400ListingTheKnownOnes() throws {
        let answer = try B.post(B.service(), "/v1/derivative", #"{"expression": "x", "at": 1, "expresion": "x"}"#)
        B.expectProblem(answer, 400, pointer: "/expresion", "known fields")
    }

    @Test func aLongRunOfMalformedBodiesIsQuick() throws {
        let service = try B.service()
        let started = ContinuousClock.now
        for count in 0..<200 {
            let body = #"{"expression": "x", "at": ["# + String(repeating: "1,", count: count) + "]}"
            #expect(try B.post(service, "/v1/derivative", body).status == 400)
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
