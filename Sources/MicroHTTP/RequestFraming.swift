/// The checks on a request's body framing made before the request reaches the handler: whatever
/// libmicrohttpd 0.9.75 lets through that a proxy in front could read differently (request smuggling).
///
/// libmicrohttpd uses the first `Content-Length` of several, prefers `Transfer-Encoding` to
/// `Content-Length`, and reads a body of any other transfer coding until the connection closes. Each
/// such request is answered once here and its connection closed, so nothing behind it on the
/// connection is read as a request (RFC 9112 §6.1, §6.3; RFC 9110 §8.6).
enum RequestFraming: Equatable, Sendable {
    /// Both `Content-Length` and `Transfer-Encoding` (400).
    case lengthAndTransferEncoding
    /// More than one `Content-Length` field, or a list in one (400).
    case severalContentLengths
    /// A `Content-Length` that is not a plain decimal number (400).
    case malformedContentLength
    /// Any transfer coding other than exactly `chunked` (501).
    case unsupportedTransferCoding

    /// The status of the answer.
    var status: Int {
        switch self {
        case .unsupportedTransferCoding: 501
        case .lengthAndTransferEncoding, .severalContentLengths, .malformedContentLength: 400
        }
    }

    /// What is wrong, for the answer's detail.
    var reason: String {
        switch self {
        case .lengthAndTransferEncoding: "a request may not have both Content-Length and Transfer-Encoding"
        case .severalContentLengths: "a request may have one Content-Length field with one value"
        case .malformedContentLength: "Content-Length must be a decimal number of bytes"
        case .unsupportedTransferCoding: "the only transfer coding accepted is chunked"
        }
    }

    /// The first framing problem of a request head, or nil when its framing is unambiguous.
    static func violation(in headers: [(name: String, value: String)]) -> RequestFraming? {
        let lengths = headers.filter { $0.name.caseInsensitiveEquals("Content-Length") }.map(\.value)
        let codings = headers.filter { $0.name.caseInsensitiveEquals("Transfer-Encoding") }.map(\.value)
        if !lengths.isEmpty && !codings.isEmpty { return .lengthAndTransferEncoding }
        if let length = lengths.first {
            if lengths.count > 1 || length.contains(",") { return .severalContentLengths }
            // At most 18 digits: any value fits in an Int (the body limit refuses large ones anyway).
            let digits = length.utf8
            guard (1...18).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }) else {
                return .malformedContentLength
            }
        }
        if let coding = codings.first {
            // Coding names are case-insensitive (RFC 9112 §7); libmicrohttpd compares the same way.
            guard codings.count == 1, coding.caseInsensitiveEquals("chunked") else { return .unsupportedTransferCoding }
        }
        return nil
    }
}

extension RequestFraming {
    /// The answer: a problem document (RFC 9457) with `Connection: close`, written here because the
    /// request never reaches the handler. The reasons are fixed ASCII without quotes, so no escaping.
    var response: HTTPResponse {
        let title = status == 501 ? "Not Implemented" : "Bad Request"
        let body = #"{"type":"about:blank","title":"\#(title)","status":\#(status),"detail":"\#(reason)"}"#
        return HTTPResponse(
            status: status, headers: [("Content-Type", "application/problem+json")], body: Array(body.utf8))
    }
}
