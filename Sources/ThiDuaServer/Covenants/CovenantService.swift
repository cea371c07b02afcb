import Fluent
import SQLKit
import Foundation
import ThiDuaCore
import Vapor

/// Covenant drafting, consultation, sealing, signing and amendment: validated, audited, scoped.
enum CovenantService {
    struct Context {
        var covenant: CovenantModel
        var version: CovenantVersion
        var bloc: Bloc
        /// Who signs, in signature order: frozen at sealing for a sealed version, today's membership otherwise.
        var roster: CovenantRoster
        /// Today's membership (the same as `roster` for a draft).
        var today: CovenantRoster
        var members: [CovenantRoster.Member] { roster.members }
        var isFrozen: Bool { version.sealedRoster != nil }
        var isCurrent: Bool { covenant.currentVersion == version.number }
    }

    static func context(_ req: Request) async throws -> Context {
        guard let id = req.parameters.get("versionID", as: UUID.self), let v = try await CovenantVersion.find(id, on: req.db) else {
            throw DomainError.notFound("Không tìm thấy giao ước.")
        }
        return try await context(v, on: req.db)
    }

    static func context(_ v: CovenantVersion, on db: any Database) async throws -> Context {
        guard let c = try await CovenantModel.find(v.covenantID, on: db), let bloc = try await Bloc.find(c.blocID, on: db) else {
            throw DomainError.notFound("Không tìm thấy giao ước.")
        }
        let today = try await liveRoster(bloc: bloc, year: c.year, on: db)
        return Context(covenant: c, version: v, bloc: bloc, roster: v.frozenRoster() ?? today, today: today)
    }

    /// The bloc's membership for a year as a roster: what a draft shows and what sealing freezes.
    static func liveRoster(bloc: Bloc, year: Int, on db: any Database) async throws -> CovenantRoster {
        let ms = try await Membership.query(on: db).filter(\.$blocID == bloc.id!).filter(\.$year == year).all()
        let units = try await Unit.query(on: db).filter(\.$id ~~ ms.map(\.unitID)).all()
        let by = try await BlocYear.query(on: db).filter(\.$blocID == bloc.id!).filter(\.$year == year).first()
        return CovenantRoster.ordered(blocName: bloc.name, units: units.map { .init(unitID: $0.id!, officialName: $0.officialName, shortName: $0.shortName) },
                                      leader: by?.leaderUnitID, deputy: by?.deputyUnitID)
    }

    /// The version in force of a covenant (the one to read, sign or amend).
    static func current(of c: CovenantModel, on db: any Database) async throws -> CovenantVersion? {
        try await CovenantVersion.query(on: db).filter(\.$covenantID == c.id!).filter(\.$number == c.currentVersion).first()
    }

    /// The version in force of a bloc's covenant for a year, if the bloc has one.
    static func current(blocID: UUID, year: Int, on db: any Database) async throws -> CovenantVersion? {
        guard let c = try await CovenantModel.query(on: db).filter(\.$blocID == blocID).filter(\.$year == year).first() else { return nil }
        return try await current(of: c, on: db)
    }

    // MARK: Scope

    static func isMember(_ p: Principal, _ ctx: Context) -> Bool {
        let ids = ctx.roster.unitIDs
        return p.grants.contains { ($0.role == .unitOfficer || $0.role == .unitHead) && $0.unitID.map(ids.contains) == true }
    }

    /// Signed versions are readable by every signed-in user; drafts by the bloc's members, its lead, the office and the council.
    static func requireView(_ ctx: Context, req: Request) throws {
        let p = try req.requirePrincipal()
        if ctx.version.covenantStatus == .signed || p.isOffice || p.has(.council) || p.canLeadBloc(ctx.bloc.id!, year: ctx.covenant.year) || isMember(p, ctx) { return }
        throw DomainError.forbidden("Dự thảo giao ước chỉ dành cho các đơn vị trong khối.")
    }

    static func requireLead(_ ctx: Context, req: Request) throws {
        try req.requirePrincipal().requireBloc(ctx.bloc.id!, year: ctx.covenant.year)
    }

    static func requireCurrent(_ ctx: Context) throws {
        if !ctx.isCurrent { throw DomainError.conflict("Đây là phiên bản cũ (số \(ctx.version.number)); hãy thao tác trên phiên bản hiện hành.") }
    }

    // MARK: Create

