import CSQLite
import Synchronization

public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public var description: String { "SQLite error \(code): \(message)" }
}

/// A SQLite connection used from many threads, one statement at a time.
final class SQLiteDatabase: @unchecked Sendable {  // wraps a sqlite3* handle; every use goes through `lock`
    private let handle: OpaquePointer
    private let lock = Mutex(())

    init(path: String) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close(db) }
            throw SQLiteError(code: rc, message: "\(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
    }

    deinit { sqlite3_close(handle) }

    /// Runs SQL without results (schema, pragmas, transactions).
    func execute(_ sql: String) throws {
        try lock.withLock { _ in
            var error: UnsafeMutablePointer<CChar>?
            let rc = sqlite3_exec(handle, sql, nil, nil, &error)
            if rc != SQLITE_OK {
                let message = error.map { String(cString: $0) } ?? "error"
                sqlite3_free(error)
                throw SQLiteError(code: rc, message: message)
            }
        }
    }

    enum Value: Sendable {
        case text(String)
        case int(Int64)
        case null
    }

    /// Runs one statement with bound values; returns its rows.
    @discardableResult
    func query(_ sql: String, _ values: [Value] = []) throws -> [[Value]] {
        try lock.withLock { _ in try queryLocked(sql, values) }
    }

    /// Runs `body` inside one transaction (all or nothing).
    func transaction(_ body: (_ run: (String, [Value]) throws -> Void) throws -> Void) throws {
        try lock.withLock { _ in
            try queryLocked("BEGIN IMMEDIATE", [])
            do {
                try body { sql, values in _ = try queryLocked(sql, values) }
                try queryLocked("COMMIT", [])
            } catch {
                _ = try? queryLocked("ROLLBACK", [])
                throw error
            }
        }
    }

    @discardableResult
    private func queryLocked(_ sql: String, _ values: [Value]) throws -> [[Value]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw lastError()
        }
        defer { sqlite3_finalize(statement) }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .text(let text): sqlite3_bind_text(statement, position, text, -1, csqlite_transient())
            case .int(let number): sqlite3_bind_int64(statement, position, number)
            case .null: sqlite3_bind_null(statement, position)
            }
        }
        var rows: [[Value]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw lastError() }
            var row: [Value] = []
            for column in 0..<sqlite3_column_count(statement) {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: row.append(.int(sqlite3_column_int64(statement, column)))
                case SQLITE_NULL: row.append(.null)
                default:
                    if let text = sqlite3_column_text(statement, column) {
                        row.append(.text(String(cString: text)))
                    } else {
                        row.append(.null)
                    }
                }
            }
            rows.append(row)
        }
        return rows
    }

    private func lastError() -> SQLiteError {
        SQLiteError(code: sqlite3_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }
}

extension SQLiteDatabase.Value {
    var text: String? { if case .text(let t) = self { return t }; return nil }
    var int: Int64? { if case .int(let i) = self { return i }; return nil }
}
