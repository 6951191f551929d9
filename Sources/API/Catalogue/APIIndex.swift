import JSON

/// What `GET /v1` answers: Nabla in one line, every operation with its method, path and one-line
/// summary, and links to the OpenAPI document, the function catalogue, the dataset list, the page and
/// the docs.
/// `CatalogueTests` checks that it names every route the router serves, and nothing else.
enum APIIndex {
    /// One operation of the API.
    struct Endpoint {
        let method: String
        let path: String
        let summary: String
    }

    /// Nabla in one sentence, for someone who has never seen it.
    static let about =
        "Nabla computes derivatives, gradients and gradient descent of math expressions, and trains small "
        + "neural networks, over a JSON HTTP API; every computation shows its exact and numerical answers "
        + "side by side."

    /// Every operation, grouped by task as the README presents them.
    static let endpoints: [Endpoint] = [
        Endpoint(method: "GET", path: "/v1", summary: "This index."),
        Endpoint(
            method: "POST", path: "/v1/derivative",
            summary: "The derivative of an expression (or a named function) in one variable, exactly or numerically."),
        Endpoint(
            method: "POST", path: "/v1/gradient",
            summary: "The gradient (and optionally the Hessian) of a function of several variables at a point."),
        Endpoint(
            method: "POST", path: "/v1/descent",
            summary: "Gradient descent (sgd, momentum, nesterov, adagrad, rmsprop, adam) with its whole path."),
        Endpoint(
            method: "GET", path: "/v1/functions",
            summary: "The named functions (function_1, rosenbrock, ...) with formula, domain and minimum."),
        Endpoint(
            method: "POST", path: "/v1/train",
            summary: "Train a small dense network as a job; 202 with links to the job and its events."),
        Endpoint(
            method: "GET", path: "/v1/datasets",
            summary:
                "The datasets a training can name (iris, xor, spiral, ...) with rows, columns and task, and your uploads."
        ),
        Endpoint(
            method: "POST", path: "/v1/datasets",
            summary: "Upload a table (CSV read as it streams in, or JSON {x, y}) that trainings name by id."),
        Endpoint(method: "GET", path: "/v1/datasets/{id}", summary: "One dataset, with an upload's first rows."),
        Endpoint(method: "DELETE", path: "/v1/datasets/{id}", summary: "Delete an upload."),
        Endpoint(method: "GET", path: "/v1/jobs", summary: "Recent jobs, newest first."),
        Endpoint(method: "GET", path: "/v1/jobs/{id}", summary: "One job: status, progress, request, result or error."),
        Endpoint(
            method: "DELETE", path: "/v1/jobs/{id}", summary: "Cancel a job; a cancelled training keeps its model."),
        Endpoint(
            method: "GET", path: "/v1/jobs/{id}/events", summary: "The job's progress live, as Server-Sent Events."),
        Endpoint(
            method: "POST", path: "/v1/jobs/{id}/predict",
            summary: "Predict with a finished (or cancelled) training job's model."),
        Endpoint(
            method: "GET", path: "/v1/jobs/{id}/model.onnx",
            summary: "A training job's model as an ONNX file (float64), equal to predict's outputs."),
        Endpoint(
            method: "POST", path: "/v1/sleep", summary: "A diagnostic job that waits: try jobs, events and cancelling."),
        Endpoint(
            method: "POST", path: "/v1/echo", summary: "Returns the JSON body re-serialised (a check of the path)."),
        Endpoint(method: "GET", path: "/openapi.json", summary: "This API in OpenAPI 3.1, for client generators."),
        Endpoint(method: "GET", path: "/", summary: "The web page: every view shows the curl commands it sent."),
        Endpoint(method: "GET", path: "/api", summary: "A redirect here, for those who guess that address."),
        Endpoint(method: "GET", path: "/healthz", summary: "Liveness."),
        Endpoint(
            method: "GET", path: "/readyz",
            summary: "Readiness: 503 while the queue is full, draining, or the job database is unreachable."),
        Endpoint(method: "GET", path: "/metrics", summary: "Prometheus metrics."),
    ]

    /// Where to read more.
    static let links: [(key: String, value: JSONValue)] = [
        ("openapi", "/openapi.json"), ("functions", "/v1/functions"), ("datasets", "/v1/datasets"),
        ("jobs", "/v1/jobs"), ("page", "/"),
        // The page's API reference when it serves one; until then `/docs` redirects here.
        ("docs", "/docs"),
    ]

    /// The whole index.
    static func json() -> JSONValue {
        .object([
            ("name", "Nabla"), ("about", .string(about)), ("version", .string(BuildInfo.version)),
            (
                "endpoints",
                .array(
                    endpoints.map { endpoint in
                        .object([
                            ("method", .string(endpoint.method)), ("path", .string(endpoint.path)),
                            ("summary", .string(endpoint.summary)),
                        ])
                    })
            ),
            ("links", .object(links)),
        ])
    }
}
