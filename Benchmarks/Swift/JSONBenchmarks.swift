import API
import Foundation
import JSON

/// `NablaBenchmarks json`: the JSON a `/v1/derivative` call with 100,000 points reads and writes,
/// through Nabla's `JSONParser`/`JSONWriter` and through Foundation on the same text.
enum JSONBenchmarks {
    static let suite = BenchmarkSuite(
        name: "json", summary: "decode and encode 100,000-number arrays (Nabla vs Foundation)", run: run)

    static let count = 100_000
    /// Each workload must take at most this long (release build): ≥ 100 MB/s on 1.5 MB.
    static let targetMilliseconds = 15.0

    static func run(_ options: BenchmarkOptions) {
        let points = SampleNumbers.realistic(count: count, seed: 0x4E41_424C_41)
        let values = SampleNumbers.realistic(count: count, seed: 1)
        let derivatives = SampleNumbers.realistic(count: count, seed: 2)
        print("json: \(count) numbers per array, median of \(options.runs) runs, MB = 10^6 bytes")
        let workloads = [
            decodeArray(points), decodeRequest(points), encodeAnswer(values: values, derivatives: derivatives),
        ]
        let reports = Workload.measure(workloads, runs: options.runs, targetMilliseconds: targetMilliseconds)
        for report in reports {
            print(report.lines.joined(separator: "\n"))
        }
        let missed = reports.filter { !$0.passed }.count
        print(
            "json: "
                + (missed == 0 ? "all \(reports.count) targets met" : "\(missed) of \(reports.count) targets missed"))
    }

    /// `[0.123…, -1.2…e-07, 42, …]` into `[Double]`.
    static func decodeArray(_ numbers: [Double]) -> Workload {
        let bytes = Array(SampleNumbers.jsonArray(numbers).utf8)
        let data = Data(bytes)
        check(try numberArray(JSONParser.parse(bytes)), equals: numbers, "decode array")
        return Workload(
            title: "decode array [\(numbers.count) numbers]", bytes: bytes.count,
            ours: .init(name: "Nabla JSONParser") { try! numberArray(JSONParser.parse(bytes)) },
            baselines: [
                .init(name: "Foundation JSONDecoder") { try! JSONDecoder().decode([Double].self, from: data) },
                .init(name: "Foundation JSONSerialization") { try! JSONSerialization.jsonObject(with: data) },
            ])
    }

    /// `{"expression":"sin(x)","at":[…]}` into the expression and `[Double]`, as the route reads it.
    static func decodeRequest(_ numbers: [Double]) -> Workload {
        let bytes = Array(#"{"expression":"sin(x)","at":\#(SampleNumbers.jsonArray(numbers))}"#.utf8)
        let data = Data(bytes)
        check(try readRequest(bytes).at, equals: numbers, "decode request")
        return Workload(
            title: "decode request {expression, at: [\(numbers.count)]}", bytes: bytes.count,
            ours: .init(name: "Nabla JSONParser (numberArrays) + JSONFields") { try! readRequest(bytes) },
            baselines: [
                .init(name: "Foundation JSONDecoder") { try! JSONDecoder().decode(CodableRequest.self, from: data) },
                .init(name: "Foundation JSONSerialization") { try! JSONSerialization.jsonObject(with: data) },
            ])
    }

    /// `{"value":[…],"derivative":[…]}` from two `[Double]`: through `JSONValue.numbers`, as answers with
    /// many numbers should be built, and (for comparison) through `.array` of one `.number` per element.
    static func encodeAnswer(values: [Double], derivatives: [Double]) -> Workload {
        let answer = { () -> [UInt8] in
            JSONWriter.bytes(.object([("value", .numbers(values)), ("derivative", .numbers(derivatives))]))
        }
        let answerOfElements = { () -> [UInt8] in
            JSONWriter.bytes(
                .object([
                    ("value", .array(values.map { .number($0) })),
                    ("derivative", .array(derivatives.map { .number($0) })),
                ]))
        }
        let written = answer()
        guard answerOfElements() == written else { fatalError("encode answer: .numbers and .array texts differ") }
        let readBack = try? JSONParser.parse(written)
        check(try numberArray(readBack?["value"] ?? .null), equals: values, "encode answer (value)")
        check(try numberArray(readBack?["derivative"] ?? .null), equals: derivatives, "encode answer (derivative)")
        let reference = CodableAnswer(value: values, derivative: derivatives)
        let dictionary: [String: Any] = ["value": values, "derivative": derivatives]
        var workload = Workload(
            title: "encode answer {value: [\(values.count)], derivative: [\(derivatives.count)]}",
            bytes: written.count, ours: .init(name: "Nabla JSONWriter, .numbers", run: answer),
            baselines: [
                .init(name: "Foundation JSONEncoder") { try! JSONEncoder().encode(reference) },
                .init(name: "Foundation JSONSerialization") { try! JSONSerialization.data(withJSONObject: dictionary) },
            ])
        workload.variants = [.init(name: "Nabla JSONWriter, .array of .number", run: answerOfElements)]
        return workload
    }
}
