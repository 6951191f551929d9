import Foundation
import TestSupport
import Testing

/// The `nabla` executable itself: started as a process, stopped with SIGTERM.
@Suite struct ShutdownTests {
    /// The `nabla` binary SwiftPM built next to this test bundle.
    static var binary: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("nabla")
    }

    @Test func sigtermLetsTheRunningJobFinishFailsTheQueuedOneWithReasonShutdownAndExitsZero() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "missing \(Self.binary.path)")
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", "0", "--workers", "1", "--grace-period", "10"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let reader = LineReader(output.fileHandleForReading)
        let listening = try #require(reader.line(containing: "listening", timeout: 20))
        let port = try #require(
            listening.split(separator: " ").first { $0.hasPrefix("port=") }.flatMap { UInt16($0.dropFirst(5)) })

        let client = try RawHTTPClient(port: port)
        let running = try #require(try client.postJSON("/v1/sleep", #"{"seconds": 1}"#).json?["id"] as? String)
        let queued = try RawHTTPClient(port: port)
        // A waiting request for a queued job: it must get an answer, not a dropped connection.
        queued.send(
            "POST /v1/sleep?wait=true HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"seconds\": 1}"
        )
        Thread.sleep(forTimeInterval: 0.2)

        let signalled = Date()
        process.interrupt()  // SIGINT drains like SIGTERM; send the real SIGTERM too
        kill(process.processIdentifier, SIGTERM)
        let answer = try queued.readResponse()
        #expect(answer.status == 200)
        #expect(answer.json?["status"] as? String == "failed")
        #expect((answer.json?["error"] as? [String: Any])?["reason"] as? String == "shutdown")

        process.waitUntilExit()
        let drained = Date().timeIntervalSince(signalled)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        // It waited for the 1 s job to finish, not for the whole grace period.
        #expect(drained > 0.5 && drained < 8, "drain took \(drained) s")
        let log = reader.rest()
        #expect(log.contains("draining"))
        #expect(log.contains("drained, exiting"))
        #expect(!running.isEmpty)
    }
}

/// Reads a pipe line by line with a timeout.
final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private var buffer = ""

    init(_ handle: FileHandle) { self.handle = handle }

    func line(containing text: String, timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = buffer.components(separatedBy: "\n").first(where: { $0.contains(text) }) { return line }
            let data = handle.availableData
            if data.isEmpty { return nil }
            buffer += String(decoding: data, as: UTF8.self)
        }
        return nil
    }

    func rest() -> String {
        buffer + String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    }
}
