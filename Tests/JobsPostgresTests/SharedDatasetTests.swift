import Foundation
import Jobs
import PostgresNIO
import TestSupport
import Testing

@testable import JobsPostgres

/// Uploaded datasets in the shared database (`PostgresDatasetStorage`), through two replicas: in the
/// serialized `SharedJobTests` suite, since both empty the same tables.
extension SharedJobTests {
    /// Bytes that are not all alike, `count` long.
    private func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ $0 >> 12) }
    }

    @Test func aDatasetKeptByOneReplicaIsReadInPartsByAnotherAndOnlyByItsOwner() async throws {
        try await SharedDatabase.withClient { client in
            let a = try await SharedDatabase.replica("a")
            let b = try await SharedDatabase.replica("b")
            // Past two parts of 4 MiB: read back whole and in order.
            let data = bytes(9 << 20 + 123, seed: 1)
            let summary = Array(#"{"id":"ds_a1","name":"big"}"#.utf8)
            #expect(
                try await a.datasets.insert(
                    id: "ds_a1", owner: "alice", summary: summary, data: data, storedBytes: 5_000, limit: 1 << 30))
            var parts = 0
            for try await count in try await client.query(
                "SELECT count(*)::bigint FROM nabla_dataset_parts WHERE dataset = 'ds_a1'"
            ).decode(Int.self) {
                parts = count
            }
            #expect(parts == 3)
            #expect(try await b.datasets.data(of: "ds_a1", owner: "alice", forRun: false) == data)
            #expect(try await b.datasets.data(of: "ds_a1", owner: "bob", forRun: false) == nil)
            #expect(try await b.datasets.data(of: "ds_a1", owner: nil, forRun: false) == nil)
            #expect(try await b.datasets.exists(id: "ds_a1", owner: "alice"))
            #expect(try await !b.datasets.exists(id: "ds_a1", owner: "bob"))
            #expect(try await b.datasets.summaries(owner: "alice", limit: 10) == [summary])
            #expect(try await b.datasets.summaries(owner: "bob", limit: 10).isEmpty)
            #expect(try await !b.datasets.delete(id: "ds_a1", owner: "bob"), "another owner cannot delete it")
            #expect(try await b.datasets.delete(id: "ds_a1", owner: "alice"))
            #expect(try await a.datasets.data(of: "ds_a1", owner: "alice", forRun: false) == nil)
            #expect(try await a.datasets.data(of: "ds_a1", owner: nil, forRun: true) == nil, "no job names it: gone")
            await a.shutdown(gracePeriod: .zero)
            await b.shutdown(gracePeriod: .zero)
        }
    }

    @Test func anUploadPastTheLimitOverEveryReplicaKeepsNothing() async throws {
        try await SharedDatabase.withClient { client in
            let a = try await SharedDatabase.replica("a")
            let b = try await SharedDatabase.replica("b")
            let limit = 10_000
            #expect(
                try await a.datasets.insert(
                    id: "ds_q1", owner: nil, summary: [], data: bytes(100, seed: 2), storedBytes: 6_000, limit: limit))
            #expect(
                try await !b.datasets.insert(
                    id: "ds_q2", owner: nil, summary: [], data: bytes(100, seed: 3), storedBytes: 4_001, limit: limit))
            #expect(
                try await b.datasets.insert(
                    id: "ds_q3", owner: nil, summary: [], data: bytes(100, seed: 4), storedBytes: 4_000, limit: limit))
            var kept: [String] = []
            for try await id in try await client.query(
                "SELECT DISTINCT dataset FROM nabla_dataset_parts ORDER BY dataset"
            ).decode(String.self) {
                kept.append(id)
            }
            #expect(kept == ["ds_q1", "ds_q3"], "the refused upload left no part behind")
            await a.shutdown(gracePeriod: .zero)
            await b.shutdown(gracePeriod: .zero)
        }
    }

    @Test func aDeletedDatasetStaysForTheQueuedOrRunningJobThatNamesItThenGoes() async throws {
        try await SharedDatabase.withClient { _ in
            let a = try await SharedDatabase.replica("a")
            let b = try await SharedDatabase.replica("b")
            let data = bytes(1_000, seed: 5)
            #expect(
                try await a.datasets.insert(
                    id: "ds_d1", owner: "alice", summary: [], data: data, storedBytes: 1_000, limit: 1 << 20))
            // The wait job's request is its gate's name: here it names the dataset, as a training's does.
            let gate = #"{"dataset":"ds_d1"}"#
            let job = try await a.submit(submission("wait", gate, owner: "alice"), work: try await run("wait", gate))
            #expect(try await b.datasets.delete(id: "ds_d1", owner: "alice"))
            #expect(try await !b.datasets.exists(id: "ds_d1", owner: "alice"))
            #expect(try await b.datasets.summaries(owner: "alice", limit: 10).isEmpty)
            #expect(try await b.datasets.data(of: "ds_d1", owner: "alice", forRun: false) == nil)
            #expect(try await b.datasets.sweep() == 0)
            #expect(try await b.datasets.data(of: "ds_d1", owner: nil, forRun: true) == data, "kept for the job")
            Gates.open(gate)
            let done = await eventually(timeout: .seconds(10)) { (try? await b.job(job.id))?.status == .succeeded }
            #expect(done)
            #expect(try await b.datasets.sweep() == 1)
            #expect(try await b.datasets.data(of: "ds_d1", owner: nil, forRun: true) == nil)
            await a.shutdown(gracePeriod: .zero)
            await b.shutdown(gracePeriod: .zero)
        }
    }
}
