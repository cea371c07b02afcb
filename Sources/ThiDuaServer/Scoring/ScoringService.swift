import Fluent
import SQLKit
import Foundation
import ThiDuaCore
import Vapor

/// Who acts, on which database, at what time: what scoring services take (never the whole request).
struct Caller: Sendable {
    var principal: Principal
    var db: any Database
    var now: Date
    var auditKey: AuditKey?
    /// Where uploaded files go.
    var files: FileStore

    /// The day deadlines are checked against: today in Vinh, unless the demo loads a round as of its own dates.
    var today: Day

    var actor: String { principal.username }

    init(principal: Principal, db: any Database, now: Date, auditKey: AuditKey?, files: FileStore, today: Day? = nil) {
        self.principal = principal; self.db = db; self.now = now; self.auditKey = auditKey; self.files = files
        self.today = today ?? VietnameseFormat.day(now)
    }

    init(_ req: Request) throws {
        self.init(principal: try req.requirePrincipal(), db: req.db, now: req.now, auditKey: req.application.auditKey, files: req.application.fileStore)
    }

    /// Runs `body` in a transaction that also appends the audit entries it records.
    func audited<T: Sendable>(_ body: @Sendable @escaping (any Database, AuditLog) async throws -> T) async throws -> T {
        try await AuditLog.write(on: db, actor: actor, now: now, key: auditKey, body)
    }
}

/// Scoring rounds: setting up, moving phases, score sheets, conflicts of interest and the consolidated results. Every
/// decision (who may, when, what a mark is worth, the result) is ThiDuaCore's; this loads, calls and stores.
enum ScoringService {
    /// A round with what its decisions read: the covenant version it scores (scale, frozen roster) and its scope.
    struct Context: Sendable {
        var round: ScoringRoundModel
        var bloc: Bloc
        var content: CovenantContent
        var roster: CovenantRoster
        var settings: RoundSettings
        var scope: RoundScope

        var id: UUID { round.id! }
        var scale: [Criterion] { content.scale }
        var memberIDs: [UUID] { roster.members.map(\.unitID) }
        func name(_ unit: UUID) -> String { roster.members.first { $0.unitID == unit }?.officialName ?? "?" }
    }

    static func context(roundID: UUID?, on db: any Database) async throws -> Context {
        guard let roundID, let round = try await ScoringRoundModel.find(roundID, on: db) else {
            throw DomainError.notFound("Không tìm thấy đợt chấm điểm.")
        }
        return try await context(round, on: db)
    }

    static func context(_ round: ScoringRoundModel, on db: any Database) async throws -> Context {
        guard let version = try await CovenantVersion.find(round.covenantVersionID, on: db), let bloc = try await Bloc.find(round.blocID, on: db) else {
            throw DomainError.notFound("Không tìm thấy giao ước của đợt chấm điểm.")
        }
        let roster = try await version.frozenRoster().asyncOr { try await CovenantService.liveRoster(bloc: bloc, year: round.year, on: db) }
        let settings = try round.decodedSettings()
        let members = roster.members.map(\.unitID)
        let scorers = settings.plan.flatMap { try? $0.assign(members) } ?? [:]
        return Context(round: round, bloc: bloc, content: try version.decoded(), roster: roster, settings: settings,
                       scope: RoundScope(blocID: round.blocID, year: round.year, phase: round.roundPhase, members: Set(members), scorers: scorers))
    }

    // MARK: Rounds

