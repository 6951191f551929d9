import Dispatch

/// Where the tasks of routes that wait on the job backend run: a serial Dispatch queue of their own,
/// not Swift's global cooperative pool. That pool has one thread per core, and whatever blocks them
/// (a test process's synchronous tests do) would leave these requests unanswered; a serial queue gets
/// a thread of its own from libdispatch. The tasks only await and translate, never compute.
final class RouteExecutor: TaskExecutor {
    static let shared = RouteExecutor()

    private let queue = DispatchQueue(label: "nabla.routes", qos: .userInitiated)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
