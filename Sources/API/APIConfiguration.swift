public import Calculus
public import NeuralNet

/// Settings of the HTTP API layer. The defaults are `init`'s, and `nabla serve` shows them as its own
/// (`--help`, README's configuration table).
public struct APIConfiguration: Sendable {
    /// Directory served at `/` (index.html, openapi.json, the web page).
    public var publicDirectory: String
    /// Deepest JSON nesting accepted in a request body.
    public var maxJSONDepth: Int
    /// Time between heartbeat comments on event streams.
    public var heartbeatInterval: Duration
    /// Event streams (`/v1/jobs/{id}/events`) one client address may have open at once.
    public var maxStreamsPerClient: Int
    /// Longest diagnostic sleep job, in seconds.
    public var maxSleepSeconds: Double
    /// Longest expression (characters) and deepest nesting.
    public var expressionLimits: ExpressionLimits
    /// Most points in one `at` array.
    public var maxPoints: Int
    /// Largest body of the routes that take numeric arrays (`/v1/derivative`, …); other routes keep
    /// the server's general limit. The default leaves room for the default `maxPoints` (100,000 points
    /// of 17 digits are about 2 MB).
    public var maxDataBodyBytes: Int
    /// Largest upload to `POST /v1/datasets` (CSV or JSON).
    public var maxDatasetBytes = 256 << 20
    /// Room for uploaded datasets in memory, all owners together (their values, not their text).
    public var maxStoredDatasetBytes = 1 << 30
    /// How long an uploaded dataset is kept (the service sets the jobs' retention).
    public var datasetRetention = Duration.seconds(3600)
    /// Where uploaded datasets are kept across restarts (`--state-dir`'s `datasets/`); nil: memory only.
    public var datasetDirectory: String?
    /// Whether datasets can be uploaded: not while replicas share jobs (another replica could not
    /// read a dataset kept in this one's memory).
    public var datasetUploads = true
    /// Limits of `POST /v1/train` (epochs, layers, parameters, samples × features, work).
    public var trainingLimits: TrainingLimits
    /// Origins (`https://app.example.com`) whose pages may call the API from a browser (CORS); none by
    /// default.
    public var corsOrigins: [String] = []
    /// Whether `/metrics` needs an API key too (when the service has keys).
    public var protectMetrics = false

    /// The defaults, changed only where you say.
    public init(
        publicDirectory: String = "Public", maxJSONDepth: Int = 64, heartbeatInterval: Duration = .seconds(15),
        maxSleepSeconds: Double = 60, expressionLimits: ExpressionLimits = ExpressionLimits(), maxPoints: Int = 100_000,
        maxDataBodyBytes: Int = 8 << 20, trainingLimits: TrainingLimits = TrainingLimits(),
        maxStreamsPerClient: Int = 4
    ) {
        self.maxStreamsPerClient = maxStreamsPerClient
        self.publicDirectory = publicDirectory
        self.maxJSONDepth = maxJSONDepth
        self.heartbeatInterval = heartbeatInterval
        self.maxSleepSeconds = maxSleepSeconds
        self.expressionLimits = expressionLimits
        self.maxPoints = maxPoints
        self.maxDataBodyBytes = maxDataBodyBytes
        self.trainingLimits = trainingLimits
    }
}