    static func defaultContent(year: Int, bloc: Bloc, province: String) -> CovenantContent {
        CovenantContent(title: "Giao ước thi đua năm \(year)", place: province,
                        bases: ["Luật Thi đua, khen thưởng"], preamble: "Thực hiện phong trào thi đua yêu nước năm \(year), các cơ quan, đơn vị trong \(bloc.name) thống nhất ký kết giao ước thi đua với các nội dung sau:",
                        keyTasks: [], scale: [], closing: "Các đơn vị trong khối cam kết thực hiện tốt các nội dung giao ước; cuối năm tự chấm điểm, chấm chéo và bình xét theo thang điểm này.")
    }

    struct CreateInput: Content, Sendable { var year: Int?; var copyFromLastYear: Bool? }

    static func create(bloc: Bloc, input: CreateInput, req: Request) async throws -> CovenantVersion {
        let year = try Validate.year(input.year)
        try req.requirePrincipal().requireBloc(bloc.id!, year: year)
        try await OrganisationService.requireYearOpen(year, on: req.db)
        if try await CovenantModel.query(on: req.db).filter(\.$blocID == bloc.id!).filter(\.$year == year).first() != nil {
            throw DomainError.conflict("Khối đã có giao ước năm \(year).")
        }
        var content = defaultContent(year: year, bloc: bloc, province: req.application.thiduaConfig.province)
        if input.copyFromLastYear == true {
            guard let lv = try await current(blocID: bloc.id!, year: year - 1, on: req.db) else { throw DomainError.invalid("Khối chưa có giao ước năm \(year - 1) để sao chép.", field: "copyFromLastYear") }
            content = try lv.decoded()
            content.title = content.title.replacingOccurrences(of: String(year - 1), with: String(year))
            content.signingDate = nil
            content.isDemo = false
        }
        let c = CovenantModel(blocID: bloc.id!, year: year)
        let v = CovenantVersion()
        v.number = 1; v.status = CovenantStatus.draft.rawValue; v.lockVersion = 1; v.updatedBy = req.actorName
        try v.store(content)
        try await req.audited { db, audit in
            try await c.create(on: db)
            v.covenantID = c.id!
            try await v.create(on: db)
            struct S: Codable { var bloc: String; var year: Int; var copied: Bool }
            try await audit.created("covenant", v.id, S(bloc: bloc.name, year: year, copied: input.copyFromLastYear == true))
        }
        return v
    }

    // MARK: Edit (draft and consultation only; optimistic locking)

    struct ContentInput: Content, Sendable {
        var lockVersion: Int?
        var title: String?
        var place: String?
        var signingDate: String?
        /// One basis per line (forms) …
        var basesText: String?
        /// … or a list (API).
        var bases: [String]?
        var preamble: String?
        var closing: String?
        var keyTasks: [KeyTask]?
        /// Key tasks as text: one per line, "| A1, B2" at the end links criteria.
        var keyTasksText: String?
        var scale: [CriterionInput]?
    }

    static func checkEditable(_ ctx: Context, lockVersion: Int?, req: Request) throws {
        try requireLead(ctx, req: req)
        try requireCurrent(ctx)
        if let refusal = CovenantLifecycle.editRefusal(ctx.version.covenantStatus) { throw refusal }
        guard let lockVersion else { throw DomainError.invalid("Thiếu số phiên bản chỉnh sửa (lockVersion).", field: "lockVersion") }
        if lockVersion != ctx.version.lockVersion {
            throw DomainError.conflict("Dự thảo vừa được \(ctx.version.updatedBy) sửa (lần lưu \(ctx.version.lockVersion)); thay đổi của bạn chưa được lưu. Hãy tải lại trang, xem bản mới nhất rồi sửa lại.")
        }
    }

    static func parseTasks(_ text: String) -> [KeyTask] {
        VietnameseText.lines(text).compactMap { line in
            let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let t = parts.first, !t.isEmpty else { return nil }
            let codes = parts.count > 1 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            return KeyTask(text: t, criteria: codes)
        }
    }

