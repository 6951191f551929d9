import Foundation
import JSON
public import Jobs
public import Logging
public import MicroHTTP
import Parallel

/// Nabla's HTTP face: gives each request an id, answers CORS preflights, checks its API key, routes
/// it, checks its content type, runs its handler, maps every error to problem+json, counts it in
/// `metrics` and logs one line per request (and one per job transition, from the runner's events).
public final class NablaAPI: HTTPHandler {
    let router: Router
    let files: StaticFiles
    let configuration: APIConfiguration
    let logger: Logger
    /// The API keys; nil: the service has none, and every route is open to everyone.
    let keys: KeyRing?
    let cors: CORSPolicy
    /// What `GET /metrics` shows: requests, and the jobs of the runner this API was made with.
    public let metrics: ServiceMetrics

    /// The API over `runner`, with every route registered. Kept jobs go to `jobs` (by default the
    /// runner itself; a backend shared by replicas runs them on the runner's kept lane). It listens to
    /// `runner`'s job events for its metrics and job log lines (`jobLogger`, by default `logger`). With
    /// `keys`, `/v1` needs one of them, and each key's jobs are its own. Uploaded datasets are kept in
    /// `datasets` (by default a store made from `configuration`, `datasetStore`).
    public init(
        runner: JobRunner, jobs: (any JobBackend)? = nil, service: ServiceState,
        configuration: APIConfiguration = APIConfiguration(), datasets: DatasetStore? = nil, keys: KeyRing? = nil,
        logger: Logger, jobLogger: Logger? = nil
    ) {
        let jobs = jobs ?? runner
        self.configuration = configuration
        self.logger = logger
        self.keys = keys
        self.cors = CORSPolicy(origins: configuration.corsOrigins)
        let metrics = ServiceMetrics()
        self.metrics = metrics
        metrics.recordLimits(runner.configuration)
        let jobLog = JobEventLog(logger: jobLogger ?? logger)
        runner.subscribe { event in
            metrics.record(event)
            jobLog.record(event)
        }
        var router = Router()
        HealthRoutes(runner: runner, jobs: jobs, service: service).register(in: &router)
        MetricsRoutes(runner: runner, metrics: metrics).register(in: &router)
        JobRoutes(jobs: jobs, configuration: configuration).register(in: &router)
        DiagnosticRoutes(runner: runner, jobs: jobs, configuration: configuration, logger: logger).register(in: &router)
        CalculusRoutes(runner: runner, configuration: configuration, logger: logger).register(in: &router)
        CatalogueRoutes().register(in: &router)
        let datasets = datasets ?? Self.datasetStore(configuration, logger: logger)
        DatasetRoutes(datasets: datasets, configuration: configuration).register(in: &router)
        TrainingRoutes(runner: runner, jobs: jobs, configuration: configuration, datasets: datasets, logger: logger)
            .register(in: &router)
        ModelRoutes(runner: runner, jobs: jobs, logger: logger).register(in: &router)
        files = StaticFiles(root: configuration.publicDirectory)
        files.register(in: &router)
        self.router = router
    }

    /// The uploaded datasets: in memory, and in `datasetDirectory` when there is one (those kept there
    /// come back; a file that does not read is logged and left alone). Replicas that share jobs share
    /// it (`DatasetStore.share(through:)`). Nil when `configuration` turns uploads off.
    public static func datasetStore(_ configuration: APIConfiguration, logger: Logger) -> DatasetStore? {
        guard configuration.datasetUploads else { return nil }
        var directory: DatasetDirectory?
        if let path = configuration.datasetDirectory {
            do {
                directory = try DatasetDirectory(URL(fileURLWithPath: path))
            } catch {
                logger.error(
                    "datasets directory unusable: uploads are kept in memory only",
                    metadata: ["path": .string(path), "error": .string("\(error)")])
            }
        }
        let store = DatasetStore(
            maxStoredBytes: configuration.maxStoredDatasetBytes, retention: configuration.datasetRetention,
            directory: directory)
        for problem in store.loadProblems {
            logger.warning("dataset file skipped", metadata: ["problem": .string(problem)])
        }
        if let directory {
            logger.info(
                "datasets directory",
                metadata: ["path": .string(directory.url.path), "datasets": .stringConvertible(store.count)])
        }
        return store
    }

    /// How each kind of kept job is rebuilt from its stored request, for a backend shared by replicas
    /// (with the store its uploaded datasets come from).
    public static func jobWorkRegistry(_ configuration: APIConfiguration, datasets: DatasetStore?) -> JobWorkRegistry {
        JobKind.registry(configuration, datasets: datasets)
    }

