public import Calculus
public import NeuralNet

/// Settings of the HTTP API layer, with the documented defaults.
public struct APIConfiguration: Sendable {
    /// Directory served at `/` (index.html, openapi.json, the web page). Default `Public`.
    public var publicDirectory: String
    /// Deepest JSON nesting accepted in a request body. Default 64.
    public var maxJSONDepth: Int
    /// Seconds between heartbeat comments on event streams. Default 15.
    public var heartbeatInterval: Duration
    /// Event streams (`/v1/jobs/{id}/events`) one client address may have open at once. Default 4.
    public var maxStreamsPerClient: Int
    /// Longest diagnostic sleep job, in seconds. Default 60.
    public var maxSleepSeconds: Double
    /// Longest expression (characters) and deepest nesting. Default 10,000 and 256.
    public var expressionLimits: ExpressionLimits
    /// Most points in one `at` array. Default 100,000.
    public var maxPoints: Int
    /// Largest body of the routes that take numeric arrays (`/v1/derivative`, …); other routes keep
    /// the server's general limit. Default 8 MiB (100,000 points of 17 digits are about 2 MB).
    public var maxDataBodyBytes: Int
    /// Limits of `POST /v1/train` (epochs, layers, parameters, samples × features, work). Default:
    /// `TrainingLimits()`.
    public var trainingLimits: TrainingLimits

    /// The defaults above, changed only where you say.
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
