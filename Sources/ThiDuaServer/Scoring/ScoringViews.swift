import Fluent
import Foundation
import ThiDuaCore

/// Builds what a caller sees of a round, a sheet and the results: every inclusion decided by `Principal`'s scoring
/// scope (ThiDuaCore), so that pages and API show the same thing.
enum ScoringViews {
    static func round(_ ctx: ScoringService.Context, caller: Caller) async throws -> RoundDTO {
        let p = caller.principal, scope = ctx.scope
        let data = try await ScoringService.load(ctx, on: caller.db)
        let sheets = Dictionary(data.sheets.map { ("\($0.unitID)|\($0.scorer)", $0) }, uniquingKeysWith: { a, _ in a })
        func sheet(_ unit: UUID, _ s: Scorer) -> ScoreSheetModel? { sheets["\(unit)|\(s.key)"] }
        let canManage = p.canManageRound(scope)
        let members = ctx.roster.members.map { m in
            RoundDTO.Member(unitID: m.unitID, name: m.officialName, role: m.role?.label,
                            selfSubmitted: sheet(m.unitID, .selfAssessment)?.submittedAt != nil,
                            sheetURL: p.canReadSheet(unit: m.unitID, scorer: .selfAssessment, scope) ? ScoringPath.sheet(ctx.id, unit: m.unitID, scorer: .selfAssessment).url : nil,
                            reopenURL: p.canReview(scope) && scope.phase == .selfAssessment && sheet(m.unitID, .selfAssessment)?.submittedAt != nil
                                ? ScoringPath.reopen(ctx.id, unit: m.unitID).url : nil)
        }
        let actions: [RoundDTO.Action] = canManage ? RoundAction.allCases.filter { a in (try? RoundLifecycle.next(scope.phase, a, facts: .init(members: Int.max / 4, submitted: Int.max / 4))) != nil }
            .map { .init(action: $0.rawValue, label: $0.label, url: ScoringPath.action(ctx.id, $0).url) } : []
        let conflicts = Set(data.conflicts.map { "\($0.scorer)|\($0.unit)" })
        var work: [RoundDTO.Work] = []
        func add(_ unit: UUID, _ s: Scorer, _ label: String, awaiting: Set<String> = []) {
            // The sheets of the phases where they are filled: a unit's own until the review ends, the others during
            // the review (after it nothing is owed, and a published round lists no sheet to fill).
            guard s == .selfAssessment ? scope.phase <= .review : scope.phase == .review else { return }
            let needed = ScoreSheets.criteria(scale: ctx.scale, unit: unit, scorer: s, method: ctx.settings.method, awaiting: awaiting).count
            guard needed > 0 else { return }
            let entered = Set(data.marks.filter { $0.unit == unit && $0.scorer == s }.map(\.criterion)).count
            work.append(.init(unitID: unit, unitName: ctx.name(unit), scorer: s.key, label: label, entered: entered, needed: needed,
                              submitted: sheet(unit, s)?.submittedAt != nil, url: ScoringPath.sheet(ctx.id, unit: unit, scorer: s).url,
                              scorerUnitID: s.peerUnit))
        }
        for m in ctx.memberIDs where p.canWriteSheet(unit: m, scorer: .selfAssessment, scope) { add(m, .selfAssessment, "Tự chấm điểm") }
        for target in ctx.memberIDs {
            for s in scope.scorers[target] ?? [] where p.canWriteSheet(unit: target, scorer: .peer(s), scope) && !conflicts.contains("\(s)|\(target)") {
                add(target, .peer(s), "Chấm chéo (thay mặt \(ctx.name(s)))")
            }
        }
        let outcomes = scope.phase >= .review && (p.canReview(scope) || canManage) ? ScoringService.consolidate(ctx, data) : nil
        if p.canReview(scope), let outcomes {
            for o in outcomes {
                add(o.unit, .leader, "Trưởng khối thẩm định")
                let third = Set(o.criteria.filter { $0.status == .awaitingThirdScoring || $0.used.contains { $0.scorer == .thirdScoring } }.map(\.code))
                if !third.isEmpty { add(o.unit, .thirdScoring, "Chấm lần ba (\(third.count) tiêu chí chênh lệch)", awaiting: third) }
            }
        }
        let assignments: [RoundDTO.Assignment]? = canManage && ctx.settings.plan != nil ? ctx.memberIDs.map { u in
            .init(unitID: u, unitName: ctx.name(u), scorers: (scope.scorers[u] ?? []).map(ctx.name))
        } : nil
        let schedule = try await Self.schedule(ctx, data, outcomes: outcomes, notes: canManage, caller: caller)
        let visibleConflicts = try await ScoringConflictModel.query(on: caller.db).filter(\.$roundID == ctx.id).all()
            .filter { canManage || p.canReadMarks(of: $0.scorerUnitID, scope) }
            .map { RoundDTO.Conflict(scorerUnitID: $0.scorerUnitID, scorer: ctx.name($0.scorerUnitID), unitID: $0.unitID, unit: ctx.name($0.unitID),
                                     reason: $0.reason, declaredBy: $0.declaredBy, at: VietnameseFormat.dateTime($0.declaredAt)) }
        return RoundDTO(id: ctx.id, blocID: ctx.round.blocID, blocName: ctx.bloc.name, year: ctx.round.year, kind: ctx.round.kind,
                        kindLabel: ctx.round.roundKind.label, phase: scope.phase.rawValue, phaseLabel: scope.phase.label,
                        covenantVersionID: ctx.round.covenantVersionID, lockVersion: ctx.round.lockVersion, settings: RoundSettingsDTO(ctx.settings),
                        members: members, canManage: canManage, actions: actions, work: work, assignments: assignments,
                        conflicts: visibleConflicts, resultsVisible: p.canReadRanking(scope), resultsURL: ScoringPath.results(ctx.id).url,
                        schedule: schedule)
    }

