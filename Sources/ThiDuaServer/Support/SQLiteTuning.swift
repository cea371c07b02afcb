import Fluent
import FluentSQLiteDriver
import SQLKit
import Vapor

/// SQLite as a production store: write-ahead log (readers never wait for the writer, a crash loses nothing
/// committed), `synchronous=NORMAL` (safe with WAL, one fsync per checkpoint rather than per transaction),
/// a 10 s `busy_timeout` and foreign keys, on every connection of the pool.
///
/// The driver keeps one connection per event loop for the life of the process, so the settings are applied to
/// each loop's connection at start; `journal_mode=WAL` is also stored in the file itself.
enum SQLiteTuning {
    /// `busy_timeout` first: an instance starting beside another waits its turn to switch the journal mode.
    static let pragmas = ["PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"]

    static func apply(_ app: Application) async throws {
        for loop in app.eventLoopGroup.makeIterator() {
            guard let sql = app.databases.database(.sqlite, logger: app.logger, on: loop) as? any SQLDatabase else { continue }
            for pragma in pragmas { try await sql.raw(SQLQueryString(pragma)).run() }
        }
    }

    /// What one loop's connection reports (tests).
    static func read(_ app: Application, on loop: any EventLoop) async throws -> [String: String] {
        guard let sql = app.databases.database(.sqlite, logger: app.logger, on: loop) as? any SQLDatabase else { return [:] }
        var out: [String: String] = [:]
        for name in ["journal_mode", "synchronous", "busy_timeout", "foreign_keys"] {
            let row = try await sql.raw(SQLQueryString("PRAGMA \(unsafeRaw: name)")).first()
            out[name] = try row.flatMap { r in try r.allColumns.first.map { c in
                if let s = try? r.decode(column: c, as: String.self) { return s }
                return String(try r.decode(column: c, as: Int.self))
            } }
        }
        return out
    }
}
