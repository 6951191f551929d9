import Foundation
import Synchronization

/// Uploaded datasets, in memory, each its owner's (the API key's name; nil for the anonymous owner):
/// another owner neither sees nor finds it. Kept for `retention` after the upload, within
/// `maxStoredBytes` in all (an upload that does not fit is refused, nothing is evicted for it). A
/// training that uses a dataset holds its own reference: deleting or expiring it does not touch the
/// training.
final class DatasetStore: Sendable {
    /// One uploaded dataset.
    struct Entry: Sendable {
        let id: String
        let name: String
        let owner: String?
        let table: DatasetTable
        /// The column a training predicts when it names none (`y` of a JSON upload); nil for CSV.
        let target: String?
        /// The upload's size, and what the values take in memory.
        let uploadedBytes: Int
        let storedBytes: Int
        let created: Date
    }

    /// Ids are `ds_` and 32 hex digits.
    static let idPrefix = "ds_"

    let maxStoredBytes: Int
    let retention: Duration
    /// Where they are kept across restarts (`--state-dir`), if anywhere.
    let directory: DatasetDirectory?
    private let entries = Mutex<[String: Entry]>([:])

    /// A store; with `directory`, the datasets kept there (those still within `retention`) come back,
    /// and the files that do not read are named in `loadProblems`.
    init(maxStoredBytes: Int, retention: Duration, directory: DatasetDirectory? = nil) {
        self.maxStoredBytes = maxStoredBytes
        self.retention = retention
        self.directory = directory
        let (loaded, problems) = directory?.load() ?? ([], [])
        loadProblems = problems
        entries.withLock { entries in
            for entry in loaded { entries[entry.id] = entry }
        }
        expire()
    }

    /// Files of `directory` that could not be read at start.
    let loadProblems: [String]

    /// How many datasets are kept.
    var count: Int { entries.withLock { $0.count } }

    /// Whether `text` has the form of an uploaded dataset's id (else it may name a built-in one).
    static func isDatasetID(_ text: String) -> Bool {
        text.hasPrefix(idPrefix)
    }

    /// Keeps `table` for `owner`; a 507 when it does not fit beside the datasets kept.
    func add(_ table: DatasetTable, name: String, target: String?, owner: String?, uploadedBytes: Int)
        throws(APIError) -> Entry
    {
        let storedBytes = table.columns.reduce(0) { $0 + $1.bytes }
        let entry = Entry(
            id: Self.idPrefix + UUID().uuidString.replacing("-", with: "").lowercased(), name: name, owner: owner,
            table: table, target: target, uploadedBytes: uploadedBytes, storedBytes: storedBytes, created: Date())
        expire()
        let refusal = entries.withLock { entries -> String? in
            let used = entries.values.reduce(0) { $0 + $1.storedBytes }
            guard used + storedBytes <= maxStoredBytes else {
                return "the dataset takes \(storedBytes) bytes in memory and \(maxStoredBytes - used) of the "
                    + "\(maxStoredBytes) kept for datasets (nabla serve --max-stored-dataset-bytes) are free: "
                    + "delete a dataset (DELETE /v1/datasets/{id}) or wait until one expires"
            }
            entries[entry.id] = entry
            return nil
        }
        if let refusal { throw .storageFull(refusal) }
        if let directory {
            do {
                try directory.save(entry)
            } catch {
                entries.withLock { _ = $0.removeValue(forKey: entry.id) }
                directory.remove(entry.id)
                throw .storageFull(
                    "the dataset could not be written to the state directory: \(error.localizedDescription)")
            }
        }
        return entry
    }

    /// The dataset `id` if `owner`'s.
    func entry(_ id: String, owner: String?) -> Entry? {
        expire()
        return entries.withLock { entries in
            guard let entry = entries[id], entry.owner == owner else { return nil }
            return entry
        }
    }

    /// Finds `owner`'s datasets by id, for a training.
    func lookup(owner: String?) -> DatasetLookup {
        { [self] id in entry(id, owner: owner) }
    }

    /// `owner`'s datasets, newest first.
    func entries(owner: String?) -> [Entry] {
        expire()
        return entries.withLock { entries in
            entries.values.filter { $0.owner == owner }.sorted { ($0.created, $0.id) > ($1.created, $1.id) }
        }
    }

    /// Deletes the dataset `id` if `owner`'s; false if there is none.
    func remove(_ id: String, owner: String?) -> Bool {
        let removed = entries.withLock { entries in
            guard entries[id]?.owner == owner, entries[id] != nil else { return false }
            entries[id] = nil
            return true
        }
        if removed { directory?.remove(id) }
        return removed
    }

    /// Drops the datasets past `retention` (and their files).
    private func expire() {
        let cutoff = Date().addingTimeInterval(-Double(retention.components.seconds))
        let expired = entries.withLock { entries -> [String] in
            let ids = entries.values.filter { $0.created < cutoff }.map(\.id)
            for id in ids { entries[id] = nil }
            return ids
        }
        for id in expired { directory?.remove(id) }
    }
}

/// Finds an uploaded dataset by id for a training: the caller's only.
typealias DatasetLookup = @Sendable (String) -> DatasetStore.Entry?
