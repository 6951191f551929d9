import Dispatch
import Foundation
import Synchronization

/// A thread of its own for one worker of kept jobs, at a lower scheduling priority (a higher nice
/// value) for its whole life, running what it is given in order.
///
/// Not a Dispatch queue: Linux threads may lower their priority but never raise it again, and
/// Dispatch lends its threads to every queue, so a lowered Dispatch thread would later run a request
/// at the lower priority too.
final class KeptJobThread: Sendable {
    private let pending = Mutex<(work: [@Sendable () -> Void], stopped: Bool)>(([], false))
    private let wake = DispatchSemaphore(value: 0)

    /// Starts the thread, named `name`, at nice value `niceness` (0 leaves it as it is).
    /// The thread holds the worker until `stop`.
    init(name: String, niceness: Int32) {
        let thread = Thread { [self] in
            if niceness > 0 {
                // Per thread on Linux (POSIX says per process; Linux's NPTL keeps it per thread).
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
            }
            while true {
                wake.wait()
                let next = pending.withLock { state -> (@Sendable () -> Void)?? in
                    if state.work.isEmpty { return state.stopped ? .some(nil) : nil }
                    return state.work.removeFirst()
                }
                switch next {
                case .some(.some(let work)): work()
                case .some(.none): return
                case .none: continue
                }
            }
        }
        thread.name = name
        thread.stackSize = 8 << 20  // as Dispatch's threads
        thread.start()
    }

    /// Runs `work` on the thread after what it was given before.
    func async(_ work: @escaping @Sendable () -> Void) {
        pending.withLock { $0.work.append(work) }
        wake.signal()
    }

    /// Lets the thread end once its work is done.
    func stop() {
        pending.withLock { $0.stopped = true }
        wake.signal()
    }
}
