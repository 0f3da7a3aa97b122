/// Why a page could not be printed with Chromium: not installed, too slow, or it printed nothing.
///
/// The message says what to do (the package to install, the setting to raise) and ends with the
/// last words Chromium said, if any; `smdr statement` prints it as it is and exits 4.
package struct ChromiumError: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) { self.message = message }

    package var description: String { self.message }
}
