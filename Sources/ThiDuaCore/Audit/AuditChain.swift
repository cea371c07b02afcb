import Foundation

/// One audit entry as it is hashed. The hash covers every field and the previous entry's hash,
/// so that editing or removing any stored entry breaks the chain from that point on.
public struct AuditRecord: Sendable, Equatable, Codable {
    public var seq: Int
    /// Milliseconds since 1970 (an integer, so that both databases give back exactly what was hashed).
    public var atMillis: Int64
    public var actor: String
    public var entity: String
    public var entityID: String
    public var action: String
    public var oldValue: String?
    public var newValue: String?
    public var prevHash: String
    public var hash: String
    /// The `AuditKey.id` the hash is an HMAC under; nil for a plain SHA-256 entry.
    public var keyID: String?

    public init(seq: Int, atMillis: Int64, actor: String, entity: String, entityID: String, action: String,
                oldValue: String?, newValue: String?, prevHash: String, hash: String = "", keyID: String? = nil) {
        self.seq = seq; self.atMillis = atMillis; self.actor = actor; self.entity = entity
        self.entityID = entityID; self.action = action; self.oldValue = oldValue; self.newValue = newValue
        self.prevHash = prevHash; self.hash = hash; self.keyID = keyID
    }

    /// Length-prefixed fields: unambiguous whatever the values contain.
    public var canonical: String {
        let fields: [String?] = [String(seq), String(atMillis), actor, entity, entityID, action, oldValue, newValue, prevHash]
        return fields.map { f in f.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: "|")
    }

    /// The plain SHA-256 of the canonical form.
    public var computedHash: String { SHA256Digest.hex(canonical) }

    /// The hash this entry must have: the HMAC under `key` when the entry names that key, the SHA-256 when it names
    /// none; nil when it names a key other than `key` (it cannot be checked here).
    public func expectedHash(key: AuditKey?) -> String? {
        guard let keyID else { return computedHash }
        guard let key, key.id == keyID else { return nil }
        return key.mac(canonical)
    }
}

public enum AuditChain {
    /// The previous hash of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The next entry after `last` (nil for the first), with its hash filled in.
    /// With a `key`, the hash is an HMAC-SHA-256 under it and the entry names the key.
    public static func next(after last: (seq: Int, hash: String)?, atMillis: Int64, actor: String, entity: String,
                            entityID: String, action: String, oldValue: String?, newValue: String?, key: AuditKey? = nil) -> AuditRecord {
        var r = AuditRecord(seq: (last?.seq ?? 0) + 1, atMillis: atMillis, actor: actor, entity: entity, entityID: entityID,
                            action: action, oldValue: oldValue, newValue: newValue, prevHash: last?.hash ?? genesis, keyID: key?.id)
        r.hash = key.map { $0.mac(r.canonical) } ?? r.computedHash
        return r
    }

    /// The outcome of checking a chain.
    public enum Verdict: Sendable, Equatable {
        /// Every entry checks; `afterCheckpoint` entries were written after the checkpoint compared against.
        case intact(count: Int, afterCheckpoint: Int? = nil)
        /// The entry with this sequence number was changed after it was written.
        case altered(seq: Int)
        /// Entries are missing: the first missing sequence number.
        case removed(seq: Int)
        /// The head row kept apart from the entries is gone although there are entries.
        case headMissing(count: Int)
        /// The chain is shorter than a checkpoint taken earlier: its newest entries were cut off.
        case truncated(count: Int, checkpoint: Int)
        /// The chain no longer passes through the checkpoint's head: rewritten consistently (or another database).
        case diverged(seq: Int)
        /// This entry is hashed under a key that is not the one given (or none was given): it cannot be checked.
        case keyNeeded(seq: Int, keyID: String)
        /// A key is given but the newest entries are plain SHA-256 after keyed ones, or none is keyed although the
        /// server writes keyed entries: the chain was rewritten by someone without the key.
        case unkeyed(seq: Int)
        /// A key is given but no entry is keyed: the server has not run with the key yet, or the whole chain was
        /// rewritten by someone without it.
        case neverKeyed(count: Int)

        public var isIntact: Bool { if case .intact = self { return true }; return false }

        public var message: String {
            switch self {
            case .intact(let n, nil): "Chuỗi nhật ký nguyên vẹn: \(n) bản ghi."
            case .intact(let n, let after?): "Chuỗi nhật ký nguyên vẹn: \(n) bản ghi; đi qua đúng mốc đã ghi, có \(after) bản ghi mới sau mốc."
            case .altered(let s): "Bản ghi nhật ký số \(s) đã bị sửa sau khi ghi."
            case .removed(let s): "Bản ghi nhật ký số \(s) đã bị xóa."
            case .headMissing(let n): "Dòng đầu chuỗi (bản ghi mới nhất) đã bị xóa khỏi bảng riêng của nó: không còn đối chiếu được \(n) bản ghi với mốc của chính cơ sở dữ liệu."
            case .truncated(let n, let cp): "Nhật ký chỉ còn \(n) bản ghi, ít hơn mốc đã ghi (\(cp) bản ghi): các bản ghi mới nhất đã bị cắt bỏ."
            case .diverged(let s): "Bản ghi số \(s) không còn khớp với mốc đã ghi: nhật ký đã bị viết lại (hoặc mốc thuộc cơ sở dữ liệu khác)."
            case .keyNeeded(let s, let id): "Bản ghi số \(s) được ký bằng khóa \(id): hãy đặt THIDUA_AUDIT_KEY_FILE chỉ tới đúng khóa đó để kiểm tra."
            case .unkeyed(let s): "Bản ghi số \(s) không được ký bằng khóa dù nhật ký đã dùng khóa: nhật ký đã bị viết lại bởi người không có khóa."
            case .neverKeyed(let n): "Không bản ghi nào trong \(n) bản ghi được ký bằng khóa đã đặt. Máy chủ chạy với THIDUA_AUDIT_KEY_FILE ghi một bản ghi có khóa ngay khi khởi động; nếu máy chủ đã chạy với khóa này, nhật ký đã bị viết lại."
            }
        }
    }

