import Foundation
import JSON
import NeuralNet
import Testing

@testable import API

/// The streaming CSV reader: the same table however the text is cut into pieces, the dialect's rules
/// (quotes, CRLF, blanks, missing markers), column kinds, and errors that name the line.
@Suite struct CSVStreamReaderTests {
    static func read(_ text: String, pieces: [Int] = []) throws(CSVStreamReader.Failure) -> DatasetTable {
        var reader = CSVStreamReader()
        let bytes = Array(text.utf8)
        var start = 0
        for cut in pieces + [bytes.count] where cut >= start {
            try bytes[start..<cut].withUnsafeBufferPointer { buffer throws(CSVStreamReader.Failure) in
                try reader.consume(buffer)
            }
            start = cut
        }
        return try reader.finish()
    }

    static func describe(_ table: DatasetTable) -> [String] {
        table.columns.map { column in
            "\(column.name):\(column.kind):\(column.missing):"
                + (0..<table.rows).map { column.text(at: $0) ?? "∅" }.joined(separator: "|")
        }
    }

    static let sample =
        "size, \"name, full\",score\r\n1.5,\"Ann \"\"A\"\"\",7\r\n\n  -2e3 ,Bob,NA\r\n0.25,\"multi\nline\",\n"

    @Test func readsTheDialectIntoTypedColumns() throws {
        let table = try Self.read(Self.sample)
        #expect(table.rows == 3)
        #expect(
            Self.describe(table) == [
                "size:numeric:0:1.5|-2000|0.25", "name, full:label:0:Ann \"A\"|Bob|multi\nline",
                "score:numeric:2:7|∅|∅",
            ])
    }

    @Test func everyCutIntoTwoOrThreePiecesReadsTheSameTable() throws {
        let whole = Self.describe(try Self.read(Self.sample))
        let count = Self.sample.utf8.count
        for first in 0...count {
            #expect(Self.describe(try Self.read(Self.sample, pieces: [first])) == whole, "cut at \(first)")
            let second = (first + 7) % (count + 1)
            #expect(
                Self.describe(try Self.read(Self.sample, pieces: [min(first, second), max(first, second)])) == whole)
        }
    }

    @Test func aColumnWithOneWordIsLabelsAndItsNumbersBecomeTheirShortestText() throws {
        let table = try Self.read("x,class\n1,1.0\n2,2\n3,cat\n4,\n")
        #expect(Self.describe(table) == ["x:numeric:0:1|2|3|4", "class:label:1:1|2|cat|∅"])
        #expect(table.column("class")?.firstText?.text == "cat")
        #expect(table.column("class")?.firstText?.line == 4)
        #expect(table.column("class")?.firstMissingLine == 5)
    }

    @Test(arguments: [
        ("a,b\n1,2\n3\n", "line 3 has 1 field; the header has 2"),
        ("a,b\n1,2,3\n", "line 2 has more fields than the header's 2"),
        ("a,b\n1,\"2\n", "line 2: a quoted field is never closed"),
        ("a,b\n1,\"2\"x\n", "line 2: text after the closing quote of a field"),
        ("a,b\n1,2\"x\n", "line 2: a quote inside an unquoted field (quote the whole field)"),
        ("a,a\n1,2\n", "line 1 names the column 'a' twice"),
        ("a,,c\n1,2,3\n", "line 1: column 2 has no name"),
        ("a,b\n", "the CSV has a header but no rows"),
        ("\n\n", "the CSV is empty: it needs a header row and data rows"),
    ])
    func aBadTextIsRefusedNamingItsLine(text: String, message: String) {
        #expect(throws: CSVStreamReader.Failure(message: message)) { try Self.read(text) }
    }

    @Test func aTableTrainsFromItsNumericColumnsAndNamesWhatCannot() throws {
        let table = try Self.read("a,b,label,gap\n1,2,yes,5\n3,4,no,\n")
        let (x, y) = try table.trainingData(target: "label", features: ["b", "a"])
        #expect(x == [[2, 1], [4, 3]])
        #expect(y == .labels(["yes", "no"]))
        let implicit = #expect(throws: DatasetTable.TrainingProblem.self) {
            try table.trainingData(target: "a", features: nil)
        }
        #expect(implicit?.message.hasPrefix("line 2, column 'label': 'yes' is not a number") == true)
        let missing = #expect(throws: DatasetTable.TrainingProblem.self) {
            try table.trainingData(target: "label", features: ["gap"])
        }
        #expect(missing?.message.hasPrefix("line 3, column 'gap': a missing value (1 in the column)") == true)
        let target = #expect(throws: DatasetTable.TrainingProblem.self) {
            try table.trainingData(target: "gap", features: ["a"])
        }
        #expect(target?.field == "target")
        #expect(target?.message.hasPrefix("line 3, column 'gap': the target is missing") == true)
        let unknown = #expect(throws: DatasetTable.TrainingProblem.self) {
            try table.trainingData(target: "label", features: ["c"])
        }
        #expect(unknown?.message == "'c' is not a column of the dataset; its columns are 'a', 'b', 'label', 'gap'")
    }
}