    /// A year-end round's phases against the year's deadlines (`RoundSchedule`); what is still owed only for those
    /// who manage the round (the counts say how far the scoring has gone). A mid-year round has no office deadlines.
    static func schedule(_ ctx: ScoringService.Context, _ data: ScoringService.Loaded, outcomes: [UnitOutcome]?, notes: Bool,
                         caller: Caller) async throws -> [RoundDTO.Step] {
        guard ctx.round.roundKind == .yearEnd else { return [] }
        let rows = try await Deadline.query(on: caller.db).filter(\.$year == ctx.round.year).all()
        let deadlines = Dictionary(rows.compactMap { r in EmulationPhase(rawValue: r.phase).flatMap { p in Day(iso: r.dueOn).map { (p, $0) } } },
                                   uniquingKeysWith: { a, _ in a })
        let facts = notes ? ScoringService.facts(ctx, data, outcomes: outcomes) : RoundFacts(members: 0)
        return RoundSchedule.steps(current: ctx.scope.phase, deadlines: deadlines, today: caller.today, facts: facts).map { s in
            .init(phase: s.phase.rawValue, label: s.phase.label, deadline: s.deadline?.label, due: s.due?.vietnamese, state: s.state, late: s.late,
                  note: notes ? s.note : s.note.map { _ in "Đã quá hạn \(s.due?.vietnamese ?? "")." })
        }
    }

