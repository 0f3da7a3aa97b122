import SMDRCore
package import SMDRJournal
package import SMDRListener

extension ListenerConfiguration {
    /// The limits every listener test starts from (each test changes what it is about).
    package static var forTests: ListenerConfiguration {
        ListenerConfiguration(
            maximumConnections: 256,
            maximumLineLength: LineFramer.defaultMaximumLineLength,
            idleTimeout: .seconds(7 * 24 * 3600),
            readBufferSize: 65536,
            maximumBufferedLines: 256,
            connectTimeout: .seconds(10),
            reconnectMaximumDelay: .seconds(60),
            shutdownGracePeriod: .seconds(10)
        )
    }
}

extension Journal.Configuration {
    /// The journal settings every journal and listener test starts from.
    package static var forTests: Journal.Configuration {
        Journal.Configuration(
            segmentSize: 64 << 20, maximumBytes: 1 << 30, flushInterval: .milliseconds(50), flushLines: 1000, releaseMode: .delete
        )
    }
}
