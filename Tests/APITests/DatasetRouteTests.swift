import API
import Foundation
import JSON
import MicroHTTP
import Testing

/// `/v1/datasets` through the router: uploads (CSV and JSON), listing, reading, deleting, ownership,
/// limits, and trainings that name an upload (the same bits as the same rows sent inline).
@Suite struct DatasetRouteTests {
    static let csv = "width,height,fits\n1,2,yes\n2,1,no\n3,4,yes\n4,3,no\n5,6,yes\n6,5,no\n"

    static func upload(_ harness: APIHarness, _ csv: String = csv, name: String? = nil, token: String? = nil)
        -> HTTPResponse
    {
        harness.send(
            "POST", "/v1/datasets", query: name.map { [("name", $0)] } ?? [],
            headers: token.map(KeysAndOwnershipTests.bearer) ?? [], body: csv, contentType: "text/csv")
    }

    @Test func aCSVUploadIsCreatedWithItsColumnsAndReadBack() throws {
        let harness = APIHarness()
        let created = Self.upload(harness, "a,b,c\n1,,x\n2,3,\n", name: "tiny")
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? String)
        #expect(id.hasPrefix("ds_") && id.count == 35)
        #expect(created.header("Location") == "/v1/datasets/\(id)")
        #expect(created.json["name"] as? String == "tiny")
        #expect(created.json["kind"] as? String == "uploaded")
        #expect(created.json["rows"] as? Int == 2)
        #expect(created.json["bytes"] as? Int == 16)
        let columns = try #require(created.json["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["a", "b", "c"])
        #expect(columns.map { $0["kind"] as? String } == ["numeric", "numeric", "label"])
        #expect(columns.map { $0["missing"] as? Int } == [0, 1, 1])