    static func sheet(_ ctx: ScoringService.Context, unit: UUID, scorer: Scorer, caller: Caller) async throws -> SheetDTO {
        let p = caller.principal, scope = ctx.scope
        try ScoringService.requireMember(unit, ctx)
        if case .peer(let s) = scorer, !(scope.scorers[unit]?.contains(s) ?? false) {
            throw DomainError.notFound("Không có phiếu chấm này: đơn vị đó không được phân công chấm “\(ctx.name(unit))”.")
        }
        guard p.canReadSheet(unit: unit, scorer: scorer, scope) else {
            throw DomainError.forbidden("Bạn không xem được phiếu chấm này: mỗi đơn vị chỉ xem phiếu của mình trước khi đợt chấm điểm kết thúc.")
        }
        let model = try await ScoringService.sheetModel(ctx, unit: unit, scorer: scorer, on: caller.db)
        let rows = try await model.asyncMap { try await ScoreMarkModel.query(on: caller.db).filter(\.$sheetID == $0.requireID()).all() } ?? []
        let byCode = Dictionary(rows.map { ($0.criterion, $0) }, uniquingKeysWith: { a, _ in a })
        let awaiting = scorer == .thirdScoring ? try await ScoringService.awaiting(ctx, unit: unit, on: caller.db) : []
        let leaves = Set(ScoreSheets.criteria(scale: ctx.scale, unit: unit, scorer: scorer, method: ctx.settings.method, awaiting: awaiting).map(\.code))
        var out: [SheetDTO.Row] = []
        // Leaves of the sheet under their group headings (a heading only when something below it is on the sheet).
        func walk(_ c: Criterion, depth: Int) -> Bool {
            guard c.applies(to: unit) else { return false }
            let isGroup = !c.children.isEmpty && c.kind != .adjustment
            if isGroup {
                let at = out.count
                var any = false
                for child in c.children { any = walk(child, depth: depth + 1) || any }
                if any { out.insert(row(c, depth: depth, isGroup: true, mark: nil), at: at) }
                return any
            }
            guard leaves.contains(c.code) else { return false }
            out.append(row(c, depth: depth, isGroup: false, mark: byCode[c.code]))
            return true
        }
        for c in ctx.scale { _ = walk(c, depth: 1) }
        let submitted = model?.submittedAt != nil
        let editable = p.canWriteSheet(unit: unit, scorer: scorer, scope) && ScoreSheets.editRefusal(phase: scope.phase, scorer: scorer, submitted: submitted) == nil
        let missing = ScoreSheets.missing(scale: ctx.scale, unit: unit, scorer: scorer, method: ctx.settings.method, entered: Set(byCode.keys), awaiting: awaiting)
        return SheetDTO(roundID: ctx.id, unitID: unit, unitName: ctx.name(unit), scorer: scorer.key,
                        scorerLabel: scorer.peerUnit.map { "Chấm chéo: \(ctx.name($0))" } ?? scorer.label.prefix(1).uppercased() + scorer.label.dropFirst(),
                        phase: scope.phase.rawValue, lockVersion: model?.lockVersion ?? 0, submitted: submitted,
                        submittedAt: model?.submittedAt.map(VietnameseFormat.dateTime), submittedBy: model?.submittedBy, reopenReason: model?.reopenReason,
                        editable: editable, canSubmit: editable && scorer == .selfAssessment, rows: out, missing: missing,
                        roundURL: ScoringPath.round(ctx.id).url, formURL: ScoringPath.sheet(ctx.id, unit: unit, scorer: scorer).url,
                        submitURL: scorer == .selfAssessment ? ScoringPath.submit(ctx.id, unit: unit).url : nil)
    }

    static func row(_ c: Criterion, depth: Int, isGroup: Bool, mark: ScoreMarkModel?) -> SheetDTO.Row {
        var r = SheetDTO.Row(code: c.code, name: c.name, depth: depth, isGroup: isGroup, kind: c.kind.rawValue, kindLabel: c.kind.label,
                             maxPoints: c.maxPoints, maxText: ScoringScale.points(c.maxPoints), perEvent: c.perEvent, guidance: c.guidance,
                             comment: mark?.comment ?? "", pointsText: "", targetText: "", actualText: "")
        switch mark?.value {
        case .points(let p)?: r.points = p.decimal; r.pointsText = p.plainText
        case .targetActual(let t, let a)?: r.target = t?.decimal; r.actual = a.decimal; r.targetText = t?.plainText ?? ""; r.actualText = a.plainText
        case .done(let d)?: r.done = d
        case .events(let n)?: r.events = n
        case nil: break
        }
        return r
    }

    /// What a round's results show: the stored data it is computed from, and the result — as computed now, or, once
    /// published, the latest frozen revision with its publication record (checked against what the data gives today).
    struct Shown: Sendable {
        var data: ScoringService.Loaded
        var result: PublishedResult
        var publication: ResultsDTO.Publication?
        var publishedAt: Date?
    }

    static func requireRanking(_ ctx: ScoringService.Context, caller: Caller) throws {
        let p = caller.principal, scope = ctx.scope
        guard p.canReadRanking(scope) else {
            throw DomainError.forbidden(scope.members.contains(where: { p.canReadUnitDetail(unit: $0, scope) })
                ? "Kết quả chỉ được công bố cho các đơn vị từ giai đoạn “\(RoundPhase.preliminary.label)”."
                : "Kết quả của đợt chấm điểm này chưa được công bố.")
        }
    }

