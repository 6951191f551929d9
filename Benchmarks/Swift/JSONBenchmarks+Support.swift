import API
import JSON

/// The request and answer shapes of the JSON workloads, for Foundation's Codable coders.
struct CodableRequest: Codable {
    var expression: String
    var at: [Double]
}

struct CodableAnswer: Codable {
    var value: [Double]
    var derivative: [Double]
}

/// Benchmark input that does not survive the code under test is a bug, not a measurement.
struct WorkloadError: Error, CustomStringConvertible {
    var description: String
}

extension JSONBenchmarks {
    /// The numbers of a JSON array, as the routes read them.
    static func numberArray(_ value: JSONValue) throws -> [Double] {
        if case .numbers(let numbers) = value { return numbers }
        guard case .array(let elements) = value else { throw WorkloadError(description: "not an array") }
        return try elements.map { element in
            guard case .number(let number) = element else { throw WorkloadError(description: "not a number") }
            return number
        }
    }

    /// `{"expression": string, "at": [numbers]}` through `JSONParser` and `JSONFields`, with arrays of
    /// numbers read as `.numbers`, as the derivative route reads them.
    static func readRequest(_ bytes: [UInt8]) throws -> (expression: String, at: [Double]) {
        var fields = try JSONFields(JSONParser.parse(bytes, numberArrays: true))
        guard let expression = try fields.string("expression") else {
            throw WorkloadError(description: "no expression")
        }
        let at = try numberArray(fields.value("at") ?? .null)
        try fields.finish()
        return (expression, at)
    }

    /// Stops the benchmark when the code under test changed the numbers (bit for bit).
    static func check(_ result: @autoclosure () throws -> [Double], equals expected: [Double], _ workload: String) {
        do {
            let numbers = try result()
            guard numbers.count == expected.count else {
                fatalError("\(workload): \(numbers.count) numbers instead of \(expected.count)")
            }
            for (index, (got, want)) in zip(numbers, expected).enumerated() where got.bitPattern != want.bitPattern {
                fatalError("\(workload): number \(index) reads back as \(got), not \(want)")
            }
        } catch {
            fatalError("\(workload): \(error)")
        }
    }
}
