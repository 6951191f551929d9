import TestSupport
import Dispatch
import Foundation
import NeuralNet
import Synchronization
import Testing

@testable import API
@testable import MicroHTTP

/// The training API's own pieces: SHA-256 for `config_hash`, the CSV reader, the event pacer.
@Suite struct TrainingSupportTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 63), "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (String(repeating: "a", count: 65), "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func sha256MatchesTheStandardsVectors(_ message: String, _ digest: String) {
        #expect(SHA256.hex(of: Array(message.utf8)) == digest)
    }

    @Test func csvReadsQuotedFieldsLineEndingsAndLabels() throws {
        let table = try CSVTable(" a ,\"b, c\",label\r\n1, 2 ,\"x \"\"y\"\"\"\n\n3,4e0,z\n", target: "label")
        #expect(table.features == ["a", "b, c"])
        #expect(table.x == [[1, 2], [3, 4]])
        #expect(table.y == .labels(["x \"y\"", "z"]))
        #expect(table.lines == [2, 4])
        let numeric = try CSVTable("y,x\n0.5,1\n1,2", target: "y")
        #expect(numeric.y == .values([0.5, 1]))
        #expect(numeric.x == [[1], [2]])
    }

    @Test(arguments: [
        ("", "y", "the CSV has no header row"),
        ("x,y\n", "y", "the CSV has a header but no rows"),
        ("x,y\n1,2\n", "z", "'z' is not a column of the CSV; its columns are 'x', 'y'"),
        ("x,x,y\n1,2,3\n", "y", "line 1 names the column 'x' twice"),
        ("y\n1\n", "y", "line 1 has no feature column beside the target"),
        ("x,y\n1,2\n3\n", "y", "line 3 has 1 fields; the header has 2"),
        ("x,y\n1,2\ninf,3\n", "y", "line 3, column 'x': 'inf' is not a finite number"),
        ("x,y\n1,\"2\n", "y", "line 2 has a quoted field that is never closed"),
    ])
    func csvErrorsNameTheLine(_ text: String, _ target: String, _ message: String) {
        #expect(throws: CSVTable.ReadError.self) { try CSVTable(text, target: target) }
        do {
            _ = try CSVTable(text, target: target)
        } catch {
            #expect(error.message == message)
        }
    }

    /// Takes everything buffered in `stream`, as libmicrohttpd's reader would.
    func drain(_ stream: HTTPResponseStream) -> (text: String, ended: Bool) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let pull = chunk.withUnsafeMutableBytes { stream.pull(into: $0.baseAddress!, capacity: 4096) }
            switch pull {
            case .bytes(let count): bytes += chunk[..<count]
            case .endOfStream: return (String(decoding: bytes, as: UTF8.self), true)
            default: return (String(decoding: bytes, as: UTF8.self), false)
            }
        }
    }

    @Test func thePacerCoalescesEventsForASlowReaderAndSendsTheLastAndTheFinalOne() throws {
        let stream = HTTPResponseStream()
        let pacer = EventPacer(stream: stream, lowWater: 200)
        var largest = 0
        for epoch in 1...1000 {
            pacer.offer(Array("event: epoch\ndata: {\"epoch\":\(epoch)}\n\n".utf8))
            largest = max(largest, stream.bufferedByteCount)
        }
        #expect(largest < 200 + 40, "the buffer grew to \(largest) bytes")
        let final = String(repeating: "x", count: 5000)
        pacer.finish(with: Array("event: done\ndata: \"\(final)\"\n\n".utf8))
        var text = ""
        let ended = eventually {
            let (more, end) = drain(stream)
            text += more
            #expect(stream.bufferedByteCount < 200 + 200)
            return end
        }
        #expect(ended)
        let epochs = text.components(separatedBy: "\n").filter { $0.hasPrefix("data: {\"epoch\"") }
        #expect(epochs.count < 20, "\(epochs.count) epoch events reached a reader that never read")
        #expect(epochs.last == "data: {\"epoch\":1000}")
        #expect(text.hasSuffix("event: done\ndata: \"\(final)\"\n\n"))
    }
}
