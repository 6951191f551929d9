import Foundation
import JSON
import Synchronization

/// Uploaded datasets, each its owner's (the API key's name; nil for the anonymous owner): another
/// owner neither sees nor finds it. Kept for `retention` after the upload, within `maxStoredBytes` in
/// all (an upload that does not fit is refused, nothing is evicted for it). A training that uses a
/// dataset holds its own reference: deleting or expiring it does not touch the training.
///
/// Where they are kept: in this process's memory (and under `--state-dir` with a `directory`), or,
/// while replicas share jobs, in `shared` storage (PostgreSQL), with the datasets read here cached in
/// memory (within `maxStoredBytes`, the oldest dropped first).
public final class DatasetStore: Sendable {
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
    /// Where they are kept when replicas share them (set once, before the service answers); `entries`
    /// is then a cache.
    private let sharedStorage = Mutex<(any SharedDatasetStorage)?>(nil)
    private var shared: (any SharedDatasetStorage)? {
        @inline(never) get { sharedStorage.withLock { $0 } }
    }
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

    /// From now on, keeps the datasets in `storage`, shared by replicas (a store made without a
    /// directory, before it is used: what it held in memory is forgotten).
    public func share(through storage: any SharedDatasetStorage) {
        precondition(directory == nil, "a dataset store shared by replicas keeps no directory")
        sharedStorage.withLock { $0 = storage }
        entries.withLock { $0 = [:] }
    }

    /// Files of `directory` that could not be read at start.
    let loadProblems: [String]

    /// How many datasets are kept (cached, with shared storage).
    var count: Int { entries.withLock { $0.count } }

    /// Whether `text` has the form of an uploaded dataset's id (else it may name a built-in one).
    static func isDatasetID(_ text: String) -> Bool {
        text.hasPrefix(idPrefix)
    }

    // The async methods below throw untyped and call no typed-throwing function directly (the
    // synchronous helpers are `@inline(never)`): Swift 6.3.1's optimiser crashes splitting an async
    // function with a typed-throws call inside ("While splitting coroutine", CoroFrame). They throw
    // `APIError`s, or the shared storage's errors, which `answer` turns into a 503.

    /// Keeps `table` for `owner`; a 507 when it does not fit beside the datasets kept.
    func add(_ table: DatasetTable, name: String, target: String?, owner: String?, uploadedBytes: Int)
        async throws -> Entry
    {
        let storedBytes = table.columns.reduce(0) { $0 + $1.bytes }
        let entry = Entry(
            id: Self.idPrefix + UUID().uuidString.replacing("-", with: "").lowercased(), name: name, owner: owner,
            table: table, target: target, uploadedBytes: uploadedBytes, storedBytes: storedBytes, created: Date())
        if let shared {
            try await keep(entry, in: shared)
        } else {
            try keepInMemory(entry)
        }
        return entry
    }

    /// The dataset `id` if `owner`'s.
    func entry(_ id: String, owner: String?) async throws -> Entry? {
        guard let shared else { return cached(id).flatMap { $0.owner == owner ? $0 : nil } }
        if let cached = cached(id), cached.owner == owner {
            // Another replica may have deleted it: the database says whether it is still there.
            if try await shared.exists(id: id, owner: owner) { return cached }
            forget(id)
            return nil
        }
        return try await fetch(id, owner: owner, forRun: false, from: shared)
    }

    /// The dataset `id` a job names, whoever's it is, for the replica that runs the job (the owner was
    /// checked when the job was accepted); nil if it is gone.
    func entryForRun(_ id: String) async throws -> Entry? {
        if let cached = cached(id) { return cached }
        guard let shared else { return nil }
        return try await fetch(id, owner: nil, forRun: true, from: shared)
    }

    /// The summaries of `owner`'s datasets (`DatasetStore.Entry.summary`), newest first.
    func summaries(owner: String?) async throws -> [JSONValue] {
        guard let shared else { return inMemory(owner: owner).map { $0.summary() } }
        return try await shared.summaries(owner: owner, limit: 1_000).compactMap { bytes in
            try? JSONParser.parse(bytes, maxDepth: 16)
        }
    }

    /// Deletes the dataset `id` if `owner`'s; false if there is none.
    func remove(_ id: String, owner: String?) async throws -> Bool {
        guard let shared else { return removeFromMemory(id, owner: owner) }
        let removed = try await shared.delete(id: id, owner: owner)
        if removed { forget(id) }
        return removed
    }

    // MARK: - In memory

