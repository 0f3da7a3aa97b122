package import SMDRPostgres

/// Runs work under the rating lease (`smdr.rating_state`): one rating run, or closing a month,
/// at a time. A holder that finds the lease taken retries every ``retrySeconds`` until
/// `waitSeconds` have passed, then gives up saying who holds it.
package enum RatingLease {
    /// What holding the lease gave.
    package enum Outcome<T: Sendable>: Sendable {
        case done(T)
        /// Another holder kept it (who, until when) for longer than the wait.
        case busy(String)
    }

    /// How long the lease lasts before it must be renewed: 15 min (a run renews it every month).
    package static let seconds = 900
    /// How often a waiting holder tries again: 2 s.
    package static let retrySeconds = 2

    package static func run<T: Sendable>(
        in store: PostgresStore, holder: String, waitSeconds: Int, _ body: () async throws -> T
    ) async throws -> Outcome<T> {
        let deadline = ContinuousClock.now + .seconds(waitSeconds)
        while let busy = try await store.withConnection({ try RatingStore.acquireLease(holder: holder, seconds: Self.seconds, on: $0) }) {
            guard ContinuousClock.now < deadline else { return .busy(busy) }
            try await Task.sleep(for: .seconds(Self.retrySeconds))
        }
        let value: T
        do {
            value = try await body()
        } catch {
            try? await store.withConnection { try RatingStore.releaseLease(holder: holder, on: $0) }
            throw error
        }
        try await store.withConnection { try RatingStore.releaseLease(holder: holder, on: $0) }
        return .done(value)
    }
}