    /// Every registered route, for documentation checks.
    public var routeTable: [(method: String, pattern: String)] { router.table }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        respond(to: request) { responder.respond($0) }
    }

    /// Answers `request` through `completion` (called once, now or later on another thread). The
    /// whole API without a socket: `handle` calls this, and so do the router tests.
    public func respond(to request: HTTPRequest, completion: @escaping @Sendable (HTTPResponse) -> Void) {
        let id = Self.requestID(from: request)
        let match = router.match(method: request.method, path: request.path)
        let preflight = cors.preflightResponse(request)
        let route = preflight == nil ? Self.routeLabel(match, method: request.method) : "preflight"
        let caller: Result<Caller, APIError>
        do throws(APIError) {
            caller = .success(try authenticate(request))
        } catch {
            caller = .failure(error)
        }
        let keyName = try? caller.get().keyName
        let finish: @Sendable (Result<HTTPResponse, APIError>) -> Void = { [logger, metrics, cors] result in
            var response: HTTPResponse
            switch result {
            case .success(let ok): response = ok
            case .failure(let error): response = error.response
            }
            response.headers.append(("X-Request-Id", id))
            cors.addHeaders(to: &response, for: request)
            Self.finished(
                request, response, id: id, route: route, match: match, keyName: keyName, logger: logger,
                metrics: metrics)
            completion(response)
        }
        if let preflight {
            finish(.success(preflight))
            return
        }
        do throws(APIError) {
            switch try self.route(request, match, id: id, caller: caller.get()) {
            case .response(let response): finish(.success(response))
            case .deferred(let start): start(finish)
            }
        } catch {
            finish(.failure(error))
        }
    }

    public func maxBodyBytes(for head: HTTPRequest) -> Int? {
        // A request that will be answered 401 gets the general limit, not the data routes' larger one.
        let kind = router.bodyKind(method: head.method, path: head.path)
        guard kind == .jsonWithData || kind == .dataset, (try? authenticate(head)) != nil else { return nil }
        return kind == .dataset ? configuration.maxDatasetBytes : configuration.maxDataBodyBytes
    }

    /// A CSV upload is read as it arrives (`CSVUpload`), never gathered whole.
    public func bodySink(for head: HTTPRequest) -> (any HTTPBodySink)? {
        guard configuration.datasetUploads, Self.isCSV(head.header("Content-Type")),
            router.bodyKind(method: head.method, path: head.path) == .dataset, (try? authenticate(head)) != nil
        else { return nil }
        return CSVUpload()
    }

    /// A large body for a route that reads number arrays (a derivative's 100,000 points): the parallel
    /// loops that read and answer it start within milliseconds, so their helper threads are woken now,
    /// while the body arrives, rather than when the first loop starts (`ParallelLoop.prepare`).
    public func bodyWillArrive(for head: HTTPRequest, length: Int) {
        guard length >= JSONParser.minimumBytesReadInParallel,
            router.bodyKind(method: head.method, path: head.path) == .jsonWithData
        else { return }
        ParallelLoop.prepare()
    }

    public func responseForOversizedBody(_ request: HTTPRequest, limit: Int) -> HTTPResponse {
        let id = Self.requestID(from: request)
        // Without a valid key the answer is the 401 the request would have had, whatever its size.
        let caller: Caller?
        var response: HTTPResponse
        do throws(APIError) {
            caller = try authenticate(request)
            response = APIError.payloadTooLarge(limit: limit).response
        } catch {
            caller = nil
            response = error.response
        }
        response.headers.append(("X-Request-Id", id))
        cors.addHeaders(to: &response, for: request)
        let match = router.match(method: request.method, path: request.path)
        Self.finished(
            request, response, id: id, route: Self.routeLabel(match, method: request.method), match: match,
            keyName: caller?.keyName, logger: logger, metrics: metrics)
        return response
    }

    private func route(_ request: HTTPRequest, _ match: Router.Match, id: String, caller: Caller) throws(APIError)
        -> Reply
    {
        switch match {
        case .notFound where request.method == "GET" || request.method == "HEAD":
            return try files.serve(path: request.path)
        case .notFound:
            throw .notFound("no resource at \(request.path)")
        case .methodNotAllowed(let allowed):
            throw .methodNotAllowed(allowed: allowed)
        case .found(let route, let parameters):
            let contentType = request.header("Content-Type")
            if route.body == .dataset {
                if !Self.isJSON(contentType) && !Self.isCSV(contentType) {
                    throw .unsupportedMediaType(
                        received: contentType,
                        expected:
                            "CSV with 'Content-Type: text/csv' or JSON {x, y} with 'Content-Type: application/json'")
                }
            } else if route.body != .none && !Self.isJSON(contentType) {
                throw .unsupportedMediaType(received: contentType)
            }
            return try route.handler(
                APIRequest(
                    http: request, parameters: parameters, id: id, caller: caller,
                    maxJSONDepth: configuration.maxJSONDepth))
        }
    }

    /// `application/json` or any `application/*+json`, with optional parameters, in any case. Checked
    /// on bytes: this runs for every POST on a libmicrohttpd thread.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        let mediaType = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
            .drop(while: isBlank).reversed().drop(while: isBlank).reversed()
            .map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }  // ASCII lowercase
        let application = Array("application/".utf8), json = Array("json".utf8), suffix = Array("+json".utf8)
        guard mediaType.starts(with: application) else { return false }
        let subtype = mediaType.dropFirst(application.count)
        return subtype.elementsEqual(json)
            || (subtype.count > suffix.count && subtype.suffix(suffix.count).elementsEqual(suffix))
    }

    /// `text/csv`, with optional parameters, in any case.
    static func isCSV(_ contentType: String?) -> Bool {
        guard let mediaType = contentType?.split(separator: ";", omittingEmptySubsequences: false).first else {
            return false
        }
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "text/csv"
    }

    /// The client's `X-Request-Id` if it is short and printable, else a new random one.
    static func requestID(from request: HTTPRequest) -> String {
        if let given = request.header("X-Request-Id"), (1...128).contains(given.utf8.count),
            given.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        {
            return given
        }
        return RequestIDs.next()
    }
}
