import Foundation
import Testing
@testable import ThiDuaCore

/// The keyed audit chain (`THIDUA_AUDIT_KEY_FILE`): HMAC-SHA-256 entries that someone with the database alone
/// cannot forge, checked only with the key, and a rewrite without the key always shows.
@Suite struct AuditKeyTests {
    let key = AuditKey(fileContents: Array("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n".utf8))!
    let other = AuditKey(fileContents: Array(repeating: 0x42, count: 32))!

    /// `plain` entries without a key, then `keyed` entries under `key`.
    func chain(plain: Int, keyed: Int, key: AuditKey?) -> [AuditRecord] {
        var out: [AuditRecord] = []
        for i in 0..<(plain + keyed) {
            out.append(AuditChain.next(after: out.last.map { ($0.seq, $0.hash) }, atMillis: Int64(1000 * i), actor: "admin", entity: "unit",
                                       entityID: "u\(i)", action: "update", oldValue: nil, newValue: "{\"n\":\(i)}", key: i < plain ? nil : key))
        }
        return out
    }

    func head(_ c: [AuditRecord]) -> (seq: Int, hash: String)? { c.last.map { ($0.seq, $0.hash) } }

    @Test("A key file: at least 32 bytes, a final line break ignored, named by a stable id that is not the key")
    func keyFile() throws {
        #expect(AuditKey(fileContents: Array(repeating: 1, count: 31)) == nil)
        #expect(AuditKey(fileContents: Array(repeating: 1, count: 31) + [0x0A]) == nil)
        let withBreak = try #require(AuditKey(fileContents: Array(repeating: 7, count: 32) + [0x0D, 0x0A]))
        #expect(withBreak.id == AuditKey(fileContents: Array(repeating: 7, count: 32))?.id)
        #expect(key.id.count == 8 && key.id != other.id && key.id == key.id.uppercased())
        #expect(key.mac("abc") == key.mac("abc") && key.mac("abc") != other.mac("abc") && key.mac("abc").count == 64)
        #expect(key.mac("abc") != SHA256Digest.hex("abc"))
    }

    @Test("A keyed chain verifies with its key, and says it is keyed from which entry")
    func keyed() {
        let c = chain(plain: 3, keyed: 4, key: key)
        #expect(c[2].keyID == nil && c[3].keyID == key.id)
        #expect(AuditChain.verify(c, head: head(c), key: key) == .intact(count: 7))
        #expect(AuditChain.keying(c).contains("từ bản ghi số 4") && AuditChain.keying(c).contains(key.id))
        #expect(AuditChain.keying(chain(plain: 0, keyed: 2, key: key)).contains("từ bản ghi đầu tiên"))
        #expect(AuditChain.keying(chain(plain: 2, keyed: 0, key: nil)).contains("không dùng khóa"))
    }

    @Test("Without the key, or with another key, keyed entries cannot be checked and say which key they need")
    func keyNeeded() {
        let c = chain(plain: 2, keyed: 3, key: key)
        #expect(AuditChain.verify(c, head: head(c)) == .keyNeeded(seq: 3, keyID: key.id))
        #expect(AuditChain.verify(c, head: head(c), key: other) == .keyNeeded(seq: 3, keyID: key.id))
        #expect(!AuditChain.Verdict.keyNeeded(seq: 3, keyID: key.id).isIntact)
    }

    @Test("Someone with the database but not the key: an edit, a plain tail or a whole plain rewrite is caught")
    func forgeries() {
        let c = chain(plain: 2, keyed: 4, key: key)
        // An edited keyed entry whose hash is recomputed as plain SHA-256 under the same key id.
        var edited = c
        edited[3].newValue = "{\"n\":99}"
        edited[3].hash = edited[3].computedHash
        #expect(AuditChain.verify(edited, head: head(edited), key: key) == .altered(seq: 4))
        // The tail rewritten as plain entries (key id dropped, hashes and links recomputed).
        var tail = Array(c.prefix(4))
        for i in 4..<6 {
            tail.append(AuditChain.next(after: (tail[i - 1].seq, tail[i - 1].hash), atMillis: Int64(1000 * i), actor: "admin", entity: "unit",
                                        entityID: "u\(i)", action: "update", oldValue: nil, newValue: "{\"n\":\(i)}"))
        }
        #expect(AuditChain.verify(tail, head: head(tail), key: key) == .unkeyed(seq: 5))
        #expect(AuditChain.verify(tail, head: head(tail)) == .keyNeeded(seq: 3, keyID: key.id))
        // The whole chain rewritten as a consistent plain chain: passes without the key, not with it.
        let plain = chain(plain: 6, keyed: 0, key: nil)
        #expect(AuditChain.verify(plain, head: head(plain)) == .intact(count: 6))
        #expect(AuditChain.verify(plain, head: head(plain), key: key) == .neverKeyed(count: 6))
        // Against a checkpoint the keyed chain still extends it.
        let cp = AuditChain.checkpoint(Array(c.prefix(5)), at: "x")
        #expect(AuditChain.verify(c, head: head(c), checkpoint: cp, key: key) == .intact(count: 6, afterCheckpoint: 1))
    }
}
