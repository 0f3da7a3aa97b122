import CLibPQ

extension PostgresConnection {
    /// The default for ``copyIn(_:flushThreshold:_:)``: send `COPY` data in 64 KiB messages.
    public static let defaultCopyFlushThreshold = 64 * 1024

    /// Runs `COPY … FROM STDIN` (text format) and streams the rows `body` writes.
    ///
    /// Rows are encoded into a buffer and sent whenever it holds at least `flushThreshold` bytes,
    /// so memory stays bounded however many rows are written. If `body` throws, the `COPY` is
    /// aborted (nothing is stored) and the error is rethrown.
    ///
    /// - Returns: the number of rows the server stored.
    @discardableResult
    public func copyIn(
        _ sql: String,
        flushThreshold: Int = PostgresConnection.defaultCopyFlushThreshold,
        _ body: (inout CopyInWriter) throws -> Void
    ) throws -> Int {
        let start = PQexec(self.handle, sql)
        defer { PQclear(start) }
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            guard let start else { throw self.connectionError(statement: sql) }
            _ = try self.rows(from: start, statement: sql)
            throw PostgresError(code: .unexpectedResult, message: "statement did not start COPY FROM STDIN", statement: sql)
        }
        var writer = CopyInWriter(connection: self.handle, flushThreshold: flushThreshold)
        var failure: (any Error)?
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            failure = error
        }
        let endStatus: Int32 =
            if failure == nil {
                PQputCopyEnd(self.handle, nil)
            } else {
                PQputCopyEnd(self.handle, "aborted by client")
            }
        // Drain every result: the COPY's own, then the terminating NULL.
        var outcome: Result<Int, any Error> = .success(0)
        while let result = PQgetResult(self.handle) {
            defer { PQclear(result) }
            do {
                let rows = try self.rows(from: result, statement: sql)
                outcome = .success(rows.affectedRowCount ?? 0)
            } catch {
                outcome = .failure(error)
            }
        }
        if let failure {
            // A server error met while sending (writer.flush) is more telling than "aborted by client".
            if case .failure(let serverError as PostgresError) = outcome, serverError.sqlState != .queryCanceled,
                failure is CopyAbort
            {
                throw serverError
            }
            throw failure
        }
        if endStatus != 1 {
            throw PostgresError(code: .copyFailed, message: PostgresConnection.errorMessage(self.handle), statement: sql)
        }
        return try outcome.get()
    }

    /// Runs `COPY … TO STDOUT` and calls `row` with each row's bytes as the server sent them
    /// (text format: tab-separated, escaped, ending in a newline; decode with ``CopyText/fields(of:)``).
    ///
    /// - Returns: the number of rows copied.
    @discardableResult
    public func copyOut(_ sql: String, _ row: ([UInt8]) throws -> Void) throws -> Int {
        let start = PQexec(self.handle, sql)
        defer { PQclear(start) }
        guard let start, PQresultStatus(start) == PGRES_COPY_OUT else {
            guard let start else { throw self.connectionError(statement: sql) }
            _ = try self.rows(from: start, statement: sql)
            throw PostgresError(code: .unexpectedResult, message: "statement did not start COPY TO STDOUT", statement: sql)
        }
        var failure: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(self.handle, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                if failure == nil {
                    do {
                        try row(Array(UnsafeRawBufferPointer(start: buffer, count: Int(length))))
                    } catch {
                        // Keep reading: libpq offers no way to stop a COPY OUT early but cancelling.
                        failure = error
                        self.cancelRunningStatement()
                    }
                }
            } else if length == -1 {
                break
            } else {
                throw PostgresError(code: .copyFailed, message: PostgresConnection.errorMessage(self.handle), statement: sql)
            }
        }
        var outcome: Result<Int, any Error> = .success(0)
        while let result = PQgetResult(self.handle) {
            defer { PQclear(result) }
            do {
                outcome = .success(try self.rows(from: result, statement: sql).affectedRowCount ?? 0)
            } catch {
                outcome = .failure(error)
            }
        }
        if let failure { throw failure }
        return try outcome.get()
    }

    /// Asks the server to cancel the statement running on this connection.
    func cancelRunningStatement() {
        guard let cancel = PQgetCancel(self.handle) else { return }
        defer { PQfreeCancel(cancel) }
        var errorBuffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &errorBuffer, Int32(errorBuffer.count))
    }
}

/// Marks an abort that came from the server refusing data while it was being sent.
struct CopyAbort: Error {}
