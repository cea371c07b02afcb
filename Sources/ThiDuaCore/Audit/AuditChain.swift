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

    public init(seq: Int, atMillis: Int64, actor: String, entity: String, entityID: String, action: String,
                oldValue: String?, newValue: String?, prevHash: String, hash: String = "") {
        self.seq = seq; self.atMillis = atMillis; self.actor = actor; self.entity = entity
        self.entityID = entityID; self.action = action; self.oldValue = oldValue; self.newValue = newValue
        self.prevHash = prevHash; self.hash = hash
    }

    /// Length-prefixed fields: unambiguous whatever the values contain.
    public var canonical: String {
        let fields: [String?] = [String(seq), String(atMillis), actor, entity, entityID, action, oldValue, newValue, prevHash]
        return fields.map { f in f.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: "|")
    }

    public var computedHash: String { SHA256Digest.hex(canonical) }
}

public enum AuditChain {
    /// The previous hash of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The next entry after `last` (nil for the first), with its hash filled in.
    public static func next(after last: (seq: Int, hash: String)?, atMillis: Int64, actor: String, entity: String,
                            entityID: String, action: String, oldValue: String?, newValue: String?) -> AuditRecord {
        var r = AuditRecord(seq: (last?.seq ?? 0) + 1, atMillis: atMillis, actor: actor, entity: entity, entityID: entityID,
                            action: action, oldValue: oldValue, newValue: newValue, prevHash: last?.hash ?? genesis)
        r.hash = r.computedHash
        return r
    }

    /// The outcome of checking a chain.
    public enum Verdict: Sendable, Equatable {
        case intact(count: Int)
        /// The entry with this sequence number was changed after it was written.
        case altered(seq: Int)
        /// Entries are missing: the first missing sequence number.
        case removed(seq: Int)

        public var message: String {
            switch self {
            case .intact(let n): "Chuỗi nhật ký nguyên vẹn: \(n) bản ghi."
            case .altered(let s): "Bản ghi nhật ký số \(s) đã bị sửa sau khi ghi."
            case .removed(let s): "Bản ghi nhật ký số \(s) đã bị xóa."
            }
        }
    }

    /// Checks `entries` (any order). `head` is the (seq, hash) of the last entry kept apart from the
    /// entries, so that removing the newest entries is caught too.
    public static func verify(_ entries: [AuditRecord], head: (seq: Int, hash: String)?) -> Verdict {
        let sorted = entries.sorted { $0.seq < $1.seq }
        var expectedSeq = 1
        var prev = genesis
        for e in sorted {
            if e.seq != expectedSeq {
                return e.seq > expectedSeq ? .removed(seq: expectedSeq) : .altered(seq: e.seq)
            }
            if e.hash != e.computedHash { return .altered(seq: e.seq) }
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
        return .intact(count: sorted.count)
    }
}
