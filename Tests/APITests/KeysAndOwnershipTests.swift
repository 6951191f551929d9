import API
import Foundation
import Jobs
import MicroHTTP
import Testing

/// API keys and ownership, through the router: `/v1` needs a key, each key sees and touches only its
/// own jobs (another's are 404), limits count per key, and a service without keys is open as before.
@Suite struct KeysAndOwnershipTests {
    static let aliceToken = "alice-token-0123456789"
    static let bobToken = "bob-token-0123456789"

    static func keys() throws -> KeyRing {
        KeyRing(
            try APIKeys(
                parsing: """
                    # two clients
                    alice:\(APIKeys.line(name: "x", token: aliceToken).dropFirst(2))

                    bob:\(APIKeys.line(name: "x", token: bobToken).dropFirst(2))
                    """))
    }

    static func bearer(_ token: String) -> [(name: String, value: String)] { [("Authorization", "Bearer \(token)")] }

    @Test func v1RoutesNeedAKeyAndAnswer401WithTheBearerChallenge() throws {
        let harness = APIHarness(keys: try Self.keys())
        let missing = harness.send("GET", "/v1/jobs")
        #expect(missing.status == 401)
        #expect(missing.header("Content-Type") == "application/problem+json")
        #expect(missing.header("WWW-Authenticate") == #"Bearer realm="nabla""#)
        #expect(missing.json["type"] as? String == "urn:nabla:problem:unauthorized")
        let wrong = harness.send("GET", "/v1/jobs", headers: Self.bearer("not-a-key"))
        #expect(wrong.status == 401)
        #expect(wrong.header("WWW-Authenticate") == #"Bearer realm="nabla", error="invalid_token""#)
        #expect(harness.send("GET", "/v1/jobs", headers: [("Authorization", "Basic \(Self.aliceToken)")]).status == 401)
        #expect(harness.send("POST", "/v1/derivative", body: #"{"expression": "x^2", "at": 1}"#).status == 401)
        #expect(harness.send("GET", "/v1/nothing-here").status == 401)
        #expect(harness.send("GET", "/v1/jobs", headers: Self.bearer(Self.aliceToken)).status == 200)
        #expect(harness.send("GET", "/v1/jobs", headers: [("authorization", "bearer \(Self.bobToken)")]).status == 200)
    }

    @Test func anOversizedBodyWithoutAKeyIs401AndGetsOnlyTheGeneralLimit() throws {
        let harness = APIHarness(keys: try Self.keys())
        let anonymous = HTTPRequest(method: "POST", path: "/v1/train")
        #expect(harness.api.maxBodyBytes(for: anonymous) == nil)
        #expect(harness.api.responseForOversizedBody(anonymous, limit: 10).status == 401)
        let keyed = HTTPRequest(method: "POST", path: "/v1/train", headers: Self.bearer(Self.aliceToken))
        #expect(harness.api.maxBodyBytes(for: keyed) == APIConfiguration().maxDataBodyBytes)
        #expect(harness.api.responseForOversizedBody(keyed, limit: 10).status == 413)
    }

    @Test func aTokenInTheQueryStringIsNotAccepted() throws {
        let harness = APIHarness(keys: try Self.keys())
        for name in ["access_token", "token", "key", "api_key"] {
            #expect(harness.send("GET", "/v1/jobs", query: [(name, Self.aliceToken)]).status == 401)
        }
    }

    @Test func healthPageDocumentAndMetricsStayOpen() throws {
        let harness = APIHarness(keys: try Self.keys())
        for path in ["/healthz", "/readyz", "/", "/openapi.json", "/metrics"] {
            #expect(harness.send("GET", path).status == 200, "\(path)")
        }
        let protected = APIHarness(keys: try Self.keys(), protectMetrics: true)
        #expect(protected.send("GET", "/metrics").status == 401)
        #expect(protected.send("GET", "/metrics", headers: Self.bearer(Self.bobToken)).status == 200)
        #expect(protected.send("GET", "/healthz").status == 200)
    }

