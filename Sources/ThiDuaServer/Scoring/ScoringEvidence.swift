import Fluent
import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// Evidence files on a unit's self-assessment: checked on their content, stored by hash, read by those who may see
/// the unit's detail.
extension ScoringService {
    struct EvidenceDTO: Content, Sendable {
        var id: UUID; var criterion: String; var filename: String; var mediaType: String; var size: Int; var sizeText: String
        var sha256: String; var uploadedBy: String; var uploadedAt: String; var url: String; var deleteURL: String?
    }

    /// The evidence of a unit the caller may read, per criterion in upload order.
    static func evidence(_ ctx: Context, unit: UUID, caller: Caller) async throws -> [EvidenceDTO] {
        guard caller.principal.canReadEvidence(unit: unit, ctx.scope) else { return [] }
        let removable = evidenceRefusal(ctx, unit: unit, caller: caller, submitted: try await selfSubmitted(ctx, unit: unit, on: caller.db)) == nil
        return try await ScoreEvidenceModel.query(on: caller.db).filter(\.$roundID == ctx.id).filter(\.$unitID == unit).sort(\.$uploadedAt).all().map { e in
            EvidenceDTO(id: e.id!, criterion: e.criterion, filename: e.filename, mediaType: e.mediaType, size: e.size,
                        sizeText: e.size >= 1 << 20 ? "\(ScoringScale.points(Double(e.size * 10 / (1 << 20)) / 10)) MB" : "\(VietnameseFormat.number(max(1, e.size / 1024))) KB",
                        sha256: e.sha256, uploadedBy: e.uploadedBy, uploadedAt: VietnameseFormat.dateTime(e.uploadedAt),
                        url: ScoringPath.evidence(ctx.id, file: e.id!).url, deleteURL: removable ? ScoringPath.deleteEvidence(ctx.id, file: e.id!).url : nil)
        }
    }

    static func selfSubmitted(_ ctx: Context, unit: UUID, on db: any Database) async throws -> Bool {
        try await sheetModel(ctx, unit: unit, scorer: .selfAssessment, on: db)?.submittedAt != nil
    }

    /// Why the caller may not attach or remove the unit's evidence now, or nil.
    static func evidenceRefusal(_ ctx: Context, unit: UUID, caller: Caller, submitted: Bool) -> DomainError? {
        guard caller.principal.canManageEvidence(unit: unit, ctx.scope) else {
            return .forbidden("Chỉ cán bộ thi đua của đơn vị gửi minh chứng cho bản tự chấm điểm của đơn vị mình.")
        }
        if ctx.scope.phase == .appeals { return nil }
        return ScoreSheets.editRefusal(phase: ctx.scope.phase, scorer: .selfAssessment, submitted: submitted)
    }

    /// Attaches a file to a criterion of the unit's self-assessment.
    static func attach(_ ctx: Context, unit: UUID, criterion raw: String?, filename: String?, data: Data, caller: Caller) async throws -> ScoreEvidenceModel {
        try requireMember(unit, ctx)
        if let refusal = evidenceRefusal(ctx, unit: unit, caller: caller, submitted: try await selfSubmitted(ctx, unit: unit, on: caller.db)) { throw refusal }
        let code = try Bounded.code(raw, field: "criterion", label: "Tiêu chí")
        guard AppealRules.appealable(scale: ctx.scale, unit: unit).contains(where: { $0.code == code }) else {
            throw DomainError.invalid("Tiêu chí “\(code)” không có trong thang điểm áp dụng cho đơn vị.", field: "criterion")
        }
        let head = Array(data.prefix(16))
        let entries = EvidenceRules.looksLikeZip(head) && data.count <= EvidenceRules.maxBytes ? OOXMLPackage.entryNames(of: data) : nil
        let (name, type) = try EvidenceRules.check(filename: filename, size: data.count, detected: EvidenceRules.detect(head, zipEntries: entries))
        let existing = try await ScoreEvidenceModel.query(on: caller.db).filter(\.$roundID == ctx.id).filter(\.$unitID == unit).filter(\.$criterion == code).count()
        guard existing < EvidenceRules.maxPerCriterion else {
            throw DomainError.conflict("Tiêu chí “\(code)” đã có \(existing) tệp minh chứng (tối đa \(EvidenceRules.maxPerCriterion)).")
        }
        // The bytes first: a row never points at content that is not there (content without a row is harmless).
        let hash = try caller.files.put(data)
        let e = ScoreEvidenceModel()
        e.roundID = ctx.id; e.unitID = unit; e.criterion = code; e.filename = name; e.mediaType = type.mediaType; e.size = data.count
        e.sha256 = hash; e.uploadedBy = caller.actor; e.uploadedAt = caller.now
        try await caller.audited { db, audit in
            try await e.create(on: db)
            struct S: Codable { var unit: UUID; var criterion: String; var filename: String; var size: Int; var sha256: String }
            try await audit.created("score_evidence", e.id, S(unit: unit, criterion: code, filename: name, size: data.count, sha256: hash))
        }
        return e
    }

    static func evidenceModel(_ ctx: Context, id: UUID?, on db: any Database) async throws -> ScoreEvidenceModel {
        guard let id, let e = try await ScoreEvidenceModel.query(on: db).filter(\.$id == id).filter(\.$roundID == ctx.id).first() else {
            throw DomainError.notFound("Không tìm thấy tệp minh chứng.")
        }
        return e
    }

    /// The file, for whoever may read the unit's detail (404 for anyone else: its existence is the unit's detail too).
    static func download(_ ctx: Context, id: UUID?, caller: Caller) async throws -> (ScoreEvidenceModel, Data) {
        let e = try await evidenceModel(ctx, id: id, on: caller.db)
        guard caller.principal.canReadEvidence(unit: e.unitID, ctx.scope) else { throw DomainError.notFound("Không tìm thấy tệp minh chứng.") }
        return (e, try caller.files.get(e.sha256))
    }

    static func detach(_ ctx: Context, id: UUID?, caller: Caller) async throws {
        let e = try await evidenceModel(ctx, id: id, on: caller.db)
        guard caller.principal.canReadEvidence(unit: e.unitID, ctx.scope) else { throw DomainError.notFound("Không tìm thấy tệp minh chứng.") }
        if let refusal = evidenceRefusal(ctx, unit: e.unitID, caller: caller, submitted: try await selfSubmitted(ctx, unit: e.unitID, on: caller.db)) { throw refusal }
        let id = try e.requireID()
        try await caller.audited { db, audit in
            try await ScoreEvidenceModel.query(on: db).filter(\.$id == id).delete()
            struct S: Codable { var unit: UUID; var criterion: String; var filename: String; var sha256: String }
            try await audit.record("score_evidence", id, "delete", old: S(unit: e.unitID, criterion: e.criterion, filename: e.filename, sha256: e.sha256), new: Optional<S>.none)
        }
    }
}
