import Logging
import NIOCore
import NIOPosix
import Synchronization

// Releasing loaded segments (deleting or archiving them), which makes room for waiting appends.
extension Journal {
    /// Frees every segment that lies entirely before `offset` (deleting or archiving it, per
    /// ``Configuration/releaseMode``) and lets waiting appends proceed. The segment being
    /// written is never released. Call it after the loader committed `offset`.
    ///
    /// - Throws: ``JournalError`` `.offsetBeyondEnd` or `.ioFailed`.
    public func release(upTo offset: Int64) async throws {
        let victims: [Segment] = try self.state.withLock { state in
            guard offset <= state.durableEnd else {
                throw JournalError(.offsetBeyondEnd, site: self.site, offset: offset,
                                   detail: "cannot release beyond the durable end \(state.durableEnd)")
            }
            var victims: [Segment] = []
            while state.segments.count > 1, state.segments[1].base <= offset {
                victims.append(state.segments.removeFirst())
            }
            return victims
        }
        guard !victims.isEmpty else { return }
        let directory = self.directory
        let mode = self.configuration.releaseMode
        let freed = Mutex<Int64>(0)
        var failure: (any Error)? = nil
        do {
            try await self.threadPool.runIfActive(eventLoop: self.eventLoop) {
                let archive = directory + "/archive"
                if mode == .archive { try POSIX.makeDirectories(archive) }
                for victim in victims {
                    let path = victim.path(in: directory)
                    switch mode {
                    case .delete: try POSIX.unlink(path)
                    case .archive: try POSIX.rename(path, archive + "/" + JournalFormat.segmentName(base: victim.base))
                    }
                    freed.withLock { $0 += victim.fileSize }
                }
                if mode == .archive { try POSIX.syncDirectory(archive) }
                try POSIX.syncDirectory(directory)
            }.get()
        } catch {
            failure = error
        }
        let freedBytes = freed.withLock { $0 }
        let (admitted, wakeups, ended, retained) = self.state.withLock { state in
            state.retainedBytes -= freedBytes
            let (admitted, wakeups) = state.admitRoomWaiters(configuration: self.configuration)
            return (admitted, wakeups, state.endBackpressureIfDrained(), state.retainedBytes)
        }
        for (waiter, location) in admitted { waiter.continuation.resume(returning: location) }
        wakeups.forEach { $0.resume() }
        self.logger.debug(
            "Journal segments released",
            metadata: ["smdr.journal.segments": "\(victims.count)", "smdr.journal.freed_bytes": "\(freedBytes)"]
        )
        self.observability.journalDepthChanged(site: self.site, retainedBytes: retained)
        if ended {
            self.logger.notice("Journal has room again: reading from PBX connections resumes")
            self.observability.journalBackpressureEnded(site: self.site)
        }
        if let failure { throw Self.journalError(failure, site: self.site) }
    }
}