    static func save(_ ctx: Context, _ input: ContentInput, req: Request) async throws {
        try checkEditable(ctx, lockVersion: input.lockVersion, req: req)
        let old = try ctx.version.decoded()
        var c = old
        if let t = input.title { c.title = t }
        if let p = input.place { c.place = p }
        if let d = input.signingDate {
            c.signingDate = try RegisterService.day(d, field: "signingDate", label: "Ngày ký dự kiến", required: false, notAfter: Day(9999, 12, 31))
        }
        if let b = input.bases { c.bases = b }
        if let b = input.basesText { c.bases = VietnameseText.lines(b) }
        if let p = input.preamble { c.preamble = p }
        if let cl = input.closing { c.closing = cl }
        if let s = input.scale { c.scale = try ScoringScale.build(s) }
        if let k = input.keyTasks { c.keyTasks = k }
        if let k = input.keyTasksText { c.keyTasks = parseTasks(k) }
        try await store(ctx, try c.validated(), old: old, action: "update", req: req)
    }

    static func store(_ ctx: Context, _ content: CovenantContent, old: CovenantContent, action: String, req: Request) async throws {
        let v = ctx.version
        let expected = v.lockVersion
        try v.store(content)
        // The in-memory copy follows; the row itself is changed only by the compare-and-set below.
        v.lockVersion = expected + 1
        v.updatedBy = req.actorName
        try await req.audited { db, audit in
            // Compare-and-set on the lock counter: a concurrent save that got here first makes this one fail.
            try await CovenantVersion.query(on: db).filter(\.$id == v.id!).filter(\.$lockVersion == expected)
                .set(\.$content, to: v.content).set(\.$lockVersion, to: expected + 1).set(\.$updatedBy, to: v.updatedBy).update()
            guard let fresh = try await CovenantVersion.find(v.id, on: db), fresh.lockVersion == expected + 1, fresh.content == v.content else {
                throw DomainError.conflict("Dự thảo vừa được người khác sửa; thay đổi của bạn chưa được lưu. Hãy tải lại trang.")
            }
            try await audit.record("covenant", v.id, action, old: old, new: content)
        }
    }

    /// Adds or replaces one criterion (by code), keeping the rest.
    static func upsertCriterion(_ ctx: Context, _ input: CriterionInput, lockVersion: Int?, req: Request) async throws {
        try checkEditable(ctx, lockVersion: lockVersion, req: req)
        let old = try ctx.version.decoded()
        var items = ScoringScale.inputs(old.scale)
        if let i = items.firstIndex(where: { $0.code == input.code }) { items[i] = input } else { items.append(input) }
        var c = old
        c.scale = try ScoringScale.build(items)
        try await store(ctx, try c.validated(), old: old, action: "update_criterion", req: req)
    }

    static func deleteCriterion(_ ctx: Context, code: String, lockVersion: Int?, req: Request) async throws {
        try checkEditable(ctx, lockVersion: lockVersion, req: req)
        let old = try ctx.version.decoded()
        let items = ScoringScale.inputs(old.scale)
        guard items.contains(where: { $0.code == code }) else { throw DomainError.notFound("Không có tiêu chí “\(code)”.") }
        if items.contains(where: { $0.parent == code }) { throw DomainError.conflict("Tiêu chí “\(code)” còn tiêu chí con; hãy xóa các tiêu chí con trước.") }
        var c = old
        c.scale = try ScoringScale.build(items.filter { $0.code != code })
        c.keyTasks = c.keyTasks.map { KeyTask(text: $0.text, criteria: $0.criteria.filter { $0 != code }) }
        try await store(ctx, try c.validated(), old: old, action: "delete_criterion", req: req)
    }

    // MARK: Lifecycle

    static func signatures(_ ctx: Context, on db: any Database) async throws -> [CovenantSignature] {
        try await CovenantSignature.query(on: db).filter(\.$versionID == ctx.version.id!).all()
    }

