import Foundation
import TestSupport
import Testing

/// Hostile expressions over real HTTP: each is a 400 with the column, answered within 50 ms (the
/// fastest of up to five tries; for bodies of 100 KB and more plus 80 ms per MiB for reading the JSON,
/// which a debug build does at about 50 ms per MiB); overflow and domain errors at a point are 422 with
/// the reason, and no answer holds NaN or an infinity.
@Suite(.serviceSurvives) struct BadExpressionTests {
    typealias B = BadInput
    static let limitMS = 50.0
    /// Server time allowed per MiB of a large body for reading the JSON: a debug build's parser reads
    /// 1 MB in about 50 ms, a release build's in about 1 (`swift test -c release` gets no allowance).
    #if DEBUG
        static let jsonMSPerMiB = 80.0
    #else
        static let jsonMSPerMiB = 0.0
    #endif
    static let maxLength = 10_000  // nabla serve's default --max-expression-length

    static let long: [Named<(expression: String, text: String)>] = [
        Named(
            name: "1 MB expression", value: (String(repeating: "x+", count: 500_000) + "x", "the limit is \(maxLength)")
        ),
        Named(
            name: "10,000-digit literal", value: (String(repeating: "1", count: 10_000), "out of range for a double")),
        Named(
            name: "10,000 digits and more",
            value: (String(repeating: "1", count: 10_000) + "*x", "the limit is \(maxLength)")),
        Named(name: "( x 100,000", value: (String(repeating: "(", count: 100_000), "the limit is \(maxLength)")),
        Named(name: "sin( x 10,000", value: (String(repeating: "sin(", count: 10_000), "the limit is \(maxLength)")),
        Named(name: "- x 200,000", value: (String(repeating: "-", count: 200_000) + "x", "the limit is \(maxLength)")),
        Named(
            name: "x^ x 100,000", value: (String(repeating: "x^", count: 100_000) + "x", "the limit is \(maxLength)")),
        Named(
            name: "( x 9,000 (within the length limit)",
            value: (
                String(repeating: "(", count: 9_000) + "x" + String(repeating: ")", count: 900),
                "nested more than 256 levels"
            )),
        Named(
            name: "sin( x 2,000 (within)",
            value: (String(repeating: "sin(", count: 2_000) + "x", "nested more than 256 levels")),
        Named(
            name: "- x 9,999 (within)",
            value: (String(repeating: "-", count: 9_999) + "x", "nested more than 256 levels")),
        Named(
            name: "x^ x 4,999 (within)",
            value: (String(repeating: "x^", count: 4_999) + "x", "nested more than 256 levels")),
    ]

    @Test(arguments: long)
    func aLongOrDeepExpressionIs400WithAColumnQuickly(_ item: Named<(expression: String, text: String)>) throws {
        let service = try B.service()
        let body = B.expressionBody(item.value.expression)
        let large = item.value.expression.utf16.count >= 100_000
        let budget =
            Self.limitMS + (large ? Self.jsonMSPerMiB * Double(item.value.expression.utf16.count) / 1_048_576 : 0)
        try B.timed(budget) {
            let answer = try B.post(service, "/v1/derivative", body)
            let problem = B.expectProblem(answer, 400, pointer: "/expression", item.value.text)
            let position = (problem["errors"] as? [[String: Any]])?.first?["position"] as? Int
            #expect((position ?? 0) >= 1, "position \(String(describing: position))")
            return answer
        }
    }

    @Test(
        arguments: [
            ("Cyrillic х", "\u{0445}^2", "U+0445", 1), ("U+2212 minus", "x\u{2212}1", "use '-' for minus", 2),
            ("zero-width space", "x\u{200B}+1", "U+200B", 2),
            ("python", "__import__('os')", "unexpected character", 12),
            ("sin()", "sin()", "sin takes 1 argument, not 0", 1),
            ("sin(x,y)", "sin(x,y)", "sin takes 1 argument, not 2", 1),
            ("unbalanced", "(x+1", "expected ')'", 5),
            ("dangling operator", "x^2 +", "expected an operand after '+'", 5),
            ("unknown function", "foo(x)", "unknown function", 1), ("empty", "", "", nil),
            ("only spaces", "   ", "", nil),
            ("NUL", "x\u{0000}+1", "", 2), ("emoji", "x+\u{1F600}", "", 3),
            ("right-to-left override", "x\u{202E}+1", "", 2),
        ] as [(String, String, String, Int?)])
    func aMalformedExpressionIs400WithItsColumnQuickly(
        _ name: String, _ expression: String, _ text: String, _ column: Int?
    )
        throws
    {
        let service = try B.service()
        try B.timed(Self.limitMS) {
            let answer = try B.post(service, "/v1/derivative", B.expressionBody(expression))
            let problem = B.expectProblem(answer, 400, pointer: "/expression", text)
            if let column {
                #expect((problem["errors"] as? [[String: Any]])?.first?["position"] as? Int == column, "\(name)")
            }
            return answer
        }
    }

    @Test(arguments: [
        (#"{"expression": "9^9^9^9", "at": 1}"#, "is infinite"),
        (#"{"expression": "exp(1000)", "at": 1}"#, "exp(1000) is infinite"),
        (#"{"expression": "exp(x)", "at": 1000}"#, "exp(1000) is infinite"),
        (#"{"expression": "log(-1)", "at": 1}"#, "log(-1) is not a real number"),
        (#"{"expression": "log(x)", "at": -1}"#, "log(-1) is not a real number"),
        (#"{"expression": "sqrt(x)", "at": -4}"#, "not a real number"),
        (#"{"expression": "1/x", "at": 0}"#, "infinite"),
        (#"{"expression": "x^2", "at": 1e200, "method": "central"}"#, "not finite"),
        (#"{"expression": "exp(x)", "at": [0, 1, 1000]}"#, "is infinite"),
        (#"{"expression": "9^9^9^9", "at": 1, "method": "all"}"#, "is infinite"),
        (#"{"expression": "log(x)", "at": -1, "method": "reverse"}"#, "not a real number"),
    ])
    func overflowAndDomainErrorsAtAPointAre422WithTheReason(_ body: String, _ reason: String) throws {
        let service = try B.service()
        try B.timed(Self.limitMS) {
            let answer = try B.post(service, "/v1/derivative", body)
            B.expectProblem(answer, 422, reason)
            return answer
        }
    }

    /// 422, or 200 with `stopped: diverged` for descent; never a NaN or an infinity (checked on every
    /// answer by `BadInput.send`).
    @Test(arguments: [
        ("/v1/gradient", #"{"expression": "exp(x*y)", "at": [1000, 1000]}"#),
        ("/v1/gradient", #"{"expression": "log(x) + y", "at": {"x": -1, "y": 0}}"#),
        ("/v1/descent", #"{"expression": "exp(w)", "start": [700], "learning_rate": 1, "steps": 3}"#),
    ])
    func gradientsAndDescentAtOverflowingPointsNeverAnswerNaN(_ path: String, _ body: String) throws {
        let answer = try B.post(B.service(), path, body)
        #expect([200, 422].contains(answer.status), "\(answer.status) \(answer.response.text)")
        if answer.status == 422 { B.expectProblem(answer, 422) }
    }

    @Test func anExpressionOfTheWrongTypeIs400() throws {
        let service = try B.service()
        B.expectProblem(
            try B.post(service, "/v1/derivative", #"{"expression": 42, "at": 1}"#), 400, pointer: "/expression")
        B.expectProblem(
            try B.post(service, "/v1/derivative", #"{"expression": ["x"], "at": 1}"#), 400, pointer: "/expression")
    }
}
