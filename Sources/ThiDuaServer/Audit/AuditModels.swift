import Fluent
import Foundation
import ThiDuaCore

/// A stored audit entry; see `AuditRecord` in ThiDuaCore for what is hashed.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "seq") var seq: Int
    @Field(key: "at_millis") var atMillis: Int64
    @Field(key: "actor") var actor: String
    @Field(key: "entity") var entity: String
    @Field(key: "entity_id") var entityID: String
    @Field(key: "action") var action: String
    @OptionalField(key: "old_value") var oldValue: String?
    @OptionalField(key: "new_value") var newValue: String?
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") var hash: String
    /// The audit key's id when `hash` is an HMAC under it (`THIDUA_AUDIT_KEY_FILE`); nil for plain SHA-256.
    @OptionalField(key: "key_id") var keyID: String?

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $seq, $atMillis, $actor, $entity, $entityID, $action, $oldValue, $newValue, $prevHash, $hash, $keyID]
    }
    init(_ r: AuditRecord) {
        seq = r.seq; atMillis = r.atMillis; actor = r.actor; entity = r.entity; entityID = r.entityID
        action = r.action; oldValue = r.oldValue; newValue = r.newValue; prevHash = r.prevHash; hash = r.hash; keyID = r.keyID
    }

    var record: AuditRecord {
        AuditRecord(seq: seq, atMillis: atMillis, actor: actor, entity: entity, entityID: entityID, action: action,
                    oldValue: oldValue, newValue: newValue, prevHash: prevHash, hash: hash, keyID: keyID)
    }
}

/// The head of the chain (last sequence number and hash), kept apart so that removing the newest
/// entries is noticed; its row is also the lock that serialises writers on PostgreSQL.
final class AuditHead: Model, @unchecked Sendable {
    static let schema = "audit_head"
    @ID(key: .id) var id: UUID?
    @Field(key: "seq") var seq: Int
    @Field(key: "hash") var hash: String

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $seq, $hash] }
    init(seq: Int, hash: String) { self.seq = seq; self.hash = hash }
}

struct CreateAudit: AsyncMigration {
    var name: String { "0005_create_audit" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AuditEntry.schema)
            .id()
            .field("seq", .int, .required)
            .field("at_millis", .int64, .required)
            .field("actor", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string, .required)
            .field("action", .string, .required)
            .field("old_value", .string)
            .field("new_value", .string)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "seq")
            .create()
        try await db.schema(AuditHead.schema)
            .id()
            .field("seq", .int, .required)
            .field("hash", .string, .required)
            .create()
        try await AuditHead(seq: 0, hash: AuditChain.genesis).create(on: db)
    }
    func revert(on db: any Database) async throws {
        try await db.schema(AuditHead.schema).delete()
        try await db.schema(AuditEntry.schema).delete()
    }
}

/// Entries may name the audit key their hash is an HMAC under.
struct AddAuditKeyID: AsyncMigration {
    var name: String { "0016_audit_key_id" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AuditEntry.schema).field("key_id", .string).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(AuditEntry.schema).deleteField("key_id").update()
    }
}
