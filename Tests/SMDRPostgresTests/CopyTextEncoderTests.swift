import SMDRCore
import SMDRPostgres
import Testing

@Suite struct CopyTextEncoderTests {
    /// Dates and timestamps written digit by digit read as `LocalDateTime.description` writes them.
    @Test(arguments: [
        LocalDateTime(year: 2026, month: 4, day: 1, hour: 9, minute: 5, second: 3),
        LocalDateTime(year: 1, month: 12, day: 31, hour: 23, minute: 59, second: 59),
        LocalDateTime(year: 9999, month: 1, day: 10, hour: 0, minute: 0, second: 0),
    ])
    func timestampsAndDatesAreISOText(value: LocalDateTime) {
        var encoder = CopyTextEncoder()
        encoder.append(timestamp: value)
        encoder.append(date: value.date)
        encoder.endRow()
        #expect(String(decoding: encoder.bytes, as: UTF8.self) == "\(value)\t\(value.date)\n")
    }
}
