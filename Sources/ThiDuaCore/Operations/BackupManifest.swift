import Foundation

/// What a backup (`thidua backup FILE`) holds and how to check it: the archive's `manifest.json` names every other
/// entry with its size and SHA-256, the database it came from, the migrations it had, its tables' row counts and the
/// audit chain's head, all read from the same snapshot. A restore refuses an archive whose entries do not match.
public struct BackupManifest: Codable, Sendable, Equatable {
    public static let format = "thidua-backup/1"
    public static let manifestPath = "manifest.json"
    /// The database's entry: an SQLite file, or a PostgreSQL dump (`pg_dump --format=custom`).
    public static let sqlitePath = "database.sqlite"
    public static let postgresPath = "database.pgdump"
    /// Uploaded files, under their content paths (`files/ab/cd/abcd…`).
    public static let filesPrefix = "files/"

    public struct Entry: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int
        public var sha256: String
        public init(path: String, size: Int, sha256: String) { self.path = path; self.size = size; self.sha256 = sha256 }
    }
    public struct Head: Codable, Sendable, Equatable {
        public var seq: Int
        public var hash: String
        public init(seq: Int, hash: String) { self.seq = seq; self.hash = hash }
    }

    public var format: String
    /// ISO 8601, UTC.
    public var createdAt: String
    /// "sqlite" or "postgresql".
    public var database: String
    /// PostgreSQL: the schema dumped (restored under the same name).
    public var schema: String?
    public var migrations: [String]
    public var tables: [String: Int]
    public var auditHead: Head
    public var entries: [Entry]

    public init(createdAt: String, database: String, schema: String? = nil, migrations: [String], tables: [String: Int], auditHead: Head, entries: [Entry]) {
        self.format = Self.format; self.createdAt = createdAt; self.database = database; self.schema = schema
        self.migrations = migrations; self.tables = tables; self.auditHead = auditHead; self.entries = entries
    }

    /// The database entry's path for this manifest's database.
    public var databasePath: String { database == "postgresql" ? Self.postgresPath : Self.sqlitePath }

    /// A path an archive may hold: relative, no `..`, no empty or hidden part, no backslash, bounded.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count <= 300, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") }
    }

    /// Every way the archive's `found` entries (path → size and hash, as read) differ from the manifest: in Vietnamese,
    /// one line each; empty when the archive is whole and unaltered.
    public func problems(found: [String: (size: Int, sha256: String)]) -> [String] {
        var out: [String] = []
        if format != Self.format { out.append("định dạng “\(format)” không phải \(Self.format)") }
        if !["sqlite", "postgresql"].contains(database) { out.append("loại cơ sở dữ liệu “\(database)” không rõ") }
        var listed = Set<String>()
        for e in entries {
            if !Self.isSafe(e.path) { out.append("đường dẫn không hợp lệ: \(e.path)"); continue }
            if !listed.insert(e.path).inserted { out.append("\(e.path) có hai lần trong bảng kê"); continue }
            guard let f = found[e.path] else { out.append("thiếu \(e.path)"); continue }
            if f.size != e.size { out.append("\(e.path): \(f.size) byte, bảng kê ghi \(e.size) (tệp bị cắt hoặc bị thay)") }
            else if f.sha256 != e.sha256 { out.append("\(e.path): mã băm không khớp (nội dung đã bị thay đổi)") }
        }
        if !listed.contains(databasePath) { out.append("bảng kê không có \(databasePath)") }
        for path in found.keys.sorted() where path != Self.manifestPath && !listed.contains(path) { out.append("\(path) không có trong bảng kê") }
        return out
    }
}