    /// A new round for the bloc's covenant in force that year, which must be signed: its scale and roster are what
    /// the members agreed to be scored on.
    static func create(bloc: Bloc, year: Int, kind: RoundKind, caller: Caller) async throws -> ScoringRoundModel {
        let blocID = try bloc.requireID()
        try caller.principal.requireBloc(blocID, year: year)
        guard let version = try await CovenantService.current(blocID: blocID, year: year, on: caller.db) else {
            throw DomainError.conflict("Khối chưa có giao ước năm \(year): chưa tạo được đợt chấm điểm.")
        }
        guard version.covenantStatus == .signed, let roster = version.frozenRoster() else {
            throw DomainError.conflict("Giao ước năm \(year) chưa ký kết xong: các đơn vị chấm điểm theo thang điểm đã ký.")
        }
        guard roster.members.count >= 2 else { throw DomainError.conflict("Khối cần ít nhất 2 đơn vị thành viên để chấm điểm.") }
        if try await ScoringRoundModel.query(on: caller.db).filter(\.$blocID == blocID).filter(\.$year == year).filter(\.$kind == kind.rawValue).first() != nil {
            throw DomainError.conflict("Khối đã có đợt “\(kind.label)” năm \(year).")
        }
        let content = try version.decoded()
        guard !ScoringScale.flatten(content.scale).isEmpty else { throw DomainError.conflict("Giao ước chưa có thang điểm.") }
        let r = ScoringRoundModel()
        r.blocID = blocID; r.year = year; r.kind = kind.rawValue; r.covenantVersionID = try version.requireID()
        r.phase = RoundPhase.setup.rawValue; r.lockVersion = 1; r.createdBy = caller.actor; r.updatedBy = caller.actor
        try r.store(RoundSettings.defaults(scale: content.scale))
        try await caller.audited { db, audit in
            try await r.create(on: db)
            struct S: Codable { var bloc: String; var year: Int; var kind: String; var covenantVersion: Int }
            try await audit.created("scoring_round", r.id, S(bloc: bloc.name, year: year, kind: kind.rawValue, covenantVersion: version.number))
        }
        return r
    }

    struct SettingsInput: Content, Sendable {
        var lockVersion: Int?
        var settings: RoundSettingsInput?
    }

    /// The leader's settings, before the round opens; optimistic locking on the round.
    static func updateSettings(_ ctx: Context, _ input: SettingsInput, caller: Caller) async throws {
        guard caller.principal.canManageRound(ctx.scope) else { throw DomainError.forbidden("Chỉ trưởng khối hoặc Ban Thi đua – Khen thưởng thiết lập đợt chấm điểm.") }
        guard ctx.scope.phase == .setup else { throw DomainError.conflict("Đợt chấm điểm đã mở: cách chấm và quy tắc tổng hợp không đổi được nữa.") }
        let settings = try (input.settings ?? RoundSettingsInput()).applied(to: ctx.settings, members: ctx.memberIDs.count, scale: ctx.scale)
        let expected = try requireLock(input.lockVersion, current: ctx.round.lockVersion)
        let old = ctx.settings
        let id = ctx.id, actor = caller.actor
        let json = try CovenantVersion.json(settings)
        try await caller.audited { db, audit in
            try await ScoringRoundModel.query(on: db).filter(\.$id == id).filter(\.$lockVersion == expected)
                .set(\.$settings, to: json).set(\.$lockVersion, to: expected + 1).set(\.$updatedBy, to: actor).update()
            try await requireSaved(ScoringRoundModel.find(id, on: db)?.lockVersion, expected + 1)
            try await audit.record("scoring_round", id, "settings", old: old, new: settings)
        }
    }

    /// Moves the round's phase when what it waits for is there (`RoundLifecycle`), audited.
    static func perform(_ ctx: Context, _ action: RoundAction, caller: Caller) async throws {
        guard caller.principal.canManageRound(ctx.scope) else { throw DomainError.forbidden("Chỉ trưởng khối hoặc Ban Thi đua – Khen thưởng chuyển giai đoạn của đợt chấm điểm.") }
        let facts = try await self.facts(ctx, on: caller.db)
        let next = try RoundLifecycle.next(ctx.scope.phase, action, facts: facts)
        let id = ctx.id, expected = ctx.round.lockVersion, actor = caller.actor, from = ctx.scope.phase, now = caller.now
        try await caller.audited { db, audit in
            try await ScoringRoundModel.query(on: db).filter(\.$id == id).filter(\.$lockVersion == expected)
                .set(\.$phase, to: next.rawValue).set(\.$lockVersion, to: expected + 1).set(\.$updatedBy, to: actor).update()
            try await requireSaved(ScoringRoundModel.find(id, on: db)?.lockVersion, expected + 1)
            struct P: Codable { var phase: String; var digest: String? }
            var digest: String?
            if next == .published {
                // Frozen from the data as stored inside this transaction, with the audit chain's head before this entry.
                let result = result(ctx, try await load(ctx, on: db), revision: 1)
                digest = try await storeResult(result, changes: [], reason: "Công bố kết quả", by: actor, at: now, on: db)
            }
            try await audit.record("scoring_round", id, action.rawValue, old: P(phase: from.rawValue), new: P(phase: next.rawValue, digest: digest))
        }
    }

