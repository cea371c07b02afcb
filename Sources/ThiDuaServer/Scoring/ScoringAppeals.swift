import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// Appeals on the preliminary results, the leader's answers, and corrections after publication (new revisions).
extension ScoringService {
    struct AppealInput: Content, Sendable { var criterion: String?; var ground: String?; var reason: String? }

    /// A unit's appeal on one criterion, on an objective ground, while appeals are open (and, for the year-end round,
    /// before the year's appeal deadline); one per criterion.
    static func fileAppeal(_ ctx: Context, unit: UUID, _ input: AppealInput, caller: Caller) async throws {
        try requireMember(unit, ctx)
        guard caller.principal.canAppeal(unit: unit, ctx.scope) else {
            if ctx.scope.phase != .appeals { throw DomainError.conflict("Chỉ gửi giải trình, khiếu nại trong giai đoạn “\(RoundPhase.appeals.label)”.") }
            throw DomainError.forbidden("Chỉ cán bộ thi đua của đơn vị gửi giải trình, khiếu nại về điểm của đơn vị mình.")
        }
        if ctx.round.roundKind == .yearEnd {
            try await DeadlineService.requireOpen(.appeals, year: ctx.round.year, unitID: unit, today: caller.today, on: caller.db)
        }
        let code = try Bounded.code(input.criterion, field: "criterion", label: "Tiêu chí")
        guard AppealRules.appealable(scale: ctx.scale, unit: unit).contains(where: { $0.code == code }) else {
            throw DomainError.invalid("Tiêu chí “\(code)” không có trong thang điểm áp dụng cho đơn vị.", field: "criterion")
        }
        guard let ground = AppealGround(rawValue: input.ground ?? "") else {
            throw DomainError.invalid("Hãy chọn căn cứ khiếu nại: tính sai, minh chứng chưa được xem xét, hoặc tiêu chí không áp dụng.", field: "ground")
        }
        let reason = try Validate.name(input.reason ?? "", field: "reason", label: "Nội dung giải trình, khiếu nại", maxLength: 4_000)
        let data = try await load(ctx, on: caller.db)
        if data.appeals.contains(where: { $0.unitID == unit && $0.criterion == code }) {
            throw DomainError.conflict("Đơn vị đã gửi khiếu nại về tiêu chí “\(code)” trong đợt này.")
        }
        let before = consolidate(ctx, data).first { $0.unit == unit }?.outcome(code)
        let a = ScoringAppealModel()
        a.roundID = ctx.id; a.unitID = unit; a.criterion = code; a.ground = ground.rawValue; a.reason = reason
        a.filedBy = caller.actor; a.filedAt = caller.now; a.scoreBefore = PublishedResult.text(before)
        try await caller.audited { db, audit in
            try await a.create(on: db)
            struct S: Codable { var unit: UUID; var criterion: String; var ground: String; var reason: String; var scoreBefore: String }
            try await audit.created("scoring_appeal", a.id, S(unit: unit, criterion: code, ground: ground.rawValue, reason: reason, scoreBefore: a.scoreBefore))
        }
    }

    struct AnswerInput: Content, Sendable { var decision: String?; var points: Double?; var answer: String? }

    /// The leader's answer: keep the score, change it up or down, or leave the criterion out; a reason always.
    static func answerAppeal(_ ctx: Context, appealID: UUID?, _ input: AnswerInput, caller: Caller) async throws {
        guard caller.principal.canReview(ctx.scope) else { throw DomainError.forbidden("Chỉ trưởng khối trả lời giải trình, khiếu nại.") }
        guard ctx.scope.phase == .appeals else { throw DomainError.conflict("Chỉ trả lời khiếu nại trong giai đoạn “\(RoundPhase.appeals.label)”.") }
        guard let appealID, let a = try await ScoringAppealModel.query(on: caller.db).filter(\.$id == appealID).filter(\.$roundID == ctx.id).first() else {
            throw DomainError.notFound("Không tìm thấy khiếu nại.")
        }
        guard a.answeredAt == nil else { throw DomainError.conflict("Khiếu nại này đã được trả lời.") }
        guard let decision = AppealDecision(rawValue: input.decision ?? "") else {
            throw DomainError.invalid("Hãy chọn: giữ nguyên điểm, sửa điểm, hoặc không áp dụng tiêu chí.", field: "decision")
        }
        let answer = try Validate.name(input.answer ?? "", field: "answer", label: "Nội dung trả lời", maxLength: 4_000)
        guard let criterion = ScoringScale.flatten(ctx.scale).first(where: { $0.criterion.code == a.criterion })?.criterion else {
            throw DomainError.conflict("Tiêu chí của khiếu nại không còn trong thang điểm.")
        }
        let override = try AppealRules.override(decision, points: input.points, criterion: criterion, unit: a.unitID, source: "giải quyết khiếu nại", reason: answer)
        let points: Int64? = if case .points(let p)? = override?.value { p.hundredths } else { nil }
        let id = try a.requireID(), actor = caller.actor, now = caller.now
        try await caller.audited { db, audit in
            // Answered once: the condition on `answered_at` makes a second answer at the same moment change nothing.
            try await ScoringAppealModel.query(on: db).filter(\.$id == id).filter(\.$answeredAt == nil)
                .set(\.$decision, to: decision.rawValue).set(\.$points, to: points).set(\.$answer, to: answer)
                .set(\.$answeredBy, to: actor).set(\.$answeredAt, to: now).update()
            guard try await ScoringAppealModel.find(id, on: db)?.answeredBy == actor else { throw DomainError.conflict("Khiếu nại này vừa được trả lời.") }
            struct S: Codable { var criterion: String; var decision: String; var points: Double?; var answer: String; var scoreBefore: String }
            try await audit.record("scoring_appeal", id, "answer", old: Optional<S>.none,
                                   new: S(criterion: a.criterion, decision: decision.rawValue, points: points.map { Points(hundredths: $0).decimal }, answer: answer, scoreBefore: a.scoreBefore))
        }
    }

