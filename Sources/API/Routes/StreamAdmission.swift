import Synchronization

/// Counts open event streams per client (`Caller.client`: the API key, else the address) and refuses one more than `perClient` (429): each
/// stream holds a connection, a job observer and a heartbeat timer for as long as its job runs.
final class StreamAdmission: Sendable {
    let perClient: Int
    private let open = Mutex<[String: Int]>([:])

    init(perClient: Int) {
        self.perClient = perClient
    }

    /// Takes a place for `client` (nil: an unknown address, counted as one client), or throws 429.
    /// The caller gives it back with `release` exactly once.
    func admit(_ client: String?) throws(APIError) {
        let key = client ?? ""
        let admitted = open.withLock { open -> Bool in
            guard open[key, default: 0] < perClient else { return false }
            open[key, default: 0] += 1
            return true
        }
        guard admitted else {
            throw .tooManyStreams(limit: perClient, retryAfterSeconds: 5)
        }
    }

    /// Gives back a place taken by `admit`.
    func release(_ client: String?) {
        let key = client ?? ""
        open.withLock { open in
            let remaining = open[key, default: 1] - 1
            open[key] = remaining > 0 ? remaining : nil
        }
    }
}
