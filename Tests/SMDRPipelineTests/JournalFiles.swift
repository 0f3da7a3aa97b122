import Foundation
import SMDRJournal

/// Reads every entry of a journal directory's segment files, live and archived, straight from
/// disk (what the journal accepted), without opening the journal.
enum JournalFiles {
    struct Corrupt: Error { var path: String }

    static func lines(directory: String) throws -> Set<[UInt8]> {
        var lines = Set<[UInt8]>()
        for folder in [directory, directory + "/archive"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names where JournalFormat.base(ofSegmentNamed: name) != nil {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
                var position = JournalFormat.headerLength
                decoding: while position < bytes.count {
                    switch JournalFormat.decodeEntry(bytes, at: position) {
                    case .entry(let payload, _, _, let size):
                        lines.insert(Array(payload))
                        position += size
                    case .incomplete:
                        break decoding  // a torn tail from kill -9: never acknowledged
                    case .invalidHeader, .checksumMismatch:
                        throw Corrupt(path: folder + "/" + name)
                    }
                }
            }
        }
        return lines
    }
}
