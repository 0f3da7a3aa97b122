import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Journal {
    /// Opening a journal directory: list, check and repair its segments. Runs on a thread-pool thread.
    struct Recovery {
        let directory: String
        let site: String
        let logger: Logger

        /// The scan reads the last segment in chunks of this size.
        static let chunkSize = 4 << 20

        func run() throws -> Recovered {
            try POSIX.makeDirectories(self.directory)
            // Before anything is read or repaired: one writer per journal, or two would
            // interleave entries and each cut the other's "torn tail".
            let lock = try DirectoryLock.acquireBlocking(path: self.directory + "/" + Journal.lockFileName)
            var bases: [Int64] = []
            for name in try POSIX.listDirectory(self.directory) {
                if name.hasSuffix(JournalFormat.segmentSuffix + ".tmp") {
                    // A segment whose creation was interrupted before its rename: it never held entries.
                    try POSIX.unlink(self.directory + "/" + name)
                    self.logger.notice("Journal: removed an unfinished segment file", metadata: ["smdr.journal.file": "\(name)"])
                } else if let base = JournalFormat.base(ofSegmentNamed: name) {
                    bases.append(base)
                }
            }
            bases.sort()
            guard !bases.isEmpty else {
                let first = Segment(base: 0, fileSize: Int64(JournalFormat.headerLength))
                let descriptor = try Journal.createSegment(first, directory: self.directory)
                return Recovered(segments: [first], activeDescriptor: descriptor, truncatedBytes: 0, lock: lock)
            }
            var segments: [Segment] = []
            for (index, base) in bases.enumerated() {
                let isLast = index == bases.count - 1
                let path = Segment(base: base, fileSize: 0).path(in: self.directory)
                let descriptor = try POSIX.open(path, flags: isLast ? O_RDWR : O_RDONLY)
                var keepOpen = false
                defer { if !keepOpen { POSIX.close(descriptor) } }
                let header = try POSIX.read(descriptor, count: JournalFormat.headerLength, at: 0, path: path)
                guard JournalFormat.decodeHeader(header) == base else {
                    throw JournalError(.corrupted, site: self.site, path: path, offset: base,
                                       detail: "segment header is missing, invalid, or names another offset")
                }
                var segment = Segment(base: base, fileSize: try POSIX.fileSize(descriptor, path: path))
                if let previous = segments.last, previous.end != base {
                    throw JournalError(.corrupted, site: self.site, path: path, offset: previous.end,
                                       detail: "segments are not contiguous: the previous one ends at \(previous.end)")
                }
                var truncated: Int64 = 0
                if isLast {
                    truncated = try self.repairTail(of: &segment, descriptor: descriptor, path: path)
                    keepOpen = true
                    segments.append(segment)
                    return Recovered(segments: segments, activeDescriptor: descriptor, truncatedBytes: truncated, lock: lock)
                }
                segments.append(segment)
            }
            fatalError("unreachable: the last segment returns")
        }

        /// Scans every entry of the last segment; cuts a torn tail and returns its length.
        private func repairTail(of segment: inout Segment, descriptor: Int32, path: String) throws -> Int64 {
            let fileSize = segment.fileSize
            var position = Int64(JournalFormat.headerLength)
            var chunk: [UInt8] = []
            var chunkStart = position
            while position < fileSize {
                let inChunk = Int(position - chunkStart)
                let result = JournalFormat.decodeEntry(chunk, at: min(inChunk, chunk.count))
                switch result {
                case .entry(_, _, _, let size):
                    position += Int64(size)
                    continue
                case .incomplete(let size):
                    let needed = Int64(size ?? JournalFormat.entryHeaderLength)
                    if position + needed <= fileSize, chunkStart + Int64(chunk.count) < fileSize {
                        // More of the file to read: refill from this entry on.
                        let count = Int(min(fileSize - position, max(needed, Int64(Self.chunkSize))))
                        chunk = try POSIX.read(descriptor, count: count, at: position, path: path)
                        chunkStart = position
                        continue
                    }
                    // The entry runs past the end of the file: a write cut short by a crash.
                    return try self.truncate(&segment, at: position, descriptor: descriptor, path: path, why: "incomplete entry")
                case .invalidHeader, .checksumMismatch:
                    var end = fileSize
                    if case .checksumMismatch(let size) = result { end = position + Int64(size) }
                    // Torn only if nothing but zeros follows the bad entry; otherwise durable data
                    // follows it, and that is corruption to report.
                    if try self.isZero(descriptor: descriptor, path: path, from: end, to: fileSize) {
                        return try self.truncate(&segment, at: position, descriptor: descriptor, path: path, why: "bad entry at the end")
                    }
                    throw JournalError(.corrupted, site: self.site, path: path,
                                       offset: segment.base + position - Int64(JournalFormat.headerLength),
                                       detail: result.isChecksumMismatch ? "entry checksum mismatch" : "invalid entry header")
                }
            }
            return 0
        }

        private func isZero(descriptor: Int32, path: String, from start: Int64, to end: Int64) throws -> Bool {
            var position = start
            while position < end {
                let bytes = try POSIX.read(descriptor, count: Int(min(end - position, Int64(Self.chunkSize))), at: position, path: path)
                if bytes.isEmpty { return true }
                if bytes.contains(where: { $0 != 0 }) { return false }
                position += Int64(bytes.count)
            }
            return true
        }

        private func truncate(_ segment: inout Segment, at position: Int64, descriptor: Int32, path: String, why: String) throws -> Int64 {
            let dropped = segment.fileSize - position
            try POSIX.truncate(descriptor, to: position, path: path)
            try POSIX.sync(descriptor, path: path)
            self.logger.warning(
                "Journal: cut a torn tail left by an interrupted write (those lines were never acknowledged)",
                metadata: [
                    "smdr.journal.file": "\(path)",
                    "smdr.journal.offset": "\(segment.base + position - Int64(JournalFormat.headerLength))",
                    "smdr.journal.dropped_bytes": "\(dropped)",
                    "smdr.journal.reason": "\(why)",
                ]
            )
            segment.fileSize = position
            return dropped
        }
    }
}

extension JournalFormat.DecodeResult {
    var isChecksumMismatch: Bool {
        if case .checksumMismatch = self { return true }
        return false
    }
}
