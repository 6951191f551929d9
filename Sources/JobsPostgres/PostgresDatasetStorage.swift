import Logging
import PostgresNIO

/// Uploaded datasets shared by replicas: any replica keeps an upload, lists, reads and deletes it, and
/// fetches it to run a training another replica accepted. Each dataset is opaque bytes (the API's own
/// file format) with its owner, the API's summary of it and what it takes in memory, written in parts
/// of at most `partBytes` in one transaction (a failed upload leaves nothing).
///
/// - The bytes kept are counted over every replica's uploads under an advisory lock taken after the
///   parts are written (so an upload holds the lock for one statement, not for its transfer): an
///   upload that does not fit is rolled back.
/// - A dataset past `retention`, or deleted, is no longer listed or found by its owner; its rows go
///   (`sweep`) once no queued or running job names it, so a job that another replica claims later
///   still finds what it was accepted with.
public final class PostgresDatasetStorage: Sendable {
    /// The largest part: a bytea value a few megabytes long, far from PostgreSQL's 1 GB limit, and
    /// little memory per row on either side.
    static let partBytes = 4 << 20

    let client: PostgresClient
    let retention: Duration
    let logger: Logger
    /// A statement that moves a dataset may take this long before the caller hears it failed.
    let timeout: Duration

    init(client: PostgresClient, retention: Duration, logger: Logger, timeout: Duration = .seconds(120)) {
        self.client = client
        self.retention = retention
        self.logger = logger
        self.timeout = timeout
    }

    /// Why an upload was rolled back: it did not fit.
    private struct OverLimit: Error {}

    /// Keeps dataset `id`; false (nothing kept) when the datasets kept would take more than `limit`
    /// bytes with it.
    public func insert(id: String, owner: String?, summary: [UInt8], data: [UInt8], storedBytes: Int, limit: Int)
        async throws -> Bool
    {
        let (client, logger) = (client, logger)
        do {
            try await within(timeout) {
                try await client.withTransaction(logger: logger) { connection in
                    try await connection.query(
                        """
                        INSERT INTO nabla_datasets (id, owner, summary, data_bytes, stored_bytes)
                        VALUES (\(id), \(owner)::text, \(ByteBuffer(bytes: summary)), \(data.count)::bigint,
                            \(storedBytes)::bigint)
                        """, logger: logger
                    ).consume()
                    var part = 0
                    var start = 0
                    repeat {
                        let end = min(start + Self.partBytes, data.count)
                        try await connection.query(
                            """
                            INSERT INTO nabla_dataset_parts (dataset, part, bytes)
                            VALUES (\(id), \(part)::integer, \(ByteBuffer(bytes: data[start..<end])))
                            """, logger: logger
                        ).consume()
                        part += 1
                        start = end
                    } while start < data.count
                    try await connection.query(
                        "SELECT pg_advisory_xact_lock(\(JobSchema.datasetQuotaLock))", logger: logger
                    ).consume()
                    var used = 0
                    for try await total in try await connection.query(
                        "SELECT coalesce(sum(stored_bytes), 0)::bigint FROM nabla_datasets", logger: logger
                    ).decode(Int.self) {
                        used = total
                    }
                    if used > limit { throw OverLimit() }
                }
            }
            return true
        } catch let error as PostgresTransactionError where error.closureError is OverLimit {
            return false
        }
    }

