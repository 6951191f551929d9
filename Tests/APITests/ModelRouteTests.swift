import Foundation
import MicroHTTP
import Testing
import JSON

/// `GET /v1/jobs/{id}/model.onnx`: the file's headers, the job's parameters inside it, and the
/// refusals. (The file through onnx's checker and onnxruntime: `scripts/suite.sh onnx`.)
@Suite struct ModelRouteTests {
    let harness = APIHarness()

    func train(_ body: String) throws -> (id: String, result: JSONValue) {
        let (status, job) = harness.trainAndWait(body)
        #expect(status == 200)
        return (try #require(job["id"]?.text), try #require(job["result"]))
    }

    /// `values` as raw_data holds them: IEEE 754 float64, little-endian.
    static func littleEndian(_ values: [Double]) -> [UInt8] {
        values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
    }

    static func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
        guard !part.isEmpty, bytes.count >= part.count else { return part.isEmpty }
        return (0...(bytes.count - part.count)).contains { bytes[$0..<$0 + part.count].elementsEqual(part) }
    }

    @Test func theFileIsAnAttachmentHoldingTheJobsParameters() throws {
        let (id, result) = try train(#"{"preset": "clothing-size", "epochs": 50}"#)
        let response = harness.send("GET", "/v1/jobs/\(id)/model.onnx")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/octet-stream")
        #expect(response.header("Content-Disposition") == "attachment; filename=\"nabla-\(id).onnx\"")
        let bytes = try #require(response.bodyBytes)
        #expect(bytes.starts(with: [0x08, 0x07]))  // field 1, ir_version 7
        let layers = result["parameters"]?["layers"]?.elements ?? []
        #expect(layers.count == 2)
        for layer in layers {
            let weights = (layer["weights"]?.elements ?? []).flatMap(\.numberArray)
            #expect(!weights.isEmpty && Self.contains(bytes, Self.littleEndian(weights)))
            #expect(Self.contains(bytes, Self.littleEndian(layer["biases"]?.numberArray ?? [])))
        }
        #expect(Self.contains(bytes, Array(id.utf8)))
        // The same file again, from the cache.
        #expect(harness.send("GET", "/v1/jobs/\(id)/model.onnx").bodyBytes == bytes)
    }

    @Test func aClassifierCarriesItsNormalizationAndItsLabels() throws {
        let (id, result) = try train(
            """
            {"dataset": "iris", "normalize": "zscore", "model": {"layers": [{"units": 4, "activation": "relu"}, {}]},
             "loss": "cross_entropy", "optimizer": "adam", "learning_rate": 0.05, "epochs": 20, "seed": 3}
            """)
        let bytes = try #require(harness.send("GET", "/v1/jobs/\(id)/model.onnx").bodyBytes)
        let offsets = result["normalization"]?["offsets"]?.numberArray ?? []
        let scales = result["normalization"]?["scales"]?.numberArray ?? []
        #expect(offsets.count == 4 && Self.contains(bytes, Self.littleEndian(offsets)))
        #expect(scales.count == 4 && Self.contains(bytes, Self.littleEndian(scales)))
        #expect(Self.contains(bytes, Array(#"["setosa","versicolor","virginica"]"#.utf8)))
        for operatorType in ["Sub", "Div", "Gemm", "Relu", "Softmax"] {
            #expect(Self.contains(bytes, Array(operatorType.utf8)), "no \(operatorType) node")
        }
    }

    @Test func aCancelledTrainingExportsWhatItLearntSoFar() throws {
        let response = harness.send("POST", "/v1/train", body: #"{"preset": "clothing-size", "epochs": 1000000}"#)
        let id = try #require(response.json["id"] as? String)
        let running = harness.send("GET", "/v1/jobs/\(id)/model.onnx")
        #expect(running.status == 409)  // no model yet
        #expect(running.header("Content-Type") == "application/problem+json")
        harness.poll(id) { ($0["progress"]?["epoch"]?.number ?? 0) > 0 }
        _ = harness.send("DELETE", "/v1/jobs/\(id)")
        harness.poll(id) { $0["status"] == "cancelled" }
        let cancelled = harness.send("GET", "/v1/jobs/\(id)/model.onnx")
        #expect(cancelled.status == 200)
        #expect((cancelled.bodyBytes?.count ?? 0) > 100)
    }

    @Test func jobsWithoutAModelAreRefused() throws {
        #expect(harness.send("GET", "/v1/jobs/\(String(repeating: "0", count: 32))/model.onnx").status == 404)
        #expect(harness.send("GET", "/v1/jobs/not-an-id/model.onnx").status == 404)
        let sleep = harness.send("POST", "/v1/sleep", query: [("wait", "true")], body: #"{"seconds": 0}"#)
        let id = try #require(sleep.json["id"] as? String)
        let refused = harness.send("GET", "/v1/jobs/\(id)/model.onnx")
        #expect(refused.status == 409)
        #expect((refused.json["detail"] as? String)?.contains("not a training job") == true)
        #expect(harness.send("POST", "/v1/jobs/\(id)/model.onnx", body: "{}").status == 405)
    }
}