    /// Stores a published revision with its digest and the audit chain's head; returns the digest.
    static func storeResult(_ result: PublishedResult, changes: [String], reason: String, by actor: String, at now: Date,
                            on db: any Database) async throws -> String {
        let head = try await AuditLog.currentHead(on: db)
        let row = ScoringResultModel()
        row.roundID = result.round; row.revision = result.revision
        row.content = String(decoding: result.canonical, as: UTF8.self)
        row.digest = result.digest; row.auditSeq = head.seq; row.auditHead = head.hash
        row.changes = try CovenantVersion.json(changes); row.reason = reason; row.publishedBy = actor; row.publishedAt = now
        try await row.create(on: db)
        return row.digest
    }

    /// What the phase change depends on, counted from the stored sheets and the consolidation.
    static func facts(_ ctx: Context, on db: any Database) async throws -> RoundFacts {
        facts(ctx, try await load(ctx, on: db))
    }

    static func facts(_ ctx: Context, _ data: Loaded, outcomes given: [UnitOutcome]? = nil) -> RoundFacts {
        let submitted = data.sheets.filter { $0.scorer == Scorer.selfAssessment.key && $0.submittedAt != nil }.count
        var missing = 0, awaiting = 0
        if ctx.scope.phase >= .review {
            let outcomes = given ?? consolidate(ctx, data)
            for o in outcomes {
                for c in o.criteria where !c.isGroup {
                    if c.status == .missing { missing += 1 }
                    if c.status == .awaitingThirdScoring { awaiting += 1 }
                }
            }
            missing += missingPeerMarks(ctx, data)
        }
        return RoundFacts(members: ctx.memberIDs.count, submitted: submitted, missing: missing, awaitingThirdScoring: awaiting,
                          openAppeals: data.appeals.filter { $0.answeredAt == nil }.count)
    }

    /// Marks the plan asks of the peers and that are not entered (a scorer that declared a conflict owes none).
    static func missingPeerMarks(_ ctx: Context, _ data: Loaded) -> Int {
        guard ctx.settings.method != .leaderReview else { return 0 }
        let conflicts = Set(data.conflicts.map { "\($0.scorer)|\($0.unit)" })
        var n = 0
        for (unit, scorers) in ctx.scope.scorers {
            for s in scorers where !conflicts.contains("\(s)|\(unit)") {
                let scorer = Scorer.peer(s)
                let entered = Set(data.marks.filter { $0.unit == unit && $0.scorer == scorer }.map(\.criterion))
                n += ScoreSheets.missing(scale: ctx.scale, unit: unit, scorer: scorer, entered: entered).count
            }
        }
        return n
    }

    // MARK: Sheets

    /// The sheet's scorer from the path: "self", "leader", "third" or a peer unit's id.
    static func scorer(_ raw: String?) throws -> Scorer {
        guard let raw, let s = Scorer(key: raw) ?? UUID(uuidString: raw).map(Scorer.peer) else {
            throw DomainError.notFound("Không có phiếu chấm này.")
        }
        return s
    }

    static func requireMember(_ unit: UUID, _ ctx: Context) throws {
        guard ctx.scope.members.contains(unit) else { throw DomainError.notFound("Đơn vị không thuộc khối trong đợt chấm điểm này.") }
    }

    static func sheetModel(_ ctx: Context, unit: UUID, scorer: Scorer, on db: any Database) async throws -> ScoreSheetModel? {
        try await ScoreSheetModel.query(on: db).filter(\.$roundID == ctx.id).filter(\.$unitID == unit).filter(\.$scorer == scorer.key).first()
    }

    /// The criteria awaiting a third scoring for a unit (the third-scoring sheet's rows).
    static func awaiting(_ ctx: Context, unit: UUID, on db: any Database) async throws -> Set<String> {
        let data = try await load(ctx, on: db)
        let o = consolidate(ctx, data).first { $0.unit == unit }
        return Set(o?.criteria.filter { $0.status == .awaitingThirdScoring || $0.used.contains { $0.scorer == .thirdScoring } }.map(\.code) ?? [])
    }

    struct SheetInput: Content, Sendable {
        var lockVersion: Int?
        var marks: [MarkInput]?
    }

