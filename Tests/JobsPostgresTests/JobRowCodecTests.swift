import Foundation
import Jobs
import Testing

@testable import JobsPostgres

/// How a job's parts are kept in its row, without a database.
struct JobRowCodecTests {
    @Test func progressKeepsNonFiniteValuesThatJSONCannotHold() throws {
        let values = [
            "loss": Double.nan, "gradient": .infinity, "floor": -.infinity, "epoch": 12,
            "tiny": Double.leastNonzeroMagnitude,
        ]
        let text = ProgressCodec.text(values)
        #expect(text.contains("\"nan\""))
        let back = try ProgressCodec.values(text)
        #expect(back["loss"]!.isNaN)
        #expect(back["gradient"] == .infinity)
        #expect(back["floor"] == -.infinity)
        #expect(back["epoch"] == 12)
        #expect(back["tiny"] == .leastNonzeroMagnitude)
    }

    @Test func plotMembersComeBackByteForByte() throws {
        let members = [
            JobAttachment.Member(name: "curve", encoded: Array(#"{"x":[0.5,1],"y":[2,3]}"#.utf8)),
            JobAttachment.Member(name: "plot_epoch", encoded: Array("300".utf8)),
            JobAttachment.Member(name: "empty", encoded: []),
        ]
        let bytes = PlotCodec.bytes(members)
        #expect(bytes.count == members.reduce(0) { $0 + 8 + $1.name.utf8.count + $1.encoded.count })
        #expect(try PlotCodec.members(bytes) == members)
        #expect(throws: (any Error).self) { try PlotCodec.members(Array(bytes.dropLast())) }
    }

    @Test func idsBecomeUUIDsAndComeBackFromNotifications() throws {
        let id = try #require(JobID("0123456789abcdef0123456789abcdef"))
        #expect(JobRow.uuid(id).uuidString == "01234567-89AB-CDEF-0123-456789ABCDEF")
        #expect(JobRow.id(fromNotified: "0123456789abcdef0123456789abcdef") == id)
    }

    @Test func databaseURLsChooseTLSByHostUnlessTheyNameIt() throws {
        let local = try DatabaseURL("postgres://nabla:se%40cret@127.0.0.1:55432/jobs")
        #expect(local.user == "nabla")
        #expect(local.password == "se@cret")
        #expect(local.port == 55432)
        #expect(local.database == "jobs")
        #expect(local.tls == .disable)
        #expect(!local.description.contains("se@cret"))
        #expect(try DatabaseURL("postgresql://u@db.example.com/jobs").tls == .verifyFull)
        #expect(try DatabaseURL("postgres://u@db.example.com/jobs?sslmode=require").port == 5432)
        #expect(try DatabaseURL("postgres://u@db.example.com/jobs?sslmode=require").tls == .require)
        for bad in ["mysql://u@h/db", "postgres://h/db", "postgres://u@h", "postgres://u@h/db?sslmode=maybe"] {
            #expect(throws: DatabaseURLError.self) { try DatabaseURL(bad) }
        }
    }
}
