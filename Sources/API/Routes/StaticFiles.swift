import Foundation
import MicroHTTP

/// Serves the files under the public directory for `GET` and `HEAD`: `/` is `index.html`; the path is
/// already percent-decoded; `.` and `..` segments, hidden files and anything that resolves outside
/// the directory are refused (404); the type comes from the extension.
struct StaticFiles {
    let root: String

    /// Largest file served (the page's assets are far smaller).
    static let maxFileBytes = 16 << 20

    /// Registers `GET /`; every other file is the router's fallback for GET and HEAD (`NablaAPI`).
    func register(in router: inout Router) {
        router.add("GET", "/") { [root] _ throws(APIError) in try Self.serve("index.html", root: root) }
    }

    /// The file at `path` (the request's decoded path). Without one: `/docs` is a temporary redirect
    /// to the API's index (until a reference page is served there), a path under `/v1` is a 404 that
    /// says where the index is, anything else a plain 404.
    func serve(path: String) throws(APIError) -> Reply {
        do {
            return try Self.serve(String(path.drop { $0 == "/" }), root: root)
        } catch {
            if path == "/docs" || path == "/docs/" {
                return .response(CatalogueRoutes.redirect(to: "/v1", status: 307))
            }
            if path == "/v1" || path.hasPrefix("/v1/") {
                throw .notFound(
                    "no operation at \(path): GET /v1 lists every operation, GET /openapi.json describes them")
            }
            throw error
        }
    }

    static func serve(_ relativePath: String, root: String) throws(APIError) -> Reply {
        let segments = relativePath.split(separator: "/")
        guard !segments.isEmpty,
            segments.allSatisfy({ !$0.hasPrefix(".") && !$0.contains("\0") && !$0.contains("\\") })
        else { throw .notFound("no file at /\(relativePath)") }
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
        var fileURL = rootURL
        for segment in segments { fileURL.appendPathComponent(String(segment)) }
        fileURL = fileURL.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: fileURL.path, isDirectory: &isDirectory), isDirectory.boolValue {
            fileURL.appendPathComponent("index.html")
        }
        guard fileURL.path.hasPrefix(rootURL.path + "/"),
            let attributes = try? FileManager.default.attributesOfItem(atPath: fileURL.path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = attributes[.size] as? Int, size <= maxFileBytes,
            let data = FileManager.default.contents(atPath: fileURL.path)
        else { throw .notFound("no file at /\(relativePath)") }
        let type = contentType(forExtension: fileURL.pathExtension.lowercased())
        let cache = type.hasPrefix("text/html") ? "no-cache" : "public, max-age=300"
        return .response(
            HTTPResponse(
                status: 200,
                headers: [("Content-Type", type), ("Cache-Control", cache), ("X-Content-Type-Options", "nosniff")],
                body: [UInt8](data)))
    }

    static func contentType(forExtension pathExtension: String) -> String {
        switch pathExtension {
        case "html", "htm": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json", "map": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "txt": "text/plain; charset=utf-8"
        case "woff2": "font/woff2"
        case "csv": "text/csv; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
