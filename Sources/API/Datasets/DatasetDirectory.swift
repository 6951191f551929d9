import Foundation

/// Where uploaded datasets are kept on disk under `--state-dir` (its `datasets/` directory), one
/// `DatasetFile` per dataset, written to a temporary name and renamed (a crash leaves the old state or
/// the new, never half a file).
struct DatasetDirectory: Sendable {
    let url: URL

    /// The directory, created if needed.
    init(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        self.url = url
    }

    private func file(_ id: String) -> URL { url.appendingPathComponent(id + ".dataset") }

    func save(_ entry: DatasetStore.Entry) throws {
        let temporary = url.appendingPathComponent(".\(entry.id).partial")
        try Data(try DatasetFile.encode(entry)).write(to: temporary)
        guard rename(temporary.path, file(entry.id).path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    func remove(_ id: String) {
        try? FileManager.default.removeItem(at: file(id))
    }

    /// Every dataset file that reads, and why the others do not.
    func load() -> (entries: [DatasetStore.Entry], problems: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        var entries: [DatasetStore.Entry] = []
        var problems: [String] = []
        for name in names where name.hasSuffix(".partial") {
            try? FileManager.default.removeItem(at: url.appendingPathComponent(name))
        }
        for name in names.sorted() where name.hasSuffix(".dataset") {
            do {
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                entries.append(try DatasetFile.decode(bytes))
            } catch {
                problems.append("\(name): \(error)")
            }
        }
        return (entries, problems)
    }
}
