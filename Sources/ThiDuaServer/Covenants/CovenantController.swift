import Fluent
import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// Pages and API of the covenant: draft, consultation, sealing, signing, amendment, printable HTML and .docx.
struct CovenantController {
    let leads: RoutePolicy = .roles([.office, .blocLead])

    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.on(.GET, "blocs", ":blocID", "covenant", policy: .signedIn, use: blocCovenantPage)
        pages.on(.POST, "blocs", ":blocID", "covenant", policy: leads, use: createForm)
        pages.on(.GET, "covenants", ":versionID", policy: .signedIn, use: page)
        pages.on(.GET, "covenants", ":versionID", "print", policy: .signedIn, use: printPage)
        pages.on(.GET, "covenants", ":versionID", "docx", policy: .signedIn, use: docx)
        pages.on(.POST, "covenants", ":versionID", policy: leads, use: saveForm)
        pages.on(.POST, "covenants", ":versionID", "criteria", policy: leads, use: criterionForm)
        pages.on(.POST, "covenants", ":versionID", "criteria", ":code", "delete", policy: leads, use: deleteCriterionForm)
        pages.on(.POST, "covenants", ":versionID", "actions", ":action", policy: leads, use: actionForm)
        pages.on(.POST, "covenants", ":versionID", "comments", policy: .roles([.unitOfficer, .unitHead]), use: commentForm)
        pages.on(.POST, "covenants", ":versionID", "comments", ":commentID", "answer", policy: leads, use: answerForm)
        pages.on(.POST, "covenants", ":versionID", "sign", policy: .roles([.unitHead]), use: signForm)
        pages.on(.POST, "covenants", ":versionID", "absent", policy: .roles([.office]), use: absentForm)

