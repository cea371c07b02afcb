import Fluent
import Foundation
import ThiDuaCore

/// A scoring round of a bloc's covenant (sơ kết or tổng kết): its phase and the settings it is scored with (JSON of
/// `RoundSettings`). The covenant version it scores is fixed at creation: its scale and frozen roster.
final class ScoringRoundModel: Model, @unchecked Sendable {
    static let schema = "scoring_rounds"
    @ID(key: .id) var id: UUID?
    @Field(key: "bloc_id") var blocID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "kind") var kind: String
    @Field(key: "covenant_version_id") var covenantVersionID: UUID
    @Field(key: "phase") var phase: String
    @Field(key: "settings") var settings: String
    @Field(key: "lock_version") var lockVersion: Int
    @Field(key: "created_by") var createdBy: String
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $blocID, $year, $kind, $covenantVersionID, $phase, $settings, $lockVersion, $createdBy, $updatedBy, $updatedAt]
    }

    var roundPhase: RoundPhase { RoundPhase(rawValue: phase) ?? .setup }
    var roundKind: RoundKind { RoundKind(rawValue: kind) ?? .yearEnd }

    func decodedSettings() throws -> RoundSettings {
        try JSONDecoder().decode(RoundSettings.self, from: Data(settings.utf8))
    }

    func store(_ s: RoundSettings) throws { settings = try CovenantVersion.json(s) }
}

/// One scorer's sheet for one unit in a round (`Scorer.key`: "self", "peer:<unit>", "leader", "third"), with its
/// submission and optimistic-lock counter.
final class ScoreSheetModel: Model, @unchecked Sendable {
    static let schema = "score_sheets"
    @ID(key: .id) var id: UUID?
    @Field(key: "round_id") var roundID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "scorer") var scorer: String
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "submitted_by") var submittedBy: String?
    /// The leader's reason for the last reopening.
    @OptionalField(key: "reopen_reason") var reopenReason: String?
    @Field(key: "lock_version") var lockVersion: Int
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $roundID, $unitID, $scorer, $submittedAt, $submittedBy, $reopenReason, $lockVersion, $updatedBy, $updatedAt]
    }
}

/// One mark of a sheet, in plain columns by the criterion's kind (points, target and actual in hundredths).
final class ScoreMarkModel: Model, @unchecked Sendable {
    static let schema = "score_marks"
    @ID(key: .id) var id: UUID?
    @Field(key: "sheet_id") var sheetID: UUID
    @Field(key: "criterion") var criterion: String
    /// "points", "targetActual", "done" or "events".
    @Field(key: "value_kind") var valueKind: String
    @OptionalField(key: "points") var points: Int64?
    @OptionalField(key: "target") var target: Int64?
    @OptionalField(key: "actual") var actual: Int64?
    @OptionalField(key: "done") var done: Bool?
    @OptionalField(key: "events") var events: Int?
    @Field(key: "comment") var comment: String
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $sheetID, $criterion, $valueKind, $points, $target, $actual, $done, $events, $comment] }

    var value: MarkValue? { Self.value(kind: valueKind, points: points, target: target, actual: actual, done: done, events: events) }

    /// A mark's value from its columns (nil for a kind or a combination that is not one).
    static func value(kind: String, points: Int64?, target: Int64?, actual: Int64?, done: Bool?, events: Int?) -> MarkValue? {
        switch kind {
        case "points": points.map { .points(Points(hundredths: $0)) }
        case "targetActual": actual.map { .targetActual(target: target.map(Points.init(hundredths:)), actual: Points(hundredths: $0)) }
        case "done": done.map { .done($0) }
        case "events": events.map { .events($0) }
        default: nil
        }
    }

    func set(_ v: MarkValue) {
        points = nil; target = nil; actual = nil; done = nil; events = nil
        switch v {
        case .points(let p): valueKind = "points"; points = p.hundredths
        case .targetActual(let t, let a): valueKind = "targetActual"; target = t?.hundredths; actual = a.hundredths
        case .done(let d): valueKind = "done"; done = d
        case .events(let n): valueKind = "events"; events = n
        }
    }
}

/// A scorer unit's declared conflict of interest with a unit it was assigned to score.
final class ScoringConflictModel: Model, @unchecked Sendable {
    static let schema = "scoring_conflicts"
    @ID(key: .id) var id: UUID?
    @Field(key: "round_id") var roundID: UUID
    @Field(key: "scorer_unit_id") var scorerUnitID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "reason") var reason: String
    @Field(key: "declared_by") var declaredBy: String
    @Field(key: "declared_at") var declaredAt: Date
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $roundID, $scorerUnitID, $unitID, $reason, $declaredBy, $declaredAt] }
}

