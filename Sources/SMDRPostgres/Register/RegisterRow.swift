/// A row of a register file: the value it holds and the line of the file it starts on.
public struct RegisterRow<Value: Hashable & Sendable>: Hashable, Sendable {
    public var line: Int
    public var value: Value

    public init(line: Int, value: Value) {
        self.line = line
        self.value = value
    }
}
