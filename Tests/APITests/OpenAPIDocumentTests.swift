import API
import Foundation
import Testing

@Suite struct OpenAPIDocumentTests {
    @Test func documentsEveryRouteTheRouterServes() throws {
        let data = try Data(contentsOf: packageRoot.appendingPathComponent("Public/openapi.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let routes = APIHarness().api.routeTable
        #expect(!routes.isEmpty)
        for route in routes {
            let operations = paths[route.pattern]
            #expect(
                operations?[route.method.lowercased()] != nil, "\(route.method) \(route.pattern) is not in openapi.json"
            )
        }
        for (path, operations) in paths where path != "/openapi.json" {
            for method in operations.keys where method != "parameters" {
                #expect(
                    routes.contains { $0.pattern == path && $0.method.lowercased() == method },
                    "openapi.json documents \(method) \(path), which no route serves")
            }
        }
    }
}

/// What schemathesis (`scripts/suite.sh schemathesis`) relies on in the document: the statuses every
/// kind of operation can answer, examples to start from, links from a new job to its operations, and
/// an event schema that describes one event.
@Suite struct OpenAPIDocumentConformanceTests {
    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: packageRoot.appendingPathComponent("Public/openapi.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// `schema`, or the component its `$ref` names (`#/components/schemas/Name`).
    static func resolve(_ schema: [String: Any]?, in document: [String: Any]) -> [String: Any]? {
        guard let reference = schema?["$ref"] as? String else { return schema }
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        return schemas?[String(reference.dropFirst("#/components/schemas/".count))] as? [String: Any]
    }

    static func operation(_ document: [String: Any], _ method: String, _ path: String) -> [String: Any] {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return paths[path]?[method] as? [String: Any] ?? [:]
    }

    static let jsonBodies = [
        "/v1/sleep", "/v1/echo", "/v1/derivative", "/v1/gradient", "/v1/descent", "/v1/train",
        "/v1/jobs/{id}/predict",
    ]

    @Test(arguments: jsonBodies)
    func everyJSONBodyDocumentsItsRefusalsAndAnExample(_ path: String) throws {
        let operation = Self.operation(try Self.document(), "post", path)
        let responses = try #require(operation["responses"] as? [String: Any])
        for status in ["400", "413", "415", "503"] {
            #expect(responses[status] != nil, "POST \(path) does not document \(status)")
        }
        let body = operation["requestBody"] as? [String: Any]
        let media = (body?["content"] as? [String: Any])?["application/json"] as? [String: Any]
        #expect((media?["examples"] as? [String: Any])?.isEmpty == false, "POST \(path) has no example")
    }

    @Test(arguments: ["/v1/sleep", "/v1/train"])
    func jobsDocument429AndLinkToTheJob(_ path: String) throws {
        let responses = try #require(Self.operation(try Self.document(), "post", path)["responses"] as? [String: Any])
        #expect(responses["429"] != nil)
        for status in ["200", "202"] {
            let links = (responses[status] as? [String: Any])?["links"] as? [String: Any] ?? [:]
            #expect(links["GetJob"] != nil && links["CancelJob"] != nil, "POST \(path) \(status) has no links")
        }
    }

    @Test func theEventStreamSchemaDescribesOneEvent() throws {
        let document = try Self.document()
        let operation = Self.operation(document, "get", "/v1/jobs/{id}/events")
        let ok = (operation["responses"] as? [String: Any])?["200"] as? [String: Any]
        let stream = (ok?["content"] as? [String: Any])?["text/event-stream"] as? [String: Any]
        let schema = try #require(Self.resolve(stream?["schema"] as? [String: Any], in: document))
        #expect(schema["type"] as? String == "object")
        #expect((schema["required"] as? [String]) == ["data"])
    }

    @Test func trainingProgressMayCarryTheLatestPlot() throws {
        let document = try Self.document()
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let summary = (schemas?["JobSummary"] as? [String: Any])?["properties"] as? [String: Any]
        let progress = try #require(Self.resolve(summary?["progress"] as? [String: Any], in: document))
        let properties = progress["properties"] as? [String: Any] ?? [:]
        #expect(properties["curve"] != nil && properties["boundary"] != nil)
    }

    /// The fields read by `JSONFields` treat `null` as absent; the document says so for optional ones.
    @Test func optionalTrainingFieldsMayBeNull() throws {
        let schemas = (try Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let request = (schemas?["TrainRequest"] as? [String: Any])?["properties"] as? [String: Any]
        let epochs = try #require(request?["epochs"] as? [String: Any])
        #expect((epochs["type"] as? [String])?.contains("null") == true)
    }

    /// What client generators (openapi-python-client, `Tests/OpenAPIClient`) need to keep every
    /// operation and schema: references name whole components (never a path into another schema's
    /// properties), every operation has an `operationId` and one of the declared tags, and every JSON
    /// body and answer is a named component.
    @Test func generatorsFindNamedComponentsTagsAndOperationIDs() throws {
        let document = try Self.document()
        let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        #expect(!text.contains("/properties/"), "a $ref points into a schema's properties")
        let tags = Set(((document["tags"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
        #expect(tags.count >= 4)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for (path, operations) in paths {
            for (method, value) in operations {
                guard let operation = value as? [String: Any] else { continue }
                #expect(operation["operationId"] is String, "\(method) \(path) has no operationId")
                let operationTags = operation["tags"] as? [String] ?? []
                #expect(
                    operationTags.count == 1 && tags.contains(operationTags[0]), "\(method) \(path): \(operationTags)")
                var schemas: [[String: Any]] = []
                if let body = operation["requestBody"] as? [String: Any],
                    let json = (body["content"] as? [String: Any])?["application/json"] as? [String: Any],
                    let schema = json["schema"] as? [String: Any], !schema.isEmpty
                {
                    schemas.append(schema)
                }
                if let ok = (operation["responses"] as? [String: Any])?["200"] as? [String: Any],
                    let json = (ok["content"] as? [String: Any])?["application/json"] as? [String: Any],
                    let schema = json["schema"] as? [String: Any], path != "/openapi.json"
                {
                    schemas.append(schema)
                }
                for schema in schemas {
                    #expect(schema["$ref"] is String, "\(method) \(path): an inline JSON schema")
                }
            }
        }
    }
}
