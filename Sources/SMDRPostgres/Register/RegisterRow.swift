/// A row of a register file: the value it holds and the line of the file it starts on.
package struct RegisterRow<Value: Hashable & Sendable>: Hashable, Sendable {
    package var line: Int
    package var value: Value

    package init(line: Int, value: Value) {
        self.line = line
        self.value = value
    }
}
