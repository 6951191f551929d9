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