    /// Loads the round's data once, and its publications when published.
    static func shown(_ ctx: ScoringService.Context, on db: any Database) async throws -> Shown {
        let data = try await ScoringService.load(ctx, on: db)
        guard ctx.scope.phase == .published else { return Shown(data: data, result: ScoringService.result(ctx, data, revision: 0)) }
        let rows = try await ScoringResultModel.query(on: db).filter(\.$roundID == ctx.id).sort(\.$revision).all()
        let recomputed = ScoringService.result(ctx, data, revision: rows.last?.revision ?? 0)
        var shown = Shown(data: data, result: recomputed)
        if let last = rows.last, let frozen = try? last.decoded() {
            shown.publication = .init(revision: last.revision, publishedAt: VietnameseFormat.dateTime(last.publishedAt), publishedBy: last.publishedBy,
                                      digest: last.digest, fingerprint: CovenantSeal.fingerprint(last.digest),
                                      auditAnchor: last.auditSeq.map { "nhật ký #\($0), \(CovenantSeal.fingerprint(last.auditHead ?? ""))" },
                                      intact: frozen.digest == last.digest && recomputed.digest == last.digest,
                                      revisions: rows.map { .init(revision: $0.revision, at: VietnameseFormat.dateTime($0.publishedAt), by: $0.publishedBy,
                                                                  reason: $0.reason, changes: $0.changeLines) })
            shown.result = frozen
            shown.publishedAt = last.publishedAt
        }
        return shown
    }

    static func results(_ ctx: ScoringService.Context, caller: Caller) async throws -> ResultsDTO {
        try requireRanking(ctx, caller: caller)
        return results(ctx, caller: caller, shown: try await shown(ctx, on: caller.db))
    }

