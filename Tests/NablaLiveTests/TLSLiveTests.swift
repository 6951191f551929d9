import Foundation
import TestSupport
import Testing

/// `nabla serve --tls-cert --tls-key` serves HTTPS, and `nabla healthcheck` (the image's HEALTHCHECK)
/// probes it when `NABLA_TLS_CERT` is set, as it is in a container configured by environment.
@Suite struct TLSLiveTests {
    @Test func servesHTTPSAndTheHealthcheckProbesIt() throws {
        let certificate = try SelfSignedCertificate()
        defer { certificate.remove() }
        let nabla = try NablaProcess(["--tls-cert", certificate.certificateFile, "--tls-key", certificate.keyFile])
        defer { nabla.terminate() }
        #expect(nabla.listening.contains("scheme=https"))
        let curl = try runCommand(
            "curl",
            [
                "-sS", "--max-time", "10", "--cacert", certificate.certificateFile, "-w", " %{http_code}",
                "https://127.0.0.1:\(nabla.port)/healthz",
            ])
        #expect(curl.output.hasSuffix(" 200"), "\(curl.output) \(curl.errorOutput)")

        let environment = ["NABLA_PORT": "\(nabla.port)", "NABLA_TLS_CERT": certificate.certificateFile]
        let probe = try nablaCommand(["healthcheck"], environment: environment)
        #expect(probe.status == 0, "\(probe.output) \(probe.errorOutput)")
        #expect(probe.output.contains("https://127.0.0.1:\(nabla.port)/healthz -> 200"))
        // Plain HTTP to the TLS port is no health.
        let plain = try nablaCommand(["healthcheck", "--port", "\(nabla.port)"], environment: [:])
        #expect(plain.status != 0)
    }

    @Test(arguments: [
        (["--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"], "cannot read the TLS file"),
        (["--tls-cert", "/nonexistent/cert.pem"], "--tls-cert needs --tls-key"),
    ])
    func refusesToStartWithBadTLSFiles(_ arguments: [String], _ message: String) throws {
        let result = try nablaCommand(["serve", "--port", "0"] + arguments, environment: [:])
        #expect(result.status != 0)
        #expect(result.errorOutput.contains(message), "\(result.errorOutput)")
    }

    @Test func refusesToStartWithAKeyThatDoesNotMatchTheCertificate() throws {
        let certificate = try SelfSignedCertificate()
        let other = try SelfSignedCertificate()
        defer {
            certificate.remove()
            other.remove()
        }
        let result = try nablaCommand(
            ["serve", "--port", "0", "--tls-cert", certificate.certificateFile, "--tls-key", other.keyFile],
            environment: [:])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("GnuTLS refused the certificate or key"), "\(result.errorOutput)")
    }
}

/// Runs the built `nabla` with `arguments`, NABLA_* variables replaced by `environment`, and waits.
private func nablaCommand(_ arguments: [String], environment: [String: String]) throws -> CommandResult {
    var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NABLA_") }
    variables.merge(environment) { _, new in new }
    return try runCommand(
        "env", ["-i"] + variables.map { "\($0.key)=\($0.value)" } + [NablaProcess.binary.path] + arguments)
}
