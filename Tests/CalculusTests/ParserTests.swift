import Calculus
import Testing

@Suite struct ParserSmokeTests {
    @Test func parses() throws {
        let parsed = try Parser.parse("2x^2 + 1/2x - sin(x)")
        #expect(parsed.expression.freeVariables == ["x"])
    }
}