struct CreateScoring: AsyncMigration {
    var name: String { "0018_create_scoring" }
    func prepare(on db: any Database) async throws {
        try await db.schema(ScoringRoundModel.schema)
            .id()
            .field("bloc_id", .uuid, .required, .references(Bloc.schema, .id, onDelete: .restrict))
            .field("year", .int, .required)
            .field("kind", .string, .required)
            .field("covenant_version_id", .uuid, .required, .references(CovenantVersion.schema, .id, onDelete: .restrict))
            .field("phase", .string, .required)
            .field("settings", .string, .required)
            .field("lock_version", .int, .required)
            .field("created_by", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "bloc_id", "year", "kind")
            .create()
        try await db.schema(ScoreSheetModel.schema)
            .id()
            .field("round_id", .uuid, .required, .references(ScoringRoundModel.schema, .id, onDelete: .restrict))
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("scorer", .string, .required)
            .field("submitted_at", .datetime)
            .field("submitted_by", .string)
            .field("reopen_reason", .string)
            .field("lock_version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "round_id", "unit_id", "scorer")
            .create()
        try await db.schema(ScoreMarkModel.schema)
            .id()
            .field("sheet_id", .uuid, .required, .references(ScoreSheetModel.schema, .id, onDelete: .restrict))
            .field("criterion", .string, .required)
            .field("value_kind", .string, .required)
            .field("points", .int64)
            .field("target", .int64)
            .field("actual", .int64)
            .field("done", .bool)
            .field("events", .int)
            .field("comment", .string, .required)
            .unique(on: "sheet_id", "criterion")
            .create()
        try await db.schema(ScoringConflictModel.schema)
            .id()
            .field("round_id", .uuid, .required, .references(ScoringRoundModel.schema, .id, onDelete: .restrict))
            .field("scorer_unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("reason", .string, .required)
            .field("declared_by", .string, .required)
            .field("declared_at", .datetime, .required)
            .unique(on: "round_id", "scorer_unit_id", "unit_id")
            .create()
    }
    func revert(on db: any Database) async throws {
        for s in [ScoringConflictModel.schema, ScoreMarkModel.schema, ScoreSheetModel.schema, ScoringRoundModel.schema] { try await db.schema(s).delete() }
    }
}

/// A unit's appeal on one criterion of its preliminary result, and the leader's answer. An answer that changes the
/// score (or leaves the criterion out) is an override in consolidation (`ScoreOverride`); the marks stay as given.
final class ScoringAppealModel: Model, @unchecked Sendable {
    static let schema = "scoring_appeals"
    @ID(key: .id) var id: UUID?
    @Field(key: "round_id") var roundID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "criterion") var criterion: String
    @Field(key: "ground") var ground: String
    @Field(key: "reason") var reason: String
    @Field(key: "filed_by") var filedBy: String
    @Field(key: "filed_at") var filedAt: Date
    /// The criterion's score when the appeal was filed, as shown ("6,5", "chưa có điểm").
    @Field(key: "score_before") var scoreBefore: String
    /// nil while open; an `AppealDecision` once answered.
    @OptionalField(key: "decision") var decision: String?
    /// The new score in hundredths when the decision changed it.
    @OptionalField(key: "points") var points: Int64?
    @OptionalField(key: "answer") var answer: String?
    @OptionalField(key: "answered_by") var answeredBy: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $roundID, $unitID, $criterion, $ground, $reason, $filedBy, $filedAt, $scoreBefore, $decision, $points, $answer, $answeredBy, $answeredAt]
    }
}

/// A correction of a published result: one criterion of one unit, making revision `revision`.
final class ScoringCorrectionModel: Model, @unchecked Sendable {
    static let schema = "scoring_corrections"
    @ID(key: .id) var id: UUID?
    @Field(key: "round_id") var roundID: UUID
    @Field(key: "revision") var revision: Int
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "criterion") var criterion: String
    @Field(key: "decision") var decision: String
    @OptionalField(key: "points") var points: Int64?
    @Field(key: "reason") var reason: String
    @Field(key: "corrected_by") var correctedBy: String
    @Field(key: "corrected_at") var correctedAt: Date
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $roundID, $revision, $unitID, $criterion, $decision, $points, $reason, $correctedBy, $correctedAt] }
}

