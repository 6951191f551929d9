import Foundation

/// What every answer must be, whatever the body: a status from the documented set (never 500); an
/// error as a problem+json object whose `status` is the HTTP status; a success as JSON that Foundation
/// (a parser independent of the API's) reads, with finite numbers only. A broken rule is a finding.
enum RequestInvariants {
    /// Every status a POST with a JSON content type may be answered with.
    static let allowedStatuses: Set<Int> = [200, 202, 400, 404, 405, 409, 413, 415, 422, 429, 503]

    /// Checks `answer` to a request on `route`.
    static func check(_ answer: Answer, route: FuzzedRoute) {
        guard allowedStatuses.contains(answer.status), route.expectedStatuses.contains(answer.status) else {
            finding("\(route) answered \(answer.status): \(answer.text())")
        }
        guard let body = answer.body else { finding("\(route) answered \(answer.status) with a stream") }
        if answer.status >= 400 {
            checkProblem(answer, body, route: route)
        } else {
            checkSuccess(answer, body, route: route)
        }
    }

    /// RFC 9457 as the API writes it: `type`, `title`, `status` (the HTTP status) and `detail`.
    static func checkProblem(_ answer: Answer, _ body: [UInt8], route: FuzzedRoute) {
        guard answer.contentType == "application/problem+json" else {
            finding("\(route): a \(answer.status) with Content-Type \(answer.contentType ?? "none")")
        }
        guard let problem = parse(body, route: route) as? [String: Any] else {
            finding("\(route): the \(answer.status) body is not a JSON object: \(answer.text())")
        }
        for member in ["type", "title", "detail"] where (problem[member] as? String ?? "").isEmpty {
            finding("\(route): the \(answer.status) problem has no '\(member)': \(answer.text())")
        }
        guard let status = problem["status"] as? Int, status == answer.status else {
            finding("\(route): the \(answer.status) problem says status \(problem["status"] ?? "nothing")")
        }
    }

    /// `application/json` that parses; an object except for echo, which returns any JSON value.
    static func checkSuccess(_ answer: Answer, _ body: [UInt8], route: FuzzedRoute) {
        guard answer.contentType == "application/json" else {
            finding("\(route): a \(answer.status) with Content-Type \(answer.contentType ?? "none")")
        }
        let value = parse(body, route: route)
        if route != .echo && !(value is [String: Any]) {
            finding("\(route): the \(answer.status) body is not a JSON object: \(answer.text())")
        }
    }

    /// `body` read by Foundation, after checking that it has no non-finite number, as a token or as
    /// a value Foundation reads as infinite (`1e999`).
    static func parse(_ body: [UInt8], route: FuzzedRoute) -> Any {
        if let token = JSONTokens.firstBareWord(in: body, except: ["true", "false", "null", "e", "E"]) {
            finding("\(route): '\(token)' in a JSON answer: \(String(decoding: body, as: UTF8.self).prefix(2_000))")
        }
        // A descent of a million steps answers tens of megabytes by design (the path limit); Foundation
        // reads that for longer than libFuzzer's 10-s timeout under the sanitizer. Past 4 MB the answer
        // is checked by the token scan above and its brackets only.
        if body.count > 4 << 20 {
            if body.first != UInt8(ascii: "{") || body.last != UInt8(ascii: "}") {
                finding("\(route): a \(body.count)-byte answer is not one JSON object")
            }
            return [String: Any]()
        }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            finding(
                "\(route): Foundation cannot read the answer (\(error)): \(String(decoding: body, as: UTF8.self).prefix(2_000))"
            )
        }
        if let number = JSONTokens.firstNonFiniteNumber(in: value) {
            finding("\(route): the answer holds \(number): \(String(decoding: body, as: UTF8.self).prefix(2_000))")
        }
        return value
    }
}
