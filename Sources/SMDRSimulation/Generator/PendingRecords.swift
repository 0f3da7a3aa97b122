/// Records waiting to be output, as a binary min-heap ordered by output time, then by the order
/// they were created (so equal times come out in a fixed order).
struct PendingRecords: Sendable {
    struct Entry: Sendable {
        var emitAt: Int64
        var sequence: UInt64
        var line: [UInt8]

        @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            self.emitAt != other.emitAt ? self.emitAt < other.emitAt : self.sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { self.heap.isEmpty }
    var count: Int { self.heap.count }
    /// The earliest output time waiting, if any.
    var earliest: Int64? { self.heap.first?.emitAt }

    mutating func insert(_ line: [UInt8], emitAt: Int64) {
        self.heap.append(Entry(emitAt: emitAt, sequence: self.nextSequence, line: line))
        self.nextSequence &+= 1
        var child = self.heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.heap[child].precedes(self.heap[parent]) else { break }
            self.heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeEarliest() -> Entry? {
        guard !self.heap.isEmpty else { return nil }
        if self.heap.count == 1 { return self.heap.removeLast() }
        let first = self.heap[0]
        self.heap[0] = self.heap.removeLast()
        var parent = 0
        let count = self.heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { break }
            var smallest = left
            if left + 1 < count, self.heap[left + 1].precedes(self.heap[left]) { smallest = left + 1 }
            guard self.heap[smallest].precedes(self.heap[parent]) else { break }
            self.heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