    /// Saves a sheet's marks (the ones given; a criterion left blank is cleared), refused outside the phase, for
    /// anyone but its scorer, and when someone else saved in between (409: nothing is lost, the other save stands).
    static func saveSheet(_ ctx: Context, unit: UUID, scorer: Scorer, _ input: SheetInput, caller: Caller) async throws {
        try requireMember(unit, ctx)
        if scorer.peerUnit == unit { throw DomainError.invalid("Đơn vị không chấm điểm chính mình.", field: "scorer") }
        guard caller.principal.canWriteSheet(unit: unit, scorer: scorer, ctx.scope) else {
            throw DomainError.forbidden(scorer.peerUnit != nil
                ? "Bạn chỉ chấm được các đơn vị mà đơn vị mình được phân công chấm, bằng tài khoản cán bộ của đơn vị mình."
                : scorer == .selfAssessment ? "Chỉ cán bộ thi đua của đơn vị tự chấm điểm cho đơn vị mình." : "Chỉ trưởng khối thẩm định và chấm lần ba.")
        }
        let existing = try await sheetModel(ctx, unit: unit, scorer: scorer, on: caller.db)
        if let refusal = ScoreSheets.editRefusal(phase: ctx.scope.phase, scorer: scorer, submitted: existing?.submittedAt != nil) { throw refusal }
        if scorer == .selfAssessment, ctx.round.roundKind == .yearEnd {
            try await DeadlineService.requireOpen(.selfAssessment, year: ctx.round.year, unitID: unit, today: caller.today, on: caller.db)
        }
        if let s = scorer.peerUnit, ctx.round.roundKind == .yearEnd {
            try await DeadlineService.requireOpen(.scoring, year: ctx.round.year, unitID: s, today: caller.today, on: caller.db)
        }
        if let s = scorer.peerUnit, try await ScoringConflictModel.query(on: caller.db).filter(\.$roundID == ctx.id)
            .filter(\.$scorerUnitID == s).filter(\.$unitID == unit).first() != nil {
            throw DomainError.conflict("Đơn vị đã khai xung đột lợi ích với “\(ctx.name(unit))”: không chấm đơn vị này.")
        }
        let awaiting = scorer == .thirdScoring ? try await self.awaiting(ctx, unit: unit, on: caller.db) : []
        if scorer == .thirdScoring && awaiting.isEmpty {
            throw DomainError.conflict("“\(ctx.name(unit))” không có tiêu chí nào chờ chấm lần ba.")
        }
        let marks = try ScoreSheets.checked(input.marks ?? [], scale: ctx.scale, unit: unit, scorer: scorer, method: ctx.settings.method, awaiting: awaiting)
        let expected = try requireLock(input.lockVersion, current: existing?.lockVersion ?? 0)
        let before = try await existing.asyncMap { try await ScoreMarkModel.query(on: caller.db).filter(\.$sheetID == $0.requireID()).all() } ?? []
        let roundID = ctx.id, actor = caller.actor
        struct M: Codable, Sendable { var criterion: String; var value: String; var comment: String }
        func describe(_ code: String, _ v: MarkValue?, _ comment: String) -> M { M(criterion: code, value: v.map(ScoreSheets.describe) ?? "–", comment: comment) }
        let old = before.map { describe($0.criterion, $0.value, $0.comment) }
        let new = marks.map { describe($0.criterion, $0.value, $0.comment) }
        try await caller.audited { db, audit in
            let sheetID: UUID
            if let existing {
                sheetID = try existing.requireID()
                try await ScoreSheetModel.query(on: db).filter(\.$id == sheetID).filter(\.$lockVersion == expected)
                    .set(\.$lockVersion, to: expected + 1).set(\.$updatedBy, to: actor).update()
                try await requireSaved(ScoreSheetModel.find(sheetID, on: db)?.lockVersion, expected + 1)
                try await ScoreMarkModel.query(on: db).filter(\.$sheetID == sheetID).delete()
            } else {
                let s = ScoreSheetModel()
                s.roundID = roundID; s.unitID = unit; s.scorer = scorer.key; s.lockVersion = 1; s.updatedBy = actor
                // Two first saves at once: the second breaks the unique (round, unit, scorer) and answers 409.
                try await s.create(on: db)
                sheetID = try s.requireID()
            }
            // One INSERT for the whole sheet.
            let rows = marks.map { m in
                let row = ScoreMarkModel()
                row.sheetID = sheetID; row.criterion = m.criterion; row.comment = m.comment
                row.set(m.value)
                return row
            }
            if !rows.isEmpty { try await rows.create(on: db) }
            struct S: Codable { var unit: UUID; var scorer: String; var marks: [M] }
            try await audit.record("score_sheet", sheetID, existing == nil ? "create" : "update",
                                   old: existing == nil ? nil : S(unit: unit, scorer: scorer.key, marks: old), new: S(unit: unit, scorer: scorer.key, marks: new))
        }
    }

