import Foundation
import Testing

/// The `nabla` executable SwiftPM built next to this test bundle, run as a child process: `serve`
/// with the given arguments on an ephemeral port, its standard output read line by line.
final class NablaProcess {
    static var binary: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("nabla")
    }

    let process = Process()
    let output: LineReader
    /// The "listening" log line (text or JSON, as `--log-format` says).
    let listening: String
    let port: UInt16

    /// Starts `nabla serve --port 0 ARGUMENTS` and waits (up to 20 s) for its "listening" line.
    init(_ arguments: [String], port: (String) -> UInt16?) throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "missing \(Self.binary.path)")
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        output = LineReader(pipe.fileHandleForReading)
        listening = try #require(output.line(containing: "listening", timeout: 20))
        self.port = try #require(port(listening))
    }

    /// A `nabla serve` logging text lines (`port=N`).
    convenience init(_ arguments: [String]) throws {
        try self.init(arguments) { line in
            line.split(separator: " ").first { $0.hasPrefix("port=") }.flatMap { UInt16($0.dropFirst(5)) }
        }
    }

    /// Sends SIGTERM and waits for the exit; the seconds it took.
    @discardableResult
    func terminate() -> Double {
        let signalled = Date()
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return Date().timeIntervalSince(signalled)
    }

    deinit { if process.isRunning { process.terminate() } }
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
