import FluentPostgresDriver
import Foundation
import PostgresNIO
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// Makes the start's changes to the database (migrations, the first account, the demo) run once however many
/// instances start together: PostgreSQL's advisory lock (held on a connection of its own, released when it closes,
/// so a killed instance never leaves it held), or, for an SQLite file, an exclusive lock on the file `<db>.lock`
/// beside it (released by the system when the process ends). The others wait, then find the work done.
enum StartLock {
    static func around(_ app: Application, _ body: () async throws -> Void) async throws {
        switch app.thiduaConfig.database {
        case .sqliteMemory:
            try await body()
        case .sqliteFile(let path):
            try await withFileLock(app, path: path + ".lock", body)
        case .postgres(_, let searchPath):
            guard let pg = app.postgresConfiguration else { try await body(); return }
            try await withAdvisoryLock(app, configuration: pg.coreConfiguration, key: key(searchPath: searchPath), body)
        }
    }

    /// One key per schema ("thidua" + a stable FNV-1a hash of the search path): tests in schemas of their own
    /// do not wait for one another.
    static func key(searchPath: [String]?) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("thidua-start:" + (searchPath ?? []).joined(separator: ",")).utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return Int64(bitPattern: h)
    }

    private static func withAdvisoryLock(_ app: Application, configuration: PostgresConnection.Configuration, key: Int64,
                                         _ body: () async throws -> Void) async throws {
        let conn = try await PostgresConnection.connect(on: app.eventLoopGroup.any(), configuration: configuration, id: 0, logger: app.logger)
        // The lock belongs to this connection's session: closing the connection releases it, however `body` ended.
        let outcome: Result<Void, any Error>
        do {
            var got = false
            for try await value in try await conn.query("SELECT pg_try_advisory_lock(\(key))", logger: app.logger).decode(Bool.self) { got = value }
            if !got {
                app.logger.notice("Một phiên bản khác đang cập nhật cơ sở dữ liệu; chờ nó xong.")
                _ = try await conn.query("SELECT pg_advisory_lock(\(key))", logger: app.logger)
            }
            try await body()
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        try? await conn.close()
        try outcome.get()
    }

    private static func withFileLock(_ app: Application, path: String, _ body: () async throws -> Void) async throws {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DatabaseTrouble(message: "không tạo được tệp khóa \(path) (\(String(cString: strerror(errno)))): kiểm tra quyền ghi thư mục của cơ sở dữ liệu", transient: false)
        }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            app.logger.notice("Một phiên bản khác đang cập nhật cơ sở dữ liệu; chờ nó xong.")
            let rc = try await app.threadPool.runIfActive { flock(fd, LOCK_EX) }
            guard rc == 0 else { throw DatabaseTrouble(message: "không khóa được tệp \(path) (\(String(cString: strerror(errno))))", transient: false) }
        }
        defer { flock(fd, LOCK_UN) }
        try await body()
    }
}

extension Application {
    private struct PostgresConfigurationKey: StorageKey { typealias Value = SQLPostgresConfiguration }
    /// The PostgreSQL configuration the databases were set up with (nil on SQLite).
    var postgresConfiguration: SQLPostgresConfiguration? {
        get { storage[PostgresConfigurationKey.self] }
        set { storage[PostgresConfigurationKey.self] = newValue }
    }
}
