import Foundation
import Synchronization
import TestSupport
import Testing

/// `nabla serve --api-keys FILE` over real HTTP: 401s, ownership on every job route, per-key lists,
/// SIGHUP reloading the file under open connections, and wrong tokens costing no one latency.
@Suite(.serialized) struct KeysLiveTests {
    /// A keys file in a new temporary directory with a key per name; the tokens by name.
    final class KeysFile {
        let url: URL
        var tokens: [String: String] = [:]

        init(_ names: [String]) throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nabla-keys-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            url = directory.appendingPathComponent("keys")
            try write(names)
        }

        /// Rewrites the file with keys for `names` (keeping their tokens, making new ones).
        func write(_ names: [String]) throws {
            var lines = ["# test keys"]
            for name in names {
                let created = try Self.create(name)
                tokens[name] = tokens[name] ?? created.token
                lines.append(created.token == tokens[name] ? created.line : try Self.line(name, tokens[name]!))
            }
            try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        }

        /// `nabla keys create NAME`: its token and line.
        static func create(_ name: String) throws -> (token: String, line: String) {
            let process = Process()
            process.executableURL = NablaProcess.binary
            process.arguments = ["keys", "create", name]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let lines = text.split(separator: "\n").map(String.init)
            let token = try #require(lines.first { $0.hasPrefix("token: ") }).dropFirst("token: ".count)
            let line = try #require(lines.first { $0.hasPrefix("line: ") }).dropFirst("line: ".count)
            return (String(token), String(line))
        }

