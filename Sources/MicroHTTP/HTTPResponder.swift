/// The one way to answer a request handed to an `HTTPHandler`: call `respond` once, from any thread.
public struct HTTPResponder: Sendable {
    let context: RequestContext

    /// Sends `response`. The first call wins; later calls are ignored.
    public func respond(_ response: HTTPResponse) {
        context.respond(response)
    }
}
