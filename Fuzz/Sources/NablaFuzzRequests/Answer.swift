/// What the API answered, copied out of its `HTTPResponse` in the completion.
struct Answer: Sendable {
    let status: Int
    let contentType: String?
    /// Nil for a streamed body.
    let body: [UInt8]?

    /// The body as text, cut to `limit` characters, for findings.
    func text(limit: Int = 2_000) -> String {
        guard let body else { return "(a stream)" }
        return String(String(decoding: body, as: UTF8.self).prefix(limit))
    }
}
