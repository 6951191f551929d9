import API
import Foundation
import Testing
import JSON
import MicroHTTP

/// `GET /v1` (the index), `GET /v1/datasets`, and where the guesses `/api`, `/docs`, `/v1/` and
/// unknown `/v1/...` paths lead.
@Suite struct CatalogueRouteTests {
    let harness = APIHarness()

    @Test func theIndexListsEveryRouteTheRouterServesAndNoOther() throws {
        let index = harness.send("GET", "/v1")
        #expect(index.status == 200)
        let endpoints = try #require(index.json["endpoints"] as? [[String: Any]])
        let listed = Set(endpoints.map { "\($0["method"] as? String ?? "") \($0["path"] as? String ?? "")" })
        // /openapi.json is a file of the page's directory, served without a route of its own.
        let served = Set(harness.api.routeTable.map { "\($0.method) \($0.pattern)" } + ["GET /openapi.json"])
        #expect(
            listed == served, "only listed: \(listed.subtracting(served)); only served: \(served.subtracting(listed))")
        #expect(endpoints.count == listed.count, "an endpoint is listed twice")
        for endpoint in endpoints {
            #expect((endpoint["summary"] as? String)?.isEmpty == false)
        }
        #expect((index.json["about"] as? String)?.contains("derivatives") == true)
        let links = try #require(index.json["links"] as? [String: String])
        #expect(links["openapi"] == "/openapi.json" && links["datasets"] == "/v1/datasets")
        // Every link leads somewhere: /docs to the page's reference, or back here until there is one.
        for (name, path) in links {
            let response = harness.send("GET", path)
            let redirect = response.headers.first { $0.name == "Location" }?.value
            #expect(
                response.status == 200 || (path == "/docs" && response.status == 307 && redirect == "/v1"),
                "link \(name) (\(path)) answers \(response.status)")
        }
    }

    @Test func theIndexAnswersWithATrailingSlashToo() {
        let plain = harness.send("GET", "/v1")
        let slash = harness.send("GET", "/v1/")
        #expect(slash.status == 200)
        #expect(slash.bodyBytes == plain.bodyBytes)
    }

    @Test func apiRedirectsPermanentlyToTheIndex() {
        let response = harness.send("GET", "/api")
        #expect(response.status == 308)
        #expect(response.headers.first { $0.name == "Location" }?.value == "/v1")
    }

    @Test func docsRedirectsToTheIndexWhileNoReferencePageIsServed() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("nabla-empty-\(UUID())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let response = APIHarness(publicDirectory: empty.path).send("GET", "/docs")
        #expect(response.status == 307)
        #expect(response.headers.first { $0.name == "Location" }?.value == "/v1")
    }

    @Test(arguments: ["/v1/derivatives", "/v1/jobs/x/y/z", "/v1/train/"])
    func anUnknownPathUnderV1SaysWhereTheIndexIs(_ path: String) throws {
        let response = harness.send("GET", path)
        if path == "/v1/train/" {
            // The router ignores a trailing slash: the route exists, for POST only.
            #expect(response.status == 405)
            return
        }
        #expect(response.status == 404)
        let detail = try #require(response.json["detail"] as? String)
        #expect(detail.contains("GET /v1 lists every operation") && detail.contains("/openapi.json"))
    }

    @Test func otherUnknownPathsStayPlainFileMisses() throws {
        let response = harness.send("GET", "/nothing-here.txt")
        #expect(response.status == 404)
        #expect((response.json["detail"] as? String) == "no file at /nothing-here.txt")
    }

    /// Each dataset listed can be trained on by its id, and the run sees the rows, features and
    /// classes the list gives.
    @Test func everyListedDatasetTrainsWithTheRowsFeaturesAndClassesListed() throws {
        let response = harness.send("GET", "/v1/datasets")
        #expect(response.status == 200)
        let datasets = try #require(response.json["datasets"] as? [[String: Any]])
        #expect(datasets.count == 7)
        for dataset in datasets {
            let id = try #require(dataset["id"] as? String)
            #expect(dataset["kind"] as? String == "built-in")
            let rows = try #require(dataset["rows"] as? Int)
            let features = try #require(dataset["features"] as? Int)
            #expect((dataset["columns"] as? [String])?.count == features)
            let classes = try #require(dataset["classes"] as? [String])
            let loss = classes.count > 2 ? "cross_entropy" : "binary_cross_entropy"
            let (status, job) = harness.trainAndWait(
                #"{"dataset": "\#(id)", "model": {"layers": [{"units": 2}, {}]}, "loss": "\#(loss)", "epochs": 1}"#)
            #expect(status == 200, "\(id)")
            let result = try #require(job["result"])
            let trained = ["train", "validation", "test"].compactMap { result["rows"]?[$0]?.number }.reduce(0, +)
            #expect(Int(trained) == rows, "\(id)")
            let firstWeights = result["parameters"]?["layers"]?.elements.first?["weights"]?.elements ?? []
            #expect(firstWeights.count == features, "\(id)")
            if classes.count > 2 {
                #expect(result["classes"]?.elements.compactMap(\.text) == classes, "\(id)")
            }
        }
    }
}
