import API
import Foundation
import MicroHTTP
import Testing

@Suite struct StaticFilesTests {
    let harness = APIHarness()

    @Test func servesTheIndexPageAtTheRootAsHTMLWithoutCaching() {
        let response = harness.send("GET", "/")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.header("Cache-Control") == "no-cache")
        #expect(String(decoding: response.bodyBytes ?? [], as: UTF8.self).contains("<title>Nabla</title>"))
    }

    @Test func servesOtherFilesByPathWithTheirType() {
        let response = harness.send("GET", "/openapi.json")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.header("Cache-Control") == "public, max-age=300")
    }

    // Paths arrive percent-decoded by libmicrohttpd, so `%2e%2e` is already `..` here.
    @Test(arguments: [
        "/../Package.swift", "/..", "/./index.html", "/.git/config", "/Public/../../etc/passwd", "/a\\..\\b",
        "/nothing.html",
    ])
    func refusesTraversalHiddenAndMissingFilesWith404(_ path: String) {
        let response = harness.send("GET", path)
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/problem+json")
    }

    @Test func refusesASymlinkPointingOutsideThePublicDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nabla-static-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "inside".write(to: directory.appendingPathComponent("ok.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent("escape.txt").path, withDestinationPath: "/etc/hostname")
        let harness = APIHarness(publicDirectory: directory.path)
        #expect(harness.send("GET", "/ok.txt").status == 200)
        #expect(harness.send("GET", "/escape.txt").status == 404)
    }
}
