#if SharedJobs
    public import API
    public import JobsPostgres

    /// Uploaded datasets in the job database: the storage a `DatasetStore` shares between replicas.
    extension PostgresDatasetStorage: SharedDatasetStorage {}
#endif