    static func perform(_ ctx: Context, _ action: CovenantAction, req: Request) async throws -> CovenantVersion {
        try requireLead(ctx, req: req)
        try requireCurrent(ctx)
        let v = ctx.version
        let count = try await signatures(ctx, on: req.db).count
        let next = try CovenantLifecycle.next(v.covenantStatus, action, signatures: count, members: ctx.roster.members.count)
        if action == .openForSigning {
            if ctx.today.members.isEmpty { throw DomainError.conflict("Khối chưa có đơn vị thành viên năm \(ctx.covenant.year).") }
            let content = try v.decoded()
            if content.keyTasks.isEmpty { throw DomainError.conflict("Giao ước chưa có nhiệm vụ trọng tâm nào.") }
            if content.scale.isEmpty { throw DomainError.conflict("Giao ước chưa có thang điểm.") }
        }
        struct S: Codable { var status: String; var number: Int; var digest: String? }
        let old = S(status: v.status, number: v.number, digest: v.digest)
        if action == .amend {
            let amended = CovenantVersion()
            amended.covenantID = v.covenantID; amended.number = v.number + 1; amended.status = next.rawValue
            amended.content = v.content; amended.lockVersion = 1; amended.updatedBy = req.actorName
            let covenant = ctx.covenant
            try await req.audited { db, audit in
                try await amended.create(on: db)
                covenant.currentVersion = amended.number
                try await covenant.save(on: db)
                try await audit.record("covenant", amended.id, "amend", old: old, new: S(status: amended.status, number: amended.number, digest: nil))
            }
            return amended
        }
        let expected = v.lockVersion, fromStatus = v.status, id = try v.requireID()
        // Sealed from the content as stored now, not from a copy read earlier.
        // Sealing freezes today's roster and covers it with the seal; withdrawing thaws it.
        let roster: String? = action == .openForSigning ? try CovenantVersion.json(ctx.today) : action == .withdrawFromSigning ? nil : v.sealedRoster
        let rosterInSeal: Bool? = action == .openForSigning ? true : action == .withdrawFromSigning ? nil : v.rosterInSeal
        let digest: String? = action == .openForSigning
            ? CovenantSeal.digest(blocID: ctx.bloc.id!, year: ctx.covenant.year, version: v.number, content: try v.decoded(), roster: ctx.today)
            : action == .withdrawFromSigning ? nil : v.digest
        let sealedAt: Date? = action == .openForSigning ? req.now : action == .withdrawFromSigning ? nil : v.sealedAt
        try await req.audited { db, audit in
            // A signature that arrived meanwhile forbids withdrawing: counted inside the transaction.
            if action == .withdrawFromSigning, try await CovenantSignature.query(on: db).filter(\.$versionID == id).count() > 0 {
                throw DomainError.conflict("Đã có đơn vị ký: không thể rút lại; hãy ký tiếp hoặc sửa đổi sau khi ký xong bằng một phiên bản mới.")
            }
            var head: (seq: Int, hash: String)?
            if action == .openForSigning { head = try await AuditLog.currentHead(on: db) }
            // Compare-and-set on status and lock counter: a concurrent action or signature that got here first wins.
            try await CovenantVersion.query(on: db).filter(\.$id == id).filter(\.$lockVersion == expected).filter(\.$status == fromStatus)
                .set(\.$status, to: next.rawValue).set(\.$digest, to: digest).set(\.$sealedAt, to: sealedAt)
                .set(\.$sealedRoster, to: roster).set(\.$rosterInSeal, to: rosterInSeal)
                .set(\.$sealedAuditSeq, to: action == .openForSigning ? head?.seq : action == .withdrawFromSigning ? nil : v.sealedAuditSeq)
                .set(\.$sealedAuditHead, to: action == .openForSigning ? head?.hash : action == .withdrawFromSigning ? nil : v.sealedAuditHead)
                .set(\.$lockVersion, to: expected + 1).update()
            guard let fresh = try await CovenantVersion.find(id, on: db), fresh.lockVersion == expected + 1, fresh.status == next.rawValue else {
                throw DomainError.conflict("Giao ước vừa được người khác thay đổi (ký, rút lại hoặc chuyển trạng thái); thao tác của bạn chưa được thực hiện. Hãy tải lại trang.")
            }
            try await audit.record("covenant", id, action.rawValue, old: old, new: S(status: fresh.status, number: fresh.number, digest: fresh.digest))
        }
        guard let stored = try await CovenantVersion.find(id, on: req.db) else { throw DomainError.notFound("Không tìm thấy giao ước.") }
        return stored
    }

    // MARK: Consultation

    struct CommentInput: Content, Sendable { var item: String?; var text: String?; var unitID: String? }

    /// The member unit the user acts for (as officer or head); `requested` picks one when they hold several.
    static func actingUnit(_ ctx: Context, roles: Set<RoleKind>, requested: String?, req: Request) throws -> CovenantRoster.Member {
        let p = try req.requirePrincipal()
        let mine = Set(p.grants.filter { roles.contains($0.role) }.compactMap(\.unitID))
        let candidates = ctx.members.filter { mine.contains($0.unitID) }
        if let r = requested.flatMap(UUID.init(uuidString:)), let u = candidates.first(where: { $0.unitID == r }) { return u }
        guard let u = candidates.first else {
            throw DomainError.forbidden(roles.contains(.unitHead) && roles.count == 1
                                        ? "Chỉ thủ trưởng của đơn vị thành viên khối mới được ký giao ước."
                                        : "Chỉ cán bộ, thủ trưởng của đơn vị thành viên khối mới được góp ý.")
        }
        return u
    }

