import Fluent
import Foundation
import SQLKit
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting
import ZIPFoundation

/// `thidua backup` / `thidua restore` on the database the tests run on (an SQLite file, or PostgreSQL with
/// `TEST_DATABASE_URL`): the demo round-trips table by table with its files; what changed after the backup is not in
/// the restore; a damaged, altered or foreign archive and a non-empty target are refused with nothing written.
@Suite("Backup and restore")
struct BackupTests {
    static let pgURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Every model's rows, as sorted JSON lines.
    static func snapshot(_ db: any Database) async throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for type in ThiDuaModels.all { out[type.schema] = try await BallotServerTests.rows(type, on: db).sorted() }
        return out
    }

    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("thidua-backup-test-\(UUID().uuidString)-\(name)")
    }

    @Test("The demo round-trips: every table's rows, the files, the audit head; later changes are not in the backup")
    func roundTrip() async throws {
        try await withThiDua(demo: true, demoRound: true, sqliteFile: true) { app, _ in try await Self.roundTripBody(app) }
    }

    static func roundTripBody(_ app: Application) async throws {
        let evidence = try app.fileStore.put(Data("Biên bản họp khối (tệp minh chứng)".utf8))
        let before = try await snapshot(app.db)
        #expect((before[BallotBoxModel.schema]?.count ?? 0) > 0 && (before[AuditEntry.schema]?.count ?? 0) > 100, "the demo with its ballots")
        let archive = temporary("backup.zip")
        defer { try? FileManager.default.removeItem(at: archive) }
        let made = try await Backup.backup(app, to: archive.path)
        #expect(made.files == 1 && made.manifest.tables[AuditEntry.schema] == before[AuditEntry.schema]?.count)
        #expect(made.manifest.migrations.contains("0022_ballot_session_quorum"))
        await #expect(throws: (any Error).self, "an existing file is not overwritten") { try await Backup.backup(app, to: archive.path) }
        // A change after the backup: not in what is restored.
        let later = Unit(officialName: "Đơn vị thêm sau khi sao lưu", shortName: "Sau", parentID: nil, kind: .civil, sector: nil)
        try await later.create(on: app.db)
        let files = temporary("files")
        defer { try? FileManager.default.removeItem(at: files) }
        if let url = pgURL {
            let sql = try #require(app.db as? any SQLDatabase)
            let schema = try #require(try await sql.raw("SELECT current_schema() AS s").first()?.decode(column: "s", as: String.self))
            // The backup's schema moved aside: the restore recreates it under its name, and the app reads it again.
            try await sql.raw("ALTER SCHEMA \(ident: schema) RENAME TO \(ident: schema + "_old")").run()
            let restored = try await Backup.restore(from: archive.path, into: .postgres(app: app, url: url), filesDirectory: files.path)
            #expect(restored.manifest == made.manifest)
            #expect(try await snapshot(app.db) == before, "every table as it was at the backup")
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: "_fluent_migrations")").first()?.decode(column: "n", as: Int.self) == made.manifest.migrations.count)
            try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema + "_old") CASCADE").run()
        } else {
            let target = temporary("restored.sqlite")
            defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target.path + s) } }
            let restored = try await Backup.restore(from: archive.path, into: .sqlite(path: target.path), filesDirectory: files.path)
            #expect(restored.manifest == made.manifest)
            let other = try await Application.make(.testing)
            do {
                var config = AppConfig(database: .sqliteFile(target.path), bcryptCost: 4)
                config.filesDirectory = files.path
                try await configure(other, config: config, migrate: false, readOnly: true)
                let after = try await snapshot(other.db)
                for (t, rows) in before where after[t] != rows {
                    Issue.record("\(t): \(Set(rows).subtracting(after[t] ?? []).prefix(2)) / \(Set(after[t] ?? []).subtracting(rows).prefix(2))")
                }
                #expect(try await Unit.query(on: other.db).filter(\.$officialName == later.officialName).count() == 0)
                let (ok, _) = try await Operations.verifyAudit(other)
                #expect(ok, "the restored audit chain verifies")
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
        let file = FileStore(root: files.path)
        #expect(try file.get(evidence) == Data("Biên bản họp khối (tệp minh chứng)".utf8), "the uploaded file came back")
    }

    @Test("Refused, nothing written: a truncated archive, an altered or an added entry, a non-empty target")
    func refusals() async throws {
        try await withThiDua(demo: true, sqliteFile: true) { app, _ in try await Self.refusalsBody(app) }
    }

    static func refusalsBody(_ app: Application) async throws {
        _ = try app.fileStore.put(Data("minh chứng".utf8))
        let archive = temporary("backup.zip")
        defer { try? FileManager.default.removeItem(at: archive) }
        _ = try await Backup.backup(app, to: archive.path)
        let bytes = try Data(contentsOf: archive)
        let truncated = temporary("truncated.zip")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        // An archive rewritten with one uploaded file changed (same size, other bytes) and one entry added.
        let altered = temporary("altered.zip")
        let unpacked = temporary("unpacked")
        defer { for u in [truncated, altered, unpacked] { try? FileManager.default.removeItem(at: u) } }
        try FileManager.default.unzipItem(at: archive, to: unpacked)
        let stored = try #require(FileManager.default.enumerator(atPath: unpacked.appendingPathComponent("files").path)?.allObjects.compactMap { $0 as? String }
            .first { $0.split(separator: "/").count == 3 })
        try Data("Minh chứng".utf8).write(to: unpacked.appendingPathComponent("files").appendingPathComponent(stored))
        try Data("thêm".utf8).write(to: unpacked.appendingPathComponent("extra.txt"))
        try FileManager.default.zipItem(at: unpacked, to: altered, shouldKeepParent: false)

        let files = temporary("files")
        defer { try? FileManager.default.removeItem(at: files) }
        func refused(_ path: URL, _ target: Backup.Target, _ expected: String) async throws {
            do {
                _ = try await Backup.restore(from: path.path, into: target, filesDirectory: files.path)
                Issue.record("\(path.lastPathComponent) was restored")
            } catch {
                #expect(String(describing: error).contains(expected), "\(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: files.path), "no file placed")
        }
        if let url = pgURL {
            let target = Backup.Target.postgres(app: app, url: url)
            try await refused(archive, target, "đã có")
            let sql = try #require(app.db as? any SQLDatabase)
            let schema = try #require(try await sql.raw("SELECT current_schema() AS s").first()?.decode(column: "s", as: String.self))
            try await sql.raw("ALTER SCHEMA \(ident: schema) RENAME TO \(ident: schema + "_keep")").run()
            try await sql.raw("CREATE SCHEMA \(ident: schema)").run()
            try await refused(truncated, target, "đã bị cắt")
            try await refused(altered, target, "mã băm không khớp")
            try await refused(altered, target, "extra.txt không có trong bảng kê")
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema()").first()?.decode(column: "n", as: Int.self) == 0)
            try await sql.raw("DROP SCHEMA \(ident: schema)").run()
            try await sql.raw("ALTER SCHEMA \(ident: schema + "_keep") RENAME TO \(ident: schema)").run()
        } else {
            guard case .sqliteFile(let own) = app.thiduaConfig.database else { Issue.record("not on a file"); return }
            try await refused(archive, .sqlite(path: own), "đã có")
            let target = temporary("target.sqlite")
            try await refused(truncated, .sqlite(path: target.path), "đã bị cắt")
            try await refused(altered, .sqlite(path: target.path), "mã băm không khớp")
            try await refused(altered, .sqlite(path: target.path), "extra.txt không có trong bảng kê")
            #expect(!FileManager.default.fileExists(atPath: target.path), "no database written")
        }
    }
}
