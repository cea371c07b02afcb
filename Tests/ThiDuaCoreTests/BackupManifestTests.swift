import Foundation
import Testing
import ThiDuaCore

@Suite("Backup manifest")
struct BackupManifestTests {
    static let manifest = BackupManifest(createdAt: "2026-12-02T00:00:00Z", database: "sqlite", migrations: ["0001"], tables: ["units": 9],
                                         auditHead: .init(seq: 3, hash: "abc"),
                                         entries: [.init(path: "database.sqlite", size: 10, sha256: "aa"), .init(path: "files/ab/cd/abcd", size: 4, sha256: "bb")])

    @Test("A whole, unaltered archive has no problem; each kind of damage is named with its entry")
    func problems() {
        let whole: [String: (size: Int, sha256: String)] = ["database.sqlite": (10, "aa"), "files/ab/cd/abcd": (4, "bb"), "manifest.json": (1, "x")]
        #expect(Self.manifest.problems(found: whole).isEmpty)
        var cut = whole; cut["database.sqlite"] = (5, "aa")
        #expect(Self.manifest.problems(found: cut) == ["database.sqlite: 5 byte, bảng kê ghi 10 (tệp bị cắt hoặc bị thay)"])
        var altered = whole; altered["files/ab/cd/abcd"] = (4, "cc")
        #expect(Self.manifest.problems(found: altered) == ["files/ab/cd/abcd: mã băm không khớp (nội dung đã bị thay đổi)"])
        var missing = whole; missing["files/ab/cd/abcd"] = nil
        #expect(Self.manifest.problems(found: missing) == ["thiếu files/ab/cd/abcd"])
        var added = whole; added["files/ee/ff/eeff"] = (1, "dd")
        #expect(Self.manifest.problems(found: added) == ["files/ee/ff/eeff không có trong bảng kê"])
        var foreign = Self.manifest; foreign.database = "postgresql"
        #expect(foreign.problems(found: whole).contains("bảng kê không có database.pgdump"))
        var twice = Self.manifest; twice.entries.append(twice.entries[1])
        #expect(twice.problems(found: whole) == ["files/ab/cd/abcd có hai lần trong bảng kê"])
        var old = Self.manifest; old.format = "thidua-backup/0"
        #expect(old.problems(found: whole).first?.contains("không phải thidua-backup/1") == true)
    }

    @Test("Paths an archive may hold")
    func paths() {
        for ok in ["manifest.json", "database.sqlite", "files/ab/cd/abcdef"] { #expect(BackupManifest.isSafe(ok), "\(ok)") }
        for bad in ["", "/etc/passwd", "../x", "files/../../x", "files//x", "files/./x", ".hidden", "files/.tmp", "a\\b", String(repeating: "a", count: 301)] {
            #expect(!BackupManifest.isSafe(bad), "\(bad)")
        }
        var evil = Self.manifest; evil.entries.append(.init(path: "../../etc/cron.d/x", size: 1, sha256: "z"))
        #expect(evil.problems(found: ["database.sqlite": (10, "aa"), "files/ab/cd/abcd": (4, "bb")]).contains("đường dẫn không hợp lệ: ../../etc/cron.d/x"))
    }
}
