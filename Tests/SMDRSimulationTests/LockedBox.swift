import Synchronization

/// A value shared between tasks.
final class LockedBox<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    var current: Value { self.value.withLock { $0 } }
    func set(_ value: Value) { self.value.withLock { $0 = value } }
}