    static func comment(_ ctx: Context, _ input: CommentInput, req: Request) async throws {
        try requireCurrent(ctx)
        guard ctx.version.covenantStatus == .consultation else { throw DomainError.conflict("Giao ước không ở giai đoạn lấy ý kiến.") }
        let unit = try actingUnit(ctx, roles: [.unitOfficer, .unitHead], requested: input.unitID, req: req)
        try await DeadlineService.requireOpen(.covenantSigning, year: ctx.covenant.year, unitID: unit.unitID, req: req)
        let text = try Validate.name(input.text, field: "text", label: "Nội dung góp ý", maxLength: 4000)
        guard let item = try ctx.version.decoded().commentItem(input.item) else {
            throw DomainError.invalid("Mục góp ý “\((input.item ?? "").prefix(40))” không có trong giao ước.", field: "item")
        }
        let c = CovenantComment()
        c.versionID = ctx.version.id!; c.item = item; c.unitID = unit.unitID; c.author = req.actorName; c.text = text; c.createdAt = req.now
        struct S: Codable { var item: String; var unit: String; var text: String }
        try await req.audited { db, audit in
            try await c.create(on: db)
            try await audit.created("covenant_comment", c.id, S(item: item, unit: unit.officialName, text: text))
        }
    }

    static func answer(_ ctx: Context, commentID: UUID?, text: String?, req: Request) async throws {
        try requireLead(ctx, req: req)
        guard let commentID, let c = try await CovenantComment.find(commentID, on: req.db), c.versionID == ctx.version.id else {
            throw DomainError.notFound("Không tìm thấy góp ý.")
        }
        let answer = try Validate.name(text, field: "answer", label: "Nội dung trả lời", maxLength: 4000)
        struct S: Codable { var answer: String? }
        let old = S(answer: c.answer)
        c.answer = answer; c.answeredBy = req.actorName; c.answeredAt = req.now
        try await req.audited { db, audit in
            try await c.save(on: db)
            try await audit.record("covenant_comment", c.id, "answer", old: old, new: S(answer: answer))
        }
    }

    // MARK: Signing

    struct SignInput: Content, Sendable { var password: String?; var fingerprint: String?; var unitID: String?; var position: String? }

    /// A member unit's head signs: re-authenticates with the password, names the fingerprint they saw.
    static func sign(_ ctx: Context, _ input: SignInput, req: Request) async throws {
        try requireCurrent(ctx)
        let unit = try actingUnit(ctx, roles: [.unitHead], requested: input.unitID, req: req)
        guard ctx.version.covenantStatus == .openForSigning, let digest = ctx.version.digest else {
            throw DomainError.conflict("Giao ước không ở trạng thái mở ký.")
        }
        // The seal is recomputed from the content as stored: a content changed behind the seal cannot be signed.
        let recomputed = try ctx.version.recomputedSeal(blocID: ctx.bloc.id!, year: ctx.covenant.year)
        guard recomputed == digest else {
            throw DomainError.conflict("Nội dung giao ước không còn khớp với mã niêm phong \(CovenantSeal.fingerprint(digest)) (tính lại: \(CovenantSeal.fingerprint(recomputed))): không ký được. Hãy báo Ban Thi đua – Khen thưởng.")
        }
        let fp = CovenantSeal.fingerprint(digest)
        guard let sent = input.fingerprint?.trimmingCharacters(in: .whitespaces).uppercased(), sent == fp || sent == digest.uppercased() else {
            throw DomainError.conflict("Mã niêm phong bạn ký (\(input.fingerprint ?? "trống")) không còn là mã hiện hành (\(fp)). Hãy tải lại văn bản và đọc lại trước khi ký.")
        }
        try await DeadlineService.requireOpen(.covenantSigning, year: ctx.covenant.year, unitID: unit.unitID, req: req)
        if try await CovenantSignature.query(on: req.db).filter(\.$versionID == ctx.version.id!).filter(\.$unitID == unit.unitID).first() != nil {
            throw DomainError.conflict("“\(unit.officialName)” đã ký phiên bản này.")
        }
        let p = try req.requirePrincipal()
        // Re-authentication: the signer's own password, with the same lockout as the login.
        let user = try await AccountService.authenticate(username: p.username, password: input.password ?? "", req: req)
        let s = CovenantSignature()
        s.versionID = ctx.version.id!; s.unitID = unit.unitID; s.unitName = unit.officialName; s.userID = user.id; s.signerName = user.fullName
        s.signerPosition = try Validate.optional(input.position, field: "position", label: "Chức vụ người ký", maxLength: 120)
        s.signedAt = req.now; s.digest = digest; s.absent = false; s.recordedBy = user.username
        try await recordSignature(ctx, s, req: req)
    }