    /// Submits a unit's self-assessment when every applicable criterion has a value; its scores are then locked.
    static func submit(_ ctx: Context, unit: UUID, lockVersion: Int?, caller: Caller) async throws {
        try requireMember(unit, ctx)
        guard caller.principal.canSelfAssess(unit: unit, ctx.scope) else { throw DomainError.forbidden("Chỉ cán bộ thi đua của đơn vị nộp bản tự chấm điểm của đơn vị mình.") }
        guard let sheet = try await sheetModel(ctx, unit: unit, scorer: .selfAssessment, on: caller.db) else {
            throw DomainError.conflict("Đơn vị chưa nhập điểm tự chấm.")
        }
        if let refusal = ScoreSheets.editRefusal(phase: ctx.scope.phase, scorer: .selfAssessment, submitted: sheet.submittedAt != nil) { throw refusal }
        if ctx.round.roundKind == .yearEnd {
            try await DeadlineService.requireOpen(.selfAssessment, year: ctx.round.year, unitID: unit, today: caller.today, on: caller.db)
        }
        let entered = Set(try await ScoreMarkModel.query(on: caller.db).filter(\.$sheetID == sheet.requireID()).all().map(\.criterion))
        let missing = ScoreSheets.missing(scale: ctx.scale, unit: unit, scorer: .selfAssessment, entered: entered)
        if !missing.isEmpty {
            throw DomainError.conflict("Còn \(missing.count) tiêu chí chưa có điểm: \(missing.prefix(10).joined(separator: ", "))\(missing.count > 10 ? "…" : ""). Điểm 0 cũng phải nhập.")
        }
        let expected = try requireLock(lockVersion, current: sheet.lockVersion)
        let id = try sheet.requireID(), actor = caller.actor, now = caller.now
        try await caller.audited { db, audit in
            try await ScoreSheetModel.query(on: db).filter(\.$id == id).filter(\.$lockVersion == expected)
                .set(\.$submittedAt, to: now).set(\.$submittedBy, to: actor).set(\.$lockVersion, to: expected + 1).set(\.$updatedBy, to: actor).update()
            try await requireSaved(ScoreSheetModel.find(id, on: db)?.lockVersion, expected + 1)
            struct S: Codable { var unit: UUID; var submitted: Bool }
            try await audit.record("score_sheet", id, "submit", old: S(unit: unit, submitted: false), new: S(unit: unit, submitted: true))
        }
    }

    struct ReopenInput: Content, Sendable { var reason: String? }

    /// The leader reopens a submitted self-assessment, with a reason, while self-assessment lasts.
    static func reopen(_ ctx: Context, unit: UUID, _ input: ReopenInput, caller: Caller) async throws {
        try requireMember(unit, ctx)
        guard caller.principal.canReview(ctx.scope) else { throw DomainError.forbidden("Chỉ trưởng khối mở lại bản tự chấm điểm.") }
        guard ctx.scope.phase == .selfAssessment else { throw DomainError.conflict("Chỉ mở lại được trong giai đoạn tự chấm điểm.") }
        let reason = try Validate.name(input.reason ?? "", field: "reason", label: "Lý do mở lại", maxLength: 1_000)
        guard let sheet = try await sheetModel(ctx, unit: unit, scorer: .selfAssessment, on: caller.db), sheet.submittedAt != nil else {
            throw DomainError.conflict("Bản tự chấm điểm của “\(ctx.name(unit))” chưa nộp: không cần mở lại.")
        }
        let id = try sheet.requireID(), expected = sheet.lockVersion, actor = caller.actor
        try await caller.audited { db, audit in
            try await ScoreSheetModel.query(on: db).filter(\.$id == id).filter(\.$lockVersion == expected)
                .set(\.$submittedAt, to: nil).set(\.$submittedBy, to: nil).set(\.$reopenReason, to: reason)
                .set(\.$lockVersion, to: expected + 1).set(\.$updatedBy, to: actor).update()
            try await requireSaved(ScoreSheetModel.find(id, on: db)?.lockVersion, expected + 1)
            struct S: Codable { var unit: UUID; var submitted: Bool; var reason: String? }
            try await audit.record("score_sheet", id, "reopen", old: S(unit: unit, submitted: true, reason: nil), new: S(unit: unit, submitted: false, reason: reason))
        }
    }

