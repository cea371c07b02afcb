import Fluent
import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// Pages and API of scoring rounds: setting up, self-assessment, cross-scoring, review, third scoring, conflicts of
/// interest, phase changes and results. Every handler parses the request, builds a `Caller` and calls
/// `ScoringService` / `ScoringViews`; scope and rules are ThiDuaCore's.
struct ScoringController {
    let leads: RoutePolicy = .roles([.office, .blocLead])
    let scorers: RoutePolicy = .roles([.office, .blocLead, .unitOfficer])

    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.on(.GET, "blocs", ":blocID", "rounds", policy: .signedIn, use: blocRoundsPage)
        ListExports.register(on: [pages, api], ["blocs", ":blocID"], name: "rounds", policy: .signedIn) { req in
            let b = try await self.blocRounds(req)
            let rows: [[SheetCell]] = b.rounds.map { [.text($0.kindLabel), .number(Double(b.year)), .text($0.phaseLabel)] }
            return ListFile(filename: "cac-dot-cham-diem-\(b.year)", sheets: [Sheet(name: "Đợt chấm điểm", title: "CHẤM ĐIỂM THI ĐUA NĂM \(b.year) – \(b.blocName.uppercased())",
                                                                                    header: ["Đợt", "Năm", "Giai đoạn"], rows: rows, widths: [40, 8, 30])])
        }
        pages.on(.POST, "blocs", ":blocID", "rounds", policy: leads) { req in
            let r = try await self.create(req)
            Pages.flash(req, "Đã tạo đợt chấm điểm. Hãy kiểm tra cách chấm và quy tắc tổng hợp rồi mở tự chấm điểm.")
            return req.redirect(to: ScoringPath.round(try r.requireID()).url)
        }
        pages.on(.GET, "rounds", ":roundID", policy: .signedIn, use: roundPage)
        pages.on(.POST, "rounds", ":roundID", "settings", policy: leads) { req in
            let ctx = try await self.context(req)
            try await ScoringService.updateSettings(ctx, try self.settingsForm(req), caller: try Caller(req))
            Pages.flash(req, "Đã lưu cách chấm và quy tắc tổng hợp.")
            return req.redirect(to: ScoringPath.round(ctx.id).url)
        }
        pages.on(.POST, "rounds", ":roundID", "actions", ":action", policy: leads) { req in
            let ctx = try await self.context(req)
            let action = try self.action(req)
            try await ScoringService.perform(ctx, action, caller: try Caller(req))
            Pages.flash(req, "Đã \(action.label).")
            return req.redirect(to: ScoringPath.round(ctx.id).url)
        }
        pages.on(.GET, "rounds", ":roundID", "units", ":unitID", "sheets", ":scorer", policy: .signedIn, use: sheetPage)
        pages.on(.POST, "rounds", ":roundID", "units", ":unitID", "sheets", ":scorer", policy: scorers) { req in
            let (ctx, unit, scorer) = try await self.sheetTarget(req)
            try await ScoringService.saveSheet(ctx, unit: unit, scorer: scorer, try await self.sheetForm(req, ctx, unit: unit, scorer: scorer), caller: try Caller(req))
            Pages.flash(req, "Đã lưu phiếu chấm.")
            return req.redirect(to: ScoringPath.sheet(ctx.id, unit: unit, scorer: scorer).url)
        }
        pages.on(.POST, "rounds", ":roundID", "units", ":unitID", "submit", policy: .roles([.unitOfficer])) { req in
            let ctx = try await self.context(req)
            let unit = try self.unitID(req)
            try await ScoringService.submit(ctx, unit: unit, lockVersion: try req.content.decode(LockInput.self).lockVersion, caller: try Caller(req))
            Pages.flash(req, "Đã nộp bản tự chấm điểm. Điểm đã khóa; muốn sửa, đề nghị trưởng khối mở lại.")
            return req.redirect(to: ScoringPath.sheet(ctx.id, unit: unit, scorer: .selfAssessment).url)
        }
        pages.on(.POST, "rounds", ":roundID", "units", ":unitID", "reopen", policy: leads) { req in
            let ctx = try await self.context(req)
            try await ScoringService.reopen(ctx, unit: try self.unitID(req), try req.content.decode(ScoringService.ReopenInput.self), caller: try Caller(req))
            Pages.flash(req, "Đã mở lại bản tự chấm điểm cho đơn vị.")
            return req.redirect(to: ScoringPath.round(ctx.id).url)
        }
        pages.on(.POST, "rounds", ":roundID", "conflicts", policy: .roles([.unitOfficer])) { req in
            let ctx = try await self.context(req)
            try await ScoringService.declareConflict(ctx, try req.content.decode(ScoringService.ConflictInput.self), caller: try Caller(req))
            Pages.flash(req, "Đã ghi nhận xung đột lợi ích: điểm của đơn vị bạn cho đơn vị đó không được tính.")
            return req.redirect(to: ScoringPath.round(ctx.id).url)
        }
        pages.on(.GET, "rounds", ":roundID", "results", policy: .signedIn, use: resultsPage)
        pages.on(.GET, "rounds", ":roundID", "matrix", policy: .signedIn) { req in
            let ctx = try await self.context(req)
            let m = try await ScoringOutputs.matrix(ctx, caller: try Caller(req))
            return try await Pages.render(req, "scoring/matrix", title: "Bảng điểm \(m.year) – \(m.blocName)", m)
        }
        // Results as files: the summary and one sheet per group (.xlsx); .csv and JSON one sheet, `?sheet=N`.
        ListExports.register(on: [pages, api], ["rounds", ":roundID"], name: "results", policy: .signedIn) { req in
            try await ScoringOutputs.sheets(try await self.context(req), caller: try Caller(req))
        }
        pages.on(.GET, "rounds", ":roundID", "results.docx", policy: .signedIn, use: resultsDOCX)
        pages.on(.GET, "rounds", ":roundID", "tasks", ":task", policy: .signedIn) { req in
            let ctx = try await self.context(req)
            let t = try await ScoringOutputs.trace(ctx, task: try self.task(req), caller: try Caller(req))
            return try await Pages.render(req, "scoring/trace", title: "Nhiệm vụ \(t.number) – kết quả chấm điểm", t)
        }
        pages.on(.POST, "rounds", ":roundID", "units", ":unitID", "appeals", policy: .roles([.unitOfficer])) { req in
            let ctx = try await self.context(req)
            try await ScoringService.fileAppeal(ctx, unit: try self.unitID(req), try req.content.decode(ScoringService.AppealInput.self), caller: try Caller(req))
            Pages.flash(req, "Đã gửi giải trình, khiếu nại. Trưởng khối sẽ trả lời trước khi công bố kết quả.")
            return req.redirect(to: ScoringPath.results(ctx.id).url)
        }
        pages.on(.POST, "rounds", ":roundID", "appeals", ":appealID", "answer", policy: leads) { req in
            let ctx = try await self.context(req)
            try await ScoringService.answerAppeal(ctx, appealID: req.parameters.get("appealID", as: UUID.self), try self.answerForm(req), caller: try Caller(req))
            Pages.flash(req, "Đã trả lời khiếu nại.")
            return req.redirect(to: ScoringPath.results(ctx.id).url)
        }
        let upload: HTTPBodyStreamStrategy = .collect(maxSize: ByteCount(value: BodyLimitMiddleware.largestUpload))
        pages.on(.POST, "rounds", ":roundID", "units", ":unitID", "evidence", policy: .roles([.unitOfficer]), body: upload) { req in
            let ctx = try await self.context(req)
            let unit = try self.unitID(req)
            struct Form: Content { var criterion: String?; var file: File? }
            let form = try req.content.decode(Form.self)
            guard let file = form.file, file.data.readableBytes > 0 else { throw DomainError.invalid("Hãy chọn tệp minh chứng.", field: "file") }
            let e = try await ScoringService.attach(ctx, unit: unit, criterion: form.criterion, filename: file.filename, data: Data(buffer: file.data), caller: try Caller(req))
            Pages.flash(req, "Đã gửi minh chứng “\(e.filename)” cho tiêu chí \(e.criterion).")
            return req.redirect(to: ScoringPath.sheet(ctx.id, unit: unit, scorer: .selfAssessment).url)
        }
        pages.on(.GET, "rounds", ":roundID", "evidence", ":evidenceID", policy: .signedIn, use: downloadEvidence)
        pages.on(.POST, "rounds", ":roundID", "evidence", ":evidenceID", "delete", policy: .roles([.unitOfficer])) { req in
            let ctx = try await self.context(req)
            let e = try await ScoringService.evidenceModel(ctx, id: req.parameters.get("evidenceID", as: UUID.self), on: req.db)
            try await ScoringService.detach(ctx, id: e.id, caller: try Caller(req))
            Pages.flash(req, "Đã gỡ minh chứng “\(e.filename)”.")
            return req.redirect(to: ScoringPath.sheet(ctx.id, unit: e.unitID, scorer: .selfAssessment).url)
        }
        pages.on(.POST, "rounds", ":roundID", "corrections", policy: leads) { req in
            let ctx = try await self.context(req)
            try await ScoringService.correct(ctx, try self.correctionForm(req), caller: try Caller(req))
            Pages.flash(req, "Đã đính chính: kết quả có bản công bố mới.")
            return req.redirect(to: ScoringPath.results(ctx.id).url)
        }

