package import SMDRCore

/// Gives a call a code after it ended (`smdr assign`), through `smdr.assign_call`, the function
/// other tools call too.
package enum AssignmentStore {
    /// What an assignment changed.
    package struct Outcome: Hashable, Sendable {
        /// Local start of the call's first leg.
        package var callStartLocal: String
        /// Matched legs that now bill the code (0 when the call is not matched yet).
        package var legs: Int

        package init(callStartLocal: String, legs: Int) {
            self.callStartLocal = callStartLocal
            self.legs = legs
        }
    }

    /// Why `smdr.assign_call` refused: an unknown site, code or call, a pattern, an ambiguous
    /// Call ID, or a call in a closed month. Nothing was changed.
    package struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        package var message: String
        package var hint: String?
        package var description: String { self.message + (self.hint.map { " (\($0))" } ?? "") }
    }

    /// The SQLSTATEs `smdr.assign_call` raises for what the caller got wrong.
    private static let refusals: Set<String> = ["P0002", "23503", "21000", "22023", "55000"]

    /// Assigns `code` to the call; `start` only when the Call ID is ambiguous at the site.
    ///
    /// - Throws: ``Refusal`` for an unknown site, code or call, a pattern, or an ambiguous Call
    ///   ID; ``PostgresError`` otherwise. Nothing is changed then.
    package static func assign(
        site: String, callID: Int, start: LocalDateTime?, code: String, note: String, on connection: PostgresConnection
    ) throws -> Outcome {
        let row: PostgresRow
        do {
            row = try connection.execute(
                "SELECT assigned_call_start_local::text, legs FROM smdr.assign_call($1, $2, $3::timestamp, $4, $5)",
                [.text(site), .int(callID), .string(start?.description), .text(code), .text(note)]
            )[0]
        } catch let error as PostgresError where error.sqlState.map({ Self.refusals.contains($0.rawValue) }) ?? false {
            throw Refusal(message: error.message, hint: error.hint)
        }
        return Outcome(callStartLocal: row[0].string ?? "", legs: row[1].int ?? 0)
    }
}
