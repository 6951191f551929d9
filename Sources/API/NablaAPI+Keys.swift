import Foundation
import MicroHTTP

/// API keys, checked in one place before routing.
extension NablaAPI {
    /// The caller of `request`, or 401 when the service has keys, the path needs one and the request
    /// does not carry a known key's token. The token is read from the header only (never the query
    /// string) and never logged.
    func authenticate(_ request: HTTPRequest) throws(APIError) -> Caller {
        guard let keys, needsKey(request.path) else { return Caller(keyName: nil, address: request.remoteAddress) }
        guard let token = Self.bearerToken(request) else { throw .unauthorized(tokenGiven: false) }
        guard let name = keys.name(forToken: token) else { throw .unauthorized(tokenGiven: true) }
        return Caller(keyName: name, address: request.remoteAddress)
    }

    /// Whether `path` needs a key once keys are configured: everything under `/v1`, and `/metrics`
    /// with `protectMetrics`. The page, `/openapi.json`, `/healthz` and `/readyz` stay open.
    private func needsKey(_ path: String) -> Bool {
        path == "/v1" || path.hasPrefix("/v1/") || (configuration.protectMetrics && path == "/metrics")
    }

    /// The token of `Authorization: Bearer TOKEN` (scheme in any case), if there is one.
    static func bearerToken(_ request: HTTPRequest) -> String? {
        guard let value = request.header("Authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
