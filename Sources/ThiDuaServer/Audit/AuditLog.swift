import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Foundation
import ThiDuaCore
import Vapor

/// Appends audit entries inside the caller's transaction. Every write that changes a user-visible fact
/// goes through `Request.audited` (or `AuditLog.write` for the CLI and the demo loader).
struct AuditLog: Sendable {
    let db: any Database
    let actor: String
    let now: Date
    /// With a key every entry's hash is an HMAC-SHA-256 under it.
    let key: AuditKey?
    /// How many entries this transaction wrote (counted in the metrics once it commits).
    let written = NIOLockedValueBox(0)

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static func json<T: Encodable>(_ value: T?) -> String? {
        guard let value else { return nil }
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// Records `action` on `entity` with the values before and after.
    func record<Old: Encodable, New: Encodable>(_ entity: String, _ entityID: UUID?, _ action: String, old: Old?, new: New?) async throws {
        // Touching the head row first takes its row lock on PostgreSQL: concurrent writers queue here
        // instead of forking the chain.
        if let sql = db as? any SQLDatabase {
            try await sql.raw("UPDATE audit_head SET seq = seq").run()
        }
        let head = try await AuditHead.query(on: db).first()
        let last = head.flatMap { $0.seq > 0 ? (seq: $0.seq, hash: $0.hash) : nil }
        let rec = AuditChain.next(after: last, atMillis: now.millis,
                                  actor: actor, entity: entity, entityID: entityID?.uuidString ?? "-", action: action,
                                  oldValue: Self.json(old), newValue: Self.json(new), key: key)
        try await AuditEntry(rec).create(on: db)
        written.withLockedValue { $0 += 1 }
        if let head {
            head.seq = rec.seq
            head.hash = rec.hash
            try await head.save(on: db)
        } else {
            try await AuditHead(seq: rec.seq, hash: rec.hash).create(on: db)
        }
    }

    /// Convenience when there is no old or no new value.
    func created<New: Encodable>(_ entity: String, _ id: UUID?, _ new: New) async throws {
        try await record(entity, id, "create", old: Optional<New>.none, new: new)
    }
    func deleted<Old: Encodable>(_ entity: String, _ id: UUID?, _ old: Old) async throws {
        try await record(entity, id, "delete", old: old, new: Optional<Old>.none)
    }

    /// Runs `body` in one transaction with an audit log bound to it.
    static func write<T: Sendable>(on db: any Database, actor: String, now: Date, key: AuditKey?,
                                   _ body: @Sendable @escaping (any Database, AuditLog) async throws -> T) async throws -> T {
        let counter = NIOLockedValueBox(0)
        let result = try await db.transaction { tx in
            // SQLite: wait for another connection's write lock instead of failing at once with SQLITE_BUSY.
            if let sql = tx as? any SQLDatabase, sql.dialect.name == "sqlite" {
                try await sql.raw("PRAGMA busy_timeout = 10000").run()
                // Take the write lock first (a write that changes nothing): a transaction that read before writing
                // could not be let through once another writer committed (WAL's SQLITE_BUSY_SNAPSHOT), while one
                // that starts by writing simply waits its turn.
                try await sql.raw("UPDATE audit_head SET seq = seq WHERE 1 = 0").run()
            }
            let log = AuditLog(db: tx, actor: actor, now: now, key: key)
            let value = try await body(tx, log)
            counter.withLockedValue { $0 = log.written.withLockedValue { $0 } }
            return value
        }
        // Committed: only now do the entries count.
        ThiDuaMetrics.auditEntries.increment(by: Int64(counter.withLockedValue { $0 }))
        return result
    }

    /// Checks the whole chain, and that it still passes through `checkpoint` when one is given.
    /// With the audit key, keyed entries are checked under it (without it they cannot be).
    static func verify(on db: any Database, checkpoint: AuditChain.Checkpoint? = nil, key: AuditKey?) async throws -> (verdict: AuditChain.Verdict, keying: String) {
        let entries = try await AuditEntry.query(on: db).sort(\.$seq).all().map(\.record)
        let head = try await AuditHead.query(on: db).first()
        return (AuditChain.verify(entries, head: head.map { (seq: $0.seq, hash: $0.hash) }, checkpoint: checkpoint, key: key), AuditChain.keying(entries))
    }

    /// Reads the audit key file; a missing, unreadable or short file stops the start with the reason (never the key).
    static func loadKey(_ path: String) throws -> AuditKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DomainError.invalid("Không đọc được tệp khóa nhật ký THIDUA_AUDIT_KEY_FILE=\(path).", field: "THIDUA_AUDIT_KEY_FILE")
        }
        guard let key = AuditKey(fileContents: Array(data)) else {
            throw DomainError.invalid("Tệp khóa nhật ký \(path) quá ngắn: cần ít nhất \(AuditKey.minimumLength) byte (ví dụ `openssl rand -hex 32 > \(path)`).", field: "THIDUA_AUDIT_KEY_FILE")
        }
        return key
    }

    /// With a key: when the newest entry is not hashed under it (the key was just set, or changed), an entry recording
    /// the key is written at once, so that a keyed chain's newest entry is always keyed and a rewrite by someone
    /// without the key shows.
    static func ensureKeyed(_ app: Application) async throws {
        guard let key = app.auditKey else { return }
        if let last = try await AuditEntry.query(on: app.db).sort(\.$seq, .descending).first(), last.keyID == key.id { return }
        struct S: Codable { var key: String; var algorithm: String }
        try await write(on: app.db, actor: "hệ thống", now: app.clock.now(), key: key) { _, audit in
            try await audit.record("audit_key", nil, "enable", old: Optional<S>.none, new: S(key: key.id, algorithm: "HMAC-SHA-256"))
        }
    }

    /// The chain's length and head now (read only).
    static func checkpoint(on db: any Database, now: Date) async throws -> AuditChain.Checkpoint {
        let entries = try await AuditEntry.query(on: db).sort(\.$seq).all().map(\.record)
        return AuditChain.checkpoint(entries, at: ISO8601DateFormatter().string(from: now))
    }

    /// The head (sequence number and hash) at this moment, for a document to anchor: read inside the writing
    /// transaction, before the entry of the action that seals the document.
    static func currentHead(on db: any Database) async throws -> (seq: Int, hash: String) {
        guard let head = try await AuditHead.query(on: db).first() else { return (0, AuditChain.genesis) }
        return (head.seq, head.hash)
    }
}
