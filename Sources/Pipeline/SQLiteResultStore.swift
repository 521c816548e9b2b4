/// Results in a SQLite file under the data directory. Two connections: saves go through one,
/// lookups through the other, and WAL mode lets a read go on while a save is being written, so
/// readers never wait for a save.
public final class SQLiteResultStore: ResultStore {
    private let db: SQLiteDatabase
    private let reader: SQLiteDatabase
    public let path: String

    public init(path: String) throws {
        self.path = path
        db = try SQLiteDatabase(path: path)
        try db.execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS results (
                id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                finished_at INTEGER
            );
            CREATE TABLE IF NOT EXISTS events (
                result_id TEXT NOT NULL REFERENCES results(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                name TEXT NOT NULL,
                envelope TEXT NOT NULL,
                PRIMARY KEY (result_id, seq)
            );
            PRAGMA foreign_keys=ON;
            """)
        reader = try SQLiteDatabase(path: path)
    }

    public func load(id: String) throws -> (status: ResultStatus, events: [ResultEvent])? {
        let rows = try reader.query("SELECT status FROM results WHERE id = ?", [.text(id)])
        guard let statusText = rows.first?.first?.text, let status = ResultStatus(rawValue: statusText),
              status != .running
        else { return nil }
        let events = try reader.query("SELECT seq, name, envelope FROM events WHERE result_id = ? ORDER BY seq", [.text(id)])
            .compactMap { row -> ResultEvent? in
                guard row.count == 3, let seq = row[0].int, let name = row[1].text, let envelope = row[2].text else { return nil }
                return ResultEvent(id: Int(seq), name: name, envelope: envelope)
            }
        return (status, events)
    }

    public func markRunning(id: String) throws {
        try db.transaction { run in
            try run("DELETE FROM events WHERE result_id = ?", [.text(id)])
            try run("INSERT OR REPLACE INTO results (id, status, started_at) VALUES (?, 'running', ?)",
                    [.text(id), .int(PipelineClock.wallSeconds())])
        }
    }

    public func save(id: String, status: ResultStatus, events: [ResultEvent]) throws {
        try db.transaction { run in
            try run("DELETE FROM events WHERE result_id = ?", [.text(id)])
            try run("""
                INSERT INTO results (id, status, started_at, finished_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at
                """, [.text(id), .text(status.rawValue), .int(PipelineClock.wallSeconds()), .int(PipelineClock.wallSeconds())])
            for event in events {
                try run("INSERT INTO events (result_id, seq, name, envelope) VALUES (?, ?, ?, ?)",
                        [.text(id), .int(Int64(event.id)), .text(event.name), .text(event.envelope)])
            }
        }
    }

    public func removeInterrupted() throws -> Int {
        let rows = try db.query("SELECT id FROM results WHERE status = 'running'")
        try db.transaction { run in
            try run("DELETE FROM events WHERE result_id IN (SELECT id FROM results WHERE status = 'running')", [])
            try run("DELETE FROM results WHERE status = 'running'", [])
        }
        return rows.count
    }

    public func purge(olderThanSeconds seconds: Int64) throws -> Int {
        let cutoff = PipelineClock.wallSeconds() - seconds
        let rows = try db.query("SELECT id FROM results WHERE finished_at IS NOT NULL AND finished_at < ?", [.int(cutoff)])
        try db.transaction { run in
            try run("DELETE FROM events WHERE result_id IN (SELECT id FROM results WHERE finished_at IS NOT NULL AND finished_at < ?)", [.int(cutoff)])
            try run("DELETE FROM results WHERE finished_at IS NOT NULL AND finished_at < ?", [.int(cutoff)])
        }
        return rows.count
    }

    public func check() throws {
        try reader.query("SELECT 1")
    }
}
