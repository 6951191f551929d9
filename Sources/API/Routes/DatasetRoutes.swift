import Foundation
import JSON
import MicroHTTP

/// `POST /v1/datasets` (an upload: CSV read as it streams in, or JSON `{x, y}`), `GET /v1/datasets`
/// (the built-in datasets and the caller's uploads), `GET /v1/datasets/{id}` (one, with its first
/// rows) and `DELETE /v1/datasets/{id}`. Uploads are the caller's own: another key finds none of them.
struct DatasetRoutes {
    /// Nil when uploads are off: the routes say so.
    let datasets: DatasetStore?
    let configuration: APIConfiguration

    /// Longest `?name=`.
    static let maxNameLength = 200

    func register(in router: inout Router) {
        let depth = configuration.maxJSONDepth
        router.add("POST", "/v1/datasets", body: .dataset) { [datasets] request throws(APIError) in
            let store = try Self.store(datasets)
            let name = try Self.name(request)
            if NablaAPI.isCSV(request.http.header("Content-Type")) {
                let (table, bytes) = Self.csvUpload(request.http).finish()
                switch table {
                case .success(let table):
                    // Kept off the libmicrohttpd thread: the store may write it to the state directory.
                    return .task { () throws(APIError) in
                        Self.created(
                            try await DatasetStore.answer {
                                try await store.add(
                                    table, name: name, target: nil, owner: request.caller.owner, uploadedBytes: bytes)
                            })
                    }
                case .failure(let failure):
                    throw .invalidRequest(
                        "the CSV cannot be read: \(failure.message)",
                        issues: [FieldIssue(pointer: "", detail: failure.message)])
                }
            }
            // JSON: parsed off the libmicrohttpd thread (it may be hundreds of megabytes).
            return .task { () throws(APIError) in
                let body = request.http.body
                guard !body.isEmpty else {
                    throw .invalidRequest(
                        "the upload is empty", issues: [FieldIssue(pointer: "", detail: "empty body")])
                }
                let value: JSONValue
                do throws(JSONParseError) {
                    value = try JSONParser.parse(body, maxDepth: depth, numberArrays: true)
                } catch {
                    throw .malformedJSON(error)
                }
                let table = try DatasetTable(json: value)
                return Self.created(
                    try await DatasetStore.answer {
                        try await store.add(
                            table, name: name, target: "y", owner: request.caller.owner, uploadedBytes: body.count)
                    })
            }
        }
        router.add("GET", "/v1/datasets") { [datasets] request throws(APIError) in
            .task { () throws(APIError) in
                let uploaded =
                    try await DatasetStore.answer { try await datasets?.summaries(owner: request.caller.owner) }
                    ?? []
                return .json(.object([("datasets", .array(DatasetCatalogue.builtInEntries + uploaded))]))
            }
        }
        router.add("GET", "/v1/datasets/{id}") { [datasets] request throws(APIError) in
            let id = request.parameters["id"] ?? ""
            if let builtIn = DatasetCatalogue.entry(named: id) { return .json(builtIn) }
            return .task { () throws(APIError) in
                guard
                    let entry = try await DatasetStore.answer({
                        try await datasets?.entry(id, owner: request.caller.owner)
                    })
                else {
                    throw Self.notFound(id)
                }
                return .json(entry.summary(preview: true))
            }
        }
        router.add("DELETE", "/v1/datasets/{id}") { [datasets] request throws(APIError) in
            let id = request.parameters["id"] ?? ""
            if DatasetCatalogue.entry(named: id) != nil {
                throw .conflict("'\(id)' is a built-in dataset: it cannot be deleted")
            }
            return .task { () throws(APIError) in
                guard
                    try await DatasetStore.answer({ try await datasets?.remove(id, owner: request.caller.owner) })
                        == true
                else {
                    throw Self.notFound(id)
                }
                return .response(HTTPResponse(status: 204, headers: [], body: []))
            }
        }
    }

    /// The upload the server read as it arrived; or, for a request made without the server (tests),
    /// its body read now.
    private static func csvUpload(_ request: HTTPRequest) -> CSVUpload {
        if let upload = request.bodySink as? CSVUpload { return upload }
        let upload = CSVUpload()
        request.body.withUnsafeBufferPointer { upload.consume($0) }
        return upload
    }

    private static func store(_ datasets: DatasetStore?) throws(APIError) -> DatasetStore {
        guard let datasets else {
            throw .notImplemented(
                "uploaded datasets are off in this service; send the rows in the training's 'data'")
        }
        return datasets
    }

    private static func notFound(_ id: String) -> APIError {
        .notFound("no dataset '\(id)' (GET /v1/datasets lists the built-in ones and yours)")
    }

    /// `?name=`: printable, at most `maxNameLength` characters; "upload" when not given.
    private static func name(_ request: APIRequest) throws(APIError) -> String {
        guard let name = request.http.queryValue("name") else { return "upload" }
        guard (1...maxNameLength).contains(name.count),
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            let detail = "must be 1 to \(maxNameLength) printable characters"
            throw .invalidRequest(
                "query parameter 'name' \(detail)", issues: [FieldIssue(pointer: "?name", detail: detail)])
        }
        return name
    }

    private static func created(_ entry: DatasetStore.Entry) -> Reply {
        .json(entry.summary(), status: 201, headers: [("Location", "/v1/datasets/\(entry.id)")])
    }
}
