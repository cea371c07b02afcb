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
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $blocID, $year, $currentVersion] }
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
    /// The roster (members, unit names, roles, bloc name) frozen at sealing, JSON of `CovenantRoster`.
    @OptionalField(key: "sealed_roster") var sealedRoster: String?
    /// Whether the seal's digest covers `sealedRoster` (true for every seal since rosters are frozen; false for a
    /// roster filled in by the migration for a seal taken before, whose digest covers the content only).
    @OptionalField(key: "roster_in_seal") var rosterInSeal: Bool?
    @OptionalField(key: "signed_at") var signedAt: Date?
    /// Increases on every save; a save that names an older value is refused (two officers editing at once).
    @Field(key: "lock_version") var lockVersion: Int
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $covenantID, $number, $status, $content, $digest, $sealedAt, $sealedAuditSeq, $sealedAuditHead, $sealedRoster, $rosterInSeal, $signedAt, $lockVersion, $updatedBy, $updatedAt]
    }

    var covenantStatus: CovenantStatus { CovenantStatus(rawValue: status) ?? .draft }

    func decoded() throws -> CovenantContent {
        try JSONDecoder().decode(CovenantContent.self, from: Data(content.utf8))
    }

    func store(_ c: CovenantContent) throws {
        content = try Self.json(c)
    }

    /// The frozen roster, if the version has been sealed and it reads (one changed into something unreadable is nil:
    /// the seal recomputed without it no longer matches, which is shown loudly).
    func frozenRoster() -> CovenantRoster? {
        sealedRoster.flatMap { try? JSONDecoder().decode(CovenantRoster.self, from: Data($0.utf8)) }
    }

    static func json(_ value: some Encodable) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    /// The seal recomputed from what is stored: the content and, when the seal covers it, the frozen roster.
    func recomputedSeal(blocID: UUID, year: Int) throws -> String {
        CovenantSeal.digest(blocID: blocID, year: year, version: number, content: try decoded(), roster: rosterInSeal == true ? frozenRoster() : nil)
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
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $versionID, $item, $unitID, $author, $text, $createdAt, $answer, $answeredBy, $answeredAt]
    }
}

/// A member unit's signature (or the office's record that it was absent), bound to the sealed digest.
final class CovenantSignature: Model, @unchecked Sendable {
    static let schema = "covenant_signatures"
    @ID(key: .id) var id: UUID?
    @Field(key: "version_id") var versionID: UUID
    @Field(key: "unit_id") var unitID: UUID
    /// The unit's official name when it signed (a later rename does not change the signature).
    @OptionalField(key: "unit_name") var unitName: String?
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "signer_name") var signerName: String
    @OptionalField(key: "signer_position") var signerPosition: String?
    @Field(key: "signed_at") var signedAt: Date
    @Field(key: "digest") var digest: String
    @Field(key: "absent") var absent: Bool
    @OptionalField(key: "absent_reason") var absentReason: String?
    @Field(key: "recorded_by") var recordedBy: String
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $versionID, $unitID, $unitName, $userID, $signerName, $signerPosition, $signedAt, $digest, $absent, $absentReason, $recordedBy]
    }
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

/// Sealed versions keep the roster they were sealed with; signatures keep the unit's name at signing. Versions sealed
/// before get today's roster (not covered by their seal) and signatures today's names: the best that can be known.
struct AddCovenantFrozenRoster: AsyncMigration {
    var name: String { "0015_covenant_frozen_roster" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CovenantVersion.schema).field("sealed_roster", .string).update()
        try await db.schema(CovenantVersion.schema).field("roster_in_seal", .bool).update()
        try await db.schema(CovenantSignature.schema).field("unit_name", .string).update()
        try await Self.backfill(on: db)
    }

    static func backfill(on db: any Database) async throws {
        let sealed = try await CovenantVersion.query(on: db).filter(\.$digest != nil).filter(\.$sealedRoster == nil).all()
        for v in sealed {
            let ctx = try await CovenantService.context(v, on: db)
            v.sealedRoster = try CovenantVersion.json(ctx.roster)
            v.rosterInSeal = false
            try await v.save(on: db)
        }
        for s in try await CovenantSignature.query(on: db).all() where s.unitName == nil {
            s.unitName = try await Unit.find(s.unitID, on: db)?.officialName
            try await s.save(on: db)
        }
    }
    func revert(on db: any Database) async throws {
        try await db.schema(CovenantVersion.schema).deleteField("sealed_roster").update()
        try await db.schema(CovenantVersion.schema).deleteField("roster_in_seal").update()
        try await db.schema(CovenantSignature.schema).deleteField("unit_name").update()
    }
}