    struct AbsentInput: Content, Sendable { var unitID: String?; var reason: String? }

    /// The office records that a member did not sign, with the reason.
    static func recordAbsent(_ ctx: Context, _ input: AbsentInput, req: Request) async throws {
        try requireCurrent(ctx)
        guard try req.requirePrincipal().isOffice else { throw DomainError.forbidden("Chỉ Ban Thi đua – Khen thưởng ghi nhận đơn vị vắng mặt.") }
        guard ctx.version.covenantStatus == .openForSigning, let digest = ctx.version.digest else { throw DomainError.conflict("Giao ước không ở trạng thái mở ký.") }
        guard let unitID = try parseUUID(input.unitID, field: "unitID", label: "Đơn vị"), let unit = ctx.roster.member(unitID) else {
            throw DomainError.invalid("Hãy chọn một đơn vị thành viên của khối.", field: "unitID")
        }
        if try await CovenantSignature.query(on: req.db).filter(\.$versionID == ctx.version.id!).filter(\.$unitID == unitID).first() != nil {
            throw DomainError.conflict("“\(unit.officialName)” đã ký hoặc đã được ghi vắng mặt.")
        }
        let reason = try Validate.name(input.reason, field: "reason", label: "Lý do vắng mặt", maxLength: 500)
        let s = CovenantSignature()
        s.versionID = ctx.version.id!; s.unitID = unitID; s.unitName = unit.officialName; s.signerName = "Vắng mặt"; s.signedAt = req.now; s.digest = digest
        s.absent = true; s.absentReason = reason; s.recordedBy = req.actorName
        try await recordSignature(ctx, s, req: req)
    }

    static func recordSignature(_ ctx: Context, _ s: CovenantSignature, req: Request) async throws {
        let v = ctx.version
        let members = ctx.roster.members.count
        let unitName = ctx.roster.member(s.unitID)?.officialName ?? "?"
        let now = req.now
        struct S: Codable { var unit: String; var signer: String; var absent: Bool; var reason: String?; var fingerprint: String }
        let id = try v.requireID(), digest = s.digest
        try await req.audited { db, audit in
            // One statement: still open for signing under the same seal, and the lock counter moves on, so that a
            // withdrawal racing this signature fails its own compare-and-set. Other heads signing at the same moment
            // do not conflict with each other; a withdrawal or a new seal that got here first makes this a 409.
            guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
            try await sql.update(CovenantVersion.schema)
                .set(SQLIdentifier("lock_version"), to: SQLBinaryExpression(SQLIdentifier("lock_version"), .add, SQLLiteral.numeric("1")))
                .where("id", .equal, SQLBind(id))
                .where("status", .equal, SQLBind(CovenantStatus.openForSigning.rawValue))
                .where("digest", .equal, SQLBind(digest))
                .run()
            guard let fresh = try await CovenantVersion.find(id, on: db), fresh.status == CovenantStatus.openForSigning.rawValue, fresh.digest == digest else {
                throw DomainError.conflict("Giao ước vừa được rút lại hoặc niêm phong lại; chữ ký chưa được ghi. Hãy tải lại trang, đọc lại văn bản rồi ký.")
            }
            v.lockVersion = fresh.lockVersion
            try await s.create(on: db)
            try await audit.created("covenant_signature", s.id, S(unit: unitName, signer: s.signerName, absent: s.absent, reason: s.absentReason,
                                                                  fingerprint: CovenantSeal.fingerprint(s.digest)))
            let count = try await CovenantSignature.query(on: db).filter(\.$versionID == v.id!).count()
            if count >= members {
                v.status = try CovenantLifecycle.next(.openForSigning, .complete, signatures: count, members: members).rawValue
                v.signedAt = now
                try await v.save(on: db)
                struct Done: Codable { var status: String; var signatures: Int }
                try await audit.record("covenant", v.id, "complete", old: Optional<Done>.none, new: Done(status: v.status, signatures: count))
            }
        }
    }
}
