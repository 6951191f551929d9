import Logging
import PostgresNIO

/// The tables kept jobs live in, created and migrated by the service itself at start-up.
///
/// Migrations are numbered and applied in order inside one transaction that holds an advisory lock,
/// so replicas starting together apply each exactly once (the others wait, then find it done), and a
/// failed migration leaves nothing half made.
enum JobSchema {
    /// The advisory lock key of migrations (any constant: "nabla" in ASCII).
    static let migrationLock: Int64 = 0x6E_61_62_6C_61
    /// The advisory lock key under which an upload counts the bytes datasets take ("nabds").
    static let datasetQuotaLock: Int64 = 0x6E_61_62_64_73

    /// The channel every change of a job is announced on, as `"<id> <seq> <status> <c|->"` (`c`: a
    /// cancel was asked for): a few dozen bytes, far from NOTIFY's 8,000-byte limit. The row holds the
    /// state; listeners read it back.
    static let channel = "nabla_jobs"

    /// The SQLSTATEs `nabla_submit` refuses a job with: the client is at its limit; the queue is full.
    static let clientLimitCode = "NB001"
    static let queueFullCode = "NB002"

    /// Each migration's statements, in order; the schema's version is the number applied.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE nabla_jobs (
                id uuid PRIMARY KEY,
                kind text NOT NULL,
                status text NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
                owner text,
                client text,
                request bytea NOT NULL,
                result bytea,
                progress text NOT NULL DEFAULT '{}',
                plot bytea,
                plot_seq integer NOT NULL DEFAULT 0,
                failure_reason text,
                failure_message text,
                cancel_requested boolean NOT NULL DEFAULT false,
                attempt integer NOT NULL DEFAULT 0,
                max_attempts integer NOT NULL,
                worker text,
                lease_expires_at timestamptz,
                seq bigint NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL DEFAULT now(),
                started_at timestamptz,
                finished_at timestamptz,
                updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                bytes bigint GENERATED ALWAYS AS
                    (octet_length(request) + coalesce(octet_length(result), 0)) STORED,
                CHECK ((status IN ('succeeded', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
                CHECK ((status = 'running') = (lease_expires_at IS NOT NULL))
            )
            """,
            "CREATE INDEX nabla_jobs_queued ON nabla_jobs (created_at, id) WHERE status = 'queued'",
            "CREATE INDEX nabla_jobs_leases ON nabla_jobs (lease_expires_at) WHERE status = 'running'",
            "CREATE INDEX nabla_jobs_workers ON nabla_jobs (worker) WHERE status = 'running'",
            "CREATE INDEX nabla_jobs_finished ON nabla_jobs (finished_at) WHERE finished_at IS NOT NULL",
            "CREATE INDEX nabla_jobs_owner_created ON nabla_jobs (owner, created_at DESC)",
            "CREATE INDEX nabla_jobs_active_clients ON nabla_jobs (client) WHERE status IN ('queued', 'running')",
            // A submission in one round trip: the client's jobs are counted under an advisory lock per
            // client (each statement of a function sees what committed before it, so two replicas
            // cannot both admit one job too many), the queue's length when the job is queued, then the
            // insert. Refusals are errors with Nabla's own codes (`JobSchema.clientLimitCode`, ...).
            """
            CREATE FUNCTION nabla_submit(
                new_id uuid, new_kind text, new_owner text, new_client text, new_request bytea,
                new_max_attempts integer, run_by text, lease_seconds double precision, client_limit integer,
                queue_limit integer) RETURNS SETOF nabla_jobs LANGUAGE plpgsql AS $$
            BEGIN
                IF new_client IS NOT NULL THEN
                    PERFORM pg_advisory_xact_lock(hashtextextended(new_client, 0));
                    IF (SELECT count(*) FROM nabla_jobs
                         WHERE client = new_client AND status IN ('queued', 'running')) >= client_limit THEN
                        RAISE EXCEPTION USING ERRCODE = '\(clientLimitCode)', MESSAGE = 'client limit';
                    END IF;
                END IF;
                IF run_by IS NULL
                   AND (SELECT count(*) FROM nabla_jobs WHERE status = 'queued') >= queue_limit THEN
                    RAISE EXCEPTION USING ERRCODE = '\(queueFullCode)', MESSAGE = 'queue full';
                END IF;
                RETURN QUERY
                INSERT INTO nabla_jobs (id, kind, owner, client, request, max_attempts, status, worker, attempt,
                    started_at, lease_expires_at)
                VALUES (new_id, new_kind, new_owner, new_client, new_request, new_max_attempts,
                    CASE WHEN run_by IS NULL THEN 'queued' ELSE 'running' END, run_by,
                    CASE WHEN run_by IS NULL THEN 0 ELSE 1 END,
                    CASE WHEN run_by IS NOT NULL THEN now() END,
                    CASE WHEN run_by IS NOT NULL THEN now() + make_interval(secs => lease_seconds) END)
                RETURNING *;
            END $$
            """,
            """
            CREATE FUNCTION nabla_jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' OR NEW.seq <> OLD.seq THEN
                    PERFORM pg_notify('\(channel)', replace(NEW.id::text, '-', '') || ' ' || NEW.seq || ' '
                        || NEW.status || ' ' || CASE WHEN NEW.cancel_requested THEN 'c' ELSE '-' END);
                END IF;
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER nabla_jobs_changed AFTER INSERT OR UPDATE ON nabla_jobs
                FOR EACH ROW EXECUTE FUNCTION nabla_jobs_notify()
            """,
        ],
        // Uploaded datasets (`PostgresDatasetStorage`): one row each (owner, the API's summary of it,
        // what it takes), its bytes in parts of at most `PostgresDatasetStorage.partBytes`. A deleted
        // or expired one stays (unlisted) while a queued or running job names it.
        [
            """
            CREATE TABLE nabla_datasets (
                id text PRIMARY KEY,
                owner text,
                summary bytea NOT NULL,
                data_bytes bigint NOT NULL,
                stored_bytes bigint NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                deleted boolean NOT NULL DEFAULT false
            )
            """,
            "CREATE INDEX nabla_datasets_owner_created ON nabla_datasets (owner, created_at DESC) WHERE NOT deleted",
            """
            CREATE TABLE nabla_dataset_parts (
                dataset text NOT NULL REFERENCES nabla_datasets (id) ON DELETE CASCADE,
                part integer NOT NULL,
                bytes bytea NOT NULL,
                PRIMARY KEY (dataset, part)
            )
            """,
        ],
    ]

    /// Brings the database to the latest version; returns the versions it applied (none when
    /// another replica had).
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger).consume()
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS nabla_schema (version integer NOT NULL)", logger: logger
            ).consume()
            var version = 0
            for try await (current) in try await connection.query(
                "SELECT version FROM nabla_schema", logger: logger
            ).decode(Int.self) {
                version = current
            }
            var applied: [Int] = []
            for (index, statements) in migrations.enumerated() where index + 1 > version {
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).consume()
                }
                applied.append(index + 1)
            }
            if let last = applied.last {
                try await connection.query("DELETE FROM nabla_schema", logger: logger).consume()
                try await connection.query("INSERT INTO nabla_schema (version) VALUES (\(last))", logger: logger)
                    .consume()
            }
            return applied
        }
    }
}

extension PostgresRowSequence {
    /// Reads every row, so an error the server raises while producing them is thrown here (PostgresNIO
    /// throws such errors only when the rows are read).
    func consume() async throws {
        for try await _ in self {}
    }
}