    struct ConflictInput: Content, Sendable { var scorerUnitID: UUID?; var unitID: UUID?; var reason: String? }

    /// A scorer unit declares a conflict of interest with a unit it is assigned, before or while it scores: its
    /// marks for that unit (if any) are then left out, and it owes none.
    static func declareConflict(_ ctx: Context, _ input: ConflictInput, caller: Caller) async throws {
        guard let scorer = input.scorerUnitID, let unit = input.unitID else { throw DomainError.invalid("Hãy chọn đơn vị chấm và đơn vị được chấm.", field: "unitID") }
        try requireMember(unit, ctx)
        guard caller.principal.canCrossScore(as: scorer, target: unit, ctx.scope) else {
            throw DomainError.forbidden("Chỉ cán bộ của đơn vị được phân công chấm mới khai xung đột lợi ích với đơn vị đó.")
        }
        guard ctx.scope.phase == .selfAssessment || ctx.scope.phase == .review else {
            throw DomainError.conflict("Chỉ khai xung đột lợi ích trước khi kết thúc giai đoạn chấm chéo.")
        }
        let reason = try Validate.name(input.reason ?? "", field: "reason", label: "Lý do xung đột lợi ích", maxLength: 1_000)
        let c = ScoringConflictModel()
        c.roundID = ctx.id; c.scorerUnitID = scorer; c.unitID = unit; c.reason = reason; c.declaredBy = caller.actor; c.declaredAt = caller.now
        try await caller.audited { db, audit in
            try await c.create(on: db)
            struct S: Codable { var scorer: UUID; var unit: UUID; var reason: String }
            try await audit.created("scoring_conflict", c.id, S(scorer: scorer, unit: unit, reason: reason))
        }
    }

    // MARK: Consolidation

    /// Everything a round's result is computed from.
    struct Loaded: Sendable {
        var sheets: [ScoreSheetModel]
        var marks: [ScoreMark]
        var conflicts: [ConflictDeclaration]
        var appeals: [ScoringAppealModel]
        var corrections: [ScoringCorrectionModel]
        /// Answered appeals in the order they were answered, then corrections by revision.
        var overrides: [ScoreOverride]
    }

    static func load(_ ctx: Context, on db: any Database) async throws -> Loaded {
        let sheets = try await ScoreSheetModel.query(on: db).filter(\.$roundID == ctx.id).all()
        let byID = Dictionary(uniqueKeysWithValues: sheets.compactMap { s in s.id.map { ($0, s) } })
        let rows = byID.isEmpty ? [] : try await markRows(round: ctx.id, on: db)
        let marks: [ScoreMark] = rows.compactMap { r in
            guard let sheet = byID[r.sheet_id], let scorer = Scorer(key: sheet.scorer), let value = r.value else { return nil }
            return ScoreMark(unit: sheet.unitID, criterion: r.criterion, scorer: scorer, value: value, comment: r.comment)
        }
        let conflicts = try await ScoringConflictModel.query(on: db).filter(\.$roundID == ctx.id).all()
            .map { ConflictDeclaration(scorer: $0.scorerUnitID, unit: $0.unitID, reason: $0.reason) }
        let appeals = try await ScoringAppealModel.query(on: db).filter(\.$roundID == ctx.id).sort(\.$filedAt).all()
        let corrections = try await ScoringCorrectionModel.query(on: db).filter(\.$roundID == ctx.id).sort(\.$revision).all()
        return Loaded(sheets: sheets, marks: marks, conflicts: conflicts, appeals: appeals, corrections: corrections,
                      overrides: overrides(appeals: appeals, corrections: corrections))
    }

    /// A mark as read for consolidation: its plain columns, without Fluent's model machinery (a round holds a mark
    /// per criterion, unit and scorer, about 700 in the demo; building models for them was most of a results page).
    struct MarkRow: Decodable, Sendable {
        var sheet_id: UUID
        var criterion: String
        var value_kind: String
        var points: Int64?, target: Int64?, actual: Int64?
        var done: Bool?
        var events: Int?
        var comment: String

        var value: MarkValue? { ScoreMarkModel.value(kind: value_kind, points: points, target: target, actual: actual, done: done, events: events) }
    }

