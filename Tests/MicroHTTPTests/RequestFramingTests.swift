import MicroHTTP
import TestSupport
import Testing

/// Ambiguous body framing (the stuff of request smuggling) gets one answer and a closed connection:
/// nothing sent behind it on the same connection is read as a request.
@Suite struct RequestFramingTests {
    /// A request head (and what follows it) with the status it must get.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let head: String
        let body: String
        let status: Int
        /// libmicrohttpd refuses a malformed Content-Length itself, before any callback (see below).
        var byLibmicrohttpd = false
        var testDescription: String { name }
    }

    static let refused: [Case] = [
        Case(
            name: "Content-Length and Transfer-Encoding: chunked",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            body: "5\r\nhello\r\n0\r\n\r\n", status: 400),
        Case(
            name: "Transfer-Encoding: chunked then Content-Length",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n",
            body: "5\r\nhello\r\n0\r\n\r\n", status: 400),
        Case(
            name: "GET with Content-Length and Transfer-Encoding",
            head: "GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n",
            body: "0\r\n\r\n", status: 400),
        Case(
            name: "two differing Content-Length fields",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n",
            body: "hello!", status: 400),
        Case(
            name: "two equal Content-Length fields",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n",
            body: "hello", status: 400),
        Case(
            name: "a list of Content-Length values",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n", body: "hello!", status: 400,
            byLibmicrohttpd: true),
        Case(
            name: "Content-Length with a sign",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n", body: "hello", status: 400,
            byLibmicrohttpd: true),
        Case(
            name: "negative Content-Length",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n", body: "", status: 400,
            byLibmicrohttpd: true),
        Case(
            name: "Content-Length with letters",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5x\r\n", body: "hello", status: 400,
            byLibmicrohttpd: true),
        Case(
            name: "hexadecimal Content-Length",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0x5\r\n", body: "hello", status: 400,
            byLibmicrohttpd: true),
        Case(
            name: "empty Content-Length",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n", body: "", status: 400, byLibmicrohttpd: true
        ),
        Case(
            name: "Content-Length past 64 bits",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n", body: "",
            status: 413, byLibmicrohttpd: true),
        Case(
            name: "Transfer-Encoding: gzip",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n", body: "", status: 501),
        Case(
            name: "Transfer-Encoding: xchunked",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n", body: "", status: 501),
        Case(
            name: "Transfer-Encoding: chunked, identity",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n",
            body: "0\r\n\r\n", status: 501),
        Case(
            name: "Transfer-Encoding: gzip, chunked",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n", body: "0\r\n\r\n",
            status: 501),
        Case(
            name: "two Transfer-Encoding fields",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
            body: "0\r\n\r\n", status: 501),
        Case(
            name: "Transfer-Encoding: identity",
            head: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n", body: "", status: 501),
    ]

    /// A request libmicrohttpd would read as a second one if the first's framing were taken at face value.
    static let pipelined = "GET /echo?smuggled HTTP/1.1\r\nHost: x\r\n\r\n"

    @Test(arguments: refused)
    func answersOnceAndClosesTheConnection(_ testCase: Case) throws {
        try withServer { server, _ in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
            client.send(testCase.head + "\r\n" + testCase.body + Self.pipelined)
            let response = try client.readResponse(method: "POST")
            #expect(response.status == testCase.status)
            let rest = client.bytesUntilClosed()
            #expect(rest != nil, "the connection was not closed")
            let restText = String(decoding: rest ?? [], as: UTF8.self)
            #expect(!restText.contains(" 200 "), "the request behind was answered: \(restText)")
            // libmicrohttpd 0.9.75 writes the head of its own error answers twice (the second head is
            // read here as the body, and the real body follows); no callback runs before it, so the
            // bridge cannot answer in its place. Still one status, a close, and nothing more answered.
            withKnownIssue("libmicrohttpd 0.9.75 sends the head of its own 400/413 twice") {
                #expect(rest == [], "more was sent after the answer: \(restText)")
            } when: {
                testCase.byLibmicrohttpd
            }
        }
    }

    @Test func answersBadFramingWithAProblemDocumentAndConnectionClose() throws {
        try withServer { server, _ in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")
            let response = try client.readResponse(method: "POST")
            #expect(response.status == 501)
            #expect(response.header("Connection")?.lowercased() == "close")
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.json?["detail"] as? String == "the only transfer coding accepted is chunked")
        }
    }

    @Test func keepsAcceptingChunkedAndContentLengthBodiesOnOneConnection() throws {
        try withServer { server, _ in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
            client.send(
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 005\r\n\r\nworld" + Self.pipelined)
            let first = try client.readResponse(method: "POST")
            let second = try client.readResponse(method: "POST")
            let third = try client.readResponse()
            #expect([first.status, second.status, third.status] == [200, 200, 200])
            #expect(first.text == "hello")
            #expect(second.text == "world")
        }
    }
}

/// Starts a server with `TestHandler` on an ephemeral port for one test, and stops it afterwards.
private func withServer(_ body: (HTTPServer, TestHandler) throws -> Void) throws {
    let handler = TestHandler()
    let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: handler)
    try server.start()
    defer { server.shutdown(gracePeriod: .seconds(1)) }
    try body(server, handler)
}