/// A published result, frozen: JSON of `PublishedResult`, its digest, and the audit chain's head at publication.
final class ScoringResultModel: Model, @unchecked Sendable {
    static let schema = "scoring_results"
    @ID(key: .id) var id: UUID?
    @Field(key: "round_id") var roundID: UUID
    @Field(key: "revision") var revision: Int
    @Field(key: "content") var content: String
    @Field(key: "digest") var digest: String
    @OptionalField(key: "audit_seq") var auditSeq: Int?
    @OptionalField(key: "audit_head") var auditHead: String?
    /// What changed from the previous revision, one line per unit (JSON array); empty for the first.
    @Field(key: "changes") var changes: String
    @Field(key: "reason") var reason: String
    @Field(key: "published_by") var publishedBy: String
    @Field(key: "published_at") var publishedAt: Date
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $roundID, $revision, $content, $digest, $auditSeq, $auditHead, $changes, $reason, $publishedBy, $publishedAt]
    }

    func decoded() throws -> PublishedResult { try JSONDecoder().decode(PublishedResult.self, from: Data(content.utf8)) }
    var changeLines: [String] { (try? JSONDecoder().decode([String].self, from: Data(changes.utf8))) ?? [] }
}

struct CreateScoringAppeals: AsyncMigration {
    var name: String { "0019_scoring_appeals_results" }
    func prepare(on db: any Database) async throws {
        try await db.schema(ScoringAppealModel.schema)
            .id()
            .field("round_id", .uuid, .required, .references(ScoringRoundModel.schema, .id, onDelete: .restrict))
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("criterion", .string, .required)
            .field("ground", .string, .required)
            .field("reason", .string, .required)
            .field("filed_by", .string, .required)
            .field("filed_at", .datetime, .required)
            .field("score_before", .string, .required)
            .field("decision", .string)
            .field("points", .int64)
            .field("answer", .string)
            .field("answered_by", .string)
            .field("answered_at", .datetime)
            .unique(on: "round_id", "unit_id", "criterion")
            .create()
        try await db.schema(ScoringCorrectionModel.schema)
            .id()
            .field("round_id", .uuid, .required, .references(ScoringRoundModel.schema, .id, onDelete: .restrict))
            .field("revision", .int, .required)
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("criterion", .string, .required)
            .field("decision", .string, .required)
            .field("points", .int64)
            .field("reason", .string, .required)
            .field("corrected_by", .string, .required)
            .field("corrected_at", .datetime, .required)
            .unique(on: "round_id", "revision")
            .create()
        try await db.schema(ScoringResultModel.schema)
            .id()
            .field("round_id", .uuid, .required, .references(ScoringRoundModel.schema, .id, onDelete: .restrict))
            .field("revision", .int, .required)
            .field("content", .string, .required)
            .field("digest", .string, .required)
            .field("audit_seq", .int)
            .field("audit_head", .string)
            .field("changes", .string, .required)
            .field("reason", .string, .required)
            .field("published_by", .string, .required)
            .field("published_at", .datetime, .required)
            .unique(on: "round_id", "revision")
            .create()
    }
    func revert(on db: any Database) async throws {
        for s in [ScoringResultModel.schema, ScoringCorrectionModel.schema, ScoringAppealModel.schema] { try await db.schema(s).delete() }
    }
}

/// An evidence file attached to a criterion of a unit's self-assessment: its name and type as checked, its size and
/// content hash (the key of the bytes in the file store).
final class ScoreEvidenceModel: Model, @unchecked Sendable {
    static let schema = "score_evidence"
    @ID(key: .id) var id: UUID?
    @Field(key: "round_id") var roundID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "criterion") var criterion: String
    @Field(key: "filename") var filename: String
    @Field(key: "media_type") var mediaType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "uploaded_by") var uploadedBy: String
    @Field(key: "uploaded_at") var uploadedAt: Date
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $roundID, $unitID, $criterion, $filename, $mediaType, $size, $sha256, $uploadedBy, $uploadedAt] }
}

struct CreateScoreEvidence: AsyncMigration {
    var name: String { "0020_score_evidence" }
    func prepare(on db: any Database) async throws {
        try await db.schema(ScoreEvidenceModel.schema)
            .id()
            .field("round_id", .uuid, .required, .references(ScoringRoundModel.schema, .id, onDelete: .restrict))
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("criterion", .string, .required)
            .field("filename", .string, .required)
            .field("media_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(ScoreEvidenceModel.schema).delete() }
}
