import SMDRReports
import Testing

@Suite struct CSVDialectTests {
    @Test func separatorIsComma() {
        #expect(CSVDialect.separator == UInt8(ascii: ","))
    }
}