/// The file an upload is kept in under `--state-dir`: what is written reads back the same, and a file
/// cut short or altered is refused, never half read.
@Suite struct DatasetFileTests {
    @Test func aDatasetWrittenReadsBackTheSame() throws {
        let table = try CSVStreamReaderTests.read("a,b,label\n1.5,,x\n-0.0,1e300,\n2,3,y\n")
        let entry = DatasetStore.Entry(
            id: "ds_0123456789abcdef0123456789abcdef", name: "t", owner: "alice", table: table, target: nil,
            uploadedBytes: 33, storedBytes: 64, created: Date(timeIntervalSinceReferenceDate: 812_345_678.25))
        let bytes = try DatasetFile.encode(entry)
        let read = try DatasetFile.decode(bytes)
        #expect(read.id == entry.id && read.name == "t" && read.owner == "alice" && read.target == nil)
        #expect(read.created == entry.created && read.uploadedBytes == 33)
        #expect(CSVStreamReaderTests.describe(read.table) == CSVStreamReaderTests.describe(table))
        #expect(read.table.column("a")?.firstText == nil)
        #expect(read.table.column("label")?.firstMissingLine == 3)
        guard case .numeric(let numbers) = read.table.column("a")?.values else {
            Issue.record("column a is numeric")
            return
        }
        #expect(numbers[1].bitPattern == (-0.0).bitPattern)
        #expect(throws: DatasetFile.Problem.self) { try DatasetFile.decode(Array(bytes.dropLast())) }
        #expect(throws: DatasetFile.Problem.self) { try DatasetFile.decode(bytes + [0]) }
        #expect(throws: DatasetFile.Problem.self) { try DatasetFile.decode(Array(bytes.dropFirst())) }
    }

    @Test func aStoreWithADirectoryGetsItsDatasetsBackAndForgetsDeletedOnes() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("datasets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let table = try CSVStreamReaderTests.read("a,b\n1,2\n")
        let first = DatasetStore(maxStoredBytes: 1 << 20, retention: .seconds(60), directory: try DatasetDirectory(url))
        let kept = try await first.add(table, name: "kept", target: nil, owner: nil, uploadedBytes: 8)
        let gone = try await first.add(table, name: "gone", target: nil, owner: "bob", uploadedBytes: 8)
        #expect(try await first.remove(gone.id, owner: "bob"))
        try Data("NABLA-DATASET 1\n{".utf8).write(to: url.appendingPathComponent("broken.dataset"))
        let second = DatasetStore(
            maxStoredBytes: 1 << 20, retention: .seconds(60), directory: try DatasetDirectory(url))
        #expect(try await second.summaries(owner: nil).map { $0["id"] } == [.string(kept.id)])
        #expect(try await second.entry(gone.id, owner: "bob") == nil)
        #expect(second.loadProblems.count == 1)
        #expect(second.loadProblems.first?.hasPrefix("broken.dataset") == true)
        let expired = DatasetStore(maxStoredBytes: 1 << 20, retention: .zero, directory: try DatasetDirectory(url))
        #expect(expired.count == 0)
        #expect(!FileManager.default.fileExists(atPath: url.appendingPathComponent(kept.id + ".dataset").path))
    }
}
