import Foundation

/// A command's exit status and what it printed.
public struct CommandResult: Sendable {
    public var status: Int32
    public var output: String
    public var errorOutput: String
}

/// A command that did not do what a test needed.
public struct CommandFailure: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) { self.description = description }
}

/// Runs `executable` (looked up on PATH through /usr/bin/env) with `arguments` and waits for it.
public func runCommand(_ executable: String, _ arguments: [String]) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let output = Pipe()
    let errorOutput = Pipe()
    process.standardOutput = output
    process.standardError = errorOutput
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read before waiting: a full pipe would block the child.
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errorOutput.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
        errorOutput: String(decoding: errorData, as: UTF8.self))
}

/// A self-signed certificate for `localhost` and 127.0.0.1 with its key, made with the openssl command
/// in a fresh temporary directory (removed by `remove()`).
public struct SelfSignedCertificate: Sendable {
    private let directory: URL
    public var certificateFile: String { directory.appendingPathComponent("cert.pem").path }
    public var keyFile: String { directory.appendingPathComponent("key.pem").path }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nabla-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let made = try runCommand(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", directory.appendingPathComponent("key.pem").path,
                "-out", directory.appendingPathComponent("cert.pem").path,
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        guard made.status == 0 else {
            throw CommandFailure(description: "openssl failed: \(made.errorOutput)")
        }
    }

    /// Writes `text` to a file named `name` in the certificate's directory; its path.
    public func file(_ name: String, containing text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
