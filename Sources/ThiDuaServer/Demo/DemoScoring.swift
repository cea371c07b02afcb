import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// The demo bloc's year-end round of 2018, scored through the same services as a real one, as its officers and its
/// lead would: complete self-assessments, every member scoring every other, a conflict of interest (the two units of
/// the justice sector), a disagreement settled by the lead's third scoring, an appeal that changed a score, and the
/// published ranking. Illustrative numbers, not the bloc's real results. Deadlines are checked as of the round's own
/// dates in 2018; every record and audit entry carries the time it was really written.
enum DemoScoring {
    /// A demo account acting now, its deadlines checked as of `day` (today when nil).
    static func caller(_ app: Application, _ username: String, on day: Day? = nil) async throws -> Caller {
        guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else {
            throw DomainError.notFound("Không có tài khoản minh họa \(username).")
        }
        let grants = try await RoleGrantModel.query(on: app.db).filter(\.$userID == user.requireID()).all().compactMap(\.grant)
        return Caller(principal: Principal(userID: try user.requireID(), username: username, grants: grants), db: app.db, now: app.clock.now(),
                      auditKey: app.auditKey, files: app.fileStore, today: day)
    }

    static func load(_ app: Application) async throws {
        let db = app.db
        guard let bloc = try await Bloc.query(on: db).filter(\.$name == DemoLoader.blocName).first() else { return }
        let blocID = try bloc.requireID(), year = DemoLoader.year
        guard try await ScoringRoundModel.query(on: db).filter(\.$blocID == blocID).filter(\.$year == year).first() == nil else { return }
        var ids: [String: UUID] = [:]
        for u in DemoLoader.units {
            guard let unit = try await Unit.query(on: db).filter(\.$officialName == u.officialName).first() else { return }
            ids[u.code] = try unit.requireID()
        }
        func caller(_ username: String, on day: Day) async throws -> Caller { try await Self.caller(app, username, on: day) }
        let setup = Day(2018, 11, 15), selfDay = Day(2018, 11, 26), reviewDay = Day(2018, 12, 5), appealDay = Day(2018, 12, 12)
        let lead = try await caller("truongkhoi", on: setup)
        let round = try await ScoringService.create(bloc: bloc, year: year, kind: .yearEnd, caller: lead)
        var ctx = try await ScoringService.context(roundID: round.id, on: db)
        try await ScoringService.updateSettings(ctx, .init(lockVersion: ctx.round.lockVersion, settings: RoundSettingsInput(disagreementGap: 3)), caller: lead)
        ctx = try await ScoringService.context(roundID: round.id, on: db)
        try await ScoringService.perform(ctx, .open, caller: lead)

        // Self-assessments.
        let codes = DemoLoader.units.map(\.code)
        for (i, code) in codes.enumerated() {
            ctx = try await ScoringService.context(roundID: round.id, on: db)
            let officer = try await caller("canbo.\(code)", on: selfDay)
            let unit = ids[code]!
            try await ScoringService.saveSheet(ctx, unit: unit, scorer: .selfAssessment,
                                               .init(lockVersion: 0, marks: selfMarks(i, scale: ctx.scale, unit: unit)), caller: officer)
            try await ScoringService.submit(ctx, unit: unit, lockVersion: 1, caller: officer)
        }
        ctx = try await ScoringService.context(roundID: round.id, on: db)
        try await ScoringService.perform(ctx, .startReview, caller: lead)

        // Cross-scoring; Cục THADS declares its conflict with Sở Tư pháp (the same sector) and does not score it.
        ctx = try await ScoringService.context(roundID: round.id, on: db)
        try await ScoringService.declareConflict(ctx, .init(scorerUnitID: ids["thads"], unitID: ids["sotuphap"],
                                                            reason: "Cùng ngành Tư pháp: Cục THADS và Sở Tư pháp phối hợp trong nhiều nhiệm vụ được chấm"),
                                                 caller: try await caller("canbo.thads", on: reviewDay))
        for (si, scorer) in codes.enumerated() {
            let officer = try await caller("canbo.\(scorer)", on: reviewDay)
            for (ti, target) in codes.enumerated() where target != scorer && !(scorer == "thads" && target == "sotuphap") {
                let marks = peerMarks(target: ti, scorer: si, scale: ctx.scale, unit: ids[target]!)
                try await ScoringService.saveSheet(ctx, unit: ids[target]!, scorer: .peer(ids[scorer]!), .init(lockVersion: 0, marks: marks), caller: officer)
            }
        }
        // VKSND marked TAND far below the others on C2: the lead scores it a third time.
        let reviewer = try await caller("truongkhoi", on: reviewDay)
        ctx = try await ScoringService.context(roundID: round.id, on: db)
        try await ScoringService.saveSheet(ctx, unit: ids["tand"]!, scorer: .thirdScoring,
                                           .init(lockVersion: 0, marks: [MarkInput(criterion: "C2", points: 8, comment: "Đối chiếu báo cáo công tác giáo dục chính trị của TAND tỉnh")]),
                                           caller: reviewer)
        try await ScoringService.perform(ctx, .showPreliminary, caller: reviewer)
        ctx = try await ScoringService.context(roundID: round.id, on: db)
        try await ScoringService.perform(ctx, .openAppeals, caller: reviewer)

        // Thanh tra tỉnh appeals A2 with evidence not counted; the lead changes the score.
        ctx = try await ScoringService.context(roundID: round.id, on: db)
        try await ScoringService.fileAppeal(ctx, unit: ids["thanhtra"]!, .init(criterion: "A2", ground: AppealGround.missingEvidence.rawValue,
                                                                               reason: "Hai văn bản tham mưu được UBND tỉnh chấp thuận trong tháng 11 chưa được tính"),
                                            caller: try await caller("canbo.thanhtra", on: appealDay))
        let appealer = try await caller("truongkhoi", on: appealDay)
        guard let appeal = try await ScoringAppealModel.query(on: db).filter(\.$roundID == ctx.id).first() else { return }
        try await ScoringService.answerAppeal(ctx, appealID: appeal.id, .init(decision: AppealDecision.changed.rawValue, points: 8.5,
                                                                            answer: "Đã đối chiếu hai văn bản; cộng điểm tiêu chí A2 lên 8,5"), caller: appealer)
        try await ScoringService.perform(ctx, .publish, caller: appealer)
    }