        let read = harness.send("GET", "/v1/datasets/\(id)")
        #expect(read.status == 200)
        let head = try #require(read.json["head"] as? [[Any]])
        #expect(head.count == 2)
        #expect(head[0][0] as? Double == 1 && head[0][1] is NSNull && head[0][2] as? String == "x")
        let listed = try #require(harness.send("GET", "/v1/datasets").json["datasets"] as? [[String: Any]])
        #expect(listed.contains { $0["id"] as? String == "iris" && $0["kind"] as? String == "built-in" })
        #expect(listed.filter { $0["kind"] as? String == "uploaded" }.compactMap { $0["id"] as? String } == [id])
        #expect(harness.send("GET", "/v1/datasets/iris").json["kind"] as? String == "built-in")
    }

    @Test func aTrainingOnAnUploadGivesTheBitsOfTheSameRowsSentInline() throws {
        let harness = APIHarness()
        let id = try #require(Self.upload(harness).json["id"] as? String)
        let settings =
            #""model": {"layers": [{"units": 3}, {"units": 1}]}, "loss": "binary_cross_entropy", "epochs": 30"#
        let uploaded = harness.trainAndWait(#"{"dataset": "\#(id)", "target": "fits", \#(settings)}"#)
        #expect(uploaded.status == 200)
        let inline = harness.trainAndWait(
            #"{"data": {"x": [[1,2],[2,1],[3,4],[4,3],[5,6],[6,5]], "y": ["yes","no","yes","no","yes","no"]}, \#(settings)}"#
        )
        #expect(inline.status == 200)
        let (a, b) = (uploaded.job["result"], inline.job["result"])
        #expect(a?["final_loss"]?.number != nil)
        #expect(a?["final_loss"] == b?["final_loss"])
        #expect(a?["parameters"] == b?["parameters"])
        #expect(a?["classes"] == b?["classes"])
        #expect(uploaded.job["request"]?["target"]?.text == "fits")
        #expect(uploaded.job["request"]?["features"]?.elements.compactMap(\.text) == ["width", "height"])
    }

    @Test func aJSONUploadHasColumnsX0ToXnAndItsOwnTargetY() throws {
        let harness = APIHarness()
        let created = harness.send(
            "POST", "/v1/datasets", body: #"{"x": [[0, 0], [0, 1], [1, 0], [1, 1]], "y": [0, 1, 1, 0]}"#)
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? String)
        #expect(created.json["target"] as? String == "y")
        let columns = try #require(created.json["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["x0", "x1", "y"])
        let trained = harness.trainAndWait(#"{"dataset": "\#(id)", "model": {"layers": [{"units": 1}]}, "epochs": 2}"#)
        #expect(trained.status == 200)
        #expect(trained.job["request"]?["features"]?.elements.compactMap(\.text) == ["x0", "x1"])
        let ragged = harness.send("POST", "/v1/datasets", body: #"{"x": [[0, 0], [1]], "y": [0, 1]}"#)
        #expect(ragged.status == 400)
        #expect(ragged.problemPointers == ["/x/1"])
    }

    @Test func badUploadsAndTrainingsAre400sNamingLineAndColumn() throws {
        let harness = APIHarness()
        let ragged = Self.upload(harness, "a,b\n1,2\n3\n")
        #expect(ragged.status == 400)
        #expect(ragged.json["detail"] as? String == "the CSV cannot be read: line 3 has 1 field; the header has 2")
        let id = try #require(Self.upload(harness, "a,b,c\n1,2,0\n,4,1\n5,six,0\n").json["id"] as? String)
        let model = #""model": {"layers": [{"units": 1}]}, "epochs": 1"#
        let blank = harness.postJSON(
            "/v1/train", #"{"dataset": "\#(id)", "target": "c", "features": ["a"], \#(model)}"#)
        #expect(blank.status == 400)
        #expect(blank.json["detail"]?.text?.hasPrefix("line 3, column 'a': a missing value") == true)
        #expect(blank.json["errors"]?.elements.first?["pointer"]?.text == "/features")
        let word = harness.postJSON("/v1/train", #"{"dataset": "\#(id)", "target": "c", "features": ["b"], \#(model)}"#)
        #expect(word.json["detail"]?.text?.hasPrefix("line 4, column 'b': 'six' is not a number") == true)
        let noTarget = harness.postJSON("/v1/train", #"{"dataset": "\#(id)", \#(model)}"#)
        #expect(noTarget.status == 400)
        #expect(noTarget.json["errors"]?.elements.first?["pointer"]?.text == "/target")
        let unknown = harness.postJSON("/v1/train", #"{"dataset": "ds_0123", "target": "c", \#(model)}"#)
        #expect(unknown.status == 400)
        #expect(unknown.json["errors"]?.elements.first?["pointer"]?.text == "/dataset")
        let builtIn = harness.postJSON("/v1/train", #"{"dataset": "iris", "target": "species", \#(model)}"#)
        #expect(builtIn.status == 400)
        #expect(builtIn.json["errors"]?.elements.first?["pointer"]?.text == "/target")
        let plain = harness.send("POST", "/v1/datasets", body: "a,b\n1,2\n", contentType: "text/plain")
        #expect(plain.status == 415)
    }

    @Test func anotherKeyNeitherSeesNorUsesNorDeletesAnUpload() throws {
        let harness = APIHarness(keys: try KeysAndOwnershipTests.keys())
        let (alice, bob) = (KeysAndOwnershipTests.aliceToken, KeysAndOwnershipTests.bobToken)
        let id = try #require(Self.upload(harness, token: alice).json["id"] as? String)
        let asBob = KeysAndOwnershipTests.bearer(bob)
        #expect(harness.send("GET", "/v1/datasets/\(id)", headers: asBob).status == 404)
        #expect(harness.send("DELETE", "/v1/datasets/\(id)", headers: asBob).status == 404)
        let bobsList = harness.send("GET", "/v1/datasets", headers: asBob).json["datasets"] as? [[String: Any]]
        #expect(bobsList?.contains { $0["kind"] as? String == "uploaded" } == false)
        let training = harness.send(
            "POST", "/v1/train", headers: asBob,
            body: #"{"dataset": "\#(id)", "target": "fits", "model": {"layers": [{"units": 1}]}, "epochs": 1}"#)
        #expect(training.status == 400)
        #expect(harness.send("GET", "/v1/datasets/\(id)", headers: KeysAndOwnershipTests.bearer(alice)).status == 200)
        #expect(harness.send("POST", "/v1/datasets", body: Self.csv, contentType: "text/csv").status == 401)
    }

    @Test func deletingADatasetLeavesTheTrainingThatUsesItRunning() throws {
        let harness = APIHarness()
        let id = try #require(Self.upload(harness).json["id"] as? String)
        let started = harness.postJSON(
            "/v1/train",
            #"{"dataset": "\#(id)", "target": "fits", "model": {"layers": [{"units": 1}]}, "loss": "binary_cross_entropy", "epochs": 20000}"#
        )
        #expect(started.status == 202)
        let job = try #require(started.json["id"]?.text)
        #expect(harness.send("DELETE", "/v1/datasets/\(id)").status == 204)
        #expect(harness.send("DELETE", "/v1/datasets/\(id)").status == 404)
        #expect(harness.send("GET", "/v1/datasets/\(id)").status == 404)
        let finished = harness.poll(job, seconds: 60) { $0["status"]?.text == "succeeded" }
        #expect(finished["status"]?.text == "succeeded")
        #expect(harness.send("DELETE", "/v1/datasets/iris").status == 409)
    }

    @Test func uploadsPastTheRoomLeftAre507AndUploadsAreOffWhereReplicasShareJobs() throws {
        let small = APIHarness { $0.maxStoredDatasetBytes = 200 }
        #expect(Self.upload(small).status == 201)  // 6 rows × 2 numbers + 2 labels: under 200 bytes
        let full = Self.upload(small)
        #expect(full.status == 507)
        #expect(full.json["type"] as? String == "urn:nabla:problem:insufficient-storage")
        let shared = APIHarness { $0.datasetUploads = false }
        #expect(Self.upload(shared).status == 501)
        let listed = shared.send("GET", "/v1/datasets").json["datasets"] as? [[String: Any]]
        #expect(listed?.isEmpty == false)
    }
}
