import SMDRCore

/// The conference a conference-channel party belongs to.
enum ConferenceNumber {
    /// From the party name `CO Channel <conference>.<channel>`; when the name does not parse,
    /// from a documented `V1<conference><channel>` code, taking the channel to be the last digit
    /// (`V11001` → 100). `nil` when neither tells (`V-1610602733` with another name).
    static func of(device: Device, name: String) -> Int? {
        if let parsed = Device.conferenceChannel(name: name) { return parsed.conference }
        guard let number = device.number, number >= 10_000 else { return nil }
        var scale = 1
        while scale <= number / 10 { scale *= 10 }
        guard number / scale == 1 else { return nil }
        return (number - scale) / 10
    }
}