    /// A chain's length and head at a moment, kept outside the database (`thidua audit checkpoint`).
    public struct Checkpoint: Codable, Sendable, Equatable {
        public var entries: Int
        public var head: String
        public var at: String
        public init(entries: Int, head: String, at: String) { self.entries = entries; self.head = head; self.at = at }
    }

    /// The checkpoint of `entries` (any order) at `at`.
    public static func checkpoint(_ entries: [AuditRecord], at: String) -> Checkpoint {
        let last = entries.max { $0.seq < $1.seq }
        return Checkpoint(entries: last?.seq ?? 0, head: last?.hash ?? genesis, at: at)
    }

    /// Checks the chain, then that it still passes through `checkpoint` (taken earlier and kept elsewhere):
    /// not shorter, and the entry at its length still has its head hash.
    public static func verify(_ entries: [AuditRecord], head: (seq: Int, hash: String)?, checkpoint: Checkpoint?, key: AuditKey? = nil) -> Verdict {
        let verdict = verify(entries, head: head, key: key)
        guard case .intact(let count, _) = verdict else { return verdict }
        if head == nil, count > 0 { return .headMissing(count: count) }
        guard let cp = checkpoint else { return verdict }
        if count < cp.entries { return .truncated(count: count, checkpoint: cp.entries) }
        if cp.entries == 0 { return cp.head == genesis ? .intact(count: count, afterCheckpoint: count) : .diverged(seq: 1) }
        guard let at = entries.first(where: { $0.seq == cp.entries }), at.hash == cp.head else { return .diverged(seq: cp.entries) }
        return .intact(count: count, afterCheckpoint: count - cp.entries)
    }

    /// Checks `entries` (any order). `head` is the (seq, hash) of the last entry kept apart from the
    /// entries, so that removing the newest entries is caught too.
    /// With a `key`: keyed entries are checked under it, and once an entry is keyed every later one must be (a
    /// plain entry after keyed ones is a rewrite by someone without the key).
    public static func verify(_ entries: [AuditRecord], head: (seq: Int, hash: String)?, key: AuditKey? = nil) -> Verdict {
        let sorted = entries.sorted { $0.seq < $1.seq }
        var expectedSeq = 1
        var prev = genesis
        var keyedSeen = false
        for e in sorted {
            if e.seq != expectedSeq {
                return e.seq > expectedSeq ? .removed(seq: expectedSeq) : .altered(seq: e.seq)
            }
            if let id = e.keyID {
                keyedSeen = true
                guard let expected = e.expectedHash(key: key) else { return .keyNeeded(seq: e.seq, keyID: id) }
                if e.hash != expected { return .altered(seq: e.seq) }
            } else {
                if keyedSeen { return .unkeyed(seq: e.seq) }
                if e.hash != e.computedHash { return .altered(seq: e.seq) }
            }
            if e.prevHash != prev {
                // The link is broken although this entry is self-consistent: the one before was rewritten.
                return .altered(seq: max(1, e.seq - 1))
            }
            prev = e.hash
            expectedSeq += 1
        }
        if let head {
            if head.seq > sorted.count { return .removed(seq: sorted.count + 1) }
            if head.seq == sorted.count, head.seq > 0, head.hash != prev { return .altered(seq: head.seq) }
        }
        // A server with a key writes a keyed entry at its start: a keyed chain's newest entry is always keyed.
        if key != nil, let last = sorted.last, last.keyID == nil { return .neverKeyed(count: sorted.count) }
        return .intact(count: sorted.count)
    }

    /// Whether the chain is keyed, for the output of `audit verify` and the audit page.
    public static func keying(_ entries: [AuditRecord]) -> String {
        guard let first = entries.filter({ $0.keyID != nil }).min(by: { $0.seq < $1.seq }), let id = first.keyID else {
            return "Chuỗi không dùng khóa: mỗi bản ghi là SHA-256 (đặt THIDUA_AUDIT_KEY_FILE để ký bằng HMAC-SHA-256)."
        }
        return first.seq == 1 ? "Chuỗi ký bằng khóa \(id) (HMAC-SHA-256) từ bản ghi đầu tiên."
            : "Chuỗi ký bằng khóa \(id) (HMAC-SHA-256) từ bản ghi số \(first.seq); \(first.seq - 1) bản ghi trước đó chỉ có SHA-256."
    }
}
