/// Takes a request's body as it arrives, piece by piece, instead of the server gathering it into
/// `HTTPRequest.body`: for uploads read while they stream in (a CSV parsed row by row), so the whole
/// body is never held. The handler chooses one per request head (`HTTPHandler.bodySink(for:)`) and
/// finds it again in `HTTPRequest.bodySink` when the request is complete.
///
/// `consume` is called on a libmicrohttpd thread, one piece after the other for a request, for at most
/// the request's body limit in all; it must be quick per piece (no waiting).
public protocol HTTPBodySink: AnyObject, Sendable {
    func consume(_ bytes: UnsafeBufferPointer<UInt8>)
}