    /// Every mark of a round's sheets, in one query.
    static func markRows(round: UUID, on db: any Database) async throws -> [MarkRow] {
        guard let sql = db as? any SQLDatabase else {
            let sheets = try await ScoreSheetModel.query(on: db).filter(\.$roundID == round).all().compactMap(\.id)
            return try await ScoreMarkModel.query(on: db).filter(\.$sheetID ~~ sheets).all().map {
                MarkRow(sheet_id: $0.sheetID, criterion: $0.criterion, value_kind: $0.valueKind, points: $0.points, target: $0.target, actual: $0.actual,
                        done: $0.done, events: $0.events, comment: $0.comment)
            }
        }
        let m = ScoreMarkModel.schema
        return try await sql.select()
            .columns(["sheet_id", "criterion", "value_kind", "points", "target", "actual", "done", "events", "comment"].map { SQLColumn($0, table: m) })
            .from(m)
            .join(ScoreSheetModel.schema, on: SQLColumn("sheet_id", table: m), .equal, SQLColumn("id", table: ScoreSheetModel.schema))
            .where(SQLColumn("round_id", table: ScoreSheetModel.schema), .equal, SQLBind(round))
            .all(decoding: MarkRow.self)
    }

    /// The overrides the answers and corrections make, as consolidation applies them.
    static func overrides(appeals: [ScoringAppealModel], corrections: [ScoringCorrectionModel]) -> [ScoreOverride] {
        func value(_ decision: String?, _ points: Int64?) -> ScoreOverride.Value? {
            switch decision.flatMap(AppealDecision.init(rawValue:)) {
            case .changed?: points.map { .points(Points(hundredths: $0)) }
            case .notApplicable?: .notApplicable
            default: nil
            }
        }
        let answered = appeals.filter { $0.answeredAt != nil }.sorted { ($0.answeredAt ?? .distantPast) < ($1.answeredAt ?? .distantPast) }
        return answered.compactMap { a in
            value(a.decision, a.points).map { ScoreOverride(unit: a.unitID, criterion: a.criterion, value: $0, source: "giải quyết khiếu nại", reason: a.answer ?? "") }
        } + corrections.compactMap { c in
            value(c.decision, c.points).map { ScoreOverride(unit: c.unitID, criterion: c.criterion, value: $0, source: "đính chính lần \(c.revision - 1)", reason: c.reason) }
        }
    }

    /// The members' results from the stored marks and overrides, in roster order: one call of `Consolidation.consolidate`.
    static func consolidate(_ ctx: Context, _ data: Loaded) -> [UnitOutcome] {
        Consolidation.consolidate(scale: ctx.scale, units: ctx.roster.members.map { UnitScoring(id: $0.unitID, name: $0.officialName) },
                                  marks: data.marks, conflicts: data.conflicts, rule: ctx.settings.rule, overrides: data.overrides)
    }

    /// The result as it would be published now: outcomes and ranking.
    static func result(_ ctx: Context, _ data: Loaded, revision: Int) -> PublishedResult {
        let outcomes = consolidate(ctx, data)
        return PublishedResult(round: ctx.id, revision: revision, outcomes: outcomes, ranking: Ranking.rank(outcomes, chain: ctx.settings.tieBreaks))
    }

    // MARK: Locking

    /// The lock version the client saw, which must be the stored one (409 otherwise: someone saved in between).
    static func requireLock(_ given: Int?, current: Int) throws -> Int {
        guard let given else { throw DomainError.invalid("Thiếu lockVersion (phiên bản dữ liệu đang sửa).", field: "lockVersion") }
        guard given == current else {
            throw DomainError.conflict("Dữ liệu vừa được người khác lưu; thay đổi của bạn chưa được lưu. Hãy tải lại trang và nhập lại.")
        }
        return current
    }

    static func requireSaved(_ stored: Int?, _ expected: Int) throws {
        guard stored == expected else {
            throw DomainError.conflict("Dữ liệu vừa được người khác lưu; thay đổi của bạn chưa được lưu. Hãy tải lại trang và nhập lại.")
        }
    }
}

extension Optional where Wrapped: Sendable {
    /// The value, or the one `make` returns.
    func asyncOr(_ make: () async throws -> Wrapped) async rethrows -> Wrapped {
        if let v = self { return v }
        return try await make()
    }
}
