import Fluent
import Foundation
import ThiDuaCore

/// A bloc's covenant for a year; its versions hold the content.
final class CovenantModel: Model, @unchecked Sendable {
    static let schema = "covenants"
    @ID(key: .id) var id: UUID?
    @Field(key: "bloc_id") var blocID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "current_version") var currentVersion: Int
    init() {}
    init(blocID: UUID, year: Int) { self.blocID = blocID; self.year = year; self.currentVersion = 1 }
}

/// One version of a covenant: its content (JSON of `CovenantContent`), status, seal and optimistic-lock counter.
final class CovenantVersion: Model, @unchecked Sendable {
    static let schema = "covenant_versions"
    @ID(key: .id) var id: UUID?
    @Field(key: "covenant_id") var covenantID: UUID
    @Field(key: "number") var number: Int
    @Field(key: "status") var status: String
    @Field(key: "content") var content: String
    @OptionalField(key: "digest") var digest: String?
    @OptionalField(key: "sealed_at") var sealedAt: Date?
    /// The audit chain's head when the content was sealed (sequence number and hash): the printed covenant anchors
    /// the log, so that rewriting the log before that moment is caught by whoever holds a copy.
    @OptionalField(key: "sealed_audit_seq") var sealedAuditSeq: Int?
    @OptionalField(key: "sealed_audit_head") var sealedAuditHead: String?
    @OptionalField(key: "signed_at") var signedAt: Date?
    /// Increases on every save; a save that names an older value is refused (two officers editing at once).
    @Field(key: "lock_version") var lockVersion: Int
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var covenantStatus: CovenantStatus { CovenantStatus(rawValue: status) ?? .draft }

    func decoded() throws -> CovenantContent {
        try JSONDecoder().decode(CovenantContent.self, from: Data(content.utf8))
    }

    func store(_ c: CovenantContent) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        content = String(decoding: try e.encode(c), as: UTF8.self)
    }
}

/// A member unit's comment on an item during consultation, and the leader's answer.
final class CovenantComment: Model, @unchecked Sendable {
    static let schema = "covenant_comments"
    @ID(key: .id) var id: UUID?
    @Field(key: "version_id") var versionID: UUID
    /// "general", "task:3" or a criterion code.
    @Field(key: "item") var item: String
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "author") var author: String
    @Field(key: "text") var text: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "answer") var answer: String?
    @OptionalField(key: "answered_by") var answeredBy: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    init() {}
}

/// A member unit's signature (or the office's record that it was absent), bound to the sealed digest.
final class CovenantSignature: Model, @unchecked Sendable {
    static let schema = "covenant_signatures"
    @ID(key: .id) var id: UUID?
    @Field(key: "version_id") var versionID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "signer_name") var signerName: String
    @OptionalField(key: "signer_position") var signerPosition: String?
    @Field(key: "signed_at") var signedAt: Date
    @Field(key: "digest") var digest: String
    @Field(key: "absent") var absent: Bool
    @OptionalField(key: "absent_reason") var absentReason: String?
    @Field(key: "recorded_by") var recordedBy: String
    init() {}
}

struct CreateCovenants: AsyncMigration {
    var name: String { "0007_create_covenants" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CovenantModel.schema)
            .id()
            .field("bloc_id", .uuid, .required, .references(Bloc.schema, .id, onDelete: .restrict))
            .field("year", .int, .required)
            .field("current_version", .int, .required)
            .unique(on: "bloc_id", "year")
            .create()
        try await db.schema(CovenantVersion.schema)
            .id()
            .field("covenant_id", .uuid, .required, .references(CovenantModel.schema, .id, onDelete: .restrict))
            .field("number", .int, .required)
            .field("status", .string, .required)
            .field("content", .string, .required)
            .field("digest", .string)
            .field("sealed_at", .datetime)
            .field("signed_at", .datetime)
            .field("lock_version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "covenant_id", "number")
            .create()
        try await db.schema(CovenantComment.schema)
            .id()
            .field("version_id", .uuid, .required, .references(CovenantVersion.schema, .id, onDelete: .restrict))
            .field("item", .string, .required)
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("author", .string, .required)
            .field("text", .string, .required)
            .field("created_at", .datetime, .required)
            .field("answer", .string)
            .field("answered_by", .string)
            .field("answered_at", .datetime)
            .create()
        try await db.schema(CovenantSignature.schema)
            .id()
            .field("version_id", .uuid, .required, .references(CovenantVersion.schema, .id, onDelete: .restrict))
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("user_id", .uuid, .references(User.schema, .id, onDelete: .restrict))
            .field("signer_name", .string, .required)
            .field("signer_position", .string)
            .field("signed_at", .datetime, .required)
            .field("digest", .string, .required)
            .field("absent", .bool, .required)
            .field("absent_reason", .string)
            .field("recorded_by", .string, .required)
            .unique(on: "version_id", "unit_id")
            .create()
    }
    func revert(on db: any Database) async throws {
        for s in [CovenantSignature.schema, CovenantComment.schema, CovenantVersion.schema, CovenantModel.schema] { try await db.schema(s).delete() }
    }
}

/// Sealed versions record the audit chain's head at sealing.
struct AddCovenantAuditAnchor: AsyncMigration {
    var name: String { "0013_covenant_audit_anchor" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CovenantVersion.schema).field("sealed_audit_seq", .int).update()
        try await db.schema(CovenantVersion.schema).field("sealed_audit_head", .string).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(CovenantVersion.schema).deleteField("sealed_audit_seq").update()
        try await db.schema(CovenantVersion.schema).deleteField("sealed_audit_head").update()
    }
}
