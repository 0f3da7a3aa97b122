import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Reading durable entries, and waiting for new ones.
extension Journal {
    /// Reads durable entries starting at `offset`, at most `maximumCount` entries and about
    /// `maximumBytes` journal bytes (at least one entry), never across a segment boundary.
    ///
    /// An empty batch means nothing durable follows `offset` yet; wait with
    /// ``waitForEntries(after:)``.
    ///
    /// - Parameter offset: ``startOffset``, ``endOffset``, or a `nextOffset` from earlier reads or appends.
    /// - Throws: ``JournalError`` `.offsetReleased`, `.offsetBeyondEnd`, `.corrupted` (checksum
    ///   mismatch, or `offset` is not where an entry starts), `.ioFailed`.
    public func read(from offset: Int64, maximumCount: Int = 1000, maximumBytes: Int = 1 << 20) async throws -> JournalBatch {
        precondition(maximumCount > 0 && maximumBytes > 0, "maximumCount and maximumBytes must be positive")
        let (segments, durableEnd) = self.state.withLock { ($0.segments, $0.durableEnd) }
        guard offset >= segments[0].base else {
            throw JournalError(.offsetReleased, site: self.site, offset: offset,
                               detail: "offset is before the journal start \(segments[0].base)")
        }
        guard offset <= durableEnd else {
            throw JournalError(.offsetBeyondEnd, site: self.site, offset: offset,
                               detail: "offset is beyond the durable end \(durableEnd)")
        }
        guard offset < durableEnd else { return JournalBatch(entries: [], nextOffset: offset) }
        let index = segments.lastIndex { $0.base <= offset }!
        let segment = segments[index]
        let segmentEnd = index + 1 < segments.count ? segments[index + 1].base : durableEnd
        let path = segment.path(in: self.directory)
        let site = self.site
        do {
            return try await self.threadPool.runIfActive(eventLoop: self.eventLoop) {
                try Self.readEntries(
                    path: path, site: site, segmentBase: segment.base, from: offset, to: segmentEnd,
                    maximumCount: maximumCount, maximumBytes: maximumBytes
                )
            }.get()
        } catch let error as SystemCallError where error.errno == ENOENT {
            throw JournalError(.offsetReleased, site: site, path: path, offset: offset, detail: "segment was released")
        } catch {
            throw Self.journalError(error, site: site)
        }
    }

    private static func readEntries(
        path: String, site: String, segmentBase: Int64, from offset: Int64, to end: Int64,
        maximumCount: Int, maximumBytes: Int
    ) throws -> JournalBatch {
        let descriptor = try POSIX.open(path, flags: O_RDONLY)
        defer { POSIX.close(descriptor) }
        let filePosition = Int64(JournalFormat.headerLength) + offset - segmentBase
        let available = Int(end - offset)
        var bytes = try POSIX.read(descriptor, count: min(available, maximumBytes), at: filePosition, path: path)
        var entries: [JournalEntry] = []
        var position = 0
        decoding: while entries.count < maximumCount, position < bytes.count {
            switch JournalFormat.decodeEntry(bytes, at: position) {
            case .entry(let payload, let flags, let receivedAt, let size):
                let entryOffset = offset + Int64(position)
                entries.append(JournalEntry(
                    offset: entryOffset, nextOffset: entryOffset + Int64(size), payload: Array(payload),
                    isTruncated: flags.contains(.truncated), receivedAt: JournalTimestamp(microsecondsSince1970: receivedAt),
                    isUnterminated: flags.contains(.unterminated)
                ))
                position += size
            case .incomplete(let size):
                // The entry continues past what was read: the next read starts with it.
                guard entries.isEmpty else { break decoding }
                // The first entry alone is larger than maximumBytes: read exactly that entry.
                let needed = size ?? JournalFormat.entryHeaderLength
                guard needed <= available, needed > bytes.count else {
                    throw JournalError(.corrupted, site: site, path: path, offset: offset,
                                       detail: "entry runs past the durable end of its segment")
                }
                bytes = try POSIX.read(descriptor, count: needed, at: filePosition, path: path)
            case .invalidHeader:
                throw JournalError(.corrupted, site: site, path: path, offset: offset + Int64(position),
                                   detail: "invalid entry header (or the offset is not where an entry starts)")
            case .checksumMismatch:
                throw JournalError(.corrupted, site: site, path: path, offset: offset + Int64(position),
                                   detail: "entry checksum mismatch")
            }
        }
        return JournalBatch(entries: entries, nextOffset: offset + Int64(position))
    }

    /// Returns when an entry after `offset` is durable, i.e. ``endOffset`` > `offset`.
    ///
    /// - Throws: ``JournalError`` `.closed` when the journal stops first; `CancellationError`.
    public func waitForEntries(after offset: Int64) async throws {
        let id = self.nextWaiterID.wrappingAdd(1, ordering: .relaxed).newValue
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let result: Result<Void, any Error>? = self.state.withLock { state in
                    if state.durableEnd > offset { return .success(()) }
                    if case .failed(let error) = state.phase { return .failure(error) }
                    if state.phase == .stopped { return .failure(self.closedError(nil)) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.dataWaiters.append(Waiter(id: id, offset: offset, continuation: continuation))
                    return nil
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> Waiter? in
                guard let index = state.dataWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.dataWaiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}