    struct CorrectionInput: Content, Sendable { var unitID: UUID?; var criterion: String?; var decision: String?; var points: Double?; var reason: String? }

    /// A correction of a published result: a new revision, frozen like the first, that lists what changed.
    static func correct(_ ctx: Context, _ input: CorrectionInput, caller: Caller) async throws {
        guard caller.principal.canManageRound(ctx.scope) else { throw DomainError.forbidden("Chỉ trưởng khối hoặc Ban Thi đua – Khen thưởng đính chính kết quả.") }
        guard ctx.scope.phase == .published else { throw DomainError.conflict("Chỉ đính chính kết quả đã công bố; trước đó điểm thay đổi qua chấm điểm hoặc trả lời khiếu nại.") }
        guard let unit = input.unitID else { throw DomainError.invalid("Hãy chọn đơn vị.", field: "unitID") }
        try requireMember(unit, ctx)
        let code = try Bounded.code(input.criterion, field: "criterion", label: "Tiêu chí")
        guard let criterion = AppealRules.appealable(scale: ctx.scale, unit: unit).first(where: { $0.code == code }) else {
            throw DomainError.invalid("Tiêu chí “\(code)” không có trong thang điểm áp dụng cho đơn vị.", field: "criterion")
        }
        guard let decision = AppealDecision(rawValue: input.decision ?? ""), decision != .rejected else {
            throw DomainError.invalid("Hãy chọn: sửa điểm, hoặc không áp dụng tiêu chí.", field: "decision")
        }
        let reason = try Validate.name(input.reason ?? "", field: "reason", label: "Lý do đính chính", maxLength: 4_000)
        guard let override = try AppealRules.override(decision, points: input.points, criterion: criterion, unit: unit, source: "đính chính", reason: reason) else { return }
        let points: Int64? = if case .points(let p) = override.value { p.hundredths } else { nil }
        let actor = caller.actor, now = caller.now
        try await caller.audited { db, audit in
            guard let last = try await ScoringResultModel.query(on: db).filter(\.$roundID == ctx.id).sort(\.$revision, .descending).first() else {
                throw DomainError.conflict("Chưa có bản công bố để đính chính.")
            }
            let revision = last.revision + 1
            let c = ScoringCorrectionModel()
            c.roundID = ctx.id; c.revision = revision; c.unitID = unit; c.criterion = code; c.decision = decision.rawValue; c.points = points
            c.reason = reason; c.correctedBy = actor; c.correctedAt = now
            // Two corrections at once: the unique (round, revision) lets one through; the other answers 409.
            try await c.create(on: db)
            let result = result(ctx, try await load(ctx, on: db), revision: revision)
            let changes = result.changes(from: try last.decoded())
            if changes.isEmpty { throw DomainError.conflict("Đính chính này không thay đổi kết quả: không tạo bản công bố mới.") }
            let digest = try await storeResult(result, changes: changes, reason: reason, by: actor, at: now, on: db)
            struct S: Codable { var revision: Int; var unit: UUID; var criterion: String; var decision: String; var points: Double?; var reason: String; var changes: [String]; var digest: String }
            try await audit.record("scoring_round", ctx.id, "correct", old: Optional<S>.none,
                                   new: S(revision: revision, unit: unit, criterion: code, decision: decision.rawValue, points: points.map { Points(hundredths: $0).decimal },
                                          reason: reason, changes: changes, digest: digest))
        }
    }
}