    /// The bytes of dataset `id`: if `owner` may see it (theirs, not deleted, within retention), or,
    /// `forRun`, whoever's it is while its rows are kept. Nil when there is none.
    public func data(of id: String, owner: String?, forRun: Bool) async throws -> [UInt8]? {
        let (client, logger, seconds) = (client, logger, retention.seconds)
        return try await within(timeout) {
            try await client.withTransaction(logger: logger) { connection -> [UInt8]? in
                let query: PostgresQuery =
                    forRun
                    ? "SELECT data_bytes FROM nabla_datasets WHERE id = \(id)"
                    : """
                    SELECT data_bytes FROM nabla_datasets WHERE id = \(id) AND NOT deleted
                       AND owner IS NOT DISTINCT FROM \(owner)::text
                       AND created_at > now() - make_interval(secs => \(seconds))
                    """
                var size: Int?
                for try await bytes in try await connection.query(query, logger: logger).decode(Int.self) {
                    size = bytes
                }
                guard let size else { return nil }
                var data: [UInt8] = []
                data.reserveCapacity(size)
                for try await part in try await connection.query(
                    "SELECT bytes FROM nabla_dataset_parts WHERE dataset = \(id) ORDER BY part", logger: logger
                ).decode(ByteBuffer.self) {
                    data.append(contentsOf: part.readableBytesView)
                }
                return data.count == size ? data : nil
            }
        }
    }

    /// Whether `owner` may see dataset `id` now.
    public func exists(id: String, owner: String?) async throws -> Bool {
        let (client, logger, seconds) = (client, logger, retention.seconds)
        return try await within(.seconds(5)) {
            var found = false
            for try await _ in try await client.query(
                """
                SELECT 1 FROM nabla_datasets WHERE id = \(id) AND NOT deleted
                   AND owner IS NOT DISTINCT FROM \(owner)::text
                   AND created_at > now() - make_interval(secs => \(seconds))
                """, logger: logger)
            {
                found = true
            }
            return found
        }
    }

    /// The summaries of `owner`'s datasets (as the API wrote them), newest first, at most `limit`.
    public func summaries(owner: String?, limit: Int = 1_000) async throws -> [[UInt8]] {
        let (client, logger, seconds) = (client, logger, retention.seconds)
        return try await within(.seconds(5)) {
            var summaries: [[UInt8]] = []
            for try await summary in try await client.query(
                """
                SELECT summary FROM nabla_datasets WHERE NOT deleted AND owner IS NOT DISTINCT FROM \(owner)::text
                   AND created_at > now() - make_interval(secs => \(seconds))
                 ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """, logger: logger
            ).decode(ByteBuffer.self) {
                summaries.append(Array(summary.readableBytesView))
            }
            return summaries
        }
    }

    /// Deletes `owner`'s dataset `id` (its rows go at once unless a queued or running job names it);
    /// false if `owner` has no such dataset.
    public func delete(id: String, owner: String?) async throws -> Bool {
        let (client, logger, seconds) = (client, logger, retention.seconds)
        let deleted = try await within(.seconds(5)) {
            var deleted = false
            for try await _ in try await client.query(
                """
                UPDATE nabla_datasets SET deleted = true WHERE id = \(id) AND NOT deleted
                   AND owner IS NOT DISTINCT FROM \(owner)::text
                   AND created_at > now() - make_interval(secs => \(seconds))
                RETURNING id
                """, logger: logger)
            {
                deleted = true
            }
            return deleted
        }
        if deleted { _ = try? await sweep() }
        return deleted
    }

    /// Removes the rows of datasets deleted or past retention that no queued or running job names
    /// (a job's request names its dataset by id); returns how many went.
    @discardableResult
    public func sweep() async throws -> Int {
        let (client, logger, seconds) = (client, logger, retention.seconds)
        return try await within(.seconds(5)) {
            var removed = 0
            for try await _ in try await client.query(
                """
                DELETE FROM nabla_datasets d
                 WHERE (d.deleted OR d.created_at <= now() - make_interval(secs => \(seconds)))
                   AND NOT EXISTS (SELECT 1 FROM nabla_jobs j WHERE j.status IN ('queued', 'running')
                                     AND position(convert_to(d.id, 'UTF8') IN j.request) > 0)
                RETURNING d.id
                """, logger: logger)
            {
                removed += 1
            }
            return removed
        }
    }
}

/// Runs `body`, or throws `DatabaseTimeout` once `limit` passes (PostgresNIO would wait for a connection
/// to an unreachable database indefinitely).
func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DatabaseTimeout(after: limit) }
        return value
    }
}
