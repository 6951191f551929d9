import Foundation
import MicroHTTP
import TestSupport
import Testing

/// HTTPS through libmicrohttpd's GnuTLS, with a self-signed certificate made by openssl for each test
/// and checked by curl against that certificate.
@Suite struct TLSTests {
    @Test func servesHTTPSThatCurlVerifiesWithTheCertificate() throws {
        try withTLSServer { server, certificate in
            let result = try curl(certificate, ["--data-binary", "over tls", "https://127.0.0.1:\(server.port)/echo"])
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.output == "over tls 200")
            // localhost is in the certificate's names too.
            let byName = try curl(certificate, ["https://localhost:\(server.port)/echo"])
            #expect(byName.output == " 200", "\(byName.errorOutput)")
        }
    }

    @Test(arguments: ["1.2", "1.3"])
    func acceptsTLSVersion(_ version: String) throws {
        try withTLSServer { server, certificate in
            let result = try curl(
                certificate, ["--tlsv\(version)", "--tls-max", version, "https://127.0.0.1:\(server.port)/echo"])
            #expect(result.output == " 200", "\(result.errorOutput)")
        }
    }

    @Test func refusesTLS11() throws {
        try withTLSServer { server, certificate in
            // Security level 0 lets openssl itself offer TLS 1.1: the refusal must be the server's.
            let result = try runCommand(
                "openssl",
                [
                    "s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0",
                    "-CAfile", certificate.certificateFile,
                ])
            #expect(result.status != 0)
            #expect(result.output.contains("Cipher is (NONE)"), "\(result.output)")
        }
    }

    @Test func plainHTTPToTheTLSPortGetsNoHTTPAnswerAndTheServerStaysUp() throws {
        try withTLSServer { server, certificate in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
            client.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
            let answer = client.bytesUntilClosed()
            #expect(answer != nil, "the connection was not closed")
            #expect(!String(decoding: answer ?? [], as: UTF8.self).hasPrefix("HTTP/"))
            let after = try curl(certificate, ["https://127.0.0.1:\(server.port)/echo"])
            #expect(after.output == " 200", "\(after.errorOutput)")
        }
    }

    @Test func healthProbeExchangeSpeaksTLSWithoutACertificateCheck() throws {
        try withTLSServer { server, _ in
            let client = try RawHTTPClient(port: server.port, timeoutSeconds: 5)
            let answer = try TLSProbeExchange.exchange(
                onSocket: client.descriptor,
                request: Array("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8),
                capacity: 512)
            #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 200 "))
        }
    }

    @Test func refusesToStartWithAMissingCertificate() throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, tls: .init(certificateFile: "/nonexistent/cert.pem", keyFile: "/x")),
            handler: TestHandler())
        #expect(throws: HTTPServerError.tlsFileUnreadable(path: "/nonexistent/cert.pem")) { try server.start() }
    }

    @Test func refusesToStartWithAKeyInPlaceOfTheCertificate() throws {
        let certificate = try SelfSignedCertificate()
        defer { certificate.remove() }
        let tls = HTTPServerConfiguration.TLS(certificateFile: certificate.keyFile, keyFile: certificate.keyFile)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, tls: tls), handler: TestHandler())
        #expect(throws: HTTPServerError.self) { try server.start() }
    }

    @Test func refusesToStartWithAKeyThatDoesNotMatchTheCertificate() throws {
        let certificate = try SelfSignedCertificate()
        let other = try SelfSignedCertificate()
        defer {
            certificate.remove()
            other.remove()
        }
        let tls = HTTPServerConfiguration.TLS(certificateFile: certificate.certificateFile, keyFile: other.keyFile)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, tls: tls), handler: TestHandler())
        #expect(throws: HTTPServerError.tlsStartFailed(host: "127.0.0.1", port: 0)) { try server.start() }
    }
}

/// Starts an HTTPS server with `TestHandler` and a fresh self-signed certificate for one test.
private func withTLSServer(_ body: (HTTPServer, SelfSignedCertificate) throws -> Void) throws {
    let certificate = try SelfSignedCertificate()
    defer { certificate.remove() }
    let tls = HTTPServerConfiguration.TLS(certificateFile: certificate.certificateFile, keyFile: certificate.keyFile)
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, tls: tls), handler: TestHandler())
    try server.start()
    defer { server.shutdown(gracePeriod: .seconds(1)) }
    try body(server, certificate)
}

/// curl, trusting only `certificate`; prints the body then a space and the status.
private func curl(_ certificate: SelfSignedCertificate, _ arguments: [String]) throws -> CommandResult {
    try runCommand(
        "curl", ["-sS", "--max-time", "10", "--cacert", certificate.certificateFile, "-w", " %{http_code}"] + arguments)
}