        /// The line for an existing token, hashed by `sha256sum` (an independent SHA-256).
        static func line(_ name: String, _ token: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data(token.utf8))
            try input.fileHandleForWriting.close()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return "\(name):\(text.prefix(64))"
        }

        func bearer(_ name: String) -> [String: String] { ["Authorization": "Bearer \(tokens[name] ?? "")"] }
    }

    @Test func keysCreatePrintsATokenWhoseHashIsTheLine() throws {
        let (token, line) = try KeysFile.create("ci-runner")
        #expect(token.hasPrefix("nabla_") && token.count == 49)
        #expect(try KeysFile.line("ci-runner", token) == line)
    }

    @Test func unauthorizedWithoutOrWithAWrongKey() throws {
        let keys = try KeysFile(["alice"])
        let nabla = try NablaProcess(["--api-keys", keys.url.path, "--workers", "1"])
        let client = try RawHTTPClient(port: nabla.port)
        let missing = try client.request("GET", "/v1/jobs")
        #expect(missing.status == 401)
        #expect(missing.header("WWW-Authenticate") == #"Bearer realm="nabla""#)
        #expect(missing.header("Content-Type") == "application/problem+json")
        let wrong = try client.request("GET", "/v1/jobs", headers: ["Authorization": "Bearer nabla_wrong"])
        #expect(wrong.status == 401)
        #expect(wrong.header("WWW-Authenticate")?.hasPrefix(#"Bearer realm="nabla""#) == true)
        let query = try client.request("GET", "/v1/jobs?access_token=\(keys.tokens["alice"]!)")
        #expect(query.status == 401)
        #expect(try client.request("GET", "/v1/jobs", headers: keys.bearer("alice")).status == 200)
        for open in ["/healthz", "/readyz", "/", "/openapi.json", "/metrics"] {
            #expect(try client.request("GET", open).status == 200, "\(open)")
        }
        nabla.terminate()
        let log = nabla.output.rest()
        #expect(!log.contains(keys.tokens["alice"]!), "a token was logged")
        #expect(log.contains("key=alice"))
    }

    @Test func anotherKeysJobIsNotFoundOnEveryJobRouteAndNothingChanges() throws {
        let keys = try KeysFile(["alice", "bob"])
        let nabla = try NablaProcess(["--api-keys", keys.url.path, "--workers", "2"])
        let alice = try RawHTTPClient(port: nabla.port), bob = try RawHTTPClient(port: nabla.port)
        let running = try alice.postJSON("/v1/sleep", #"{"seconds": 30}"#, headers: keys.bearer("alice"))
        #expect(running.status == 202)
        let runningID = try #require(running.json?["id"] as? String)
        let trained = try alice.postJSON(
            "/v1/train?wait=true", #"{"preset": "clothing-size", "epochs": 5}"#, headers: keys.bearer("alice"))
        #expect(trained.status == 200)
        let trainedID = try #require(trained.json?["id"] as? String)
        let before = try alice.request("GET", "/v1/jobs/\(runningID)", headers: keys.bearer("alice")).json

        for id in [runningID, trainedID] {
            #expect(try bob.request("GET", "/v1/jobs/\(id)", headers: keys.bearer("bob")).status == 404)
            #expect(try bob.request("DELETE", "/v1/jobs/\(id)", headers: keys.bearer("bob")).status == 404)
            #expect(try bob.request("GET", "/v1/jobs/\(id)/events", headers: keys.bearer("bob")).status == 404)
            let predicted = try bob.postJSON("/v1/jobs/\(id)/predict", #"{"x": [[3]]}"#, headers: keys.bearer("bob"))
            #expect(predicted.status == 404)
            #expect(predicted.json?["type"] as? String == "urn:nabla:problem:not-found")
        }
        let after = try alice.request("GET", "/v1/jobs/\(runningID)", headers: keys.bearer("alice")).json
        #expect(after?["status"] as? String == "running" && after?["cancel_requested"] as? Bool == false)
        #expect(after?["status"] as? String == before?["status"] as? String)
        let prediction = try alice.postJSON(
            "/v1/jobs/\(trainedID)/predict", #"{"x": [[3]]}"#, headers: keys.bearer("alice"))
        #expect(prediction.status == 200)

        let aliceList =
            try alice.request("GET", "/v1/jobs", headers: keys.bearer("alice")).json?["jobs"] as? [[String: Any]]
        #expect(Set((aliceList ?? []).compactMap { $0["id"] as? String }) == [runningID, trainedID])
        let bobList = try bob.request("GET", "/v1/jobs", headers: keys.bearer("bob")).json?["jobs"] as? [[String: Any]]
        #expect(bobList?.isEmpty == true)
        #expect(try alice.request("DELETE", "/v1/jobs/\(runningID)", headers: keys.bearer("alice")).status == 202)
        nabla.terminate()
    }

    @Test func sighupAddsAndRemovesKeysWithoutDroppingConnections() throws {
        let keys = try KeysFile(["alice", "carol"])
        let nabla = try NablaProcess(["--api-keys", keys.url.path, "--workers", "1"])
        let alice = try RawHTTPClient(port: nabla.port), carol = try RawHTTPClient(port: nabla.port)
        #expect(try alice.request("GET", "/v1/jobs", headers: keys.bearer("alice")).status == 200)
        #expect(try carol.request("GET", "/v1/jobs", headers: keys.bearer("carol")).status == 200)

        try keys.write(["alice", "bob"])
        kill(nabla.process.processIdentifier, SIGHUP)
        #expect(nabla.output.line(containing: "api keys reloaded", timeout: 10) != nil)
        // The same connections as before the reload: alice's still works, carol's key is gone.
        #expect(try alice.request("GET", "/v1/jobs", headers: keys.bearer("alice")).status == 200)
        #expect(try carol.request("GET", "/v1/jobs", headers: keys.bearer("carol")).status == 401)
        let bob = try RawHTTPClient(port: nabla.port)
        #expect(try bob.request("GET", "/v1/jobs", headers: keys.bearer("bob")).status == 200)

        try "alice:not-a-hash\n".write(to: keys.url, atomically: true, encoding: .utf8)
        kill(nabla.process.processIdentifier, SIGHUP)
        let refused = nabla.output.line(containing: "api keys not reloaded", timeout: 10)
        #expect(refused?.contains("line 1") == true, "\(refused ?? "no log line")")
        #expect(try alice.request("GET", "/v1/jobs", headers: keys.bearer("alice")).status == 200)
        #expect(try bob.request("GET", "/v1/jobs", headers: keys.bearer("bob")).status == 200)
        #expect(nabla.terminate() < 10)
        #expect(nabla.process.terminationStatus == 0)
    }

    /// A thousand requests with wrong tokens, from four connections at once, while another connection
    /// measures `/healthz` and a keyed `/v1/jobs`: the 99th percentile of each stays under 50 ms.
    @Test func aThousandWrongTokensCostNoOneLatency() throws {
        let keys = try KeysFile(["alice"])
        let nabla = try NablaProcess(["--api-keys", keys.url.path, "--workers", "1"])
        // Its log (a line per request) is read meanwhile, as a container runtime would: a full pipe
        // would stall the server.
        let output = nabla.output
        DispatchQueue.global().async { _ = output.rest() }
        let port = nabla.port
        let flooding = DispatchGroup()
        let refused = Mutex(0)
        for connection in 0..<4 {
            DispatchQueue.global().async(group: flooding) {
                guard let client = try? RawHTTPClient(port: port) else { return }
                for attempt in 0..<250 {
                    let token = "nabla_wrong\(connection)x\(attempt)\(String(repeating: "A", count: attempt % 40))"
                    if (try? client.request("GET", "/v1/jobs", headers: ["Authorization": "Bearer \(token)"]))?.status
                        == 401
                    {
                        refused.withLock { $0 += 1 }
                    }
                }
            }
        }
        let probe = try RawHTTPClient(port: port)
        var health: [Double] = [], keyed: [Double] = []
        while flooding.wait(timeout: .now()) == .timedOut {
            for (path, headers) in [("/healthz", [:]), ("/v1/jobs?limit=1", keys.bearer("alice"))] {
                let start = ContinuousClock.now
                #expect(try probe.request("GET", path, headers: headers).status == 200)
                let milliseconds = Double((ContinuousClock.now - start) / .microseconds(1)) / 1000
                if path == "/healthz" { health.append(milliseconds) } else { keyed.append(milliseconds) }
            }
        }
        #expect(refused.withLock { $0 } == 1000)
        let p99 = { (samples: [Double]) in samples.sorted()[min(samples.count - 1, samples.count * 99 / 100)] }
        print(
            "1000 wrong tokens: health p99 \(p99(health)) ms over \(health.count) requests, keyed /v1/jobs p99 "
                + "\(p99(keyed)) ms")
        #expect(health.count >= 10)
        #expect(p99(health) < 50)
        #expect(p99(keyed) < 50)
        nabla.terminate()
    }

    @Test func withoutKeysANonLoopbackAddressIsWarnedAbout() throws {
        let open = try NablaProcess(["--host", "0.0.0.0", "--workers", "1"])
        #expect(open.output.line(containing: "no API keys", timeout: 10)?.contains("warning") == true)
        open.terminate()
        let local = try NablaProcess(["--workers", "1"])
        local.terminate()
        #expect(!local.output.rest().contains("no API keys"))
    }

    @Test func corsForAnAllowedOriginAndNothingForAnother() throws {
        let origin = "http://localhost:18650"
        let nabla = try NablaProcess(["--cors-origin", origin, "--workers", "1"])
        let client = try RawHTTPClient(port: nabla.port)
        let preflight = try client.request(
            "OPTIONS", "/v1/derivative",
            headers: [
                "Origin": origin, "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            ])
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Origin") == origin)
        #expect(preflight.header("Access-Control-Allow-Headers") == "Authorization, Content-Type, X-Request-Id")
        #expect(preflight.header("Access-Control-Allow-Methods")?.contains("POST") == true)
        #expect(preflight.header("Access-Control-Max-Age") == "600")
        let actual = try client.postJSON("/v1/sleep", #"{"seconds": 0}"#, headers: ["Origin": origin])
        #expect(actual.status == 202)
        #expect(actual.header("Access-Control-Allow-Origin") == origin)
        #expect(actual.header("Access-Control-Expose-Headers") == "Location, Retry-After, X-Request-Id")
        #expect(actual.header("Vary") == "Origin")

        let other = "http://localhost:18651"
        let otherPreflight = try client.request(
            "OPTIONS", "/v1/derivative", headers: ["Origin": other, "Access-Control-Request-Method": "POST"])
        let otherActual = try client.request("GET", "/healthz", headers: ["Origin": other])
        #expect(otherPreflight.status != 204)
        for answer in [otherPreflight, otherActual] {
            #expect(!answer.headers.contains { $0.name.lowercased().hasPrefix("access-control-") })
        }
        nabla.terminate()
    }
}
