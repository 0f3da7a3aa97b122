import Foundation

/// Names a journal for its checkpoint in PostgreSQL.
///
/// Offsets restart at 0 in a new journal directory, so the checkpoint of an old directory must
/// never apply to a new one: each journal directory gets a random identity, kept in the file
/// `stream-id` beside its segments, and its checkpoint stream is `journal/<identity>`.
enum JournalIdentity {
    static let fileName = "stream-id"

    static func stream(directory: String) throws -> String {
        let path = directory + "/" + Self.fileName
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let identity = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !identity.isEmpty { return "journal/" + identity }
        }
        let identity = UUID().uuidString.lowercased()
        let temporary = path + ".tmp"
        try Data((identity + "\n").utf8).write(to: URL(fileURLWithPath: temporary), options: .atomic)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
        return "journal/" + identity
    }
}
