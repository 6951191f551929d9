import Jobs
import Testing

@Suite struct JobIDTests {
    @Test func printsAs32HexDigitsAndParsesBack() throws {
        let id = JobID.random()
        let text = id.description
        #expect(text.count == 32)
        #expect(text.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(JobID(text) == id)
        #expect(JobID(text.uppercased()) == id)
    }

    @Test(arguments: ["", "abc", String(repeating: "g", count: 32), String(repeating: "0", count: 33), "../etc/passwd"])
    func refusesTextThatIsNotAnID(_ text: String) {
        #expect(JobID(text) == nil)
    }

    @Test func tenThousandRandomIDsAreDistinct() {
        #expect(Set((0..<10_000).map { _ in JobID.random() }).count == 10_000)
    }
}
