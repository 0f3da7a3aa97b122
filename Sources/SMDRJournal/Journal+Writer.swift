import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The group-commit writer: the `Service` that writes and syncs queued lines in batches and starts new segments.
extension Journal {
    /// Runs the group-commit writer until graceful shutdown or cancellation, then syncs what
    /// is queued (lines waiting for room are admitted over the limit rather than dropped) and
    /// returns. Appends after that throw ``JournalError/Code/closed``.
    ///
    /// - Throws: ``JournalError`` `.ioFailed` if a write or sync fails; the journal is then
    ///   unusable (restart the process; recovery cuts what was not synced).
    public func run() async throws {
        // Stopped or failed, this journal appends nothing more: let a new one open the directory.
        defer { self.lock.release() }
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await self.writeLoop()
        } onCancelOrGracefulShutdown: {
            self.beginShutdown()
        }
    }

    private func beginShutdown() {
        let (admitted, wakeups, ended) = self.state.withLock { state -> ([(RoomWaiter, JournalEntryLocation)], [CheckedContinuation<Void, Never>], Bool) in
            guard state.phase == .running else { return ([], [], false) }
            state.phase = .shuttingDown
            let (admitted, wakeups) = state.admitRoomWaiters(configuration: self.configuration, ignoringLimit: true)
            var all = wakeups
            if let writer = state.writerWakeup.take() { all.append(writer) }
            if let batch = state.batchWaiter.take() { all.append(batch) }
            return (admitted, all, state.endBackpressureIfDrained())
        }
        for (waiter, location) in admitted { waiter.continuation.resume(returning: location) }
        wakeups.forEach { $0.resume() }
        if ended { self.observability.journalBackpressureEnded(site: self.site) }
    }

    private func writeLoop() async throws {
        while true {
            await self.waitForWork()
            let stopped: [Waiter]? = self.state.withLock { state in
                guard state.pendingSizes.isEmpty, state.phase != .running else { return nil }
                state.phase = .stopped
                defer { state.dataWaiters.removeAll() }
                return state.dataWaiters
            }
            if let stopped {
                stopped.forEach { $0.continuation.resume(throwing: self.closedError(nil)) }
                self.logger.debug("Journal writer stopped", metadata: ["smdr.journal.end_offset": "\(self.endOffset)"])
                return
            }
            await self.waitForBatch()
            try await self.commitPending()
        }
    }

    private func waitForWork() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = self.state.withLock { state in
                if !state.pendingSizes.isEmpty || state.phase != .running { return true }
                state.writerWakeup = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func waitForBatch() async {
        guard self.configuration.flushInterval > .zero else { return }
        let interval = TimeAmount(self.configuration.flushInterval)
        var timer: Scheduled<Void>? = nil
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let deadline: NIODeadline? = self.state.withLock { state in
                guard state.phase == .running, state.pendingSizes.count < self.configuration.flushLines,
                      let first = state.pendingFirstArrival, first + interval > .now()
                else { return nil }
                state.batchWaiter = continuation
                return first + interval
            }
            guard let deadline else { return continuation.resume() }
            timer = self.eventLoop.scheduleTask(deadline: deadline) {
                self.state.withLock { $0.batchWaiter.take() }?.resume()
            }
        }
        timer?.cancel()
    }

    private func commitPending() async throws {
        let batch = self.state.withLock { $0.takeBatch() }
        guard let batch else { return }
        let started = ContinuousClock.now
        let directory = self.directory
        let segmentSize = Int64(self.configuration.segmentSize)
        let result: Result<WriteResult, any Error>
        do {
            result = .success(try await self.threadPool.runIfActive(eventLoop: self.eventLoop) {
                try Self.write(batch, directory: directory, segmentSize: segmentSize)
            }.get())
        } catch {
            result = .failure(Self.journalError(error, site: self.site))
        }
        switch result {
        case .success(let written):
            let (resumed, retained) = self.state.withLock { state in
                state.committed(batch, written)
            }
            resumed.forEach { $0.resume() }
            let duration = ContinuousClock.now - started
            if !written.created.isEmpty {
                self.logger.debug("Journal segment started", metadata: ["smdr.journal.segment_base": "\(written.created.last!.base)"])
            }
            self.observability.linesJournaled(site: self.site, count: batch.sizes.count, bytes: batch.bytes.count, duration: duration)
            self.observability.journalDepthChanged(site: self.site, retainedBytes: retained)
        case .failure(let error):
            self.logger.error("Journal write failed; lines not yet synced are not acknowledged", metadata: ["error": "\(error)"])
            let (failed, rooms) = self.state.withLock { $0.failed(error as! JournalError) }
            failed.forEach { $0.resume(throwing: error) }
            rooms.forEach { $0.continuation.resume(throwing: error) }
            throw error
        }
    }

    private static func write(_ batch: Batch, directory: String, segmentSize: Int64) throws -> WriteResult {
        var active = batch.active
        var descriptor = batch.activeDescriptor
        var created: [Segment] = []
        var wroteToActive = false
        var index = 0
        var position = 0
        let capacity = segmentSize - Int64(JournalFormat.headerLength)
        while index < batch.sizes.count {
            var chunk = 0
            var count = 0
            while index + count < batch.sizes.count {
                let used = active.dataLength + Int64(chunk)
                let size = batch.sizes[index + count]
                if used > 0, used + Int64(size) > capacity { break }
                chunk += size
                count += 1
            }
            if count > 0 {
                let path = active.path(in: directory)
                try batch.bytes.withUnsafeBytes { bytes in
                    try POSIX.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: bytes[position..<(position + chunk)]),
                                       at: active.fileSize, path: path)
                }
                active.fileSize += Int64(chunk)
                position += chunk
                index += count
                wroteToActive = true
            }
            if index < batch.sizes.count {
                // The full segment must be durable before a newer one exists: recovery then only
                // ever finds a torn tail in the last segment.
                if wroteToActive { try POSIX.syncData(descriptor, path: active.path(in: directory)) }
                let next = Segment(base: active.end, fileSize: Int64(JournalFormat.headerLength))
                let newDescriptor = try Self.createSegment(next, directory: directory)
                POSIX.close(descriptor)
                descriptor = newDescriptor
                if created.isEmpty { created.append(active) } else { created[created.count - 1] = active }
                created.append(next)
                active = next
                wroteToActive = false
            }
        }
        if wroteToActive { try POSIX.syncData(descriptor, path: active.path(in: directory)) }
        if created.isEmpty { created.append(active) } else { created[created.count - 1] = active }
        // created[0] replaces the previously active segment; the rest are new.
        return WriteResult(segments: created, activeDescriptor: descriptor, created: Array(created.dropFirst()))
    }

    /// Creates a segment file atomically (temporary name, header synced, rename, directory
    /// synced) and returns a descriptor open for writing.
    static func createSegment(_ segment: Segment, directory: String) throws -> Int32 {
        let path = segment.path(in: directory)
        let temporary = path + ".tmp"
        let descriptor = try POSIX.open(temporary, flags: O_CREAT | O_TRUNC | O_WRONLY)
        do {
            try JournalFormat.encodeHeader(base: segment.base).withUnsafeBytes {
                try POSIX.writeAll(descriptor, $0, at: 0, path: temporary)
            }
            try POSIX.sync(descriptor, path: temporary)
            try POSIX.rename(temporary, path)
            try POSIX.syncDirectory(directory)
        } catch {
            POSIX.close(descriptor)
            throw error
        }
        return descriptor
    }
}
