import JSON
import MicroHTTP

/// `GET /v1` (the index of the API) and `GET /api` (a permanent redirect to `/v1`, for those who guess that address). All are fixed
/// answers, built once and served on the libmicrohttpd thread.
struct CatalogueRoutes {
    func register(in router: inout Router) {
        let index = HTTPResponse.json(APIIndex.json())
        router.add("GET", "/v1") { _ throws(APIError) in .response(index) }
        let redirect = Self.redirect(to: "/v1", status: 308)
        router.add("GET", "/api") { _ throws(APIError) in .response(redirect) }
    }

    /// A redirect with a small JSON body naming where to go (for clients that do not follow it).
    static func redirect(to location: String, status: Int) -> HTTPResponse {
        .json(
            .object([("location", .string(location)), ("detail", "the API's index is at GET /v1")]), status: status,
            headers: [("Location", location)])
    }
}
