/// Where uploaded datasets live while replicas share jobs (PostgreSQL: `JobsPostgres`'s
/// `PostgresDatasetStorage`), so that any replica lists, reads, deletes and trains on any upload. Each
/// dataset is kept as `DatasetFile` bytes with its owner and summary; `DatasetStore` keeps a cache.
public protocol SharedDatasetStorage: Sendable {
    /// Keeps dataset `id`; false (nothing kept) when every replica's datasets would take more than
    /// `limit` bytes with it.
    func insert(id: String, owner: String?, summary: [UInt8], data: [UInt8], storedBytes: Int, limit: Int)
        async throws -> Bool
    /// The bytes of dataset `id` if `owner` may see it; with `forRun`, whoever's it is while it is
    /// kept for a job that names it (even deleted or expired since).
    func data(of id: String, owner: String?, forRun: Bool) async throws -> [UInt8]?
    /// Whether `owner` may see dataset `id`.
    func exists(id: String, owner: String?) async throws -> Bool
    /// The summaries of `owner`'s datasets, newest first, at most `limit`.
    func summaries(owner: String?, limit: Int) async throws -> [[UInt8]]
    /// Deletes `owner`'s dataset `id`; false if there is none.
    func delete(id: String, owner: String?) async throws -> Bool
}
