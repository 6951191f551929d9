import Dispatch
import Foundation
import MicroHTTP
import Synchronization

/// A handler exercising each way of answering: at once, later from Dispatch, streamed, or never.
final class TestHandler: HTTPHandler {
    let streams = Mutex<[HTTPResponseStream]>([])
    let closeReports = Mutex<[Bool]>([])
    /// `bodyWillArrive` calls: path, announced length, and how many body bytes had reached `handle` by then.
    let announcedBodies = Mutex<[(path: String, length: Int, handled: Int)]>([])
    private let handledBodyBytes = Mutex(0)

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        handledBodyBytes.withLock { $0 += request.body.count }
        switch request.path {
        case "/echo":
            responder.respond(HTTPResponse(status: 200, headers: [("X-Method", request.method)], body: request.body))
        case "/deferred":
            let tag = request.queryValue("tag") ?? ""
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) {
                responder.respond(HTTPResponse(status: 200, body: Array("deferred \(tag)".utf8)))
            }
        case "/stream":
            let stream = HTTPResponseStream()
            stream.onClose { [self] clientLeft in self.closeReports.withLock { $0.append(clientLeft) } }
            streams.withLock { $0.append(stream) }
            let count = Int(request.queryValue("count") ?? "3") ?? 3
            let pause = Double(request.queryValue("pause") ?? "0.05") ?? 0.05
            // Chunk i is written (i + 1) pauses from now, then the stream ends (unless `open`).
            let keepOpen = request.queryValue("open") != nil
            let writer = DispatchQueue(label: "test.stream")  // serial: chunks in order
            for index in 0..<count {
                writer.asyncAfter(deadline: .now() + pause * Double(index + 1)) {
                    stream.write(Array("chunk \(index)\n".utf8))
                    if index == count - 1 && !keepOpen { stream.finish() }
                }
            }
            responder.respond(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], stream: stream))
        case "/never":
            break  // the server's shutdown must answer it
        default:
            responder.respond(HTTPResponse(status: 404))
        }
    }

    func bodyWillArrive(for head: HTTPRequest, length: Int) {
        let handled = handledBodyBytes.withLock { $0 }
        announcedBodies.withLock { $0.append((head.path, length, handled)) }
    }

    func responseForOversizedBody(_ request: HTTPRequest, limit: Int) -> HTTPResponse {
        HTTPResponse(status: 413, body: Array("limit \(limit)".utf8))
    }
}
