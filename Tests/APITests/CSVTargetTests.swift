import API
import Testing
import JSON

/// A CSV target cell that is blank, not finite, or a label among numbers is a 400 naming its line and
/// column, never a class of its own.
@Suite struct CSVTargetTests {
    let harness = APIHarness()

    @Test(arguments: [
        (#"a,b\n1,2\n3,\n5,6"#, "line 3, column 'b': the target is blank"),
        (#"a,b\n1,2\n3,\"\"\n5,6"#, "line 3, column 'b': the target is blank"),
        (#"a,b\n1,2\n3,nan\n5,6"#, "line 3, column 'b': 'nan' is not a finite number"),
        (#"a,b\n1,2\n3,?\n5,6"#, "line 3, column 'b': '?' is not a number, while line 2 holds 2"),
    ])
    func aBadTargetCellIsA400NamingItsLineAndColumn(_ csv: String, _ message: String) throws {
        let (status, json) = harness.postJSON(
            "/v1/train", #"{"data": {"csv": "\#(csv)", "target": "b"}, "model": {"layers": [{}]}}"#)
        #expect(status == 400)
        #expect(json.firstPointer == "/data/csv")
        let detail = try #require(json["errors"]?.elements.first?["detail"]?.text)
        #expect(detail.contains(message), "\(detail)")
    }

    @Test func labelsAndNumbersOnEveryRowStillTrain() {
        let labels = harness.trainAndWait(
            #"{"data": {"csv": "a,b\n1,no\n3,yes\n5,no", "target": "b"}, "model": {"layers": [{}]}, "epochs": 1}"#)
        #expect(labels.status == 200)
        #expect(labels.job["result"]?["classes"]?.elements.compactMap(\.text) == ["no", "yes"])
        let numbers = harness.trainAndWait(
            #"{"data": {"csv": "a,b\n1,2\n3,4\n5,6", "target": "b"}, "model": {"layers": [{}]}, "epochs": 1}"#)
        #expect(numbers.status == 200)
        #expect(numbers.job["result"]?["classes"] == .null || numbers.job["result"]?["classes"] == nil)
    }
}
