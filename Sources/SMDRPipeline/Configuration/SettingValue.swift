/// Parsers for the value syntaxes settings use, each with the wording of what it expects.
public enum SettingValue {
    /// `50ms`, `10s`, `5m`, `2h`, `7d`, or a bare number of seconds.
    public static let durationExpectation = "a duration such as 50ms, 10s, 5m, 2h or 7d"

    public static func duration(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if suffix == "s", number.hasSuffix("m") { continue }
            guard let value = Int64(number), value >= 0, value <= Int64.max / milliseconds / 1000 else { return nil }
            return .milliseconds(value * milliseconds)
        }
        guard let seconds = Int64(text), seconds >= 0, seconds <= Int64.max / 1_000_000 else { return nil }
        return .seconds(seconds)
    }

    /// `512`, `64KiB`, `64MiB`, `1GiB` (also `K`, `M`, `G`, `KB`, `MB`, `GB`, all powers of 1024).
    public static let sizeExpectation = "a size in bytes such as 65536, 64KiB, 64MiB or 1GiB"

    public static func size(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30),
            ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30),
        ]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Int64(text.dropLast(suffix.count)), value >= 0, value <= Int64.max / factor else {
                return nil
            }
            return value * factor
        }
        return Int64(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    public static let positiveIntegerExpectation = "a positive whole number"

    public static let booleanExpectation = "true or false"

    public static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }
}