    @Test func anotherKeysJobIsNotFoundForEveryJobRouteAndStaysAsItWas() throws {
        let harness = APIHarness(keys: try Self.keys())
        let created = harness.send(
            "POST", "/v1/sleep", headers: Self.bearer(Self.aliceToken), body: #"{"seconds": 30}"#)
        #expect(created.status == 202)
        let id = try #require(created.json["id"] as? String)
        defer { _ = harness.runner.cancel(JobID(id)!) }
        let bob = Self.bearer(Self.bobToken)
        for (method, path, body) in [
            ("GET", "/v1/jobs/\(id)", nil), ("DELETE", "/v1/jobs/\(id)", nil), ("GET", "/v1/jobs/\(id)/events", nil),
            ("POST", "/v1/jobs/\(id)/predict", #"{"x": [[1]]}"#),
        ] {
            let answer = harness.send(method, path, headers: bob, body: body)
            #expect(answer.status == 404, "\(method) \(path)")
            #expect(answer.json["type"] as? String == "urn:nabla:problem:not-found")
        }
        let job = try #require(harness.runner.snapshot(JobID(id)!))
        #expect(!job.cancelRequested && !job.status.isFinished)
        #expect(job.owner == "alice")
        #expect(harness.send("GET", "/v1/jobs/\(id)", headers: Self.bearer(Self.aliceToken)).status == 200)
        #expect(harness.send("GET", "/v1/jobs/\(id)").status == 401)
    }

    @Test func listsShowTheCallersOwnJobsOnly() throws {
        let harness = APIHarness(keys: try Self.keys())
        var ids: [String: [String]] = [:]
        for (name, token) in [("alice", Self.aliceToken), ("bob", Self.bobToken), ("alice", Self.aliceToken)] {
            let created = harness.send(
                "POST", "/v1/sleep", query: [("wait", "true")], headers: Self.bearer(token), body: #"{"seconds": 0}"#)
            #expect(created.status == 200)
            ids[name, default: []].append(try #require(created.json["id"] as? String))
        }
        for (name, token) in [("alice", Self.aliceToken), ("bob", Self.bobToken)] {
            let listed = harness.send("GET", "/v1/jobs", headers: Self.bearer(token)).json["jobs"] as? [[String: Any]]
            #expect(Set((listed ?? []).compactMap { $0["id"] as? String }) == Set(ids[name] ?? []), "\(name)")
        }
    }

    @Test func jobLimitCountsPerKeyWhateverTheAddress() throws {
        let harness = APIHarness(jobs: JobRunnerConfiguration(maxJobsPerClient: 1), keys: try Self.keys())
        let first = harness.send(
            "POST", "/v1/sleep", headers: Self.bearer(Self.aliceToken), body: #"{"seconds": 30}"#, from: "10.0.0.1")
        #expect(first.status == 202)
        let again = harness.send(
            "POST", "/v1/sleep", headers: Self.bearer(Self.aliceToken), body: #"{"seconds": 30}"#, from: "10.0.0.2")
        #expect(again.status == 429)
        let other = harness.send(
            "POST", "/v1/sleep", headers: Self.bearer(Self.bobToken), body: #"{"seconds": 30}"#, from: "10.0.0.1")
        #expect(other.status == 202)
        for answer in [first, other] {
            if let id = answer.json["id"] as? String { _ = harness.runner.cancel(JobID(id)!) }
        }
    }

    @Test func withoutKeysEveryRouteIsOpenAndJobsAreEveryonesAsBefore() throws {
        let harness = APIHarness()
        let created = harness.send(
            "POST", "/v1/sleep", query: [("wait", "true")], body: #"{"seconds": 0}"#, from: "10.0.0.1")
        #expect(created.status == 200)
        let id = try #require(created.json["id"] as? String)
        #expect(harness.send("GET", "/v1/jobs/\(id)", from: "10.0.0.2").status == 200)
        #expect(harness.send("GET", "/v1/jobs", headers: Self.bearer("anything"), from: "10.0.0.3").json["jobs"] != nil)
        #expect(harness.runner.snapshot(JobID(id)!)?.owner == nil)
    }
}

/// The keys file: `NAME:SHA256HEX` lines, comments and blank lines; a broken line is named.
@Suite struct APIKeysFileTests {
    @Test func readsKeysCommentsAndBlankLinesAndMatchesTokensByHash() throws {
        let digest = "ef92b778bafe771e89245b89ecbc08a44a4e166c06659911881f383d4473e94f"  // SHA-256 of "password123"
        let keys = try APIKeys(parsing: "# keys\n\n  carol : \(digest.uppercased())  \r\n")
        #expect(keys.count == 1 && keys.names == ["carol"])
        #expect(keys.name(forToken: "password123") == "carol")
        #expect(keys.name(forToken: "password124") == nil)
        #expect(APIKeys.line(name: "carol", token: "password123") == "carol:\(digest)")
    }

    @Test(arguments: [
        ("alice", 1), ("alice:abc", 1), ("al ice:\(String(repeating: "a", count: 64))", 1),
        (":\(String(repeating: "a", count: 64))", 1), ("# ok\nbob:\(String(repeating: "g", count: 64))", 2),
        ("a:\(String(repeating: "a", count: 64))\nb:\(String(repeating: "a", count: 64))", 2),
    ])
    func namesTheBrokenLine(text: String, line: Int) {
        #expect(throws: APIKeys.FileError.self) { try APIKeys(parsing: text) }
        do {
            _ = try APIKeys(parsing: text)
        } catch {
            #expect(error.line == line, "\(error)")
        }
    }

    @Test func newTokensAreURLSafeAndCarry256Bits() {
        let tokens = (0..<100).map { _ in APIKeys.newToken() }
        #expect(Set(tokens).count == 100)
        for token in tokens {
            #expect(token.hasPrefix("nabla_") && token.count == 6 + 43)
            #expect(
                token.utf8.allSatisfy {
                    $0 < 0x80
                        && (Character(UnicodeScalar($0)).isLetter || Character(UnicodeScalar($0)).isNumber
                            || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_"))
                })
        }
    }
}

/// openapi.json declares the bearer scheme, and a 401 on every operation that may need a key.
@Suite struct OpenAPIKeysTests {
    @Test func declaresTheBearerSchemeAndA401OnEveryKeyedOperation() throws {
        let document = try OpenAPIDocumentConformanceTests.document()
        let components = try #require(document["components"] as? [String: Any])
        let scheme = (components["securitySchemes"] as? [String: Any])?["bearerAuth"] as? [String: Any]
        #expect(scheme?["type"] as? String == "http" && scheme?["scheme"] as? String == "bearer")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for (path, operations) in paths {
            for (method, value) in operations where method != "parameters" {
                let operation = try #require(value as? [String: Any])
                let responses = operation["responses"] as? [String: Any] ?? [:]
                if path.hasPrefix("/v1") || path == "/metrics" {
                    #expect(responses["401"] != nil, "\(method) \(path) does not document 401")
                } else {
                    #expect((operation["security"] as? [Any])?.isEmpty == true, "\(method) \(path) is open")
                }
            }
        }
    }
}

/// Event streams count per key too: one key's streams from any address share its limit.
@Suite struct StreamLimitPerKeyTests {
    @Test func aKeysStreamsShareItsLimitWhateverTheAddress() throws {
        let harness = APIHarness(keys: try KeysAndOwnershipTests.keys(), maxStreamsPerClient: 1)
        let alice = KeysAndOwnershipTests.bearer(KeysAndOwnershipTests.aliceToken)
        let bob = KeysAndOwnershipTests.bearer(KeysAndOwnershipTests.bobToken)
        var jobs: [String: String] = [:]
        for (name, headers) in [("alice", alice), ("bob", bob)] {
            let created = harness.send("POST", "/v1/sleep", headers: headers, body: #"{"seconds": 30}"#)
            jobs[name] = try #require(created.json["id"] as? String)
        }
        defer { for id in jobs.values { _ = harness.runner.cancel(JobID(id)!) } }
        let first = harness.send("GET", "/v1/jobs/\(jobs["alice"]!)/events", headers: alice, from: "10.0.0.1")
        #expect(first.status == 200)
        let second = harness.send("GET", "/v1/jobs/\(jobs["alice"]!)/events", headers: alice, from: "10.0.0.2")
        #expect(second.status == 429)
        let other = harness.send("GET", "/v1/jobs/\(jobs["bob"]!)/events", headers: bob, from: "10.0.0.1")
        #expect(other.status == 200)
    }
}