    @inline(never)
    private func keepInMemory(_ entry: Entry) throws {
        expire()
        let refusal = entries.withLock { entries -> String? in
            let used = entries.values.reduce(0) { $0 + $1.storedBytes }
            guard used + entry.storedBytes <= maxStoredBytes else {
                return "the dataset takes \(entry.storedBytes) bytes in memory and \(maxStoredBytes - used) of the "
                    + "\(maxStoredBytes) kept for datasets (nabla serve --max-stored-dataset-bytes) are free: "
                    + "delete a dataset (DELETE /v1/datasets/{id}) or wait until one expires"
            }
            entries[entry.id] = entry
            return nil
        }
        if let refusal { throw APIError.storageFull(refusal) }
        if let directory {
            do {
                try directory.save(entry)
            } catch {
                forget(entry.id)
                directory.remove(entry.id)
                throw APIError.storageFull(
                    "the dataset could not be written to the state directory: \(error.localizedDescription)")
            }
        }
    }

    @inline(never)
    private func inMemory(owner: String?) -> [Entry] {
        expire()
        return entries.withLock { entries in
            entries.values.filter { $0.owner == owner }.sorted { ($0.created, $0.id) > ($1.created, $1.id) }
        }
    }

    @inline(never)
    private func removeFromMemory(_ id: String, owner: String?) -> Bool {
        let removed = entries.withLock { entries in
            guard entries[id]?.owner == owner, entries[id] != nil else { return false }
            entries[id] = nil
            return true
        }
        if removed { directory?.remove(id) }
        return removed
    }

    // MARK: - Shared storage

    /// Writes `entry` to the shared storage (refused past `maxStoredBytes` over every replica), then
    /// caches it.
    private func keep(_ entry: Entry, in shared: any SharedDatasetStorage) async throws {
        let kept = try await shared.insert(
            id: entry.id, owner: entry.owner, summary: JSONWriter.bytes(entry.summary()),
            data: try DatasetFile.encode(entry), storedBytes: entry.storedBytes, limit: maxStoredBytes)
        guard kept else {
            throw APIError.storageFull(
                "the dataset takes \(entry.storedBytes) bytes in memory and, with it, the datasets of every "
                    + "replica would take more than the \(maxStoredBytes) bytes kept for them (nabla serve "
                    + "--max-stored-dataset-bytes): delete a dataset (DELETE /v1/datasets/{id}) or wait until "
                    + "one expires")
        }
        cache(entry)
    }

    private func fetch(_ id: String, owner: String?, forRun: Bool, from shared: any SharedDatasetStorage)
        async throws -> Entry?
    {
        guard let data = try await shared.data(of: id, owner: owner, forRun: forRun) else { return nil }
        let entry = try Self.decode(data)
        cache(entry)
        return entry
    }

    @inline(never)
    private func cached(_ id: String) -> Entry? {
        expire()
        return entries.withLock { $0[id] }
    }

    /// `DatasetFile.decode` behind an untyped `throws`: its typed throws, inlined into an async caller,
    /// is what crashes the optimiser.
    @inline(never)
    private static func decode(_ data: [UInt8]) throws -> Entry {
        try DatasetFile.decode(data)
    }

    @inline(never)
    private func forget(_ id: String) {
        entries.withLock { _ = $0.removeValue(forKey: id) }
    }

    /// Caches `entry`, dropping the oldest others while the cache takes more than `maxStoredBytes`.
    @inline(never)
    private func cache(_ entry: Entry) {
        entries.withLock { entries in
            entries[entry.id] = entry
            var used = entries.values.reduce(0) { $0 + $1.storedBytes }
            for old in entries.values.sorted(by: { $0.created < $1.created }) where used > maxStoredBytes {
                guard old.id != entry.id else { continue }
                entries[old.id] = nil
                used -= old.storedBytes
            }
        }
    }

    /// The answer of a store call in a route: every error the store throws as an `APIError` (the
    /// methods above throw untyped: Swift 6.3's optimiser crashes splitting these async functions
    /// with typed throws).
    static func answer<T>(_ call: () async throws -> T) async throws(APIError) -> T {
        do {
            return try await call()
        } catch {
            throw apiError(error)
        }
    }

    /// A failure of the shared storage as the client sees it: the database cannot be reached (503).
    private static func apiError(_ error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        if error is DatasetFile.Problem { return .internalError }
        return .unavailable("the dataset storage (the job database) cannot be reached", retryAfterSeconds: 5)
    }

    /// Drops the datasets past `retention` (and their files).
    @inline(never)
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