    /// The results from what `shown` loaded, for a caller who may read the ranking.
    static func results(_ ctx: ScoringService.Context, caller: Caller, shown loaded: Shown) -> ResultsDTO {
        let p = caller.principal, scope = ctx.scope
        let data = loaded.data, publication = loaded.publication, shown = loaded.result
        let outcomes = shown.outcomes
        let ranking = shown.ranking
        let provisional = Set(outcomes.filter(\.provisional).map(\.unit))
        let canManage = p.canManageRound(scope)
        // A member sees who scored what only as "chấm chéo": the peers' names (and the reasons of their conflicts) stay
        // with the office and the leads. Explanations carry numbers only, never a scorer's name.
        func scorerText(_ s: Scorer) -> String {
            if canManage, let u = s.peerUnit { return "chấm chéo: \(ctx.name(u))" }
            return s.label
        }
        let units = outcomes.filter { p.canReadUnitDetail(unit: $0.unit, scope) }.map { o in
            ResultsDTO.UnitResult(unitID: o.unit, name: o.name, raw: o.raw.description, unitMaximum: o.unitMaximum.description,
                                  normalised: o.normalised.description, bonus: o.bonus.description, penalty: o.penalty.description,
                                  total: o.total.description, totalValue: o.total.decimal, band: o.band, provisional: o.provisional,
                                  explanation: o.explanation,
                                  criteria: o.criteria.map { c in
                                      ResultsDTO.CriterionResult(code: c.code, name: c.name, isGroup: c.isGroup, status: c.status.rawValue, statusLabel: c.status.label,
                                                                 final: c.final?.decimal, finalText: c.final?.description ?? "–", maximum: c.maximum.description,
                                                                 explanation: c.explanation,
                                                                 used: c.used.map { "\(scorerText($0.scorer)) \($0.points)" },
                                                                 leftOut: c.leftOut.map { "\(scorerText($0.scorer)): \(canManage ? $0.reason : "không tính")" })
                                  })
        }
        var diagnostics: [ResultsDTO.Diagnostic]?
        if canManage && ctx.settings.method != .leaderReview {
            diagnostics = ScoringDiagnostics.analyse(marks: data.marks, conflicts: data.conflicts, ranking: ranking, settings: ctx.settings.diagnostics).map { d in
                .init(scorerUnitID: d.scorer, scorer: ctx.name(d.scorer), flagged: d.flagged, rivalDeviation: d.rivalDeviation?.description,
                      otherDeviation: d.otherDeviation?.description, explanation: d.explanation,
                      outliers: d.outliers.map { "\(ctx.name($0.unit)), tiêu chí \($0.criterion): \($0.mark) (trung vị các đơn vị khác \($0.othersMedian))" })
            }
        }
        let answering = p.canReview(scope) && scope.phase == .appeals
        let appeals = data.appeals.filter { canManage || p.canReadUnitDetail(unit: $0.unitID, scope) }.map { a in
            ResultsDTO.Appeal(id: a.id!, unitID: a.unitID, unitName: ctx.name(a.unitID), criterion: a.criterion, ground: a.ground,
                              groundLabel: AppealGround(rawValue: a.ground)?.label ?? a.ground, reason: a.reason, filedBy: a.filedBy,
                              filedAt: VietnameseFormat.dateTime(a.filedAt), scoreBefore: a.scoreBefore, decision: a.decision,
                              decisionLabel: a.decision.flatMap(AppealDecision.init(rawValue:))?.label, points: a.points.map { Points(hundredths: $0).decimal },
                              answer: a.answer, answeredBy: a.answeredBy, answeredAt: a.answeredAt.map(VietnameseFormat.dateTime),
                              answerURL: answering && a.answeredAt == nil ? ScoringPath.answer(ctx.id, appeal: a.id!).url : nil)
        }
        func form(_ unit: UUID, _ path: ScoringPath) -> ResultsDTO.AppealForm {
            .init(unitID: unit, unitName: ctx.name(unit), url: path.url,
                  criteria: AppealRules.appealable(scale: ctx.scale, unit: unit).map { .init(code: $0.code, label: "\($0.code). \($0.name)") })
        }
        let appealForms = ctx.memberIDs.filter { p.canAppeal(unit: $0, scope) }.map { form($0, .appeals(ctx.id, unit: $0)) }
        let correcting = canManage && scope.phase == .published
        return ResultsDTO(roundID: ctx.id, blocName: ctx.bloc.name, year: ctx.round.year, kindLabel: ctx.round.roundKind.label,
                          phase: scope.phase.rawValue, phaseLabel: scope.phase.label, provisional: !provisional.isEmpty,
                          scaleMaximum: outcomes.first?.scaleMaximum.decimal ?? 0, tieBreakLabels: ([TieBreak.total] + ctx.settings.tieBreaks).map(\.label),
                          ranking: ranking.map { r in
                              .init(rank: r.rank, unitID: r.unit, name: r.name, total: r.total.decimal, totalText: r.total.description, band: r.band,
                                    tied: r.tied, separatedFromAboveBy: r.separatedFromAboveBy, provisional: provisional.contains(r.unit))
                          },
                          units: units, diagnostics: diagnostics, roundURL: ScoringPath.round(ctx.id).url, publication: publication,
                          appeals: appeals, appealForms: appealForms,
                          correctionURL: correcting ? ScoringPath.corrections(ctx.id).url : nil,
                          correctionUnits: correcting ? ctx.memberIDs.map { form($0, .corrections(ctx.id)) } : [],
                          tasks: ctx.content.keyTasks.enumerated().map { i, t in
                              .init(number: i + 1, text: t.text, criteria: t.criteria, url: ScoringPath.trace(ctx.id, task: i + 1).url)
                          },
                          matrixURL: ScoringPath.matrix(ctx.id).url, xlsxURL: ScoringPath.xlsx(ctx.id).url, csvURL: ScoringPath.csv(ctx.id).url,
                          docxURL: ScoringPath.docx(ctx.id).url)
    }
}

extension Points {
    /// "1250,5" for a form field: a decimal comma and no thousands separator, so that what the browser sends back reads
    /// as the same number ("1.250" would read as 1,25).
    var plainText: String {
        let sign = hundredths < 0 ? "-" : ""
        let m = hundredths.magnitude
        let whole = "\(sign)\(m / 100)"
        if m % 100 == 0 { return whole }
        if m % 10 == 0 { return whole + ",\(m % 100 / 10)" }
        return whole + (m % 100 < 10 ? ",0" : ",") + "\(m % 100)"
    }
}
