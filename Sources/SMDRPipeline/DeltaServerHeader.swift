/// Recognises the header line that the old Delta Server SMDR application wrote at the top of its
/// CSV files (`Call Start,Call duration,Ring duration,Caller,…`). The TCP stream never has one.
package enum DeltaServerHeader {
    package static func matches(_ line: [UInt8]) -> Bool {
        let prefix = Array("call start".utf8)
        guard line.count >= prefix.count else { return false }
        for (byte, expected) in zip(line, prefix) where byte | 0x20 != expected {
            return false
        }
        return true
    }
}
