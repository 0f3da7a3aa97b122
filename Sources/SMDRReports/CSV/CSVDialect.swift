/// The CSV the register and the exports use: UTF-8, comma-separated, a header row, RFC 4180
/// quoting, CRLF line ends written (CRLF, LF or CR read).
///
/// SKELETON: the Register helper owns `CSV/`.
public enum CSVDialect {
    public static let separator: UInt8 = UInt8(ascii: ",")
}