    /// A unit's self-assessment: every applicable criterion, varying with its place.
    static func selfMarks(_ i: Int, scale: [Criterion], unit: UUID) -> [MarkInput] {
        let criteria = ScoreSheets.criteria(scale: scale, unit: unit, scorer: .selfAssessment)
        return criteria.map { c in
            switch c.kind {
            case .targetActual: MarkInput(criterion: c.code, target: 100, actual: Double(92 + (i * 3) % 9), comment: "Theo báo cáo tổng kết năm 2018")
            case .yesNo: MarkInput(criterion: c.code, done: true)
            case .adjustment: MarkInput(criterion: c.code, events: (c.perEvent ?? 0) > 0 ? (i % 3 == 0 ? 1 : 0) : (i == 5 ? 1 : 0))
            case .manual: MarkInput(criterion: c.code, points: max(0, c.maxPoints - Double((i + c.code.count) % 3) * 0.5 - 0.5))
            }
        }
    }

    /// A peer's opinion of the unit at place `target`: close to the unit's own, a little lower for some, the same from
    /// every scorer except the one disagreement the lead settles.
    static func peerMarks(target: Int, scorer: Int, scale: [Criterion], unit: UUID) -> [MarkInput] {
        ScoreSheets.criteria(scale: scale, unit: unit, scorer: .peer(UUID())).map { c in
            switch c.kind {
            case .yesNo: return MarkInput(criterion: c.code, done: !(c.code == "C1" && target == 6))
            default:
                if c.code == "C2" && target == 4 && scorer == 3 { return MarkInput(criterion: c.code, points: 3) }
                let base = max(0, c.maxPoints - Double((target + c.code.count) % 3) * 0.5 - 0.5)
                return MarkInput(criterion: c.code, points: max(0, base - Double((target + scorer) % 2) * 0.5))
            }
        }
    }
}
