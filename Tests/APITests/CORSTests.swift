import API
import Foundation
import MicroHTTP
import Testing

/// CORS: allowed origins get preflights answered and their responses readable; other origins and a
/// service without `--cors-origin` get no CORS headers.
@Suite struct CORSTests {
    let origin = "https://app.example.com"

    @Test func preflightFromAnAllowedOriginIs204WithMethodsHeadersAndMaxAge() throws {
        let harness = APIHarness(keys: try KeysAndOwnershipTests.keys(), corsOrigins: [origin])
        let answer = harness.send(
            "OPTIONS", "/v1/jobs",
            headers: [
                ("Origin", origin), ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "authorization, content-type"),
            ])
        #expect(answer.status == 204)
        #expect(answer.header("Access-Control-Allow-Origin") == origin)
        #expect(answer.header("Access-Control-Allow-Methods") == "GET, HEAD, POST, DELETE")
        #expect(answer.header("Access-Control-Allow-Headers") == "Authorization, Content-Type, X-Request-Id")
        #expect(answer.header("Access-Control-Max-Age") == "600")
        #expect(answer.header("Vary") == "Origin")
    }

    @Test func responsesToAnAllowedOriginCarryTheOriginAndExposeHeaders() throws {
        let harness = APIHarness(
            keys: try KeysAndOwnershipTests.keys(), corsOrigins: [origin, "http://localhost:8080"])
        for headers in [[("Origin", origin)], [("Origin", origin)] + KeysAndOwnershipTests.bearer("x")] {
            let answer = harness.send("GET", "/v1/jobs", headers: headers)
            #expect(answer.status == 401)  // the 401 is readable by the page too
            #expect(answer.header("Access-Control-Allow-Origin") == origin)
            #expect(answer.header("Access-Control-Expose-Headers") == "Location, Retry-After, X-Request-Id")
            #expect(answer.header("Vary") == "Origin")
        }
        let ok = harness.send("GET", "/healthz", headers: [("Origin", "http://localhost:8080")])
        #expect(ok.header("Access-Control-Allow-Origin") == "http://localhost:8080")
    }

    @Test func otherOriginsGetNoCORSHeaders() throws {
        let harness = APIHarness(corsOrigins: [origin])
        for other in [
            "https://evil.example.com", "https://app.example.com.evil.example", "null", "HTTPS://APP.EXAMPLE.COM",
        ] {
            let preflight = harness.send(
                "OPTIONS", "/v1/jobs", headers: [("Origin", other), ("Access-Control-Request-Method", "POST")])
            #expect(preflight.status == 405)
            let actual = harness.send("GET", "/healthz", headers: [("Origin", other)])
            for answer in [preflight, actual] {
                #expect(!answer.headers.contains { $0.name.lowercased().hasPrefix("access-control-") }, "\(other)")
            }
        }
    }

    @Test func withoutOriginsNothingChanges() {
        let harness = APIHarness()
        let preflight = harness.send(
            "OPTIONS", "/v1/jobs", headers: [("Origin", origin), ("Access-Control-Request-Method", "POST")])
        #expect(preflight.status == 405)
        let actual = harness.send("GET", "/healthz", headers: [("Origin", origin)])
        for answer in [preflight, actual] {
            #expect(!answer.headers.contains { $0.name.lowercased().hasPrefix("access-control-") || $0.name == "Vary" })
        }
    }
}
