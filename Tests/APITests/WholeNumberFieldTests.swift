import API
import Jobs
import MicroHTTP
import NeuralNet
import Testing

/// A whole-number training field given a fraction or a number past 2⁵³ is a 400 at its pointer that
/// names the field's own range (for `epochs`, 1 to the `--max-epochs` limit in force), never the
/// reader's internal ±2⁵³.
@Suite struct WholeNumberFieldTests {
    static let data = #""data": {"x": [[0], [1], [2], [3]], "y": [0, 1, 1, 0]}"#

    static let cases: [(body: String, pointer: String, text: String)] = [
        (
            #"{"preset": "clothing-size", "epochs": 1.5}"#, "/epochs",
            "between 1 and 1000 (the limit set by nabla serve --max-epochs), got 1.5"
        ),
        (#"{"preset": "clothing-size", "epochs": 1e300}"#, "/epochs", "between 1 and 1000"),
        (#"{"preset": "clothing-size", "epochs": -1e300}"#, "/epochs", "between 1 and 1000"),
        (#"{"preset": "clothing-size", "batch_size": 2.5}"#, "/batch_size", "a whole number of at least 1, got 2.5"),
        (#"{"preset": "clothing-size", "record_every": 0.5}"#, "/record_every", "of at least 1"),
        (
            #"{"preset": "clothing-size", "boundary_resolution": 2.5}"#, "/boundary_resolution",
            "a whole number between 2 and 500, got 2.5"
        ),
        (#"{"preset": "clothing-size", "boundary_resolution": 1e20}"#, "/boundary_resolution", "at most 500"),
        (
            #"{"preset": "clothing-size", "early_stopping": {"monitor": "loss", "patience": 1.5}}"#,
            "/early_stopping/patience", "of at least 0, got 1.5"
        ),
        (#"{"dataset": "moons", "n": 2.5, "model": {"layers": [{}]}}"#, "/n", "of at least 2, got 2.5"),
        (
            #"{\#(data), "model": {"layers": [{"units": 1e18}, {}]}}"#, "/model/layers/0/units",
            "at most 9007199254740992, got 1e+18"
        ),
        (#"{\#(data), "model": {"layers": [{"units": 1.5}, {}]}}"#, "/model/layers/0/units", "of at least 1, got 1.5"),
        (#"{"preset": "clothing-size", "seed": 1.5}"#, "/seed", "between 0 and 9007199254740991"),
    ]

    @Test(arguments: cases)
    func namesTheFieldsOwnRange(_ bad: (body: String, pointer: String, text: String)) {
        var limits = TrainingLimits()
        limits.maximumEpochs = 1000
        let harness = APIHarness(trainingLimits: limits)
        let response = harness.send("POST", "/v1/train", body: bad.body)
        #expect(response.status == 400)
        #expect(response.problemPointers == [bad.pointer])
        let detail = (response.json["errors"] as? [[String: Any]])?.first?["detail"] as? String ?? ""
        #expect(detail.contains(bad.text), "\(detail)")
        #expect(!detail.contains("9007199254740992") || bad.text.contains("9007199254740992"), "\(detail)")
        #expect(harness.runner.recent(limit: 10).isEmpty)
    }

    @Test func wholeNumbersWithinTheReadRangeStillReachTheEnginesChecks() {
        let harness = APIHarness()
        let response = harness.send("POST", "/v1/train", body: #"{"preset": "clothing-size", "epochs": 2000000}"#)
        #expect(response.status == 400)
        let detail = (response.json["errors"] as? [[String: Any]])?.first?["detail"] as? String ?? ""
        #expect(detail.contains("the limit is 1000000 (limit 'epochs', set by nabla serve --max-epochs)"), "\(detail)")
    }
}
