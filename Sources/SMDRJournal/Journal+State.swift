import NIOCore

// The journal's state under its lock, and the values it moves between the lock and the writer.
extension Journal {
    struct Segment: Hashable, Sendable {
        /// The journal offset of the first entry in the segment.
        var base: Int64
        /// The size of the file, header included (durable bytes only).
        var fileSize: Int64

        var dataLength: Int64 { self.fileSize - Int64(JournalFormat.headerLength) }
        var end: Int64 { self.base + self.dataLength }

        func path(in directory: String) -> String { directory + "/" + JournalFormat.segmentName(base: self.base) }
    }

    struct Recovered: Sendable {
        var segments: [Segment]
        var activeDescriptor: Int32
        var truncatedBytes: Int64
        var lock: DirectoryLock
    }

    struct RoomWaiter {
        var id: UInt64
        var encoded: [UInt8]
        var continuation: CheckedContinuation<JournalEntryLocation, any Error>
    }

    struct Waiter {
        var id: UInt64
        var offset: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    struct Batch: Sendable {
        var bytes: [UInt8]
        var sizes: [Int]
        var end: Int64
        var active: Segment
        var activeDescriptor: Int32
    }

    struct WriteResult: Sendable {
        /// The previously active segment (updated), followed by new segments.
        var segments: [Segment]
        var activeDescriptor: Int32
        var created: [Segment]
    }

    enum Phase: Equatable {
        case running
        case shuttingDown
        case stopped
        case failed(JournalError)
    }

    enum EnqueueResult {
        case queued(JournalEntryLocation, [CheckedContinuation<Void, Never>])
        case full
        case closed(JournalError?)
    }

    struct State {
        var segments: [Segment]
        var activeDescriptor: Int32
        var assignedEnd: Int64
        var durableEnd: Int64
        var retainedBytes: Int64
        var pending: [UInt8] = []
        var pendingSizes: [Int] = []
        var pendingFirstArrival: NIODeadline? = nil
        var roomWaiters: [RoomWaiter] = []
        var durabilityWaiters: [Waiter] = []
        var dataWaiters: [Waiter] = []
        var writerWakeup: CheckedContinuation<Void, Never>? = nil
        var batchWaiter: CheckedContinuation<Void, Never>? = nil
        var phase: Phase = .running
        var isBackpressured = false
        /// Set by ``Journal/admitOverLimit()``: appends no longer wait for room.
        var isOverLimitAllowed = false

        init(segments: [Segment], activeDescriptor: Int32, assignedEnd: Int64, durableEnd: Int64, retainedBytes: Int64) {
            self.segments = segments
            self.activeDescriptor = activeDescriptor
            self.assignedEnd = assignedEnd
            self.durableEnd = durableEnd
            self.retainedBytes = retainedBytes
        }

        mutating func tryEnqueue(_ encoded: [UInt8], configuration: Configuration, requireEmptyQueue: Bool) -> EnqueueResult {
            switch self.phase {
            case .running, .shuttingDown: break
            case .stopped: return .closed(nil)
            case .failed(let error): return .closed(error)
            }
            let size = Int64(encoded.count)
            if self.phase == .running, !self.isOverLimitAllowed {
                if requireEmptyQueue, !self.roomWaiters.isEmpty { return .full }
                if self.retainedBytes + size > configuration.maximumBytes { return .full }
            }
            let (location, wakeups) = self.admit(encoded, configuration: configuration)
            return .queued(location, wakeups)
        }

        mutating func admit(_ encoded: [UInt8], configuration: Configuration) -> (JournalEntryLocation, [CheckedContinuation<Void, Never>]) {
            let size = Int64(encoded.count)
            let location = JournalEntryLocation(offset: self.assignedEnd, nextOffset: self.assignedEnd + size)
            self.assignedEnd += size
            self.retainedBytes += size
            self.pending.append(contentsOf: encoded)
            self.pendingSizes.append(encoded.count)
            if self.pendingFirstArrival == nil { self.pendingFirstArrival = .now() }
            var wakeups: [CheckedContinuation<Void, Never>] = []
            if let writer = self.writerWakeup.take() { wakeups.append(writer) }
            if self.pendingSizes.count >= configuration.flushLines, let batch = self.batchWaiter.take() {
                wakeups.append(batch)
            }
            return (location, wakeups)
        }

        /// Moves waiting appends into the pending batch, in order, while they fit.
        mutating func admitRoomWaiters(
            configuration: Configuration, ignoringLimit: Bool = false
        ) -> ([(RoomWaiter, JournalEntryLocation)], [CheckedContinuation<Void, Never>]) {
            var admitted: [(RoomWaiter, JournalEntryLocation)] = []
            var wakeups: [CheckedContinuation<Void, Never>] = []
            while let waiter = self.roomWaiters.first {
                if !ignoringLimit, self.retainedBytes + Int64(waiter.encoded.count) > configuration.maximumBytes { break }
                self.roomWaiters.removeFirst()
                let (location, more) = self.admit(waiter.encoded, configuration: configuration)
                admitted.append((waiter, location))
                wakeups += more
            }
            return (admitted, wakeups)
        }

        /// Returns `true` if backpressure just ended.
        mutating func endBackpressureIfDrained() -> Bool {
            guard self.isBackpressured, self.roomWaiters.isEmpty else { return false }
            self.isBackpressured = false
            return true
        }

        mutating func takeBatch() -> Batch? {
            guard !self.pendingSizes.isEmpty else { return nil }
            defer {
                self.pending = []
                self.pendingSizes = []
                self.pendingFirstArrival = nil
            }
            return Batch(bytes: self.pending, sizes: self.pendingSizes, end: self.assignedEnd,
                         active: self.segments.last!, activeDescriptor: self.activeDescriptor)
        }

        mutating func committed(_ batch: Batch, _ written: WriteResult) -> ([CheckedContinuation<Void, any Error>], Int64) {
            self.segments[self.segments.count - 1] = written.segments[0]
            self.segments += written.created
            self.activeDescriptor = written.activeDescriptor
            self.retainedBytes += Int64(written.created.count * JournalFormat.headerLength)
            self.durableEnd = batch.end
            var resumed: [CheckedContinuation<Void, any Error>] = []
            let end = self.durableEnd
            self.durabilityWaiters.removeAll { waiter in
                guard waiter.offset <= end else { return false }
                resumed.append(waiter.continuation)
                return true
            }
            self.dataWaiters.removeAll { waiter in
                guard waiter.offset < end else { return false }
                resumed.append(waiter.continuation)
                return true
            }
            return (resumed, self.retainedBytes)
        }

        mutating func failed(_ error: JournalError) -> ([CheckedContinuation<Void, any Error>], [RoomWaiter]) {
            self.phase = .failed(error)
            let failed = self.durabilityWaiters.map(\.continuation) + self.dataWaiters.map(\.continuation)
            let rooms = self.roomWaiters
            self.durabilityWaiters = []
            self.dataWaiters = []
            self.roomWaiters = []
            self.pending = []
            self.pendingSizes = []
            return (failed, rooms)
        }
    }
}
