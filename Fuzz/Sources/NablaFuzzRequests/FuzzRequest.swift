/// What one fuzz input asks for: the first byte picks the route (`FuzzedRoute(selector:)`), the rest
/// is the body, sent as it is with `Content-Type: application/json`.
struct FuzzRequest {
    let route: FuzzedRoute
    let body: [UInt8]

    /// Nil for an empty input.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let selector = bytes.first else { return nil }
        route = FuzzedRoute(selector: selector)
        body = Array(bytes.dropFirst())
    }
}
