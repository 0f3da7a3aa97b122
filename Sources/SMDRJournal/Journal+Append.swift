import Logging
public import SMDRCore
import Synchronization

// Appending: queueing lines for the group commit, waiting for room (backpressure) and for durability.
extension Journal {
    /// Appends a line and returns once it is durable (written and synced).
    ///
    /// Suspends while the journal is full. Cancelling the task while it waits for room
    /// throws `CancellationError` and the line is not journaled; once the line is queued it
    /// will be written, and the call waits for that.
    @discardableResult
    public func append(
        _ payload: some Collection<UInt8>, isTruncated: Bool = false, isUnterminated: Bool = false,
        receivedAt: JournalTimestamp = .now()
    ) async throws -> JournalEntryLocation {
        let location = try await self.enqueue(
            payload, isTruncated: isTruncated, isUnterminated: isUnterminated, receivedAt: receivedAt
        )
        try await self.waitUntilDurable(upTo: location.nextOffset)
        return location
    }

    /// Appends a framed line and returns once it is durable.
    @discardableResult
    public func append(_ line: FramedLine, receivedAt: JournalTimestamp = .now()) async throws -> JournalEntryLocation {
        try await self.append(line.bytes, isTruncated: line.isTruncated, isUnterminated: line.isUnterminated, receivedAt: receivedAt)
    }

    /// Queues a line for the next group commit and returns its location without waiting for
    /// the sync. Suspends only while the journal is full (that wait is the backpressure).
    ///
    /// Use it to keep reading a connection while earlier lines are being synced; call
    /// ``waitUntilDurable(upTo:)`` with the last `nextOffset` before treating them as received.
    public func enqueue(
        _ payload: some Collection<UInt8>, isTruncated: Bool = false, isUnterminated: Bool = false,
        receivedAt: JournalTimestamp = .now()
    ) async throws -> JournalEntryLocation {
        guard payload.count <= JournalFormat.maximumPayloadLength else {
            throw JournalError(.entryTooLarge, site: self.site, detail: "payload of \(payload.count) bytes")
        }
        var encoded: [UInt8] = []
        var flags: JournalFormat.EntryFlags = []
        if isTruncated { flags.insert(.truncated) }
        if isUnterminated { flags.insert(.unterminated) }
        JournalFormat.encodeEntry(payload, flags: flags, receivedAt: receivedAt.microsecondsSince1970, into: &encoded)
        let fast = self.state.withLock { state in
            state.tryEnqueue(encoded, configuration: self.configuration, requireEmptyQueue: true)
        }
        switch fast {
        case .queued(let location, let wakeups):
            wakeups.forEach { $0.resume() }
            return location
        case .closed(let reason):
            throw self.closedError(reason)
        case .full:
            return try await self.enqueueWaitingForRoom(encoded)
        }
    }

    /// Queues a framed line (see ``enqueue(_:isTruncated:isUnterminated:receivedAt:)``).
    public func enqueue(_ line: FramedLine, receivedAt: JournalTimestamp = .now()) async throws -> JournalEntryLocation {
        try await self.enqueue(line.bytes, isTruncated: line.isTruncated, isUnterminated: line.isUnterminated, receivedAt: receivedAt)
    }

    /// From now on appends never wait for room: lines already received when shutdown can wait
    /// no longer are journaled over ``Configuration/maximumBytes`` rather than dropped. Waiting
    /// appends are admitted at once. The listener calls it when its shutdown grace period ends.
    package func admitOverLimit() {
        let (admitted, wakeups, ended) = self.state.withLock { state -> ([(RoomWaiter, JournalEntryLocation)], [CheckedContinuation<Void, Never>], Bool) in
            state.isOverLimitAllowed = true
            let (admitted, wakeups) = state.admitRoomWaiters(configuration: self.configuration, ignoringLimit: true)
            return (admitted, wakeups, state.endBackpressureIfDrained())
        }
        for (waiter, location) in admitted { waiter.continuation.resume(returning: location) }
        wakeups.forEach { $0.resume() }
        if !admitted.isEmpty {
            self.logger.warning("Journal over its size limit at shutdown: lines already received are kept",
                                metadata: ["smdr.journal.admitted_lines": "\(admitted.count)"])
        }
        if ended { self.observability.journalBackpressureEnded(site: self.site) }
    }

    private func enqueueWaitingForRoom(_ encoded: [UInt8]) async throws -> JournalEntryLocation {
        let id = self.nextWaiterID.wrappingAdd(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JournalEntryLocation, any Error>) in
                enum Outcome {
                    case queued(JournalEntryLocation, [CheckedContinuation<Void, Never>])
                    case failed(any Error)
                    case waiting(startedBackpressure: Bool)
                }
                let outcome: Outcome = self.state.withLock { state in
                    switch state.tryEnqueue(encoded, configuration: self.configuration, requireEmptyQueue: true) {
                    case .queued(let location, let wakeups):
                        return .queued(location, wakeups)
                    case .closed(let reason):
                        return .failed(self.closedError(reason))
                    case .full:
                        if Task.isCancelled { return .failed(CancellationError()) }
                        state.roomWaiters.append(RoomWaiter(id: id, encoded: encoded, continuation: continuation))
                        let started = !state.isBackpressured
                        state.isBackpressured = true
                        return .waiting(startedBackpressure: started)
                    }
                }
                switch outcome {
                case .queued(let location, let wakeups):
                    wakeups.forEach { $0.resume() }
                    continuation.resume(returning: location)
                case .failed(let error):
                    continuation.resume(throwing: error)
                case .waiting(let started):
                    if started {
                        self.logger.warning("Journal full: reading from PBX connections pauses until the loader releases segments")
                        self.observability.journalBackpressureStarted(site: self.site)
                    }
                }
            }
        } onCancel: {
            let (waiter, ended) = self.state.withLock { state -> (RoomWaiter?, Bool) in
                guard let index = state.roomWaiters.firstIndex(where: { $0.id == id }) else { return (nil, false) }
                let waiter = state.roomWaiters.remove(at: index)
                return (waiter, state.endBackpressureIfDrained())
            }
            waiter?.continuation.resume(throwing: CancellationError())
            if ended { self.observability.journalBackpressureEnded(site: self.site) }
        }
    }

    /// Returns once every entry before `offset` is durable.
    ///
    /// - Throws: ``JournalError`` `.closed` if the journal stopped or failed before that.
    public func waitUntilDurable(upTo offset: Int64) async throws {
        let id = self.nextWaiterID.wrappingAdd(1, ordering: .relaxed).newValue
        // Not abandoned on cancellation: a queued line is written within one flush interval,
        // and the caller should learn whether it became durable.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result: Result<Void, any Error>? = self.state.withLock { state in
                if state.durableEnd >= offset { return .success(()) }
                if case .failed(let error) = state.phase { return .failure(error) }
                if state.phase == .stopped { return .failure(self.closedError(nil)) }
                state.durabilityWaiters.append(Waiter(id: id, offset: offset, continuation: continuation))
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }
}
