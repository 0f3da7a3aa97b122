import HummingbirdBcrypt
import SMDRPostgres

/// bcrypt, run on NIO's blocking thread pool (a check at cost 12 takes a quarter of a second of
/// CPU, which must not hold a cooperative thread).
package enum PasswordHasher {
    /// The shortest password `smdr user add` accepts.
    package static let minimumLength = 10
    /// bcrypt reads at most 72 bytes; a longer password would be silently cut.
    package static let maximumBytes = 72

    /// Why a password is not accepted.
    package static func problem(with password: String) -> String? {
        if password.count < Self.minimumLength { return "the password is shorter than \(Self.minimumLength) characters" }
        if password.utf8.count > Self.maximumBytes { return "the password is longer than \(Self.maximumBytes) bytes (bcrypt's limit)" }
        return nil
    }

    package static func hash(_ password: String, cost: Int) async throws -> String {
        try await BlockingWork.run { Bcrypt.hash(password, cost: UInt8(cost)) }
    }

    /// Checks `password` against `hash`; with no hash (an unknown user) checks against
    /// `dummy`'s, so that the answer takes as long either way.
    package static func verify(_ password: String, hash: String?, dummy: DummyPasswordHash) async throws -> Bool {
        let checked = if let hash { hash } else { try await dummy.value() }
        let matches = try await Self.verify(password, hash: checked)
        return hash != nil && matches
    }

    /// Checks `password` against the hash of a known user.
    package static func verify(_ password: String, hash: String) async throws -> Bool {
        try await BlockingWork.run { Bcrypt.verify(password, hash: hash) }
    }
}
