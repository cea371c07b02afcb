import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import ThiDuaCore
import Vapor
import ZIPFoundation

/// `thidua backup FILE` and `thidua restore FILE`: one ZIP archive holding the database (an SQLite copy made by
/// `VACUUM INTO`, or `pg_dump --format=custom` of the schema), the uploaded files, and a manifest (`BackupManifest`)
/// with every entry's SHA-256, the tables' row counts and the audit chain's head, read from the same snapshot as the
/// database's copy. Both run while the server runs. A restore checks the whole archive before it touches anything,
/// goes only into an empty database and an empty files folder, and checks the result against the manifest.
public enum Backup {
    public struct Summary: Sendable {
        public var manifest: BackupManifest
        /// SHA-256 of the archive file, to write down beside it.
        public var archiveSHA256: String
        public var files: Int { manifest.entries.filter { $0.path.hasPrefix(BackupManifest.filesPrefix) }.count }
        public var rows: Int { manifest.tables.values.reduce(0, +) }
    }

    struct Failure: Error, CustomStringConvertible, Sendable {
        var description: String
        init(_ d: String) { description = d }
    }

    // MARK: Backup

    /// Writes `path` (refused if it exists) from a consistent snapshot of the app's database and its files folder.
    public static func backup(_ app: Application, to path: String) async throws -> Summary {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: path)
        guard !fm.fileExists(atPath: target.path) else { throw Failure("\(path) đã có: chọn tên tệp khác (ví dụ có ngày giờ) để không ghi đè bản sao lưu cũ.") }
        let work = target.deletingLastPathComponent().appendingPathComponent(".thidua-backup-\(UUID().uuidString)", isDirectory: true)
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: work) }
        guard let sql = app.db as? any SQLDatabase else { throw Failure("cơ sở dữ liệu không hỗ trợ SQL") }
        let config = app.thiduaConfig
        var manifest: BackupManifest
        let now = ISO8601DateFormatter().string(from: Date())
        switch config.database {
        case .postgres(let url, _):
            let dump = work.appendingPathComponent(BackupManifest.postgresPath)
            manifest = try await app.db.transaction { db -> BackupManifest in
                guard let tx = db as? any SQLDatabase else { throw Failure("cơ sở dữ liệu không hỗ trợ SQL") }
                try await tx.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                let snapshot = try await tx.raw("SELECT pg_export_snapshot() AS s").first().map { try $0.decode(column: "s", as: String.self) } ?? ""
                guard let schema = try await Self.currentSchema(tx) else {
                    throw Failure("cơ sở dữ liệu PostgreSQL chưa có lược đồ (schema) nào trong search_path")
                }
                let facts = try await Self.facts(tx, postgres: true)
                // pg_dump reads the snapshot this transaction exported: the dump and the facts are the same state.
                let (dbURL, password) = Self.passwordApart(url)
                try await Tools.run("pg_dump", ["--format=custom", "--snapshot=\(snapshot)", "--schema=\(schema)", "--file=\(dump.path)", "--dbname=\(dbURL)"],
                                    env: password.map { ["PGPASSWORD": $0] } ?? [:])
                return BackupManifest(createdAt: now, database: "postgresql", schema: schema, migrations: facts.migrations, tables: facts.tables, auditHead: facts.head, entries: [])
            }
        case .sqliteFile, .sqliteMemory:
            let copy = work.appendingPathComponent(BackupManifest.sqlitePath)
            // VACUUM INTO copies the database as one read transaction sees it, while others go on writing (WAL).
            try await sql.raw("VACUUM INTO \(bind: copy.path)").run()
            let facts = try await Self.withSQLite(copy.path) { try await Self.facts($0, postgres: false) }
            manifest = BackupManifest(createdAt: now, database: "sqlite", migrations: facts.migrations, tables: facts.tables, auditHead: facts.head, entries: [])
        }
        // Files are stored once per content and never rewritten: those present now include every one the snapshot names.
        let filesRoot = URL(fileURLWithPath: config.resolvedFilesDirectory, isDirectory: true)
        var paths = [manifest.databasePath]
        if fm.fileExists(atPath: filesRoot.path) {
            let filesCopy = work.appendingPathComponent("files", isDirectory: true)
            for rel in try Self.storedFiles(under: filesRoot) {
                let dest = filesCopy.appendingPathComponent(rel)
                try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.copyItem(at: filesRoot.appendingPathComponent(rel), to: dest)
                paths.append(BackupManifest.filesPrefix + rel)
            }
        }
        manifest.entries = try paths.map { p in
            let (size, hash) = try Self.digest(work.appendingPathComponent(p))
            return .init(path: p, size: size, sha256: hash)
        }
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try e.encode(manifest).write(to: work.appendingPathComponent(BackupManifest.manifestPath))
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).partial")
        do {
            let archive = try Archive(url: partial, accessMode: .create)
            for p in [BackupManifest.manifestPath] + paths {
                try archive.addEntry(with: p, relativeTo: work, compressionMethod: .deflate)
            }
        } catch {
            try? fm.removeItem(at: partial)
            throw Failure("không ghi được tệp sao lưu: \(error)")
        }
        try fm.moveItem(at: partial, to: target)
        return Summary(manifest: manifest, archiveSHA256: try Self.digest(target).sha256)
    }

    // MARK: Restore

    /// Where a restore goes: an SQLite file that does not exist yet (or is empty), or the PostgreSQL database of
    /// `app` (its schema empty or absent).
    public enum Target: Sendable {
        case sqlite(path: String)
        case postgres(app: Application, url: String)
    }

    /// Checks the archive at `path`, then restores it into `target` and `filesDirectory` (both must be empty), and
    /// checks the restored database's tables and audit head against the manifest. Nothing is changed when the archive
    /// is damaged, altered, of the other database, or the target is not empty.
    public static func restore(from path: String, into target: Target, filesDirectory: String) async throws -> Summary {
        let fm = FileManager.default
        let source = URL(fileURLWithPath: path)
        guard fm.fileExists(atPath: source.path) else { throw Failure("không có tệp \(path)") }
        let base: URL
        switch target {
        case .sqlite(let p): base = URL(fileURLWithPath: p).deletingLastPathComponent()
        case .postgres: base = URL(fileURLWithPath: filesDirectory).deletingLastPathComponent()
        }
        try fm.createDirectory(at: base, withIntermediateDirectories: true)
        let work = base.appendingPathComponent(".thidua-restore-\(UUID().uuidString)", isDirectory: true)
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: work) }
        let manifest = try Self.unpack(source, into: work)
        let filesRoot = URL(fileURLWithPath: filesDirectory, isDirectory: true)
        if fm.fileExists(atPath: filesRoot.path), !(try Self.storedFiles(under: filesRoot, includeHidden: true)).isEmpty {
            throw Failure("thư mục tệp \(filesDirectory) không trống: chỉ khôi phục vào thư mục trống hoặc chưa có.")
        }
        let unpackedFiles = work.appendingPathComponent("files", isDirectory: true)
        switch target {
        case .sqlite(let p):
            guard manifest.database == "sqlite" else { throw Failure("đây là bản sao lưu PostgreSQL: đặt DATABASE_URL tới một cơ sở dữ liệu PostgreSQL trống.") }
            let dest = URL(fileURLWithPath: p)
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let f = dest.path + suffix
                if let size = (try? fm.attributesOfItem(atPath: f))?[.size] as? Int, size > 0 || !suffix.isEmpty {
                    throw Failure("\(f) đã có: chỉ khôi phục vào một tệp cơ sở dữ liệu chưa có (THIDUA_DB).")
                }
            }
            let copy = work.appendingPathComponent(BackupManifest.sqlitePath)
            let facts = try await Self.withSQLite(copy.path) { try await Self.facts($0, postgres: false) }
            try Self.compare(facts, manifest)
            let placed = try Self.placeFiles(unpackedFiles, at: filesRoot)
            do {
                if fm.fileExists(atPath: dest.path) { try fm.removeItem(at: dest) }
                try fm.moveItem(at: copy, to: dest)
            } catch {
                if placed { try? fm.removeItem(at: filesRoot) }
                throw Failure("không đặt được tệp cơ sở dữ liệu vào \(p): \(error)")
            }
        case .postgres(let app, let url):
            guard manifest.database == "postgresql" else { throw Failure("đây là bản sao lưu SQLite: bỏ DATABASE_URL và đặt THIDUA_DB tới một tệp chưa có.") }
            guard let sql = app.db as? any SQLDatabase else { throw Failure("cơ sở dữ liệu không hỗ trợ SQL") }
            let current = try await Self.currentSchema(sql)
            var list: URL?
            if let current {
                guard current == manifest.schema else {
                    throw Failure("bản sao lưu là của lược đồ “\(manifest.schema ?? "?")”, cơ sở dữ liệu đích dùng “\(current)”: đặt search_path cho khớp.")
                }
                let tables = try await sql.raw("SELECT COUNT(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema()").first()?.decode(column: "n", as: Int.self) ?? 0
                if tables > 0 { throw Failure("cơ sở dữ liệu đích đã có \(tables) bảng trong lược đồ “\(current)”: chỉ khôi phục vào cơ sở dữ liệu trống.") }
                // The schema is there (empty): restore everything but its creation.
                list = work.appendingPathComponent("toc.list")
                let toc = try await Tools.output("pg_restore", ["--list", work.appendingPathComponent(BackupManifest.postgresPath).path])
                let kept = toc.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.contains(" SCHEMA - \(current) ") && !$0.contains("COMMENT - SCHEMA \(current) ") }
                try kept.joined(separator: "\n").write(to: list!, atomically: true, encoding: .utf8)
            }
            let placed = try Self.placeFiles(unpackedFiles, at: filesRoot)
            let (dbURL, password) = Self.passwordApart(url)
            do {
                try await Tools.run("pg_restore", ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", "--dbname=\(dbURL)"]
                                    + (list.map { ["--use-list=\($0.path)"] } ?? []) + [work.appendingPathComponent(BackupManifest.postgresPath).path],
                                    env: password.map { ["PGPASSWORD": $0] } ?? [:])
            } catch {
                if placed { try? fm.removeItem(at: filesRoot) }
                throw error
            }
            try Self.compare(try await Self.facts(sql, postgres: true), manifest)
        }
        return Summary(manifest: manifest, archiveSHA256: try Self.digest(source).sha256)
    }

    /// Extracts the archive into `work` and checks every entry against the manifest (sizes, SHA-256, nothing missing,
    /// nothing added, no path outside the archive).
    static func unpack(_ source: URL, into work: URL) throws -> BackupManifest {
        let archive: Archive
        do { archive = try Archive(url: source, accessMode: .read) } catch {
            throw Failure("không đọc được \(source.lastPathComponent): không phải tệp sao lưu của ThiDua, hoặc tệp đã bị cắt.")
        }
        var found: [String: (size: Int, sha256: String)] = [:]
        var manifestData: Data?
        for entry in archive {
            // Folders (which other zip tools add) carry nothing; anything else must be a file at a safe path.
            if entry.type == .directory, BackupManifest.isSafe(String(entry.path.dropLast(entry.path.hasSuffix("/") ? 1 : 0))) { continue }
            guard BackupManifest.isSafe(entry.path), entry.type == .file else { throw Failure("tệp sao lưu có mục không hợp lệ: \(entry.path)") }
            let dest = work.appendingPathComponent(entry.path)
            do { _ = try archive.extract(entry, to: dest) } catch {
                throw Failure("\(entry.path) trong tệp sao lưu bị hỏng (\(error)): tệp đã bị cắt hoặc bị thay đổi.")
            }
            if entry.path == BackupManifest.manifestPath { manifestData = try Data(contentsOf: dest) } else { found[entry.path] = try Self.digest(dest) }
        }
        guard let manifestData, let manifest = try? JSONDecoder().decode(BackupManifest.self, from: manifestData) else {
            throw Failure("tệp sao lưu không có bảng kê (manifest.json) đọc được.")
        }
        let problems = manifest.problems(found: found)
        guard problems.isEmpty else { throw Failure("tệp sao lưu không toàn vẹn, không khôi phục gì:\n  - " + problems.joined(separator: "\n  - ")) }
        return manifest
    }

    /// Moves the unpacked files (if any) into place as the files folder; whether it placed any (and so what a failure
    /// later must take away).
    @discardableResult
    static func placeFiles(_ unpacked: URL, at root: URL) throws -> Bool {
        let fm = FileManager.default
        guard fm.fileExists(atPath: unpacked.path) else { return false }
        if fm.fileExists(atPath: root.path) { try fm.removeItem(at: root) }
        try fm.createDirectory(at: root.deletingLastPathComponent(), withIntermediateDirectories: true)
        do { try fm.moveItem(at: unpacked, to: root) } catch {
            // Another file system: copy instead.
            try fm.copyItem(at: unpacked, to: root)
        }
        return true
    }

    /// PostgreSQL's current schema (the first of the search path that exists), nil when none does.
    static func currentSchema(_ sql: any SQLDatabase) async throws -> String? {
        try await sql.raw("SELECT current_schema() AS s").first().flatMap { try $0.decodeNil(column: "s") ? nil : $0.decode(column: "s", as: String.self) }
    }

    // MARK: Facts

    struct Facts: Equatable { var tables: [String: Int]; var migrations: [String]; var head: BackupManifest.Head }

    /// Every table's row count, the migrations applied and the audit head, as `sql` sees them.
    static func facts(_ sql: any SQLDatabase, postgres: Bool) async throws -> Facts {
        let names = try await sql.raw(postgres
            ? "SELECT tablename AS name FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all().map { try $0.decode(column: "name", as: String.self) }
        var tables: [String: Int] = [:]
        for n in names { tables[n] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: n)").first()?.decode(column: "n", as: Int.self) ?? 0 }
        let migrations = names.contains("_fluent_migrations")
            ? try await sql.raw("SELECT name FROM _fluent_migrations ORDER BY name").all().map { try $0.decode(column: "name", as: String.self) } : []
        var head = BackupManifest.Head(seq: 0, hash: AuditChain.genesis)
        if names.contains(AuditHead.schema), let row = try await sql.raw("SELECT seq, hash FROM \(ident: AuditHead.schema)").first() {
            head = .init(seq: try row.decode(column: "seq", as: Int.self), hash: try row.decode(column: "hash", as: String.self))
        }
        return Facts(tables: tables, migrations: migrations, head: head)
    }

    static func compare(_ facts: Facts, _ manifest: BackupManifest) throws {
        var out: [String] = []
        for (t, n) in manifest.tables.sorted(by: { $0.key < $1.key }) where facts.tables[t] != n {
            out.append("bảng \(t): \(facts.tables[t].map(String.init) ?? "không có") dòng, bảng kê ghi \(n)")
        }
        for t in facts.tables.keys.sorted() where manifest.tables[t] == nil { out.append("bảng \(t) không có trong bảng kê") }
        if facts.head != manifest.auditHead { out.append("đầu chuỗi nhật ký \(facts.head.seq)/\(facts.head.hash.prefix(12)) khác bảng kê \(manifest.auditHead.seq)/\(manifest.auditHead.hash.prefix(12))") }
        if facts.migrations != manifest.migrations { out.append("các bước cấu trúc (migration) khác bảng kê") }
        guard out.isEmpty else { throw Failure("cơ sở dữ liệu khôi phục không khớp bảng kê:\n  - " + out.joined(separator: "\n  - ")) }
    }

    // MARK: Helpers

    static func withSQLite<T: Sendable>(_ path: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let conn = try await SQLiteConnection.open(storage: .file(path: path))
        do {
            let out = try await body(conn.sql())
            try await conn.close()
            return out
        } catch {
            try? await conn.close()
            throw error
        }
    }

    /// The regular files under `root`, relative (a store's temporary files, starting with a dot, left out).
    static func storedFiles(under root: URL, includeHidden: Bool = false) throws -> [String] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: root.path) else { return [] }
        var out: [String] = []
        while let rel = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: root.appendingPathComponent(rel).path, isDirectory: &isDir), !isDir.boolValue else { continue }
            if !includeHidden, rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            out.append(rel)
        }
        return out.sorted()
    }

    /// Size and SHA-256 of a file, read in pieces.
    static func digest(_ url: URL) throws -> (size: Int, sha256: String) {
        guard let h = FileHandle(forReadingAtPath: url.path) else { throw Failure("không đọc được \(url.path)") }
        defer { try? h.close() }
        var stream = SHA256Stream(), size = 0
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty {
            size += chunk.count
            stream.update(bytes: chunk)
        }
        return (size, stream.finish())
    }

    /// A PostgreSQL URL without its password (which goes to the tools by PGPASSWORD, not on their command line).
    static func passwordApart(_ url: String) -> (url: String, password: String?) {
        guard var c = URLComponents(string: url) else { return (url, nil) }
        let password = c.password
        c.password = nil
        return (c.string ?? url, password)
    }
}
