import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

/// The audit log anchored outside the database: a checkpoint file and the head recorded in every sealed covenant.
@Suite struct AuditAnchorTests {
    @Test("A cut tail with the head moved back, or a deleted head row, is caught against a checkpoint taken before")
    func checkpointCatchesTampering() async throws {
        try await withThiDua(demo: true) { app, _ in
            let data = try await Operations.auditCheckpoint(app)
            let cp = try JSONDecoder().decode(AuditChain.Checkpoint.self, from: data)
            #expect(cp.entries == (try await count(AuditEntry.self, app)) && cp.head.count == 64)
            var (ok, message) = try await Operations.verifyAudit(app, checkpoint: cp)
            #expect(ok && message.contains("đi qua đúng mốc"))
            // New entries after the checkpoint are fine.
            let office = try await token(app, "vanphong")
            _ = try await api(app, .POST, "/api/v1/years", token: office, json: YearInput(year: 2030, theme: "Năm sau"))
            (ok, message) = try await Operations.verifyAudit(app, checkpoint: cp)
            #expect(ok && message.contains("bản ghi mới sau mốc"), "\(message)")
            // Cut the three newest entries and move the head row back to the new last one: consistent, but short.
            let all = try await AuditEntry.query(on: app.db).sort(\.$seq, .descending).all()
            for e in all.prefix(3) { try await e.delete(on: app.db) }
            let head = try #require(try await AuditHead.query(on: app.db).first())
            let last = all[3]
            head.seq = last.seq; head.hash = last.hash
            try await head.save(on: app.db)
            (ok, _) = try await Operations.verifyAudit(app)
            #expect(ok, "without the checkpoint the cut is invisible")
            (ok, message) = try await Operations.verifyAudit(app, checkpoint: cp)
            #expect(!ok && message.contains("cắt bỏ"), "\(message)")
            // The head row itself deleted.
            try await head.delete(on: app.db)
            (ok, message) = try await Operations.verifyAudit(app)
            #expect(!ok && message.contains("Dòng đầu chuỗi"), "\(message)")
        }
    }

    @Test("Sealing a covenant records the audit head at that moment; the page and the .docx show it")
    func sealAnchor() async throws {
        try await withThiDua(demo: true) { app, _ in
            let lead = try await token(app, "truongkhoi")
            let bloc = try #require(try await Bloc.query(on: app.db).first())
            let signed = try #require(try await CovenantService.current(blocID: bloc.requireID(), year: 2018, on: app.db))
            let draft = try await api(app, .POST, "/api/v1/covenants/\(signed.requireID())/actions/amend", token: lead).decoded(CovenantController.CovenantDTO.self)
            #expect(draft.auditAnchor == nil)
            let before = try await AuditLog.currentHead(on: app.db)
            let sealed = try await api(app, .POST, "/api/v1/covenants/\(draft.id)/actions/openForSigning", token: lead).decoded(CovenantController.CovenantDTO.self)
            #expect(sealed.auditAnchor == "nhật ký #\(before.seq), \(CovenantSeal.fingerprint(before.hash))")
            let v = try #require(try await CovenantVersion.find(draft.id, on: app.db))
            #expect(v.sealedAuditSeq == before.seq && v.sealedAuditHead == before.hash)
            let docx = try await api(app, .GET, "/api/v1/covenants/\(draft.id)/docx", token: lead)
            #expect(docx.status == .ok)
            // Withdrawn, the anchor goes with the seal.
            let back = try await api(app, .POST, "/api/v1/covenants/\(draft.id)/actions/withdrawFromSigning", token: lead).decoded(CovenantController.CovenantDTO.self)
            #expect(back.auditAnchor == nil && back.fingerprint == nil)
        }
    }

    @Test("THIDUA_AUDIT_KEY_FILE: every entry an HMAC under the key; verify says so; a rewrite without the key, or verifying without it, fails")
    func keyedChain() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("thidua-key-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let keyFile = dir.appendingPathComponent("audit.key").path
        try Data("3f7a1c9e5b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7\n".utf8).write(to: URL(fileURLWithPath: keyFile))
        let key = try #require(AuditKey(fileContents: Array(try Data(contentsOf: URL(fileURLWithPath: keyFile)))))
        try await withThiDua(demo: true, auditKeyFile: keyFile) { app, _ in
            let entries = try await AuditEntry.query(on: app.db).sort(\.$seq).all()
            #expect(!entries.isEmpty && entries.allSatisfy { $0.keyID == key.id })
            var (ok, message) = try await Operations.verifyAudit(app)
            #expect(ok && message.contains("ký bằng khóa \(key.id)") && message.contains("từ bản ghi đầu tiên"), "\(message)")
            let office = try await token(app, "vanphong")
            let status = try await api(app, .GET, "/api/v1/audit/verify", token: office).decoded(AuditController.ChainStatus.self)
            #expect(status.intact && status.keying.contains(key.id))

            // Someone with the database only rewrites the newest entry as a plain SHA-256 entry (hash and head consistent).
            let last = try #require(entries.last)
            var rec = last.record
            rec.newValue = "{\"sửa\":\"lén\"}"; rec.keyID = nil; rec.hash = rec.computedHash
            last.newValue = rec.newValue; last.keyID = nil; last.hash = rec.hash
            try await last.save(on: app.db)
            let head = try #require(try await AuditHead.query(on: app.db).first())
            head.hash = rec.hash
            try await head.save(on: app.db)
            (ok, message) = try await Operations.verifyAudit(app)
            #expect(!ok && message.contains("không được ký bằng khóa"), "\(message)")

            // Without the key, a keyed chain cannot be checked: said, not passed.
            app.auditKey = nil
            (ok, message) = try await Operations.verifyAudit(app)
            #expect(!ok && message.contains("THIDUA_AUDIT_KEY_FILE"), "\(message)")
        }
        // A key set on a database that has plain entries: the next start records the key, and the chain is keyed from there.
        try await withThiDua(demo: true) { app, _ in
            let plain = try await count(AuditEntry.self, app)
            app.auditKey = key
            try await AuditLog.ensureKeyed(app)
            try await AuditLog.ensureKeyed(app)
            #expect(try await count(AuditEntry.self, app) == plain + 1)
            let (ok, message) = try await Operations.verifyAudit(app)
            #expect(ok && message.contains("từ bản ghi số \(plain + 1)"), "\(message)")
        }
        // A short or missing key file stops the start with the reason.
        try Data("ngắn".utf8).write(to: URL(fileURLWithPath: keyFile))
        await #expect(throws: DomainError.self) { try await withThiDua(auditKeyFile: keyFile) { _, _ in } }
        await #expect(throws: DomainError.self) { try await withThiDua(auditKeyFile: dir.appendingPathComponent("none").path) { _, _ in } }
    }
}
