import Fluent
import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// Pages and API of ballot sessions. Every handler parses the request, builds a `Caller` and calls `BallotService`
/// / `BallotViews`; scope, checks and counts are ThiDuaCore's.
struct BallotController {
    let organisers: RoutePolicy = .roles([.office, .blocLead])
    let voters: RoutePolicy = .roles([.unitHead, .council])

    struct Receipt: Content, Sendable { var receipt: String; var note: String }
    struct ReceiptCheck: Content, Sendable { var receipt: String? }
    struct ReceiptAnswer: Content, Sendable { var counted: Bool; var questionID: UUID?; var question: String? }
    struct Created: Content, Sendable { var id: UUID; var url: String }

    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        api.on(.GET, "ballots", policy: .signedIn) { req in
            try await BallotViews.list(year: try self.year(req), caller: try Caller(req))
        }
        api.on(.POST, "ballots", policy: organisers) { req in
            let id = try await BallotService.create(try req.content.decode(BallotService.CreateInput.self), caller: try Caller(req), catalogue: req.application.catalogue)
            return try await self.sessionDTO(req, id: id).encodeResponse(status: .created, for: req)
        }
        api.on(.GET, "ballots", ":sessionID", policy: .signedIn) { req in try await self.sessionDTO(req) }
        api.on(.POST, "ballots", ":sessionID", "presence", policy: organisers) { req in
            try await BallotService.presence(try await self.context(req), try req.content.decode(BallotService.PresenceInput.self), caller: try Caller(req))
            return try await self.sessionDTO(req)
        }
        api.on(.POST, "ballots", ":sessionID", "questions", policy: organisers) { req in
            _ = try await BallotService.addQuestion(try await self.context(req), try req.content.decode(BallotService.QuestionInput.self), caller: try Caller(req),
                                                    catalogue: req.application.catalogue)
            return try await self.sessionDTO(req).encodeResponse(status: .created, for: req)
        }
        api.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "open", policy: organisers) { req in
            try await BallotService.openQuestion(try await self.context(req), self.questionID(req), caller: try Caller(req), catalogue: req.application.catalogue)
            return try await self.sessionDTO(req)
        }
        api.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "vote", policy: voters) { req in
            let receipt = try await BallotService.vote(try await self.context(req), self.questionID(req), try req.content.decode(BallotService.VoteInput.self), caller: try Caller(req))
            return try await Receipt(receipt: receipt, note: "Giữ biên nhận này: nó chứng minh phiếu của bạn đã được tính, không cho biết phiếu ghi gì.")
                .encodeResponse(status: .created, for: req)
        }
        api.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "paper", policy: organisers) { req in
            _ = try await BallotService.paper(try await self.context(req), self.questionID(req), try req.content.decode(BallotService.PaperInput.self), caller: try Caller(req))
            return try await self.sessionDTO(req).encodeResponse(status: .created, for: req)
        }
        api.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "written", policy: organisers) { req in
            try await BallotService.written(try await self.context(req), self.questionID(req), try req.content.decode(BallotService.WrittenInput.self), caller: try Caller(req))
            return try await self.sessionDTO(req).encodeResponse(status: .created, for: req)
        }
        api.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "close", policy: organisers) { req in
            try await BallotService.closeQuestion(try await self.context(req), self.questionID(req), try req.content.decode(BallotService.CloseInput.self), caller: try Caller(req))
        }
        api.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "referral", policy: organisers) { req in
            try await BallotService.refer(try await self.context(req), self.questionID(req), try req.content.decode(BallotService.ReferralInput.self), caller: try Caller(req))
            return try await self.sessionDTO(req)
        }
        api.on(.POST, "ballots", ":sessionID", "close", policy: organisers) { req in
            try await BallotService.closeSession(try await self.context(req), caller: try Caller(req))
            return try await self.sessionDTO(req)
        }
        api.on(.GET, "ballots", ":sessionID", "record.json", policy: .signedIn, use: record)
        api.on(.POST, "ballots", ":sessionID", "receipts", "check", policy: .signedIn) { req in
            let ctx = try await self.context(req)
            let caller = try Caller(req)
            guard caller.principal.canViewSession(ctx.scope) else { throw DomainError.forbidden("Bạn không xem được phiên bỏ phiếu này.") }
            let q = try await BallotService.checkReceipt(ctx, try req.content.decode(ReceiptCheck.self).receipt, on: req.db)
            let title = try await q.asyncMap { try await BallotQuestionModel.find($0, on: req.db)?.question().title } ?? nil
            return ReceiptAnswer(counted: q != nil, questionID: q, question: title)
        }
        pages.on(.GET, "ballots", ":sessionID", "record.json", policy: .signedIn, use: record)
        pages.on(.GET, "ballots", ":sessionID", "questions", ":questionID", "minutes.docx", policy: .signedIn, use: minutes)
        api.on(.GET, "ballots", ":sessionID", "questions", ":questionID", "minutes.docx", policy: .signedIn, use: minutes)
        pages.on(.GET, "ballots", ":sessionID", "minutes.docx", policy: .signedIn, use: meetingMinutes)
        api.on(.GET, "ballots", ":sessionID", "minutes.docx", policy: .signedIn, use: meetingMinutes)
        pages.on(.GET, "ballots", policy: .signedIn, use: listPage)
        ListExports.register(on: [pages, api], ["ballots"], name: "export", policy: .signedIn) { req in
            let year = try self.year(req)
            let sessions = try await BallotViews.list(year: year, caller: try Caller(req))
            let blocs = Dictionary(uniqueKeysWithValues: try await Bloc.query(on: req.db).all().compactMap { b in b.id.map { ($0, b.name) } })
            let rows: [[SheetCell]] = sessions.map { s in
                [.text(s.title), .text(s.blocID.map { "Các đơn vị thành viên – \(blocs[$0] ?? "")" } ?? "Hội đồng Thi đua – Khen thưởng tỉnh"),
                 .number(Double(s.year)), .number(Double(s.members)), .number(Double(s.present)), .text(s.state == "open" ? "Đang họp" : "Đã kết thúc")]
            }
            return ListFile(filename: "phien-bo-phieu-\(year)",
                            sheets: [Sheet(name: "Phiên bỏ phiếu", title: "CÁC PHIÊN BỎ PHIẾU NĂM \(year)",
                                           header: ["Phiên", "Người bỏ phiếu", "Năm", "Số người bỏ phiếu", "Có mặt", "Trạng thái"], rows: rows,
                                           widths: [50, 50, 8, 12, 10, 14])])
        }
        pages.on(.POST, "ballots", policy: organisers) { req in
            let form = try req.content.decode([String: String].self)
            let target = form["target"] ?? ""
            let input = BallotService.CreateInput(body: target == "council" ? "council" : "bloc", blocID: target == "council" ? nil : target,
                                                  year: try Bounded.int(text: form["year"], field: "year", label: "Năm", in: 1900...2200), title: form["title"],
                                                  quorum: form["quorum"], quorumBasis: form["quorumBasis"])
            let id = try await BallotService.create(input, caller: try Caller(req), catalogue: req.application.catalogue)
            Pages.flash(req, "Đã mở phiên bỏ phiếu. Hãy điểm danh người có mặt và thêm câu hỏi.")
            return req.redirect(to: BallotPath.session(id).url)
        }
        pages.on(.GET, "ballots", ":sessionID", policy: .signedIn) { req in try await self.sessionPage(req) }
        pages.on(.POST, "ballots", ":sessionID", "presence", policy: organisers) { req in
            let form = try req.content.decode([String: String].self)
            let ctx = try await self.context(req)
            try await BallotService.presence(ctx, .init(voterKey: form["voterKey"], present: form["present"] != "0"), caller: try Caller(req))
            return req.redirect(to: BallotPath.session(ctx.id).url)
        }
        pages.on(.POST, "ballots", ":sessionID", "questions", policy: organisers) { req in
            let ctx = try await self.context(req)
            try await BallotService.addQuestion(ctx, try self.questionForm(req, ctx), caller: try Caller(req), catalogue: req.application.catalogue)
            Pages.flash(req, "Đã thêm câu hỏi.")
            return req.redirect(to: BallotPath.session(ctx.id).url)
        }
        pages.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "open", policy: organisers) { req in
            let ctx = try await self.context(req)
            try await BallotService.openQuestion(ctx, self.questionID(req), caller: try Caller(req), catalogue: req.application.catalogue)
            Pages.flash(req, "Đã mở bỏ phiếu.")
            return req.redirect(to: BallotPath.session(ctx.id).url)
        }
        pages.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "vote", policy: voters) { req in
            let ctx = try await self.context(req)
            let form = try req.content.decode([String: String].self)
            let ballot = try await self.ballotForm(ctx, form, req)
            let receipt = try await BallotService.vote(ctx, self.questionID(req), .init(voterKey: form["voterKey"], ballot: ballot), caller: try Caller(req))
            // The receipt is shown once, in this answer: never in a link, a redirect or the session.
            return try await self.sessionPage(req, receipt: receipt)
        }
        pages.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "written", policy: organisers) { req in
            let ctx = try await self.context(req)
            let form = try req.content.decode([String: String].self)
            try await BallotService.written(ctx, self.questionID(req), .init(voterKey: form["voterKey"], ballot: try await self.ballotForm(ctx, form, req)), caller: try Caller(req))
            Pages.flash(req, "Đã ghi ý kiến bằng văn bản.")
            return req.redirect(to: BallotPath.session(ctx.id).url)
        }
        pages.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "close", policy: organisers) { req in
            let ctx = try await self.context(req)
            let form = try req.content.decode([String: String].self)
            let committee = VietnameseText.lines(form["committee"] ?? "").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let note = (form["note"] ?? "").trimmingCharacters(in: .whitespaces)
            // A show of hands: the counts typed per candidate number ("yes.1", "no.1", "abstain.1").
            var counts: [BallotService.OpenCountInput] = []
            for n in 1...100 where form["yes.\(n)"] != nil || form["no.\(n)"] != nil {
                counts.append(.init(candidate: n, yes: try Bounded.int(text: form["yes.\(n)"], field: "counts", label: "Số đồng ý", in: 0...Share.maxCount),
                                    no: try Bounded.int(text: form["no.\(n)"], field: "counts", label: "Số không đồng ý", in: 0...Share.maxCount),
                                    abstain: try Bounded.int(text: form["abstain.\(n)"], field: "counts", label: "Số không biểu quyết", in: 0...Share.maxCount)))
            }
            _ = try await BallotService.closeQuestion(ctx, self.questionID(req), .init(committee: committee, note: note.isEmpty ? nil : note, counts: counts.isEmpty ? nil : counts),
                                                      caller: try Caller(req))
            Pages.flash(req, "Đã kiểm phiếu.")
            return req.redirect(to: BallotPath.session(ctx.id).url)
        }
        pages.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "paper", policy: organisers) { req in
            let ctx = try await self.context(req)
            let form = try req.content.decode([String: String].self)
            let n = try await BallotService.paper(ctx, self.questionID(req), try await self.paperForm(ctx, form, req), caller: try Caller(req))
            Pages.flash(req, "Đã nhập \(n) phiếu giấy.")
            return req.redirect(to: BallotPath.session(ctx.id).url)
        }
        pages.on(.POST, "ballots", ":sessionID", "questions", ":questionID", "referral", policy: organisers) { req in
            let ctx = try await self.context(req)
            let form = try req.content.decode([String: String].self)
            try await BallotService.refer(ctx, self.questionID(req), .init(reason: form["reason"]), caller: try Caller(req))
            Pages.flash(req, "Đã ghi việc chuyển người có thẩm quyền quyết định.")
            return req.redirect(to: BallotPath.session(ctx.id).url)
        }
        pages.on(.POST, "ballots", ":sessionID", "receipts", "check", policy: .signedIn) { req in
            let ctx = try await self.context(req)
            let caller = try Caller(req)
            guard caller.principal.canViewSession(ctx.scope) else { throw DomainError.forbidden("Bạn không xem được phiên bỏ phiếu này.") }
            let form = try req.content.decode([String: String].self)
            let answer: String
            if let q = try await BallotService.checkReceipt(ctx, form["receipt"], on: req.db), let m = try await BallotQuestionModel.find(q, on: req.db) {
                answer = "Phiếu có biên nhận này đã được ghi vào hòm phiếu của câu hỏi \(m.number). \(try m.question().title)."
            } else {
                answer = "Không có phiếu nào của phiên này mang biên nhận này."
            }
            return try await self.sessionPage(req, receiptCheck: answer)
        }
        pages.on(.POST, "ballots", ":sessionID", "close", policy: organisers) { req in
            let ctx = try await self.context(req)
            try await BallotService.closeSession(ctx, caller: try Caller(req))
            Pages.flash(req, "Đã kết thúc phiên bỏ phiếu.")
            return req.redirect(to: BallotPath.session(ctx.id).url)
        }
    }

    /// A ballot from a form: "mark.<candidate>" for each candidate, or "chosen.<candidate>" = 1 for the names kept.
    func ballotForm(_ ctx: BallotService.Context, _ form: [String: String], _ req: Request) async throws -> BallotInput {
        var marks: [String: String] = [:], chosen: [String] = []
        for (k, v) in form {
            if k.hasPrefix("mark.") { marks[String(k.dropFirst(5))] = v }
            if k.hasPrefix("chosen."), v == "1" { chosen.append(String(k.dropFirst(7))) }
        }
        let m = try await BallotService.question(ctx, questionID(req), on: req.db)
        if case .chooseUpTo = try m.question().form { return BallotInput(chosen: chosen.sorted()) }
        return BallotInput(marks: marks)
    }

    /// A batch of paper ballots from the form: the voters who handed one in ("voter.<key>" = 1) and, row by row,
    /// what each paper says ("paper.<row>.<candidate>": yes, no, abstain, or "chosen"; "paper.<row>.invalid" = 1). The
    /// rows are not tied to the voters: there are as many as papers, in the committee's order.
    func paperForm(_ ctx: BallotService.Context, _ form: [String: String], _ req: Request) async throws -> BallotService.PaperInput {
        let voters = ctx.voters.filter { form["voter.\($0.voterKey.uuidString)"] == "1" }.map(\.voterKey.uuidString)
        let m = try await BallotService.question(ctx, questionID(req), on: req.db)
        let q = try m.question()
        var rows: [Int: [String: String]] = [:]
        for (k, v) in form where k.hasPrefix("paper.") {
            let parts = k.split(separator: ".", maxSplits: 2).map(String.init)
            guard parts.count == 3, let row = Int(parts[1]), (1...1_000).contains(row) else { continue }
            rows[row, default: [:]][parts[2]] = v
        }
        if let extra = rows.keys.filter({ $0 > voters.count }).min(), rows[extra]?.values.contains(where: { !$0.isEmpty }) == true {
            throw DomainError.invalid("Phiếu \(extra) có nội dung nhưng chỉ có \(voters.count) người nộp phiếu giấy.", field: "ballots")
        }
        var ballots: [BallotInput] = [], invalid = 0
        for row in stride(from: 1, through: voters.count, by: 1) {
            let fields = rows[row] ?? [:]
            if fields["invalid"] == "1" { invalid += 1; continue }
            let marks = fields.filter { $0.key != "invalid" && !$0.value.isEmpty }
            if case .chooseUpTo = q.form {
                ballots.append(BallotInput(chosen: marks.filter { $0.value == "chosen" }.map(\.key).sorted()))
            } else {
                ballots.append(BallotInput(marks: marks))
            }
        }
        let committee = VietnameseText.lines(form["committee"] ?? "").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return .init(voterKeys: voters, ballots: ballots, invalid: invalid, committee: committee)
    }

    /// The question form: candidates one per line (a line naming a member unit is that unit's candidacy).
    func questionForm(_ req: Request, _ ctx: BallotService.Context) async throws -> BallotService.QuestionInput {
        let form = try req.content.decode([String: String].self)
        let lines = VietnameseText.lines(form["candidates"] ?? "").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        try Bounded.list(lines, field: "candidates", label: "Ứng viên", max: 100)
        let units = try await Unit.query(on: req.db).all()
        let byName = Dictionary(units.map { (VietnameseText.searchKey($0.officialName), $0.id!) }, uniquingKeysWith: { a, _ in a })
        let round = (form["fromRound"] ?? "").isEmpty ? nil : form["fromRound"]
        let proposals = (form["fromQuestion"] ?? "").isEmpty ? nil : form["fromQuestion"]
        return .init(title: form["title"], award: form["award"].flatMap { $0.isEmpty ? nil : $0 },
                     candidates: lines.map { .init(name: $0, unitID: byName[VietnameseText.searchKey($0)]?.uuidString) },
                     fromRound: round, top: round == nil ? nil : try Bounded.int(text: form["top"], field: "top", label: "Số đơn vị đứng đầu", in: 1...100),
                     fromQuestion: proposals,
                     form: form["form"], seats: try Bounded.int(text: form["seats"], field: "seats", label: "Số suất", in: 1...100), abstain: form["abstain"] == "1",
                     secret: form["open"] != "1")
    }

    struct ListPage: Encodable, Sendable {
        var year: Int; var sessions: [BallotViews.SessionRef]; var blocs: [BlocOption]; var canCouncil: Bool
        /// The other emulation years, newest first, to switch to.
        var years: [Int]
        struct BlocOption: Encodable, Sendable { var id: UUID; var name: String }
    }

    func listPage(_ req: Request) async throws -> Response {
        let caller = try Caller(req)
        let year = try self.year(req)
        let blocs = try await Bloc.query(on: req.db).sort(\.$name).all().filter { caller.principal.canLeadBloc($0.id!, year: year) }
        let page = ListPage(year: year, sessions: try await BallotViews.list(year: year, caller: caller),
                            blocs: blocs.map { .init(id: $0.id!, name: $0.name) }, canCouncil: caller.principal.isOffice,
                            years: try await EmulationYear.query(on: req.db).all().map(\.year).filter { $0 != year }.sorted(by: >))
        return try await Pages.render(req, "ballots/list", title: "Bỏ phiếu năm \(year)", page)
    }

    struct SessionPage: Encodable, Sendable {
        var s: BallotSessionDTO
        var receipt: String?
        /// The answer to a receipt check, and where to check one.
        var receiptCheck: String?; var receiptsURL: String
        var presenceURL: String; var questionsURL: String; var closeURL: String
        var canAddQuestion: Bool; var canCloseSession: Bool
        var awards: [Award]
        /// The bloc's published scoring rounds of the year, to take candidates from their ranking.
        var rounds: [Award]
        /// Closed questions of the year's other sessions with someone elected: the proposals to vote on.
        var proposals: [Award]
        var questions: [Q]
        struct Award: Encodable, Sendable { var code: String; var name: String }
        struct Q: Encodable, Sendable {
            var q: BallotSessionDTO.QuestionDTO
            var canOpen: Bool; var canClose: Bool
            var openURL: String; var voteURL: String; var closeURL: String
            var ballots: [Voter]; var voted: [String]; var chooseUpTo: Bool; var abstain: Bool
            /// Absent members without a written opinion yet, and where the organiser records one.
            var absent: [Voter]; var writtenURL: String
            /// Present voters who have not voted yet, who may hand in paper; one row per possible paper.
            var paperVoters: [Voter]; var paperRows: [Int]; var paperURL: String
            /// A second vote still tied: the referral to the competent person waits for its reason.
            var needsReferral: Bool; var referralURL: String
        }
        struct Voter: Encodable, Sendable { var voterKey: UUID; var name: String }
    }

    func sessionPage(_ req: Request, receipt: String? = nil, receiptCheck: String? = nil) async throws -> Response {
        let s = try await sessionDTO(req)
        let open = s.state == "open"
        let names = Dictionary(s.voters.map { ($0.voterKey.uuidString, ($0.name, $0.present)) }, uniquingKeysWith: { a, _ in a })
        let questions: [SessionPage.Q] = s.questions.map { q in
            let mine = q.myVotes.sorted { $0.key < $1.key }
            let paper: [SessionPage.Voter] = q.state == "open" && q.secret && q.canChair
                ? s.voters.filter { v in v.present && q.participation?[v.name] == nil }.map { .init(voterKey: $0.voterKey, name: $0.name) } : []
            var needsReferral = false
            if open, q.canChair, q.referral == nil, case .referral? = q.result?.outcome { needsReferral = true }
            return .init(q: q, canOpen: open && q.state == "draft" && q.canChair, canClose: open && q.state == "open" && q.canChair,
                         openURL: BallotPath.open(s.id, question: q.id).url, voteURL: BallotPath.vote(s.id, question: q.id).url, closeURL: BallotPath.close(s.id, question: q.id).url,
                         ballots: q.state == "open" && q.secret ? mine.filter { !$0.value && names[$0.key]?.1 == true }.compactMap { k, _ in UUID(uuidString: k).map { .init(voterKey: $0, name: names[k]?.0 ?? "?") } } : [],
                         voted: mine.filter(\.value).map { names[$0.key]?.0 ?? "?" }, chooseUpTo: q.formKind == "chooseUpTo", abstain: q.abstain,
                         absent: q.state == "open" && q.canChair
                            ? s.voters.filter { v in !v.present && q.participation?[v.name] == nil }.map { .init(voterKey: $0.voterKey, name: $0.name) } : [],
                         writtenURL: BallotPath.written(s.id, question: q.id).url,
                         paperVoters: paper, paperRows: Array(stride(from: 1, through: paper.count, by: 1)), paperURL: BallotPath.paper(s.id, question: q.id).url,
                         needsReferral: needsReferral, referralURL: BallotPath.referral(s.id, question: q.id).url)
        }
        let awards = req.application.catalogue.awards.values.sorted { $0.code < $1.code }.map { SessionPage.Award(code: $0.code, name: $0.name) }
        var rounds: [SessionPage.Award] = []
        if let bloc = s.blocID {
            rounds = try await ScoringRoundModel.query(on: req.db).filter(\.$blocID == bloc).filter(\.$year == s.year)
                .filter(\.$phase == RoundPhase.published.rawValue).all()
                .map { .init(code: $0.id!.uuidString, name: "\($0.roundKind.label) \($0.year)") }
        }
        var proposals: [SessionPage.Award] = []
        if open && s.canOrganise {
            let caller = try Caller(req)
            for other in try await BallotViews.list(year: s.year, caller: caller) where other.id != s.id {
                for m in try await BallotQuestionModel.query(on: req.db).filter(\.$sessionID == other.id).filter(\.$state == "closed").sort(\.$number).all() {
                    guard let result = m.decodedResult(), !result.elected.isEmpty, let q = try? m.question() else { continue }
                    let elected = q.candidates.filter { result.elected.contains($0.id) }.map(\.name).joined(separator: "; ")
                    proposals.append(.init(code: m.id!.uuidString, name: "\(other.title) – \(m.number). \(q.title) (trúng: \(elected))"))
                }
            }
        }
        let page = SessionPage(s: s, receipt: receipt, receiptCheck: receiptCheck, receiptsURL: BallotPath.receipts(s.id).url, presenceURL: BallotPath.presence(s.id).url, questionsURL: BallotPath.questions(s.id).url,
                               closeURL: BallotPath.closeSession(s.id).url, canAddQuestion: open && s.canOrganise,
                               canCloseSession: open && s.canOrganise && !s.questions.contains { $0.state == "open" }, awards: awards, rounds: rounds, proposals: proposals, questions: questions)
        return try await Pages.render(req, "ballots/session", title: s.title, page, status: receipt == nil ? .ok : .created)
    }

    /// The session as one JSON file: whoever may see the session, once it is closed (before, the box stays shut).
    func record(_ req: Request) async throws -> Response {
        let ctx = try await context(req)
        let caller = try Caller(req)
        guard caller.principal.canViewSession(ctx.scope) else { throw DomainError.forbidden("Bạn không xem được phiên bỏ phiếu này.") }
        guard ctx.session.state == "closed" else { throw DomainError.conflict("Tệp của phiên chỉ có sau khi phiên kết thúc.") }
        let record = try await BallotService.record(ctx, on: req.db)
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let res = Response(status: .ok, body: .init(data: try e.encode(record)))
        res.headers.contentType = .json
        res.headers.replaceOrAdd(name: .contentDisposition, value: Downloads.disposition("phien-bo-phieu-\(ctx.session.year).json"))
        return res
    }

    @Sendable func minutes(_ req: Request) async throws -> Response {
        let ctx = try await context(req)
        let data = try await BallotService.minutes(ctx, questionID(req), caller: try Caller(req), province: req.application.thiduaConfig.province)
        return Downloads.file(data, type: Downloads.docx, filename: "bien-ban-kiem-phieu-\(ctx.session.year).docx")
    }

    @Sendable func meetingMinutes(_ req: Request) async throws -> Response {
        let ctx = try await context(req)
        let data = try await BallotService.meetingMinutes(ctx, caller: try Caller(req), province: req.application.thiduaConfig.province)
        return Downloads.file(data, type: Downloads.docx, filename: "bien-ban-hop-\(ctx.session.year).docx")
    }

    func context(_ req: Request) async throws -> BallotService.Context {
        try await BallotService.context(sessionID: req.parameters.get("sessionID", as: UUID.self), on: req.db)
    }

    func questionID(_ req: Request) -> UUID? { req.parameters.get("questionID", as: UUID.self) }

    func year(_ req: Request) throws -> Int {
        try Bounded.emulationYear(text: try? req.query.get(String.self, at: "year")) ?? VietnameseFormat.day(req.now).year
    }

    func sessionDTO(_ req: Request, id: UUID? = nil) async throws -> BallotSessionDTO {
        let ctx = try await BallotService.context(sessionID: id ?? req.parameters.get("sessionID", as: UUID.self), on: req.db)
        return try await BallotViews.session(ctx, caller: try Caller(req), catalogue: req.application.catalogue)
    }
}
