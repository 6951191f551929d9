import API
import Foundation
import JSON
import MicroHTTP
import Testing

/// Big batches: `at` as a range, and `Accept: application/x-npy` answering a NumPy array.
@Suite struct DerivativeBatchRouteTests {
    let harness = APIHarness()
    static let numPy = [("Accept", "application/x-npy")]

    @Test func aRangeIsEvenlySpacedPointsEndingExactlyAtTo() {
        let response = harness.send(
            "POST", "/v1/derivative", body: #"{"expression": "x^2", "at": {"from": -3, "to": 3, "count": 7}}"#)
        #expect(response.status == 200)
        #expect(response.json["at"] as? [Double] == [-3, -2, -1, 0, 1, 2, 3])
        #expect(response.json["derivative"] as? [Double] == [-6, -4, -2, 0, 2, 4, 6])
        // 0.1 does not divide 1 exactly in binary: the points are from + i·spacing, the last one `to`.
        let tenths = harness.send(
            "POST", "/v1/derivative", body: #"{"expression": "x", "at": {"from": 0, "to": 1, "count": 11}}"#)
        // Nabla's own parser: Foundation's misreads the last digit of some doubles.
        let json = (try? JSONParser.parse(tenths.bodyBytes ?? [])) ?? .null
        let expected: [Double] = (0...10).map { (i: Int) -> Double in i == 10 ? 1 : Double(i) * 0.1 }
        #expect(json["at"] == .numbers(expected), "\(json["at"] ?? .null)")
    }

    @Test(arguments: [
        (#"{"from": 0, "to": 1}"#, "/at/count"), (#"{"from": 0, "count": 3}"#, "/at/to"),
        (#"{"from": 0, "to": 1, "count": 0}"#, "/at/count"), (#"{"from": 0, "to": 1, "count": 100001}"#, "/at/count"),
        (#"{"from": 0, "to": 1, "count": 2.5}"#, "/at/count"),
        (#"{"from": 0, "to": 1, "count": 3, "step": 1}"#, "/at/step"),
        (#"{"from": "0", "to": 1, "count": 3}"#, "/at/from"),
    ])
    func aMalformedRangeIs400PointingAtItsMember(_ range: String, _ pointer: String) {
        let response = harness.send("POST", "/v1/derivative", body: #"{"expression": "x", "at": \#(range)}"#)
        #expect(response.status == 400)
        #expect(response.problemPointers == [pointer], "\(response.json)")
    }

    /// The header, shape and numbers of a `.npy` file, read as NumPy's format document describes.
    struct NumPyFile {
        let header: String
        let shape: [Int]
        let numbers: [Double]

        init?(_ bytes: [UInt8]) {
            guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8), bytes[6] == 1
            else { return nil }
            let length = Int(bytes[8]) | Int(bytes[9]) << 8
            guard (10 + length) % 64 == 0, bytes.count >= 10 + length,
                let header = String(bytes: bytes[10..<(10 + length)], encoding: .ascii)
            else { return nil }
            self.header = header
            guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")")
            else { return nil }
            shape = header[open.upperBound..<close].split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            let data = Array(bytes[(10 + length)...])
            guard data.count % 8 == 0 else { return nil }
            numbers = stride(from: 0, to: data.count, by: 8).map { offset in
                Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[offset + $1]) << (8 * $1) })
            }
        }
    }

    @Test func acceptNpyAnswersXFAndTheDerivativeAsAFloat64Array() throws {
        let response = harness.send(
            "POST", "/v1/derivative", headers: Self.numPy,
            body: #"{"expression": "sin(x)", "at": {"from": 0, "to": 2, "count": 5}, "method": "forward"}"#)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/x-npy")
        let file = try #require(NumPyFile(response.bodyBytes ?? []))
        #expect(file.header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 5), }"))
        #expect(file.header.hasSuffix("\n"))
        #expect(file.shape == [3, 5])
        let x: [Double] = [0, 0.5, 1, 1.5, 2]
        #expect(Array(file.numbers[0..<5]) == x)
        // Five lanes go through the vector libm: within a few ulps of Foundation's sin and cos.
        for (index, point) in x.enumerated() {
            #expect(abs(file.numbers[5 + index] - sin(point)) <= 1e-15, "f at \(point)")
            #expect(abs(file.numbers[10 + index] - cos(point)) <= 1e-15, "f' at \(point)")
        }
    }

    @Test func whereThereIsNoDerivativeTheNpyHoldsNaN() throws {
        let response = harness.send(
            "POST", "/v1/derivative", headers: Self.numPy, body: #"{"expression": "sign(x)", "at": [-1, 0, 1]}"#)
        let file = try #require(NumPyFile(response.bodyBytes ?? []))
        #expect(Array(file.numbers[0..<6]) == [-1, 0, 1, -1, 0, 1])
        #expect(file.numbers[6] == 0)
        #expect(file.numbers[7].isNaN)
        #expect(file.numbers[8] == 0)
    }

    @Test(arguments: [
        (#"{"expression": "x", "at": 1, "method": "all"}"#, "/method"),
        (#"{"expression": "x", "at": 1, "sweep": true}"#, "/sweep"),
    ])
    func npyRefusesAnswersThatAreNotArrays(_ body: String, _ pointer: String) {
        let response = harness.send("POST", "/v1/derivative", headers: Self.numPy, body: body)
        #expect(response.status == 400)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.problemPointers == [pointer])
    }

    static let numPyInstalled: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import numpy"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(.enabled(if: numPyInstalled, "needs python3 with numpy"))
    func numpyLoadReadsTheArray() throws {
        let response = harness.send(
            "POST", "/v1/derivative", headers: Self.numPy,
            body: #"{"expression": "x^3", "at": {"from": -3, "to": 3, "count": 100000}}"#)
        #expect(response.status == 200)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nabla-\(UUID().uuidString).npy")
        try Data(response.bodyBytes ?? []).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            """
            import sys, numpy
            a = numpy.load(sys.argv[1])
            x = numpy.linspace(-3, 3, 100000)
            print(a.dtype, a.shape, bool((a[0] == x).all()), float(abs(a[1] - x**3).max()), \
            float(abs(a[2] - 3*x**2).max()))
            """,
            file.path,
        ]
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        // x bit for bit as numpy.linspace makes it; x³ and 3x² within rounding.
        let fields = printed.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(printed.hasPrefix("float64 (3, 100000) True "), "\(printed)")
        #expect(fields.suffix(2).allSatisfy { (Double($0) ?? 1) < 1e-13 }, "\(printed)")
    }
}