        api.on(.GET, "blocs", ":blocID", "rounds", policy: .signedIn) { req in try await self.blocRounds(req).rounds }
        api.on(.POST, "blocs", ":blocID", "rounds", policy: leads) { req in
            let r = try await self.create(req)
            let ctx = try await ScoringService.context(r, on: req.db)
            return try await ScoringViews.round(ctx, caller: try Caller(req)).encodeResponse(status: .created, for: req)
        }
        api.on(.GET, "rounds", ":roundID", policy: .signedIn) { req in try await self.roundDTO(req) }
        api.on(.PUT, "rounds", ":roundID", "settings", policy: leads) { req in
            let ctx = try await self.context(req)
            try await ScoringService.updateSettings(ctx, try req.content.decode(ScoringService.SettingsInput.self), caller: try Caller(req))
            return try await self.roundDTO(req)
        }
        api.on(.POST, "rounds", ":roundID", "actions", ":action", policy: leads) { req in
            let ctx = try await self.context(req)
            try await ScoringService.perform(ctx, try self.action(req), caller: try Caller(req))
            return try await self.roundDTO(req)
        }
        api.on(.GET, "rounds", ":roundID", "units", ":unitID", "sheets", ":scorer", policy: .signedIn) { req in
            let (ctx, unit, scorer) = try await self.sheetTarget(req)
            return try await ScoringViews.sheet(ctx, unit: unit, scorer: scorer, caller: try Caller(req))
        }
        api.on(.PUT, "rounds", ":roundID", "units", ":unitID", "sheets", ":scorer", policy: scorers) { req in
            let (ctx, unit, scorer) = try await self.sheetTarget(req)
            try await ScoringService.saveSheet(ctx, unit: unit, scorer: scorer, try req.content.decode(ScoringService.SheetInput.self), caller: try Caller(req))
            return try await ScoringViews.sheet(ctx, unit: unit, scorer: scorer, caller: try Caller(req))
        }
        api.on(.POST, "rounds", ":roundID", "units", ":unitID", "submit", policy: .roles([.unitOfficer])) { req in
            let ctx = try await self.context(req)
            let unit = try self.unitID(req)
            try await ScoringService.submit(ctx, unit: unit, lockVersion: try req.content.decode(LockInput.self).lockVersion, caller: try Caller(req))
            return try await ScoringViews.sheet(ctx, unit: unit, scorer: .selfAssessment, caller: try Caller(req))
        }
        api.on(.POST, "rounds", ":roundID", "units", ":unitID", "reopen", policy: leads) { req in
            let ctx = try await self.context(req)
            let unit = try self.unitID(req)
            try await ScoringService.reopen(ctx, unit: unit, try req.content.decode(ScoringService.ReopenInput.self), caller: try Caller(req))
            return try await ScoringViews.sheet(ctx, unit: unit, scorer: .selfAssessment, caller: try Caller(req))
        }
        api.on(.POST, "rounds", ":roundID", "conflicts", policy: .roles([.unitOfficer])) { req in
            let ctx = try await self.context(req)
            try await ScoringService.declareConflict(ctx, try req.content.decode(ScoringService.ConflictInput.self), caller: try Caller(req))
            return try await self.roundDTO(req).encodeResponse(status: .created, for: req)
        }
        api.on(.GET, "rounds", ":roundID", "results.docx", policy: .signedIn, use: resultsDOCX)
        api.on(.GET, "rounds", ":roundID", "tasks", ":task", policy: .signedIn) { req in
            let ctx = try await self.context(req)
            return try await ScoringOutputs.trace(ctx, task: try self.task(req), caller: try Caller(req))
        }
        api.on(.GET, "rounds", ":roundID", "results", policy: .signedIn) { req in
            let ctx = try await self.context(req)
            return try await ScoringViews.results(ctx, caller: try Caller(req))
        }
        api.on(.POST, "rounds", ":roundID", "units", ":unitID", "appeals", policy: .roles([.unitOfficer])) { req in
            let ctx = try await self.context(req)
            try await ScoringService.fileAppeal(ctx, unit: try self.unitID(req), try req.content.decode(ScoringService.AppealInput.self), caller: try Caller(req))
            return try await ScoringViews.results(ctx, caller: try Caller(req)).encodeResponse(status: .created, for: req)
        }
        api.on(.POST, "rounds", ":roundID", "appeals", ":appealID", "answer", policy: leads) { req in
            let ctx = try await self.context(req)
            try await ScoringService.answerAppeal(ctx, appealID: req.parameters.get("appealID", as: UUID.self), try req.content.decode(ScoringService.AnswerInput.self), caller: try Caller(req))
            return try await ScoringViews.results(ctx, caller: try Caller(req))
        }
        api.on(.GET, "rounds", ":roundID", "units", ":unitID", "evidence", policy: .signedIn) { req in
            let ctx = try await self.context(req)
            let unit = try self.unitID(req)
            try ScoringService.requireMember(unit, ctx)
            let caller = try Caller(req)
            guard caller.principal.canReadEvidence(unit: unit, ctx.scope) else { throw DomainError.forbidden("Minh chứng chỉ dành cho đơn vị, trưởng khối và Ban Thi đua – Khen thưởng.") }
            return try await ScoringService.evidence(ctx, unit: unit, caller: caller)
        }
        api.on(.POST, "rounds", ":roundID", "units", ":unitID", "evidence", policy: .roles([.unitOfficer]), body: upload) { req in
            let ctx = try await self.context(req)
            let unit = try self.unitID(req)
            let data = req.body.data.map { Data(buffer: $0) } ?? Data()
            let caller = try Caller(req)
            _ = try await ScoringService.attach(ctx, unit: unit, criterion: try? req.query.get(String.self, at: "criterion"),
                                                filename: try? req.query.get(String.self, at: "filename"), data: data, caller: caller)
            return try await ScoringService.evidence(ctx, unit: unit, caller: caller).encodeResponse(status: .created, for: req)
        }
        api.on(.GET, "rounds", ":roundID", "evidence", ":evidenceID", policy: .signedIn, use: downloadEvidence)
        api.on(.DELETE, "rounds", ":roundID", "evidence", ":evidenceID", policy: .roles([.unitOfficer])) { req -> HTTPStatus in
            let ctx = try await self.context(req)
            try await ScoringService.detach(ctx, id: req.parameters.get("evidenceID", as: UUID.self), caller: try Caller(req))
            return .noContent
        }
        api.on(.POST, "rounds", ":roundID", "corrections", policy: leads) { req in
            let ctx = try await self.context(req)
            try await ScoringService.correct(ctx, try req.content.decode(ScoringService.CorrectionInput.self), caller: try Caller(req))
            return try await ScoringViews.results(try await self.context(req), caller: try Caller(req)).encodeResponse(status: .created, for: req)
        }
    }

    // MARK: Parsing

    /// `POST /api/v1/blocs/:blocID/rounds` and the bloc's form: the year and the kind of round.
    struct CreateInput: Content, Sendable { var year: Int?; var kind: String? }
    struct LockInput: Content, Sendable { var lockVersion: Int? }

    func create(_ req: Request) async throws -> ScoringRoundModel {
        let bloc = try await OrganisationService.bloc(req)
        let input = try req.content.decode(CreateInput.self)
        let year = try Bounded.emulationYear(input.year)
        guard let kind = RoundKind(rawValue: input.kind ?? RoundKind.yearEnd.rawValue) else {
            throw DomainError.invalid("Loại đợt chấm điểm phải là “yearEnd” (tổng kết năm) hoặc “midYear” (sơ kết).", field: "kind")
        }
        return try await ScoringService.create(bloc: bloc, year: year, kind: kind, caller: try Caller(req))
    }

    /// The round, when the caller may open it (404 otherwise would hide that it exists; a 403 says why).
    func context(_ req: Request) async throws -> ScoringService.Context {
        let ctx = try await ScoringService.context(roundID: req.parameters.get("roundID", as: UUID.self), on: req.db)
        guard try req.requirePrincipal().canViewRound(ctx.scope) else {
            throw DomainError.forbidden("Đợt chấm điểm này chỉ dành cho các đơn vị trong khối, trưởng khối và Ban Thi đua – Khen thưởng.")
        }
        return ctx
    }

    func unitID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("unitID", as: UUID.self) else { throw DomainError.notFound("Không tìm thấy đơn vị.") }
        return id
    }

    func sheetTarget(_ req: Request) async throws -> (ScoringService.Context, UUID, Scorer) {
        let ctx = try await context(req)
        return (ctx, try unitID(req), try ScoringService.scorer(req.parameters.get("scorer")))
    }

    func action(_ req: Request) throws -> RoundAction {
        guard let a = RoundAction(rawValue: req.parameters.get("action") ?? "") else { throw DomainError.notFound("Không có thao tác này.") }
        return a
    }

    func roundDTO(_ req: Request) async throws -> RoundDTO {
        try await ScoringViews.round(try await context(req), caller: try Caller(req))
    }

    /// The sheet's form: per criterion `points.CODE`, `target.CODE`, `actual.CODE`, `done.CODE` (1/0), `events.CODE`
    /// and `comment.CODE`, numbers written the Vietnamese way ("8,5") or with a point.
    func sheetForm(_ req: Request, _ ctx: ScoringService.Context, unit: UUID, scorer: Scorer) async throws -> ScoringService.SheetInput {
        let form = try req.content.decode([String: String].self)
        let lock = try Bounded.int(text: form["lockVersion"], field: "lockVersion", label: "Phiên bản", in: Bounded.lockVersions)
        let awaiting = scorer == .thirdScoring ? try await ScoringService.awaiting(ctx, unit: unit, on: req.db) : []
        let criteria = ScoreSheets.criteria(scale: ctx.scale, unit: unit, scorer: scorer, method: ctx.settings.method, awaiting: awaiting)
        let marks = try criteria.map { c -> MarkInput in
            let label = "Tiêu chí “\(c.code)”"
            let done: Bool? = switch form["done.\(c.code)"] { case "1": true; case "0": false; default: nil }
            return MarkInput(criterion: c.code,
                             points: try Bounded.decimal(text: form["points.\(c.code)"], field: c.code, label: label),
                             target: try Bounded.decimal(text: form["target.\(c.code)"], field: c.code, label: "\(label), chỉ tiêu"),
                             actual: try Bounded.decimal(text: form["actual.\(c.code)"], field: c.code, label: "\(label), số thực hiện"),
                             done: done,
                             events: try Bounded.int(text: form["events.\(c.code)"], field: c.code, label: "\(label), số sự việc", in: 0...ScoreSheets.maxEvents),
                             comment: form["comment.\(c.code)"])
        }
        return .init(lockVersion: lock, marks: marks)
    }

    /// The settings form: method, plan, k, seed, aggregator, gap and caps (Vietnamese numbers), normalise, bands one
    /// per line, tie-breaks comma-separated.
    func settingsForm(_ req: Request) throws -> ScoringService.SettingsInput {
        let form = try req.content.decode([String: String].self)
        func number(_ key: String, _ label: String) throws -> Double? {
            guard let raw = form[key] else { return nil }
            return try Bounded.decimal(text: raw, field: key, label: label) ?? 0
        }
        /// A cap's field: empty means no cap (not a cap of 0).
        func cap(_ key: String, _ label: String) throws -> (Double?, Bool?) {
            guard let raw = form[key] else { return (nil, nil) }
            guard let v = try Bounded.decimal(text: raw, field: key, label: label) else { return (nil, true) }
            return (v, nil)
        }
        let (bonusCap, noBonusCap) = try cap("bonusCap", "Mức trần điểm thưởng")
        let (penaltyCap, noPenaltyCap) = try cap("penaltyCap", "Mức trần điểm trừ")
        let seedText = (form["seed"] ?? "").trimmingCharacters(in: .whitespaces)
        var seed: UInt64?
        if !seedText.isEmpty {
            guard seedText.count <= 20, let s = UInt64(seedText) else { throw DomainError.invalid("Hạt giống phân công phải là số nguyên không âm.", field: "seed") }
            seed = s
        }
        let input = RoundSettingsInput(
            method: form["method"], plan: form["plan"],
            k: try Bounded.int(text: form["k"], field: "k", label: "Số đơn vị chấm mỗi đơn vị", in: 1...1_000), seed: seed,
            aggregator: form["aggregator"],
            disagreementGap: try number("disagreementGap", "Ngưỡng chênh lệch"), bonusCap: bonusCap,
            penaltyCap: penaltyCap, normalise: form["normalise"] == "1",
            bands: try form["bandsText"].map(RoundSettingsInput.bands(fromText:)),
            tieBreaks: form["tieBreaks"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
            noBonusCap: noBonusCap, noPenaltyCap: noPenaltyCap)
        return .init(lockVersion: try Bounded.int(text: form["lockVersion"], field: "lockVersion", label: "Phiên bản", in: Bounded.lockVersions), settings: input)
    }

    /// The answer form: decision, new points written the Vietnamese way, answer.
    func answerForm(_ req: Request) throws -> ScoringService.AnswerInput {
        let form = try req.content.decode([String: String].self)
        return .init(decision: form["decision"], points: try Bounded.decimal(text: form["points"], field: "points", label: "Điểm mới"), answer: form["answer"])
    }

    func correctionForm(_ req: Request) throws -> ScoringService.CorrectionInput {
        let form = try req.content.decode([String: String].self)
        return .init(unitID: try parseUUID(form["unitID"], field: "unitID", label: "Đơn vị"), criterion: form["criterion"], decision: form["decision"],
                     points: try Bounded.decimal(text: form["points"], field: "points", label: "Điểm mới"), reason: form["reason"])
    }

    // MARK: Pages

    struct BlocRounds: Content, Sendable {
        var blocID: UUID; var blocName: String; var year: Int; var canCreate: Bool
        var rounds: [RoundRef]
        struct RoundRef: Content, Sendable { var id: UUID; var kind: String; var kindLabel: String; var phase: String; var phaseLabel: String; var url: String }
    }

    func blocRounds(_ req: Request) async throws -> BlocRounds {
        let bloc = try await OrganisationService.bloc(req)
        let year = try await OrganisationService.selectedYear(req)
        let p = try req.requirePrincipal()
        var refs: [BlocRounds.RoundRef] = []
        for r in try await ScoringRoundModel.query(on: req.db).filter(\.$blocID == bloc.requireID()).filter(\.$year == year).sort(\.$kind).all() {
            let ctx = try await ScoringService.context(r, on: req.db)
            guard p.canViewRound(ctx.scope) else { continue }
            refs.append(.init(id: ctx.id, kind: r.kind, kindLabel: r.roundKind.label, phase: r.phase, phaseLabel: r.roundPhase.label, url: ScoringPath.round(ctx.id).url))
        }
        return BlocRounds(blocID: try bloc.requireID(), blocName: bloc.name, year: year, canCreate: p.canLeadBloc(try bloc.requireID(), year: year), rounds: refs)
    }

    @Sendable func blocRoundsPage(_ req: Request) async throws -> Response {
        let page = try await blocRounds(req)
        return try await Pages.render(req, "scoring/rounds", title: "Chấm điểm thi đua \(page.year) – \(page.blocName)", page)
    }

    struct RoundPage: Encodable, Sendable {
        var r: RoundDTO
        var settingsURL: String
        var conflictsURL: String
        var editableSettings: Bool
        var methods: [Option]; var aggregators: [Option]; var plans: [Option]
        var tieBreaksText: String
        struct Option: Encodable, Sendable { var value: String; var label: String; var selected: Bool }
    }

    @Sendable func roundPage(_ req: Request) async throws -> Response {
        let ctx = try await context(req)
        let r = try await ScoringViews.round(ctx, caller: try Caller(req))
        let s = r.settings
        return try await Pages.render(req, "scoring/round", title: "\(r.kindLabel) \(r.year) – \(r.blocName)", RoundPage(
            r: r, settingsURL: ScoringPath.settings(ctx.id).url, conflictsURL: ScoringPath.conflicts(ctx.id).url,
            editableSettings: r.canManage && ctx.scope.phase == .setup,
            methods: ReviewMethod.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == s.method) },
            aggregators: Aggregator.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == s.aggregator) },
            plans: [.init(value: "everyone", label: "Mỗi đơn vị chấm tất cả các đơn vị khác", selected: s.plan != "rotation"),
                    .init(value: "rotation", label: "Luân phiên: mỗi đơn vị được k đơn vị chấm (bốc thăm theo hạt giống)", selected: s.plan == "rotation")],
            tieBreaksText: s.tieBreaks.joined(separator: ", ")))
    }

    struct SheetPage: Encodable, Sendable {
        var s: SheetDTO; var reopenURL: String?
        var evidence: [ScoringService.EvidenceDTO]
        /// The upload form's action, while the unit's officer may attach files.
        var attachURL: String?
        var maxMB: Int
    }

    @Sendable func sheetPage(_ req: Request) async throws -> Response {
        let (ctx, unit, scorer) = try await sheetTarget(req)
        let caller = try Caller(req)
        let s = try await ScoringViews.sheet(ctx, unit: unit, scorer: scorer, caller: caller)
        let reopen = scorer == .selfAssessment && s.submitted && ctx.scope.phase == .selfAssessment && caller.principal.canReview(ctx.scope)
        let evidence = scorer == .selfAssessment ? try await ScoringService.evidence(ctx, unit: unit, caller: caller) : []
        let attach = scorer == .selfAssessment && ScoringService.evidenceRefusal(ctx, unit: unit, caller: caller, submitted: s.submitted) == nil
        return try await Pages.render(req, "scoring/sheet", title: "\(s.scorerLabel) – \(s.unitName)",
                                      SheetPage(s: s, reopenURL: reopen ? ScoringPath.reopen(ctx.id, unit: unit).url : nil, evidence: evidence,
                                                attachURL: attach ? ScoringPath.attach(ctx.id, unit: unit).url : nil, maxMB: EvidenceRules.maxBytes >> 20))
    }

    func task(_ req: Request) throws -> Int {
        guard let n = (try? Bounded.int(text: req.parameters.get("task"), field: "task", label: "Nhiệm vụ", in: 1...CovenantContent.maxKeyTasks)) ?? nil else {
            throw DomainError.notFound("Không có nhiệm vụ này.")
        }
        return n
    }

    @Sendable func resultsDOCX(_ req: Request) async throws -> Response {
        let ctx = try await context(req)
        let data = try await ScoringOutputs.report(ctx, caller: try Caller(req), province: req.application.thiduaConfig.province)
        return Downloads.file(data, type: Downloads.docx, filename: "bao-cao-ket-qua-cham-diem-\(ctx.round.year)-\(ctx.round.kind).docx")
    }

    @Sendable func downloadEvidence(_ req: Request) async throws -> Response {
        let ctx = try await context(req)
        let (e, data) = try await ScoringService.download(ctx, id: req.parameters.get("evidenceID", as: UUID.self), caller: try Caller(req))
        let parts = e.mediaType.split(separator: "/", maxSplits: 1).map(String.init)
        let type = parts.count == 2 ? HTTPMediaType(type: parts[0], subType: parts[1]) : .binary
        let res = Downloads.file(data, type: type, filename: e.filename)
        // Never rendered by the browser in the site's origin (an image or PDF with a script inside stays a download).
        res.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        res.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return res
    }

    @Sendable func resultsPage(_ req: Request) async throws -> Response {
        let ctx = try await context(req)
        let r = try await ScoringViews.results(ctx, caller: try Caller(req))
        return try await Pages.render(req, "scoring/results", title: "Kết quả chấm điểm \(r.year) – \(r.blocName)", r)
    }
}