        api.on(.GET, "covenants", policy: .signedIn, use: listAPI)
        api.on(.POST, "covenants", policy: leads) { req in
            let input = try req.content.decode(CreateRequest.self)
            guard let id = try parseUUID(input.blocID, field: "blocID", label: "Khối"), let bloc = try await Bloc.find(id, on: req.db) else {
                throw DomainError.invalid("Không tìm thấy khối thi đua.", field: "blocID")
            }
            let v = try await CovenantService.create(bloc: bloc, input: .init(year: input.year, copyFromLastYear: input.copyFromLastYear), req: req)
            return try await self.dto(try await CovenantService.context(v, on: req.db), req: req).encodeResponse(status: .created, for: req)
        }
        api.on(.GET, "covenants", ":versionID", policy: .signedIn) { req in
            let ctx = try await CovenantService.context(req)
            try CovenantService.requireView(ctx, req: req)
            return try await self.dto(ctx, req: req)
        }
        api.on(.PUT, "covenants", ":versionID", policy: leads) { req in
            let ctx = try await CovenantService.context(req)
            try await CovenantService.save(ctx, try req.content.decode(CovenantService.ContentInput.self), req: req)
            return try await self.dto(try await CovenantService.context(ctx.version, on: req.db), req: req)
        }
        api.on(.POST, "covenants", ":versionID", "actions", ":action", policy: leads) { req in
            let ctx = try await CovenantService.context(req)
            let v = try await CovenantService.perform(ctx, try self.action(req), req: req)
            return try await self.dto(try await CovenantService.context(v, on: req.db), req: req)
        }
        api.on(.POST, "covenants", ":versionID", "comments", policy: .roles([.unitOfficer, .unitHead])) { req in
            let ctx = try await CovenantService.context(req)
            try await CovenantService.comment(ctx, try req.content.decode(CovenantService.CommentInput.self), req: req)
            return try await self.dto(ctx, req: req).encodeResponse(status: .created, for: req)
        }
        api.on(.POST, "covenants", ":versionID", "comments", ":commentID", "answer", policy: leads) { req in
            let ctx = try await CovenantService.context(req)
            try await CovenantService.answer(ctx, commentID: req.parameters.get("commentID", as: UUID.self), text: try req.content.decode(AnswerInput.self).answer, req: req)
            return try await self.dto(ctx, req: req)
        }
        api.on(.POST, "covenants", ":versionID", "sign", policy: .roles([.unitHead])) { req in
            let ctx = try await CovenantService.context(req)
            try await CovenantService.sign(ctx, try req.content.decode(CovenantService.SignInput.self), req: req)
            return try await self.dto(try await CovenantService.context(ctx.version, on: req.db), req: req)
        }
        api.on(.POST, "covenants", ":versionID", "absent", policy: .roles([.office])) { req in
            let ctx = try await CovenantService.context(req)
            try await CovenantService.recordAbsent(ctx, try req.content.decode(CovenantService.AbsentInput.self), req: req)
            return try await self.dto(try await CovenantService.context(ctx.version, on: req.db), req: req)
        }
        api.on(.GET, "covenants", ":versionID", "docx", policy: .signedIn, use: docx)
    }

    /// `POST /api/v1/covenants`: a new draft for a bloc and year, from scratch or from last year's.
    struct CreateRequest: Content, Sendable { var blocID: String?; var year: Int?; var copyFromLastYear: Bool? }
    /// The lead's answer to a consultation comment.
    struct AnswerInput: Content, Sendable { var answer: String? }

    func action(_ req: Request) throws -> CovenantAction {
        guard let a = CovenantAction(rawValue: req.parameters.get("action") ?? ""), a != .complete else {
            throw DomainError.notFound("Không có thao tác này.")
        }
        return a
    }

    // MARK: View model

    struct CriterionRow: Content, Sendable {
        var code: String; var parent: String?; var name: String; var maxPoints: String; var maxValue: Double; var kind: String; var kindLabel: String
        var formula: String; var guidance: String; var perEvent: Double?; var appliesTo: [String]; var depth: Int; var isGroup: Bool
        /// "+1", "-2,5": the per-event points as shown.
        var perEventText: String?
        /// Built by `CovenantPath` for the page only (the code is percent-encoded as one segment).
        var deleteURL: String?
    }
    struct TaskRow: Content, Sendable { var number: Int; var text: String; var criteria: [String] }
    struct CommentRow: Content, Sendable {
        var id: UUID; var item: String; var unit: String; var author: String; var text: String; var at: String
        var answer: String?; var answeredBy: String?
        var answerURL: String?
    }
    struct SignatureRow: Content, Sendable {
        var unitID: UUID; var unitName: String; var role: String?; var signed: Bool; var absent: Bool
        var signer: String?; var position: String?; var at: String?; var reason: String?; var fingerprint: String?
    }
    struct VersionRef: Content, Sendable { var id: UUID; var number: Int; var status: String; var statusLabel: String; var url: String }

    struct CovenantDTO: Content, Sendable {
        var id: UUID
        var blocID: UUID
        var blocName: String
        var year: Int
        var number: Int
        var isCurrent: Bool
        var status: String
        var statusLabel: String
        var lockVersion: Int
        var updatedBy: String
        var content: CovenantContent
        var dateLine: String
        var criteria: [CriterionRow]
        var tasks: [TaskRow]
        var totalMax: String
        var warnings: [String]
        var digest: String?
        var fingerprint: String?
        /// The audit chain's head at sealing ("nhật ký #123, 1A2B-3C4D-5E6F"), when sealed.
        var auditAnchor: String?
        /// Whether the seal recomputed from the stored content still matches (nil when not sealed). False is shown
        /// loudly and blocks signing.
        var sealIntact: Bool?
        /// Whether the members and names below were frozen at sealing (they no longer follow the organisation).
        var rosterFrozen: Bool
        /// What changed in the bloc since sealing (joined, left, renamed): the signed document keeps the roster.
        var rosterChanges: [String]
        var comments: [CommentRow]
        var signatures: [SignatureRow]
        var signedCount: Int
        var memberCount: Int
        var versions: [VersionRef]
    }

    func dto(_ ctx: CovenantService.Context, req: Request) async throws -> CovenantDTO {
        let content = try ctx.version.decoded()
        let units = Dictionary(uniqueKeysWithValues: ctx.members.map { ($0.unitID, $0) })
        let sigs = try await CovenantService.signatures(ctx, on: req.db)
        let comments = try await CovenantComment.query(on: req.db).filter(\.$versionID == ctx.version.id!).sort(\.$createdAt).all()
        let versions = try await CovenantVersion.query(on: req.db).filter(\.$covenantID == ctx.covenant.id!).sort(\.$number).all()
        let allUnits = Dictionary(uniqueKeysWithValues: try await Unit.query(on: req.db).all().map { ($0.id!, $0.shortName) })
        return CovenantDTO(
            id: ctx.version.id!, blocID: ctx.bloc.id!, blocName: ctx.roster.blocName, year: ctx.covenant.year, number: ctx.version.number,
            isCurrent: ctx.isCurrent, status: ctx.version.status, statusLabel: ctx.version.covenantStatus.label, lockVersion: ctx.version.lockVersion,
            updatedBy: ctx.version.updatedBy, content: content, dateLine: CovenantDocument.dateLine(place: content.place, content.signingDate),
            criteria: ScoringScale.flatten(content.scale).map { c, parent, depth in
                CriterionRow(code: c.code, parent: parent, name: c.name, maxPoints: ScoringScale.points(c.maxPoints), maxValue: c.maxPoints, kind: c.kind.rawValue,
                             kindLabel: c.kind.label, formula: c.kind.formula, guidance: c.guidance, perEvent: c.perEvent,
                             appliesTo: (c.appliesTo ?? []).map { units[$0]?.shortName ?? allUnits[$0] ?? "?" }, depth: depth, isGroup: !c.children.isEmpty,
                             perEventText: c.perEvent.map { $0 > 0 ? "+" + ScoringScale.points($0) : ScoringScale.points($0) })
            },
            tasks: content.keyTasks.enumerated().map { TaskRow(number: $0.offset + 1, text: $0.element.text, criteria: $0.element.criteria) },
            totalMax: ScoringScale.points(ScoringScale.totalMax(content.scale)), warnings: ScoringScale.warnings(content.scale),
            digest: ctx.version.digest, fingerprint: ctx.version.digest.map(CovenantSeal.fingerprint),
            auditAnchor: ctx.version.sealedAuditSeq.flatMap { seq in ctx.version.sealedAuditHead.map { "nhật ký #\(seq), \(CovenantSeal.fingerprint($0))" } },
            sealIntact: try ctx.version.digest.map { $0 == (try ctx.version.recomputedSeal(blocID: ctx.bloc.id!, year: ctx.covenant.year)) },
            rosterFrozen: ctx.isFrozen, rosterChanges: ctx.isFrozen ? ctx.roster.changes(comparedWith: ctx.today) : [],
            comments: comments.map { c in
                CommentRow(id: c.id!, item: c.item, unit: allUnits[c.unitID] ?? "?", author: c.author, text: c.text, at: VietnameseFormat.dateTime(c.createdAt),
                           answer: c.answer, answeredBy: c.answeredBy)
            },
            signatures: ctx.members.map { u in
                let s = sigs.first { $0.unitID == u.unitID }
                // The name the unit signed under, else the name frozen at sealing (a draft: today's).
                return SignatureRow(unitID: u.unitID, unitName: s?.unitName ?? u.officialName, role: u.role?.label, signed: s != nil && s?.absent == false, absent: s?.absent ?? false,
                                    signer: s?.absent == false ? s?.signerName : nil, position: s?.signerPosition, at: s.map { VietnameseFormat.dateTime($0.signedAt) },
                                    reason: s?.absentReason, fingerprint: s.map { CovenantSeal.fingerprint($0.digest) })
            },
            signedCount: sigs.count, memberCount: ctx.members.count,
            versions: versions.map { VersionRef(id: $0.id!, number: $0.number, status: $0.status, statusLabel: $0.covenantStatus.label, url: CovenantPath.covenant($0.id!).url) })
    }

    // MARK: Pages

    struct BlocCovenantPage: Encodable, Sendable { var blocID: UUID; var blocName: String; var year: Int; var canCreate: Bool; var hasLastYear: Bool; var blocURL: String; var createURL: String }

    @Sendable func blocCovenantPage(_ req: Request) async throws -> Response {
        let bloc = try await OrganisationService.bloc(req)
        let year = try await OrganisationService.selectedYear(req)
        if let v = try await CovenantService.current(blocID: bloc.id!, year: year, on: req.db) {
            return req.redirect(to: CovenantPath.covenant(try v.requireID()).url)
        }
        let hasLast = try await CovenantModel.query(on: req.db).filter(\.$blocID == bloc.id!).filter(\.$year == year - 1).first() != nil
        return try await Pages.render(req, "covenants/none", title: "Giao ước thi đua \(year)",
                                      BlocCovenantPage(blocID: bloc.id!, blocName: bloc.name, year: year,
                                                       canCreate: req.principal?.canLeadBloc(bloc.id!, year: year) ?? false, hasLastYear: hasLast,
                                                       blocURL: OrganisationPath.bloc(bloc.id!).url([("year", String(year))]), createURL: CovenantPath.blocCovenant(bloc: bloc.id!).url))
    }

    @Sendable func createForm(_ req: Request) async throws -> Response {
        let bloc = try await OrganisationService.bloc(req)
        struct In: Content { var year: Int?; var mode: String? }
        let input = try req.content.decode(In.self)
        let v = try await CovenantService.create(bloc: bloc, input: .init(year: input.year, copyFromLastYear: input.mode == "copy"), req: req)
        Pages.flash(req, "Đã tạo dự thảo giao ước năm \(input.year ?? 0).")
        return req.redirect(to: CovenantPath.covenant(try v.requireID()).url)
    }

    /// The page's links and form actions, built by `CovenantPath`.
    struct Links: Encodable, Sendable {
        var bloc: String, print: String, docx: String, save: String, criteria: String, comments: String, sign: String, absent: String
        var startConsultation: String, backToDraft: String, openForSigning: String, withdrawFromSigning: String, amend: String

        init(_ c: CovenantDTO) {
            let v = c.id
            bloc = OrganisationPath.bloc(c.blocID).url([("year", String(c.year))])
            print = CovenantPath.print(v).url; docx = CovenantPath.docx(v).url; save = CovenantPath.covenant(v).url
            criteria = CovenantPath.criteria(v).url; comments = CovenantPath.comments(v).url
            sign = CovenantPath.sign(v).url; absent = CovenantPath.absent(v).url
            startConsultation = CovenantPath.action(v, .startConsultation).url; backToDraft = CovenantPath.action(v, .backToDraft).url
            openForSigning = CovenantPath.action(v, .openForSigning).url; withdrawFromSigning = CovenantPath.action(v, .withdrawFromSigning).url
            amend = CovenantPath.action(v, .amend).url
        }
    }

    struct CovenantPage: Encodable, Sendable {
        var links: Links
        var c: CovenantDTO
        var canLead: Bool
        var canEdit: Bool
        var canComment: Bool
        var canSign: Bool
        var isOffice: Bool
        var kinds: [UserController.Option]
        var members: [UserController.Option]
        var items: [UserController.Option]
        var tasksText: String
        var basesText: String
        var signingDate: String
        var pending: [UserController.Option]
    }

    @Sendable func page(_ req: Request) async throws -> Response {
        let ctx = try await CovenantService.context(req)
        try CovenantService.requireView(ctx, req: req)
        var c = try await dto(ctx, req: req)
        let p = try req.requirePrincipal()
        let canLead = p.canLeadBloc(ctx.bloc.id!, year: ctx.covenant.year) && ctx.isCurrent
        for i in c.criteria.indices { c.criteria[i].deleteURL = CovenantPath.deleteCriterion(c.id, code: c.criteria[i].code).url }
        for i in c.comments.indices { c.comments[i].answerURL = CovenantPath.answer(c.id, comment: c.comments[i].id).url }
        let memberIDs = ctx.roster.unitIDs
        let heads = Set(p.units(as: .unitHead)).intersection(memberIDs)
        let signedUnits = Set(c.signatures.filter { $0.signed || $0.absent }.map(\.unitID))
        let status = ctx.version.covenantStatus
        var items = [UserController.Option(value: "general", label: "Chung")]
        items += c.tasks.map { .init(value: "task:\($0.number)", label: "Nhiệm vụ \($0.number)") }
        items += c.criteria.map { .init(value: $0.code, label: "Tiêu chí \($0.code)") }
        return try await Pages.render(req, "covenants/show", title: c.content.title, CovenantPage(
            links: Links(c), c: c, canLead: canLead, canEdit: canLead && status.editable,
            canComment: status == .consultation && ctx.isCurrent && CovenantService.isMember(p, ctx),
            canSign: status == .openForSigning && ctx.isCurrent && c.sealIntact != false && !heads.subtracting(signedUnits).isEmpty,
            isOffice: p.isOffice,
            kinds: CriterionKind.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            members: ctx.today.members.map { .init(value: $0.unitID.uuidString, label: $0.shortName) },
            items: items,
            tasksText: c.content.keyTasks.map { $0.criteria.isEmpty ? $0.text : "\($0.text) | \($0.criteria.joined(separator: ", "))" }.joined(separator: "\n"),
            basesText: c.content.bases.joined(separator: "\n"),
            signingDate: c.content.signingDate?.vietnamese ?? "",
            pending: ctx.members.filter { !signedUnits.contains($0.unitID) }.map { .init(value: $0.unitID.uuidString, label: $0.officialName) }))
    }

    @Sendable func printPage(_ req: Request) async throws -> View {
        let ctx = try await CovenantService.context(req)
        try CovenantService.requireView(ctx, req: req)
        struct P: Encodable { var c: CovenantDTO; var parent: String }
        return try await req.view.render("covenants/print", P(c: try await dto(ctx, req: req), parent: "UBND tỉnh \(req.application.thiduaConfig.province)"))
    }

    @Sendable func docx(_ req: Request) async throws -> Response {
        let ctx = try await CovenantService.context(req)
        try CovenantService.requireView(ctx, req: req)
        let c = try await dto(ctx, req: req)
        let cells = c.signatures.map { s in
            SignatureCell(unitName: s.unitName, position: s.position ?? "Thủ trưởng đơn vị", signerName: s.signer,
                          signedAt: nil, absentReason: s.absent ? (s.reason ?? "") : nil)
        }
        var doc = CovenantDocument(parentAgency: "UBND tỉnh \(req.application.thiduaConfig.province)", blocName: ctx.roster.blocName, year: ctx.covenant.year,
                                   version: ctx.version.number, content: c.content, fingerprint: c.fingerprint, statusLabel: c.statusLabel, cells: cells)
        doc.auditAnchor = c.auditAnchor
        return Downloads.file(try doc.docx(), type: Downloads.docx, filename: "giao-uoc-\(ctx.covenant.year)-v\(ctx.version.number).docx")
    }

    func back(_ req: Request, _ id: UUID) -> Response { req.redirect(to: CovenantPath.covenant(id).url) }

    @Sendable func saveForm(_ req: Request) async throws -> Response {
        let ctx = try await CovenantService.context(req)
        try await CovenantService.save(ctx, try req.content.decode(CovenantService.ContentInput.self), req: req)
        Pages.flash(req, "Đã lưu dự thảo.")
        return back(req, ctx.version.id!)
    }

    struct CriterionForm: Content, Sendable {
        var lockVersion: Int?; var code: String?; var parent: String?; var name: String?; var maxPoints: String?; var guidance: String?
        var kind: String?; var perEvent: String?; var appliesTo: [String]?
    }

    @Sendable func criterionForm(_ req: Request) async throws -> Response {
        let ctx = try await CovenantService.context(req)
        let f = try req.content.decode(CriterionForm.self)
        let code = try Bounded.code(f.code, field: "code", label: "Mã tiêu chí")
        var kind = CriterionKind.manual
        if let raw = f.kind, !raw.isEmpty {
            guard let k = CriterionKind(rawValue: raw) else { throw DomainError.invalid("Cách chấm không hợp lệ.", field: "kind") }
            kind = k
        }
        try Bounded.list(f.appliesTo, field: "appliesTo", label: "Đơn vị áp dụng", max: ScoringScale.maxCriteria)
        let input = CriterionInput(code: code, parent: (f.parent ?? "").isEmpty ? nil : f.parent, name: f.name ?? "",
                                   maxPoints: try Bounded.decimal(text: f.maxPoints, field: "maxPoints", label: "Điểm tối đa") ?? 0,
                                   guidance: f.guidance, kind: kind,
                                   perEvent: try Bounded.decimal(text: f.perEvent, field: "perEvent", label: "Điểm mỗi sự việc"),
                                   appliesTo: (f.appliesTo ?? []).compactMap(UUID.init(uuidString:)))
        try await CovenantService.upsertCriterion(ctx, input, lockVersion: f.lockVersion, req: req)
        Pages.flash(req, "Đã lưu tiêu chí \(code).")
        return back(req, ctx.version.id!)
    }

    @Sendable func deleteCriterionForm(_ req: Request) async throws -> Response {
        let ctx = try await CovenantService.context(req)
        struct In: Content { var lockVersion: Int? }
        try await CovenantService.deleteCriterion(ctx, code: req.parameters.get("code") ?? "", lockVersion: try req.content.decode(In.self).lockVersion, req: req)
        Pages.flash(req, "Đã xóa tiêu chí.")
        return back(req, ctx.version.id!)
    }

    @Sendable func actionForm(_ req: Request) async throws -> Response {
        let ctx = try await CovenantService.context(req)
        let v = try await CovenantService.perform(ctx, try action(req), req: req)
        Pages.flash(req, "Giao ước: \(v.covenantStatus.label).")
        return back(req, v.id!)
    }

    @Sendable func commentForm(_ req: Request) async throws -> Response {
        let ctx = try await CovenantService.context(req)
        try await CovenantService.comment(ctx, try req.content.decode(CovenantService.CommentInput.self), req: req)
        Pages.flash(req, "Đã gửi góp ý.")
        return back(req, ctx.version.id!)
    }

    @Sendable func answerForm(_ req: Request) async throws -> Response {
        let ctx = try await CovenantService.context(req)
        try await CovenantService.answer(ctx, commentID: req.parameters.get("commentID", as: UUID.self), text: try req.content.decode(AnswerInput.self).answer, req: req)
        Pages.flash(req, "Đã trả lời góp ý.")
        return back(req, ctx.version.id!)
    }

    @Sendable func signForm(_ req: Request) async throws -> Response {
        let ctx = try await CovenantService.context(req)
        try await CovenantService.sign(ctx, try req.content.decode(CovenantService.SignInput.self), req: req)
        Pages.flash(req, "Đã ký giao ước (mã niêm phong \(ctx.version.digest.map(CovenantSeal.fingerprint) ?? "")).")
        return back(req, ctx.version.id!)
    }

    @Sendable func absentForm(_ req: Request) async throws -> Response {
        let ctx = try await CovenantService.context(req)
        try await CovenantService.recordAbsent(ctx, try req.content.decode(CovenantService.AbsentInput.self), req: req)
        Pages.flash(req, "Đã ghi nhận đơn vị vắng mặt.")
        return back(req, ctx.version.id!)
    }

    @Sendable func listAPI(_ req: Request) async throws -> [CovenantDTO] {
        var q = CovenantModel.query(on: req.db)
        if let raw = try? req.query.get(String.self, at: "bloc"), !raw.isEmpty {
            guard let id = UUID(uuidString: raw) else { throw DomainError.invalid("Khối không hợp lệ.", field: "bloc") }
            q = q.filter(\.$blocID == id)
        }
        if let y = try Bounded.emulationYear(text: try? req.query.get(String.self, at: "year")) {
            q = q.filter(\.$year == y)
        }
        var out: [CovenantDTO] = []
        for c in try await q.all() {
            guard let v = try await CovenantService.current(of: c, on: req.db) else { continue }
            let ctx = try await CovenantService.context(v, on: req.db)
            if (try? CovenantService.requireView(ctx, req: req)) != nil { out.append(try await dto(ctx, req: req)) }
        }
        return out
    }
}
