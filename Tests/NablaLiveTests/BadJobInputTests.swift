import Foundation
import TestSupport
import Testing

/// Jobs and training requests that cannot run, over real HTTP with one worker (a second job waits in
/// the queue): unknown and malformed ids, cancelling twice, cancelling a finished job, predicting on
/// a job that cannot predict, bad queries, and training requests refused at submission, each naming
/// the field, with no job made.
@Suite(.serviceSurvives) struct BadJobInputTests {
    typealias B = BadInput
    static let unknown = "0123456789abcdef0123456789abcdef"

    func start(_ service: LiveService, sleeping seconds: Int) throws -> String {
        let answer = try B.post(service, "/v1/sleep", #"{"seconds": \#(seconds)}"#)
        #expect(answer.status == 202)
        return try #require(answer.response.json?["id"] as? String)
    }

    func status(_ service: LiveService, _ id: String) throws -> String? {
        try B.send(service, "GET", "/v1/jobs/\(id)").response.json?["status"] as? String
    }

    @Test(
        arguments: ["GET", "DELETE"],
        [
            unknown, "nonexistent", String(repeating: "0", count: 31), String(repeating: "0", count: 33),
            unknown.uppercased(), "%2e%2e", "..%2f..%2fetc", "%ff%fe",
        ])
    func anUnknownOrMalformedIDIs404(_ method: String, _ id: String) throws {
        B.expectProblem(try B.send(B.service(), method, "/v1/jobs/\(id)"), 404)
    }

    @Test func theSubResourcesOfAnUnknownJobAre404() throws {
        let service = try B.service()
        B.expectProblem(try B.post(service, "/v1/jobs/\(Self.unknown)/predict", #"{"x": [[1]]}"#), 404)
        B.expectProblem(try B.send(service, "GET", "/v1/jobs/\(Self.unknown)/events"), 404)
    }

    @Test func cancellingAQueuedJobTwiceAnswersTheSame() throws {
        let service = try B.service()
        let running = try start(service, sleeping: 30)
        try B.waitUntilRunning(service, running)
        let queued = try start(service, sleeping: 30)
        #expect(try status(service, queued) == "queued")
        let first = try B.send(service, "DELETE", "/v1/jobs/\(queued)")
        let second = try B.send(service, "DELETE", "/v1/jobs/\(queued)")
        #expect(first.status == 200 && second.status == 200)
        #expect(first.response.json?["status"] as? String == "cancelled")
        #expect(second.response.json?["status"] as? String == "cancelled")

        // A running job: 202 while it stops; once cancelled, 200 every time.
        #expect([200, 202].contains(try B.send(service, "DELETE", "/v1/jobs/\(running)").status))
        try B.readEventsToTheEnd(service, running)  // ends with the job
        for _ in 0..<2 {
            let again = try B.send(service, "DELETE", "/v1/jobs/\(running)")
            #expect(again.status == 200)
            #expect(again.response.json?["status"] as? String == "cancelled")
        }
    }

    @Test func cancellingAFinishedJobIs409EveryTime() throws {
        let service = try B.service()
        let answer = try B.post(service, "/v1/sleep", #"{"seconds": 0, "wait": true}"#)
        #expect(answer.status == 200)
        let id = try #require(answer.response.json?["id"] as? String)
        for _ in 0..<2 { B.expectProblem(try B.send(service, "DELETE", "/v1/jobs/\(id)"), 409, "already finished") }
    }

    @Test func predictingOnARunningTrainingJobIs409AndOnASleepJobToo() throws {
        let service = try B.service()
        let answer = try B.post(
            service, "/v1/train", #"{"preset": "clothing-size", "epochs": 100000, "record_every": 1000}"#)
        #expect(answer.status == 202)
        let training = try #require(answer.response.json?["id"] as? String)
        try B.waitUntilRunning(service, training)
        let predict = "/v1/jobs/\(training)/predict"
        B.expectProblem(try B.post(service, predict, #"{"x": [[1.0]]}"#), 409)
        #expect([200, 202].contains(try B.send(service, "DELETE", "/v1/jobs/\(training)").status))
        try B.readEventsToTheEnd(service, training)  // ends with the job
        #expect(try status(service, training) == "cancelled")

        // A cancelled run keeps its model: it predicts, and refuses rows of the wrong shape.
        #expect(try B.post(service, predict, #"{"x": [[1.0]]}"#).status == 200)
        B.expectProblem(try B.post(service, predict, #"{"x": [[1.0, 2.0]]}"#), 400, pointer: "/x/0")
        B.expectProblem(try B.post(service, predict, #"{"x": [["a"]]}"#), 400, pointer: "/x/0/0")
        B.expectProblem(try B.post(service, predict, #"{"y": [[1.0]]}"#), 400)

        let sleeper = try #require(
            try B.post(service, "/v1/sleep", #"{"seconds": 0, "wait": true}"#).response.json?["id"] as? String)
        B.expectProblem(
            try B.post(service, "/v1/jobs/\(sleeper)/predict", #"{"x": [[1.0]]}"#), 409, "not a training job")
    }

    @Test(arguments: ["limit=0", "limit=abc", "limit=1e9", "limit=-1"])
    func aBadJobListQueryIs400(_ query: String) throws {
        B.expectProblem(try B.send(B.service(), "GET", "/v1/jobs?\(query)"), 400, pointer: "?limit", "limit")
    }

    @Test(arguments: [
        #"{"seconds": -1}"#, #"{"seconds": 61}"#, #"{"seconds": "1"}"#, #"{"seconds": 1, "wait": "yes"}"#,
    ])
    func aBadSleepRequestIs400(_ body: String) throws {
        B.expectProblem(try B.post(B.service(), "/v1/sleep", body), 400)
    }

    @Test func aBadWaitQueryIs400() throws {
        B.expectProblem(try B.post(B.service(), "/v1/sleep?wait=maybe", #"{"seconds": 0}"#), 400, pointer: "?wait")
    }

    // MARK: Training requests that cannot run

    static let data = #""data": {"x": [[0], [1], [2], [3]], "y": [0, 1, 1, 0]}"#
    /// `{"data": DATA, "model": MODEL, FIELDS}` (the model two layers unless given).
    static func body(_ fields: String = "", model: String = #"{"layers": [{"units": 2}, {}]}"#) -> String {
        "{\(data), \"model\": \(model)\(fields.isEmpty ? "" : ", " + fields)}"
    }
    static func layers(_ layer: String, _ count: Int, then last: String? = nil) -> String {
        #"{"layers": ["# + (Array(repeating: layer, count: count) + (last.map { [$0] } ?? [])).joined(separator: ", ")
            + "]}"
    }
    static func csv(_ csv: String, target: String = "y") -> String {
        #"{"data": {"csv": "\#(csv)", "target": "\#(target)"}, "model": {"layers": [{}]}}"#
    }

    static let training: [Named<(body: String, pointer: String, text: String)>] = [
        Named(name: "zero layers", value: (body(model: #"{"layers": []}"#), "/model/layers", "at least one layer")),
        Named(name: "no layers field", value: (body(model: "{}"), "/model/layers", "is required")),
        Named(name: "layers not an array", value: (body(model: #"{"layers": 3}"#), "/model/layers", "an array")),
        Named(name: "33 layers", value: (body(model: layers(#"{"units": 1}"#, 33)), "/model/layers", "--max-layers")),
        Named(
            name: "units 1e18",
            value: (
                body(model: #"{"layers": [{"units": 1e+18}, {}]}"#), "/model/layers/0/units", "at most 9007199254740992"
            )),
        Named(
            name: "units 2^53",
            value: (body(model: #"{"layers": [{"units": 9007199254740992}, {}]}"#), "/model/layers", "--max-parameters")
        ),
        Named(
            name: "layers x units overflow",
            value: (body(model: layers(#"{"units": 3000000000}"#, 31, then: "{}")), "/model/layers", "--max-parameters")
        ),
        Named(
            name: "units 4e6 twice (1.6e13 parameters)",
            value: (
                body(model: #"{"layers": [{"units": 4000000}, {"units": 4000000}, {}]}"#), "/model/layers",
                "--max-parameters"
            )),
        Named(
            name: "units 0",
            value: (body(model: #"{"layers": [{"units": 0}, {}]}"#), "/model/layers/0/units", "at least 1")),
        Named(
            name: "units 1.5",
            value: (body(model: #"{"layers": [{"units": 1.5}, {}]}"#), "/model/layers/0/units", "at least 1")),
        Named(name: "batch 0", value: (body(#""batch_size": 0"#), "/batch_size", "at least 1")),
        Named(name: "batch -5", value: (body(#""batch_size": -5"#), "/batch_size", "at least 1")),
        Named(
            name: "split over 1",
            value: (body(#""split": {"train": 0.5, "validation": 0.3, "test": 0.3}"#), "/split", "sum to 1")),
        Named(
            name: "split leaves nothing to train",
            value: (body(#""split": {"validation": 0.6, "test": 0.6}"#), "/split/train", "from 0 to 1")),
        Named(
            name: "negative split",
            value: (
                body(#""split": {"train": 0.6, "validation": -0.1, "test": 0.5}"#), "/split/validation", "from 0 to 1"
            )),
        Named(
            name: "unknown activation",
            value: (
                body(model: #"{"layers": [{"units": 2, "activation": "swish"}, {}]}"#), "/model/layers/0/activation",
                "known values"
            )),
        Named(name: "unknown loss", value: (body(#""loss": "hinge""#), "/loss", "known values")),
        Named(name: "unknown optimizer", value: (body(#""optimizer": "lbfgs""#), "/optimizer", "known values")),
        Named(
            name: "unknown optimizer object",
            value: (body(#""optimizer": {"name": "rmsprop"}"#), "/optimizer/name", "known values")),
        Named(name: "unknown init", value: (body(#""init": "orthogonal""#), "/init", "known values")),
        Named(name: "unknown normalize", value: (body(#""normalize": "l2""#), "/normalize", "known values")),
        Named(
            name: "unknown dataset",
            value: (#"{"dataset": "mnist", "model": {"layers": [{}]}}"#, "/dataset", "known values")),
        Named(name: "unknown preset", value: (#"{"preset": "gpt"}"#, "/preset", "known values")),
        Named(name: "learning rate 0", value: (body(#""learning_rate": 0"#), "/learning_rate", "greater than 0")),
        Named(
            name: "learning rate negative", value: (body(#""learning_rate": -1"#), "/learning_rate", "greater than 0")),
        Named(
            name: "adam beta1 1",
            value: (body(#""optimizer": {"name": "adam", "beta1": 1}"#), "/optimizer/beta1", "[0, 1)")),
        Named(name: "ragged CSV rows", value: (csv(#"a,b,y\n1,2,0\n3,1\n4,5,1"#), "/data/csv", "line 3 has 2 fields")),
        Named(
            name: "CSV with a long row",
            value: (csv(#"a,b,y\n1,2,0\n3,1,0,9\n4,5,1"#), "/data/csv", "line 3 has 4 fields")),
        Named(name: "CSV with a missing target", value: (csv(#"a,b\n1,2\n"#), "/data/target", "")),
        Named(name: "CSV with a word for a feature", value: (csv(#"a,y\n1,0\nfoo,1\n"#), "/data/csv", "line 3")),
        Named(name: "CSV with an unterminated quote", value: (csv(#"a,y\n\"1,0\n2,1\n"#), "/data/csv", "")),
        Named(
            name: "ragged x rows",
            value: (
                #"{"data": {"x": [[1, 2], [3]], "y": [0, 1]}, "model": {"layers": [{}]}}"#, "/data/x/1", "has 1 values"
            )),
        Named(
            name: "y shorter than x",
            value: (#"{"data": {"x": [[1], [2], [3]], "y": [0, 1]}, "model": {"layers": [{}]}}"#, "/data/y", "")),
        Named(name: "empty data", value: (#"{"data": {"x": [], "y": []}, "model": {"layers": [{}]}}"#, "/data/x", "")),
        Named(
            name: "too many generated rows",
            value: (#"{"dataset": "moons", "n": 1000000000000, "model": {"layers": [{}]}}"#, "/n", "data-values")),
        Named(
            name: "work over the limit",
            value: (
                #"{"dataset": "moons", "n": 5000, "epochs": 100000, "model": {"layers": [{"units": 512}, {}]}}"#,
                "/epochs",
                "--max-training-work"
            )),
        Named(
            name: "learning rate twice",
            value: (
                body(#""learning_rate": 1, "optimizer": {"name": "sgd", "learning_rate": 1}"#), "/learning_rate",
                "given twice"
            )),
    ]

    @Test(arguments: training)
    func aTrainingRequestThatCannotRunIs400NamingTheField(
        _ item: Named<(body: String, pointer: String, text: String)>
    ) throws {
        let service = try B.service()
        func jobs() throws -> Int? {
            (try B.send(service, "GET", "/v1/jobs?limit=1000").response.json?["jobs"] as? [Any])?.count
        }
        let before = try jobs()
        let answer = try B.post(service, "/v1/train", item.value.body)
        B.expectProblem(answer, 400, pointer: item.value.pointer, item.value.text)
        #expect(answer.milliseconds < 1000)
        #expect(try jobs() == before, "\(item.name) made a job")
    }
}
