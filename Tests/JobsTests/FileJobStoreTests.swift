import Foundation
import Jobs
import Testing

/// A fresh, empty directory under the temporary directory.
private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nabla-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct FileJobStoreTests {
    @Test func aRestartedStoreReadsBackEveryFinishedJobByteForByte() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJobStore(directory: directory)
        let runner = JobRunner(store: store)
        let result = Array(#"{"loss":[0.5,0.25],"big":"\#(String(repeating: "x", count: 100_000))"}"#.utf8)
        let job = try runner.submit(kind: "train", request: Array(#"{"epochs":2}"#.utf8)) { context in
            context.report(["epoch": 2, "loss": .nan])
            return result
        }
        let finished = try #require(runner.waitUntilFinished(job.id, timeout: .seconds(5)))
        let failing = try runner.submit(kind: "train") { _ in
            throw JobFailure(.failed(code: "diverged"), message: "inf")
        }
        _ = runner.waitUntilFinished(failing.id, timeout: .seconds(5))
        store.flush()

        let reopened = try FileJobStore(directory: directory)
        #expect(reopened.loadedCount == 2 && reopened.loadProblems.isEmpty)
        let back = try #require(reopened.load(job.id))
        #expect(back.status == .succeeded && back.kind == "train")
        #expect(back.result == result && back.request == Array(#"{"epochs":2}"#.utf8))
        #expect(back.created == finished.created && back.finished == finished.finished)
        #expect(back.progress["epoch"] == 2 && back.progress["loss"]?.isNaN == true)
        let failed = try #require(reopened.load(failing.id))
        #expect(failed.status == .failed && failed.failure == JobFailure(.failed(code: "diverged"), message: "inf"))
        #expect(reopened.recent(limit: 10).map(\.id) == [failing.id, job.id])
    }

    @Test func ownersComeBackAfterARestartAndFilesWithoutOneAreAnonymous() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJobStore(directory: directory)
        let runner = JobRunner(store: store)
        var ids: [String?: JobID] = [:]
        for owner in ["alice", "bob", nil] {
            let job = try runner.submit(kind: "sleep", client: owner, owner: owner) { _ in [] }
            _ = runner.waitUntilFinished(job.id, timeout: .seconds(5))
            ids[owner] = job.id
        }
        store.flush()
        // A file as the store wrote them before jobs had owners.
        let old = JobID.random()
        let metadata =
            #"{"id":"\#(old)","kind":"sleep","status":"succeeded","created":0,"progress":{},"#
            + #""cancel_requested":false,"request_bytes":2,"result_bytes":2}"#
        try Data(("NABLA-JOB 1\n" + metadata + "\n{}{}").utf8).write(to: directory.appendingPathComponent("\(old).job"))

        let reopened = try FileJobStore(directory: directory)
        #expect(reopened.loadProblems.isEmpty)
        #expect(reopened.load(ids["alice"]!)?.owner == "alice")
        #expect(reopened.recent(limit: 10, ownedBy: "bob").map(\.id) == [ids["bob"]!])
        #expect(Set(reopened.recent(limit: 10, ownedBy: nil).map(\.id)) == [ids[nil]!, old])
        #expect(reopened.recent(limit: 10).count == 4)
    }

    @Test func aJobStillQueuedOrRunningWhenTheProcessStoppedComesBackFailedWithReasonShutdown() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJobStore(directory: directory)
        var running = JobSnapshot(id: .random(), kind: "train", request: Array("{}".utf8))
        running.status = .running
        running.started = Date()
        store.save(running)
        store.flush()  // the process dies here: no finished snapshot is ever saved

        let reopened = try FileJobStore(directory: directory)
        let back = try #require(reopened.load(running.id))
        #expect(back.status == .failed)
        #expect(back.failure?.reason == .shutdown)
        #expect(back.finished != nil)
        reopened.flush()
        // The verdict is on disk too: a third start reads the same.
        #expect(try FileJobStore(directory: directory).load(running.id)?.status == .failed)
    }

    @Test func evictedJobsFilesAreDeletedAndBrokenFilesAreSkippedWithAReason() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJobStore(directory: directory)
        var ids: [JobID] = []
        for index in 0..<3 {
            var job = JobSnapshot(id: .random(), kind: "k", request: [])
            job.status = .succeeded
            job.result = Array("\(index)".utf8)
            job.finished = Date()
            store.save(job)
            ids.append(job.id)
        }
        store.evict(finishedBefore: .distantPast, keepingAtMost: 1, bytesAtMost: .max)
        store.flush()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files == ["\(ids[2]).job"])

        try Data("NABLA-JOB 1\n{\"id\":".utf8).write(to: directory.appendingPathComponent("truncated.job"))
        try Data("hello".utf8).write(to: directory.appendingPathComponent("other.job"))
        let reopened = try FileJobStore(directory: directory)
        #expect(reopened.loadedCount == 1)
        #expect(reopened.loadProblems.count == 2)
        #expect(reopened.load(ids[2])?.result == Array("2".utf8))
    }

    @Test func progressUpdatesWriteNothingToDisk() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileJobStore(directory: directory)
        var job = JobSnapshot(id: .random(), kind: "k", request: [])
        job.status = .running
        store.save(job)
        store.flush()
        let file = directory.appendingPathComponent("\(job.id).job")
        // A rewrite goes to a new file renamed over the old one: another inode.
        let written = try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int
        let before = try Data(contentsOf: file)
        for epoch in 0..<100 {
            job.progress = ["epoch": Double(epoch)]
            store.save(job)
        }
        store.flush()
        #expect(try Data(contentsOf: file) == before)
        #expect(written != nil)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int == written)
        #expect(store.load(job.id)?.progress["epoch"] == 99)
    }
}
