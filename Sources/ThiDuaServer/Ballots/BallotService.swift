import Fluent
import Foundation
import SQLKit
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// Ballot sessions: voters, presence, questions, secret ballots with receipts, paper batches, written opinions,
/// counts and the session's log. Who may do what is `Principal`'s ballot scope and every count is `Tally`'s
/// (ThiDuaCore); this loads, calls and stores. A ballot is never audited with its voter: the audit chain records
/// the session's steps, the session's own log records each ballot's receipt hash, and the box records contents only.
extension QuestionResult: Content {}

enum BallotService {
    struct Context: Sendable {
        var session: BallotSessionModel
        var voters: [BallotVoterModel]
        var scope: BallotScope

        var id: UUID { session.id! }
        var members: Int { voters.count }
        var present: Int { voters.filter(\.present).count }
        func voter(_ key: UUID) -> BallotVoterModel? { voters.first { $0.voterKey == key } }
    }

    static func context(sessionID: UUID?, on db: any Database) async throws -> Context {
        guard let sessionID, let s = try await BallotSessionModel.find(sessionID, on: db) else { throw DomainError.notFound("Không tìm thấy phiên bỏ phiếu.") }
        let voters = try await BallotVoterModel.query(on: db).filter(\.$sessionID == sessionID).all().sorted { $0.name < $1.name }
        var leader: UUID?, deputy: UUID?
        if let bloc = s.blocID, let by = try await BlocYear.query(on: db).filter(\.$blocID == bloc).filter(\.$year == s.year).first() {
            leader = by.leaderUnitID; deputy = by.deputyUnitID
        }
        return Context(session: s, voters: voters,
                       scope: BallotScope(body: s.voteBody, blocID: s.blocID, year: s.year, voters: Set(voters.map(\.voterKey)), leaderUnit: leader, deputyUnit: deputy))
    }

    static func question(_ ctx: Context, _ id: UUID?, on db: any Database) async throws -> BallotQuestionModel {
        guard let id, let q = try await BallotQuestionModel.find(id, on: db), q.sessionID == ctx.id else { throw DomainError.notFound("Không tìm thấy câu hỏi bỏ phiếu.") }
        return q
    }

    // MARK: Session

    struct CreateInput: Content, Sendable {
        var body: String?; var blocID: String?; var year: Int?; var title: String?
        /// The session's own attendance quorum ("3/4", "75 %") and the rule that sets it; used where stricter than
        /// the catalogue's.
        var quorum: String?
        var quorumBasis: String?
    }

    /// A session with its eligible voters fixed now: the bloc's member units that year, or the council's members.
    static func create(_ input: CreateInput, caller: Caller, catalogue: Catalogue) async throws -> UUID {
        guard let body = VoteBody(rawValue: input.body ?? "") else { throw DomainError.invalid("Hãy chọn khối thi đua (bloc) hoặc Hội đồng (council).", field: "body") }
        let year = try Bounded.emulationYear(input.year)
        let title = try Validate.name(input.title, field: "title", label: "Tên phiên bỏ phiếu", maxLength: 300)
        var quorum: (String, String)?
        if let raw = input.quorum?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            guard let share = Share.parse(raw), share.numerator > 0 else {
                throw DomainError.invalid("Số dự tối thiểu ghi như “3/4” hoặc “75 %”.", field: "quorum")
            }
            quorum = (share.description, try Validate.name(input.quorumBasis, field: "quorumBasis", label: "Căn cứ của số dự tối thiểu", maxLength: 300))
        }
        var blocID: UUID?
        var voters: [(UUID, String)] = []
        switch body {
        case .bloc:
            guard let b = try parseUUID(input.blocID, field: "blocID", label: "Khối thi đua"), try await Bloc.find(b, on: caller.db) != nil else {
                throw DomainError.invalid("Hãy chọn khối thi đua.", field: "blocID")
            }
            blocID = b
            guard caller.principal.canOrganise(BallotScope(body: .bloc, blocID: b, year: year, voters: [])) else {
                throw DomainError.forbidden("Chỉ trưởng khối (hoặc Ban Thi đua – Khen thưởng) mở phiên bỏ phiếu của khối.")
            }
            let units = try await Membership.query(on: caller.db).filter(\.$blocID == b).filter(\.$year == year).all().map(\.unitID)
            let names = try await Unit.query(on: caller.db).filter(\.$id ~~ units).all()
            voters = names.map { ($0.id!, $0.officialName) }
        case .council:
            guard caller.principal.isOffice else { throw DomainError.forbidden("Chỉ Ban Thi đua – Khen thưởng mở phiên họp của Hội đồng.") }
            let grants = try await RoleGrantModel.query(on: caller.db).filter(\.$role == RoleKind.council.rawValue).all().map(\.userID)
            voters = try await User.query(on: caller.db).filter(\.$id ~~ grants).filter(\.$disabled == false).all().map { ($0.id!, $0.fullName) }
        }
        guard voters.count >= 2 else { throw DomainError.conflict("Cần ít nhất 2 người bỏ phiếu (\(body == .bloc ? "đơn vị thành viên của khối năm \(year)" : "thành viên Hội đồng")).") }
        let regime = catalogue.regime(for: Day(year, 12, 31))?.id ?? ""
        let id = UUID(), actor = caller.actor, now = caller.now
        let keys = voters.map(\.0), voterList = voters, bloc = blocID, ownQuorum = quorum
        try await caller.audited { db, audit in
            let s = BallotSessionModel()
            s.id = id; s.body = body.rawValue; s.blocID = bloc; s.year = year; s.title = title; s.regime = regime
            s.state = "open"; s.events = 0; s.createdBy = actor; s.createdAt = now
            s.quorumShare = ownQuorum?.0; s.quorumBasis = ownQuorum?.1
            try await s.create(on: db)
            for (key, name) in voterList {
                let v = BallotVoterModel()
                v.sessionID = id; v.voterKey = key; v.name = name; v.present = false
                try await v.create(on: db)
            }
            var opened = ["title": title, "body": body.rawValue, "members": String(keys.count), "voters": BallotLog.fingerprint(voters: keys), "regime": regime]
            if let ownQuorum { opened["quorum"] = "\(ownQuorum.0) (\(ownQuorum.1))" }
            try await appendEvent(session: id, kind: "opened", opened, on: db)
            struct S: Codable { var title: String; var body: String; var year: Int; var voters: Int; var quorum: String? }
            try await audit.record("ballot_session", id, "create", old: Optional<S>.none,
                                   new: S(title: title, body: body.rawValue, year: year, voters: keys.count, quorum: ownQuorum.map { "\($0.0) (\($0.1))" }))
        }
        return id
    }

    struct PresenceInput: Content, Sendable { var voterKey: String?; var present: Bool? }

    /// Marks a voter present or absent (not once they took part in an open or closed question).
    static func presence(_ ctx: Context, _ input: PresenceInput, caller: Caller) async throws {
        try requireOrganiser(ctx, caller)
        try requireOpen(ctx)
        guard let key = try parseUUID(input.voterKey, field: "voterKey", label: "Người bỏ phiếu"), let v = ctx.voter(key) else {
            throw DomainError.invalid("Người này không có trong danh sách bỏ phiếu của phiên.", field: "voterKey")
        }
        let present = input.present ?? true
        let questions = try await BallotQuestionModel.query(on: caller.db).filter(\.$sessionID == ctx.id).all().compactMap(\.id)
        if !present, !questions.isEmpty,
           try await BallotParticipationModel.query(on: caller.db).filter(\.$questionID ~~ questions).filter(\.$voterKey == key).first() != nil {
            throw DomainError.conflict("“\(v.name)” đã bỏ phiếu trong phiên này: không ghi vắng mặt được.")
        }
        let open = try await BallotQuestionModel.query(on: caller.db).filter(\.$sessionID == ctx.id).filter(\.$state == "open").count()
        if open > 0 { throw DomainError.conflict("Đang có câu hỏi mở bỏ phiếu: điểm danh trước khi mở hoặc sau khi kết thúc câu hỏi.") }
        let sid = ctx.id, name = v.name, vid = v.id
        try await caller.audited { db, audit in
            try await lockSession(sid, on: db)
            try await BallotVoterModel.query(on: db).filter(\.$id == vid!).set(\.$present, to: present).update()
            try await appendEvent(session: sid, kind: present ? "present" : "absent", ["voter": key.uuidString, "name": name], on: db)
            struct P: Codable { var voter: String; var present: Bool }
            try await audit.record("ballot_voter", vid, "presence", old: Optional<P>.none, new: P(voter: name, present: present))
        }
    }

    // MARK: Questions

    struct CandidateInput: Content, Sendable { var name: String?; var unitID: String? }
    struct QuestionInput: Content, Sendable {
        var title: String?
        var award: String?
        var candidates: [CandidateInput]?
        /// Instead of `candidates`: the first `top` units of a published scoring round of the session's bloc and year.
        var fromRound: String?
        var top: Int?
        /// Instead of `candidates`: those a closed question of another session of the year elected (the bloc's
        /// proposals that the council votes on).
        var fromQuestion: String?
        /// "approveEach" or "chooseUpTo".
        var form: String?
        var seats: Int?
        var abstain: Bool?
        var secret: Bool?
        var ownUnitVotes: Bool?
        /// Candidate numbers (1-based) in priority order, and why: separates a tie at the last seat.
        var tiePriority: [Int]?
        var tieReason: String?
    }

    /// Adds a question; its rule to pass and quorum come from the catalogue for the body, award and regime.
    static func addQuestion(_ ctx: Context, _ input: QuestionInput, caller: Caller, catalogue: Catalogue) async throws -> UUID {
        try requireOrganiser(ctx, caller)
        try requireOpen(ctx)
        let title = try Validate.name(input.title, field: "title", label: "Nội dung biểu quyết", maxLength: 300)
        var award: String?
        if let raw = input.award, !raw.isEmpty {
            let code = try Bounded.code(raw, field: "award", label: "Danh hiệu, hình thức")
            guard catalogue.awards[code] != nil else { throw DomainError.invalid("Danh hiệu “\(code)” không có trong danh mục.", field: "award") }
            award = code
        }
        try Bounded.list(input.candidates, field: "candidates", label: "Ứng viên", max: 100)
        var raw = input.candidates ?? []
        if let round = try parseUUID(input.fromRound, field: "fromRound", label: "Đợt chấm điểm") {
            guard raw.isEmpty else { throw DomainError.invalid("Hoặc nhập ứng viên, hoặc lấy từ kết quả chấm điểm, không cả hai.", field: "fromRound") }
            raw = try await rankingCandidates(ctx, round: round, top: input.top, on: caller.db)
        }
        if let source = try parseUUID(input.fromQuestion, field: "fromQuestion", label: "Câu hỏi đã kiểm phiếu") {
            guard raw.isEmpty else { throw DomainError.invalid("Chỉ chọn một nguồn ứng viên: nhập tay, kết quả chấm điểm hoặc kết quả bỏ phiếu.", field: "fromQuestion") }
            raw = try await proposedCandidates(ctx, question: source, caller: caller)
        }
        guard !raw.isEmpty else { throw DomainError.invalid("Hãy nhập ít nhất một ứng viên.", field: "candidates") }
        var candidates: [Candidate] = []
        for (i, c) in raw.enumerated() {
            let name = try Validate.name(c.name, field: "candidates", label: "Tên ứng viên \(i + 1)", maxLength: 300)
            let unit = try parseUUID(c.unitID, field: "candidates", label: "Đơn vị của ứng viên \(i + 1)")
            if let unit, try await Unit.find(unit, on: caller.db) == nil { throw DomainError.invalid("Đơn vị của ứng viên \(i + 1) không có.", field: "candidates") }
            if candidates.contains(where: { VietnameseText.searchKey($0.name) == VietnameseText.searchKey(name) }) {
                throw DomainError.invalid("Ứng viên “\(name)” có hai lần trong danh sách.", field: "candidates")
            }
            candidates.append(Candidate(id: "c\(i + 1)", name: name, unitID: unit))
        }
        let abstain = input.abstain ?? false
        let form: BallotForm
        switch input.form ?? "approveEach" {
        case "approveEach":
            form = .approveEach(seats: try input.seats.map { try Bounded.int($0, field: "seats", label: "Số suất", in: 1...candidates.count) }, abstain: abstain)
        case "chooseUpTo":
            form = .chooseUpTo(k: try Bounded.int(input.seats, field: "seats", label: "Số được bầu tối đa", in: 1...candidates.count), abstain: abstain)
        default: throw DomainError.invalid("Hình thức phiếu phải là approveEach hoặc chooseUpTo.", field: "form")
        }
        var tie = TieRule.none
        if let order = input.tiePriority, !order.isEmpty {
            try Bounded.list(order, field: "tiePriority", label: "Thứ tự ưu tiên", max: 100)
            guard order.allSatisfy({ (1...candidates.count).contains($0) }), Set(order).count == order.count else {
                throw DomainError.invalid("Thứ tự ưu tiên phải là các số thứ tự ứng viên, mỗi số một lần.", field: "tiePriority")
            }
            let reason = try Validate.name(input.tieReason, field: "tieReason", label: "Căn cứ của thứ tự ưu tiên", maxLength: 500)
            tie = .priority(order: order.map { "c\($0)" }, reason: reason)
        }
        let rule = catalogue.voteRule(body: ctx.session.voteBody, award: award, regime: ctx.session.regime).rule
        let number = (try await BallotQuestionModel.query(on: caller.db).filter(\.$sessionID == ctx.id).max(\.$number) ?? 0) + 1
        let qid = UUID()
        let q = Question(id: qid.uuidString, title: title, candidates: candidates, form: form, rule: rule, secret: input.secret ?? true,
                         ownUnitVotes: input.ownUnitVotes ?? true, tieRule: tie)
        try await store(q, id: qid, number: number, award: award, previous: nil, ctx: ctx, caller: caller)
        return qid
    }

    /// The first `top` units of a published round of the session's bloc and year, in ranking order.
    static func rankingCandidates(_ ctx: Context, round: UUID, top: Int?, on db: any Database) async throws -> [CandidateInput] {
        let rc = try await ScoringService.context(roundID: round, on: db)
        guard rc.round.blocID == ctx.session.blocID, rc.round.year == ctx.session.year else {
            throw DomainError.invalid("Đợt chấm điểm này không thuộc khối và năm của phiên bỏ phiếu.", field: "fromRound")
        }
        guard rc.scope.phase == .published else { throw DomainError.conflict("Kết quả chấm điểm của đợt này chưa được công bố.") }
        let n = try Bounded.int(top ?? 3, field: "top", label: "Số đơn vị đứng đầu", in: 1...max(rc.memberIDs.count, 1))
        let ranking = try await ScoringViews.shown(rc, on: db).result.ranking
        return ranking.prefix(n).map { CandidateInput(name: $0.name, unitID: $0.unit.uuidString) }
    }

    /// Those a closed question of another session of the same year elected, in its list's order: what a bloc
    /// proposes, for the council's vote. The caller must be able to see that session.
    static func proposedCandidates(_ ctx: Context, question: UUID, caller: Caller) async throws -> [CandidateInput] {
        guard let m = try await BallotQuestionModel.find(question, on: caller.db), m.sessionID != ctx.id else {
            throw DomainError.invalid("Không tìm thấy câu hỏi đã kiểm phiếu ở phiên khác.", field: "fromQuestion")
        }
        let source = try await context(sessionID: m.sessionID, on: caller.db)
        guard caller.principal.canViewSession(source.scope) else { throw DomainError.invalid("Không tìm thấy câu hỏi đã kiểm phiếu ở phiên khác.", field: "fromQuestion") }
        guard source.session.year == ctx.session.year else { throw DomainError.invalid("Câu hỏi này thuộc phiên của năm \(source.session.year).", field: "fromQuestion") }
        guard m.state == "closed", let result = m.decodedResult() else { throw DomainError.conflict("Câu hỏi nguồn chưa kiểm phiếu.") }
        let q = try m.question()
        let elected = q.candidates.filter { result.elected.contains($0.id) }
        guard !elected.isEmpty else { throw DomainError.conflict("Câu hỏi nguồn không có ứng viên trúng.") }
        return elected.map { CandidateInput(name: $0.name, unitID: $0.unitID?.uuidString) }
    }

    static func store(_ q: Question, id qid: UUID, number: Int, award: String?, previous: UUID?, ctx: Context, caller: Caller) async throws {
        let definition = BallotLog.canonicalText(q), sid = ctx.id
        try await caller.audited { db, audit in
            let m = BallotQuestionModel()
            m.id = qid; m.sessionID = sid; m.number = number; m.award = award; m.definition = definition; m.state = "draft"; m.previousID = previous
            try await m.create(on: db)
            struct Q: Codable { var number: Int; var title: String; var candidates: [String]; var rule: String }
            try await audit.record("ballot_question", qid, "add", old: Optional<Q>.none, new: Q(number: number, title: q.title, candidates: q.candidates.map(\.name), rule: q.rule.text))
        }
    }

    /// Opens a question once the quorum is reached, by an organiser who does not act for a candidate's unit.
    static func openQuestion(_ ctx: Context, _ qid: UUID?, caller: Caller, catalogue: Catalogue) async throws {
        try requireOpen(ctx)
        let m = try await question(ctx, qid, on: caller.db)
        let q = try m.question()
        try requireChair(ctx, q, caller)
        guard m.state == "draft" else { throw DomainError.conflict("Câu hỏi này đã được mở bỏ phiếu.") }
        let quorum = Quorum.effective(catalogue: catalogue.voteRule(body: ctx.session.voteBody, award: m.award, regime: ctx.session.regime).quorum,
                                      session: ctx.session.ownQuorum)
        if let quorum, let refusal = quorum.refusal(present: ctx.present, members: ctx.members) { throw DomainError.conflict(refusal) }
        if ctx.present == 0 { throw DomainError.conflict("Chưa điểm danh người có mặt.") }
        let sid = ctx.id, id = m.id!, present = ctx.present, members = ctx.members
        try await caller.audited { db, audit in
            try await lockSession(sid, on: db)
            try await BallotQuestionModel.query(on: db).filter(\.$id == id).filter(\.$state == "draft")
                .set(\.$state, to: "open").set(\.$members, to: members).set(\.$present, to: present).update()
            try await appendEvent(session: sid, kind: "questionOpened", ["question": id.uuidString, "definition": SHA256Digest.hex(m.definition),
                                                                         "members": String(members), "present": String(present)], on: db)
            struct P: Codable { var state: String; var present: Int; var members: Int }
            try await audit.record("ballot_question", id, "open", old: P(state: "draft", present: 0, members: members), new: P(state: "open", present: present, members: members))
        }
    }

    // MARK: Voting

    struct VoteInput: Content, Sendable {
        /// The voter the ballot is cast for when the user may cast for more than one (a head of two units).
        var voterKey: String?
        var ballot: BallotInput?
    }

    /// Casts a secret ballot; returns the receipt (shown once; its hash is in the session's log). Exactly one per
    /// voter and question, even when many arrive at once (the database's unique key on participation).
    static func vote(_ ctx: Context, _ qid: UUID?, _ input: VoteInput, caller: Caller) async throws -> String {
        let keys = caller.principal.voterKeys(ctx.scope)
        guard !keys.isEmpty else { throw DomainError.forbidden("Bạn không có trong danh sách bỏ phiếu của phiên này.") }
        let key: UUID
        if let given = try parseUUID(input.voterKey, field: "voterKey", label: "Người bỏ phiếu") {
            guard keys.contains(given) else { throw DomainError.forbidden("Bạn không bỏ phiếu thay cho người này.") }
            key = given
        } else {
            guard keys.count == 1, let only = keys.first else { throw DomainError.invalid("Hãy chọn bỏ phiếu thay cho đơn vị nào.", field: "voterKey") }
            key = only
        }
        guard let voter = ctx.voter(key), voter.present else { throw DomainError.conflict("Chỉ thành viên có mặt mới bỏ phiếu; thành viên vắng mặt gửi ý kiến bằng văn bản.") }
        let m = try await question(ctx, qid, on: caller.db)
        let q = try m.question()
        guard q.secret else { throw DomainError.conflict("Câu hỏi này biểu quyết công khai: người chủ trì ghi số biểu quyết.") }
        guard m.state == "open" else { throw DomainError.conflict(m.state == "draft" ? "Câu hỏi chưa mở bỏ phiếu." : "Câu hỏi đã kết thúc bỏ phiếu.") }
        let content = try BallotRules.check(input.ballot ?? .init(), form: q.form, candidates: q.candidates, barred: q.barred(for: ctx.session.voteBody == .bloc ? key : nil))
        var bytes = SystemRandomNumberGenerator()
        let receipt = (0..<4).map { _ in String(format: "%016llx", bytes.next() as UInt64) }.joined()
        let sid = ctx.id, id = m.id!
        do {
            try await caller.audited { db, _ in
                try await lockSession(sid, on: db)
                guard let now = try await BallotQuestionModel.find(id, on: db), now.state == "open" else { throw DomainError.conflict("Câu hỏi đã kết thúc bỏ phiếu.") }
                let p = BallotParticipationModel()
                p.questionID = id; p.voterKey = key; p.channel = "electronic"
                try await p.create(on: db)
                try await reshuffle(question: id, adding: [(content, false)], on: db)
                try await appendEvent(session: sid, kind: "ballot", ["question": id.uuidString, "receiptHash": BallotLog.receiptHash(receipt)], on: db)
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw DomainError.conflict("Bạn đã bỏ phiếu cho câu hỏi này; mỗi người chỉ một phiếu.")
        }
        return receipt
    }

    /// Rewrites a question's box with `adding`, every ballot under a fresh random id, in a random order: row ids,
    /// storage order and (PostgreSQL) the rows' transaction ids then say nothing about which ballot came when.
    static func reshuffle(question: UUID, adding: [(BallotContent, Bool)], on db: any Database) async throws {
        let existing = try await BallotBoxModel.query(on: db).filter(\.$questionID == question).all()
        var all = existing.map { ($0.content, $0.paper) } + adding.map { (BallotLog.canonicalText($0.0), $0.1) }
        var rng = SystemRandomNumberGenerator()
        all.shuffle(using: &rng)
        try await BallotBoxModel.query(on: db).filter(\.$questionID == question).delete()
        for (content, paper) in all {
            let b = BallotBoxModel()
            b.id = UUID(); b.questionID = question; b.content = content; b.paper = paper
            try await b.create(on: db)
        }
    }

    struct PaperInput: Content, Sendable {
        /// The present voters who handed in paper.
        var voterKeys: [String]?
        var ballots: [BallotInput]?
        /// Paper ballots the committee found invalid (besides those that do not read as a valid ballot).
        var invalid: Int?
        var committee: [String]?
    }

    /// Enters the paper ballots of voters in the room, by the vote-count committee (at least two people, named, none
    /// a candidate). A paper that does not read as a valid ballot is counted as invalid.
    static func paper(_ ctx: Context, _ qid: UUID?, _ input: PaperInput, caller: Caller) async throws -> Int {
        let m = try await question(ctx, qid, on: caller.db)
        let q = try m.question()
        try requireChair(ctx, q, caller)
        guard q.secret else { throw DomainError.conflict("Câu hỏi này biểu quyết công khai.") }
        guard m.state == "open" else { throw DomainError.conflict("Chỉ nhập phiếu giấy khi câu hỏi đang mở bỏ phiếu.") }
        let committee = try self.committee(input.committee, q)
        try Bounded.list(input.voterKeys, field: "voterKeys", label: "Người bỏ phiếu giấy", max: 1_000)
        try Bounded.list(input.ballots, field: "ballots", label: "Phiếu giấy", max: 1_000)
        var keys: [UUID] = []
        for raw in input.voterKeys ?? [] {
            guard let k = try parseUUID(raw, field: "voterKeys", label: "Người bỏ phiếu giấy"), let v = ctx.voter(k), v.present else {
                throw DomainError.invalid("Người bỏ phiếu giấy phải là thành viên có mặt.", field: "voterKeys")
            }
            keys.append(k)
        }
        guard Set(keys).count == keys.count else { throw DomainError.invalid("Một người có hai lần trong danh sách phiếu giấy.", field: "voterKeys") }
        let invalid = try Bounded.int(input.invalid ?? 0, field: "invalid", label: "Số phiếu không hợp lệ", in: 0...1_000)
        let contents = (input.ballots ?? []).map { BallotRules.paper($0, form: q.form, candidates: q.candidates) } + Array(repeating: BallotContent.invalidPaper, count: invalid)
        guard contents.count == keys.count, !keys.isEmpty else {
            throw DomainError.invalid("Số phiếu giấy (\(contents.count)) phải bằng số người bỏ phiếu giấy (\(keys.count)).", field: "ballots")
        }
        let sid = ctx.id, id = m.id!, paperVoters = keys
        do {
            try await caller.audited { db, audit in
                try await lockSession(sid, on: db)
                guard let now = try await BallotQuestionModel.find(id, on: db), now.state == "open" else { throw DomainError.conflict("Câu hỏi đã kết thúc bỏ phiếu.") }
                for k in paperVoters {
                    let p = BallotParticipationModel()
                    p.questionID = id; p.voterKey = k; p.channel = "paper"
                    try await p.create(on: db)
                }
                try await reshuffle(question: id, adding: contents.map { ($0, true) }, on: db)
                try await appendEvent(session: sid, kind: "paper", ["question": id.uuidString, "count": String(contents.count), "committee": committee.joined(separator: "; ")], on: db)
                struct P: Codable { var ballots: Int; var committee: [String] }
                try await audit.record("ballot_question", id, "paper", old: Optional<P>.none, new: P(ballots: contents.count, committee: committee))
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw DomainError.conflict("Có người trong danh sách đã bỏ phiếu cho câu hỏi này.")
        }
        return contents.count
    }

    static func committee(_ raw: [String]?, _ q: Question) throws -> [String] {
        try Bounded.list(raw, field: "committee", label: "Ban kiểm phiếu", max: 20)
        let names = try (raw ?? []).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { try Validate.name($0, field: "committee", label: "Thành viên Ban kiểm phiếu", maxLength: 200) }
        guard names.count >= 2, Set(names.map(VietnameseText.searchKey)).count == names.count else {
            throw DomainError.invalid("Ban kiểm phiếu cần ít nhất hai người, ghi rõ họ tên, không trùng nhau.", field: "committee")
        }
        let candidates = Set(q.candidates.map { VietnameseText.searchKey($0.name) })
        if let c = names.first(where: { candidates.contains(VietnameseText.searchKey($0)) }) {
            throw DomainError.invalid("“\(c)” là ứng viên: không ở trong Ban kiểm phiếu.", field: "committee")
        }
        return names
    }

    struct WrittenInput: Content, Sendable { var voterKey: String?; var ballot: BallotInput? }

    /// Records an absent member's written opinion (not secret), by the organiser.
    static func written(_ ctx: Context, _ qid: UUID?, _ input: WrittenInput, caller: Caller) async throws {
        let m = try await question(ctx, qid, on: caller.db)
        let q = try m.question()
        try requireChair(ctx, q, caller)
        guard m.state == "open" else { throw DomainError.conflict("Chỉ ghi ý kiến bằng văn bản khi câu hỏi đang mở bỏ phiếu.") }
        guard let key = try parseUUID(input.voterKey, field: "voterKey", label: "Thành viên"), let v = ctx.voter(key) else {
            throw DomainError.invalid("Người này không có trong danh sách bỏ phiếu của phiên.", field: "voterKey")
        }
        guard !v.present else { throw DomainError.conflict("“\(v.name)” có mặt: bỏ phiếu tại phiên, không gửi ý kiến bằng văn bản.") }
        let content = try BallotRules.check(input.ballot ?? .init(), form: q.form, candidates: q.candidates, barred: q.barred(for: ctx.session.voteBody == .bloc ? key : nil))
        let sid = ctx.id, id = m.id!, actor = caller.actor, text = BallotLog.canonicalText(content), name = v.name
        do {
            try await caller.audited { db, audit in
                try await lockSession(sid, on: db)
                let p = BallotParticipationModel()
                p.questionID = id; p.voterKey = key; p.channel = "written"
                try await p.create(on: db)
                let w = BallotWrittenModel()
                w.questionID = id; w.voterKey = key; w.content = text; w.recordedBy = actor
                try await w.create(on: db)
                try await appendEvent(session: sid, kind: "written", ["question": id.uuidString, "voter": key.uuidString, "content": text], on: db)
                struct W: Codable { var voter: String; var content: String }
                try await audit.record("ballot_question", id, "written", old: Optional<W>.none, new: W(voter: name, content: text))
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw DomainError.conflict("Đã có ý kiến của “\(name)” cho câu hỏi này.")
        }
    }

    struct CloseInput: Content, Sendable {
        var committee: [String]?
        /// Required when fewer ballots came back than voters present.
        var note: String?
        /// A show of hands: the counts per candidate number.
        var counts: [OpenCountInput]?
    }
    struct OpenCountInput: Content, Sendable { var candidate: Int?; var yes: Int?; var no: Int?; var abstain: Int? }

    /// Closes a question and counts it (`Tally`); records the result, the digests in the log, and, after a tie at the
    /// last seat in a first vote, drafts the second vote among the tied candidates.
    static func closeQuestion(_ ctx: Context, _ qid: UUID?, _ input: CloseInput, caller: Caller) async throws -> QuestionResult {
        let m = try await question(ctx, qid, on: caller.db)
        let q = try m.question()
        try requireChair(ctx, q, caller)
        guard m.state == "open" else { throw DomainError.conflict(m.state == "draft" ? "Câu hỏi chưa mở bỏ phiếu." : "Câu hỏi đã kết thúc bỏ phiếu.") }
        let committee = try q.secret ? self.committee(input.committee, q) : []
        var open: [OpenCount] = []
        if !q.secret {
            try Bounded.list(input.counts, field: "counts", label: "Kết quả biểu quyết", max: q.candidates.count)
            for c in input.counts ?? [] {
                let n = try Bounded.int(c.candidate, field: "counts", label: "Số thứ tự ứng viên", in: 1...max(q.candidates.count, 1))
                let bound = 0...ctx.members
                open.append(OpenCount(candidate: "c\(n)", yes: try Bounded.int(c.yes ?? 0, field: "counts", label: "Số đồng ý", in: bound),
                                      no: try Bounded.int(c.no ?? 0, field: "counts", label: "Số không đồng ý", in: bound),
                                      abstain: try Bounded.int(c.abstain ?? 0, field: "counts", label: "Số không biểu quyết", in: bound)))
            }
            guard Set(open.map(\.candidate)).count == q.candidates.count else {
                throw DomainError.invalid("Hãy ghi kết quả biểu quyết cho mọi ứng viên, mỗi ứng viên một lần.", field: "counts")
            }
        }
        let note = try Bounded.text(input.note, field: "note", label: "Ghi chú của Ban kiểm phiếu", max: 1_000)
        let sid = ctx.id, id = m.id!, members = m.members ?? ctx.members, present = m.present ?? ctx.present
        let electorate = Electorate(members: members, present: present), shows = open
        let result: QuestionResult = try await caller.audited { db, audit in
            try await lockSession(sid, on: db)
            let box = try await BallotBoxModel.query(on: db).filter(\.$questionID == id).all()
            let ballots = box.map { Ballot(id: $0.id!.uuidString, content: BallotLog.decodeContent($0.content), paper: $0.paper) }
            if q.secret, ballots.count < present, note == nil {
                throw DomainError.conflict("Thu về \(ballots.count) phiếu, ít hơn \(present) người có mặt: Ban kiểm phiếu cần ghi chú lý do trước khi kết thúc.")
            }
            let written = try await BallotWrittenModel.query(on: db).filter(\.$questionID == id).all()
                .map { WrittenOpinion(voter: $0.voterKey, content: BallotLog.decodeContent($0.content)) }
            let result = try Tally.count(q, electorate: electorate, ballots: ballots, written: written, openCounts: shows)
            try await BallotQuestionModel.query(on: db).filter(\.$id == id).set(\.$state, to: "closed")
                .set(\.$result, to: BallotLog.canonicalText(result)).set(\.$committee, to: BallotLog.canonicalText(committee))
                .set(\.$committeeNote, to: note).set(\.$openCounts, to: BallotLog.canonicalText(shows)).update()
            try await appendEvent(session: sid, kind: "questionClosed", ["question": id.uuidString, "received": String(ballots.count),
                                                                         "ballotsDigest": BallotLog.digest(ballots: ballots), "resultDigest": BallotLog.digest(result: result),
                                                                         "committee": committee.joined(separator: "; ")], on: db)
            struct C: Codable { var elected: [String]; var counts: BallotCounts }
            try await audit.record("ballot_question", id, "close", old: Optional<C>.none, new: C(elected: result.elected, counts: result.counts))
            return result
        }
        if case .tie(let tied, let seats) = result.outcome, let second = q.secondRound(tied: tied, seats: seats, id: UUID().uuidString), let sid2 = UUID(uuidString: second.id) {
            let number = (try await BallotQuestionModel.query(on: caller.db).filter(\.$sessionID == ctx.id).max(\.$number) ?? 0) + 1
            try await store(second, id: sid2, number: number, award: m.award, previous: id, ctx: ctx, caller: caller)
        }
        return result
    }

    struct ReferralInput: Content, Sendable { var reason: String? }

    /// After a second vote still tied: records the referral to the competent person, with its reason.
    static func refer(_ ctx: Context, _ qid: UUID?, _ input: ReferralInput, caller: Caller) async throws {
        try requireOpen(ctx)
        let m = try await question(ctx, qid, on: caller.db)
        try requireChair(ctx, try m.question(), caller)
        guard case .referral? = m.decodedResult()?.outcome else { throw DomainError.conflict("Chỉ chuyển người có thẩm quyền khi lần bỏ phiếu thứ 2 vẫn bằng phiếu.") }
        guard m.referral == nil else { throw DomainError.conflict("Đã ghi việc chuyển người có thẩm quyền cho câu hỏi này.") }
        let reason = try Validate.name(input.reason, field: "reason", label: "Nội dung chuyển người có thẩm quyền", maxLength: 1_000)
        let sid = ctx.id, id = m.id!
        try await caller.audited { db, audit in
            try await lockSession(sid, on: db)
            try await BallotQuestionModel.query(on: db).filter(\.$id == id).set(\.$referral, to: reason).update()
            try await appendEvent(session: sid, kind: "referral", ["question": id.uuidString, "reason": reason], on: db)
            try await audit.record("ballot_question", id, "referral", old: Optional<String>.none, new: reason)
        }
    }

    /// Closes the session once every question is closed; records the audit chain's head.
    static func closeSession(_ ctx: Context, caller: Caller) async throws {
        try requireOrganiser(ctx, caller)
        try requireOpen(ctx)
        let questions = try await BallotQuestionModel.query(on: caller.db).filter(\.$sessionID == ctx.id).all()
        if questions.contains(where: { $0.state == "open" }) { throw DomainError.conflict("Còn câu hỏi đang mở bỏ phiếu.") }
        let sid = ctx.id, now = caller.now
        try await caller.audited { db, audit in
            try await lockSession(sid, on: db)
            let head = try await AuditLog.currentHead(on: db)
            try await BallotSessionModel.query(on: db).filter(\.$id == sid).set(\.$state, to: "closed").set(\.$closedAt, to: now).set(\.$auditHead, to: head.hash).update()
            try await appendEvent(session: sid, kind: "closed", ["questions": String(questions.filter { $0.state == "closed" }.count), "auditHead": head.hash], on: db)
            try await audit.record("ballot_session", sid, "close", old: Optional<String>.none, new: head.hash)
        }
    }

    // MARK: Record

    /// The session as one file (`BallotSessionRecord`): its log, and per closed question its ballots (no voter, sorted
    /// by their random ids), written opinions, counts and result; the receipt hashes apart.
    static func record(_ ctx: Context, on db: any Database) async throws -> BallotSessionRecord {
        let events = try await BallotEventModel.query(on: db).filter(\.$sessionID == ctx.id).sort(\.$seq).all().map(\.event)
        var out: [BallotSessionRecord.QuestionRecord] = []
        for m in try await BallotQuestionModel.query(on: db).filter(\.$sessionID == ctx.id).sort(\.$number).all() where m.state == "closed" {
            guard let result = m.decodedResult() else { continue }
            let ballots = try await BallotBoxModel.query(on: db).filter(\.$questionID == m.id!).all()
                .map { Ballot(id: $0.id!.uuidString, content: BallotLog.decodeContent($0.content), paper: $0.paper) }
            let written = try await BallotWrittenModel.query(on: db).filter(\.$questionID == m.id!).all()
                .map { WrittenOpinion(voter: $0.voterKey, content: BallotLog.decodeContent($0.content)) }
            let open = m.openCounts.flatMap { try? JSONDecoder().decode([OpenCount].self, from: Data($0.utf8)) } ?? []
            out.append(.init(question: try m.question(), electorate: Electorate(members: m.members ?? ctx.members, present: m.present ?? 0),
                             ballots: ballots, written: written, openCounts: open, result: result))
        }
        let receipts = events.filter { $0.kind == "ballot" }.compactMap { e in
            (try? JSONDecoder().decode([String: String].self, from: Data(e.data.utf8)))?["receiptHash"]
        }
        return BallotSessionRecord(session: ctx.id.uuidString, title: ctx.session.title, events: events, questions: out, receipts: receipts, auditHead: ctx.session.auditHead)
    }

    /// A closed question's vote-count minutes as .docx (Decree 30/2020 layout), for whoever may see the session.
    static func minutes(_ ctx: Context, _ qid: UUID?, caller: Caller, province: String) async throws -> Data {
        guard caller.principal.canViewSession(ctx.scope) else { throw DomainError.forbidden("Bạn không xem được phiên bỏ phiếu này.") }
        let m = try await question(ctx, qid, on: caller.db)
        guard m.state == "closed", let result = m.decodedResult() else { throw DomainError.conflict("Biên bản kiểm phiếu chỉ có sau khi kiểm phiếu.") }
        let issuer = try await self.issuer(ctx, province: province, on: caller.db)
        let committee = m.committee.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        return try BallotMinutesDocument(
            parentAgency: "UBND tỉnh \(province)", bodyName: issuer.name, place: province, date: VietnameseFormat.day(ctx.session.closedAt ?? caller.now),
            sessionTitle: ctx.session.title, question: try m.question(), result: result, members: m.members ?? ctx.members, present: m.present ?? ctx.present,
            committee: committee, committeeNote: m.committeeNote, referral: m.referral, recordLine: issuer.recordLine, isDemo: issuer.isDemo).docx()
    }

    /// The session's meeting minutes as .docx: who was present, who chaired, each question's rule, counts and outcome.
    static func meetingMinutes(_ ctx: Context, caller: Caller, province: String) async throws -> Data {
        guard caller.principal.canViewSession(ctx.scope) else { throw DomainError.forbidden("Bạn không xem được phiên bỏ phiếu này.") }
        let issuer = try await self.issuer(ctx, province: province, on: caller.db)
        var chair = "Ban Thi đua – Khen thưởng tỉnh \(province)"
        if let leader = issuer.leaderUnit, let unit = try await Unit.find(leader, on: caller.db) { chair = "đơn vị trưởng khối – \(unit.officialName)" }
        let questions = try await BallotQuestionModel.query(on: caller.db).filter(\.$sessionID == ctx.id).sort(\.$number).all()
        return try BallotMeetingMinutesDocument(
            parentAgency: "UBND tỉnh \(province)", bodyName: issuer.name, place: province, date: VietnameseFormat.day(ctx.session.closedAt ?? caller.now),
            sessionTitle: ctx.session.title, present: ctx.voters.filter(\.present).map(\.name), absent: ctx.voters.filter { !$0.present }.map(\.name),
            chair: chair, items: try questions.map { .init(question: try $0.question(), result: $0.state == "closed" ? $0.decodedResult() : nil, referral: $0.referral) },
            recordLine: issuer.recordLine, isDemo: issuer.isDemo).docx()
    }

    /// Who issues a session's minutes (the bloc, or the province's council), whether the bloc's leadership is the
    /// demo's, its leader unit, and the line anchoring the minutes to the session's log.
    static func issuer(_ ctx: Context, province: String, on db: any Database) async throws -> (name: String, isDemo: Bool, leaderUnit: UUID?, recordLine: String) {
        var name = "Hội đồng Thi đua – Khen thưởng tỉnh \(province)", isDemo = false, leader: UUID?
        if let b = ctx.session.blocID, let bloc = try await Bloc.find(b, on: db) {
            name = bloc.name
            let by = try await BlocYear.query(on: db).filter(\.$blocID == b).filter(\.$year == ctx.session.year).first()
            isDemo = by?.leadershipIsDemo ?? false
            leader = by?.leaderUnitID
        }
        let last = try await BallotEventModel.query(on: db).filter(\.$sessionID == ctx.id).sort(\.$seq, .descending).first()
        return (name, isDemo, leader, "Nhật ký của phiên: \(last?.seq ?? 0) sự kiện, mã cuối \(CovenantSeal.fingerprint(last?.hash ?? ""))")
    }

    /// The question a receipt's ballot was counted in, if any (the receipt says nothing of what the ballot said).
    static func checkReceipt(_ ctx: Context, _ receipt: String?, on db: any Database) async throws -> UUID? {
        let r = (receipt ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard r.count == 64, r.allSatisfy(\.isHexDigit) else { throw DomainError.invalid("Biên nhận là chuỗi 64 ký tự 0–9, a–f.", field: "receipt") }
        let hash = BallotLog.receiptHash(r)
        let events = try await BallotEventModel.query(on: db).filter(\.$sessionID == ctx.id).filter(\.$kind == "ballot").all()
        for e in events {
            let data = (try? JSONDecoder().decode([String: String].self, from: Data(e.data.utf8))) ?? [:]
            if data["receiptHash"] == hash { return data["question"].flatMap(UUID.init(uuidString:)) }
        }
        return nil
    }

    // MARK: Helpers

    static func requireOrganiser(_ ctx: Context, _ caller: Caller) throws {
        guard caller.principal.canOrganise(ctx.scope) else {
            throw DomainError.forbidden(ctx.session.voteBody == .bloc ? "Chỉ trưởng khối, phó khối (hoặc Ban Thi đua – Khen thưởng) điều hành phiên bỏ phiếu." : "Chỉ Ban Thi đua – Khen thưởng điều hành phiên họp Hội đồng.")
        }
    }

    static func requireChair(_ ctx: Context, _ q: Question, _ caller: Caller) throws {
        try requireOrganiser(ctx, caller)
        guard caller.principal.canChair(candidateUnits: Set(q.candidates.compactMap(\.unitID)), ctx.scope) else {
            throw DomainError.forbidden("Đơn vị của bạn là ứng viên của câu hỏi này: phó khối (hoặc Ban Thi đua – Khen thưởng) điều hành câu hỏi.")
        }
    }

    static func requireOpen(_ ctx: Context) throws {
        guard ctx.session.state == "open" else { throw DomainError.conflict("Phiên bỏ phiếu đã kết thúc.") }
    }

    /// Takes the session's row lock (every write to a session goes through it, one at a time, on both databases).
    static func lockSession(_ id: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("UPDATE ballot_sessions SET events = events WHERE id = \(bind: id)").run()
    }

    static func appendEvent(session: UUID, kind: String, _ data: [String: String], on db: any Database) async throws {
        let last = try await BallotEventModel.query(on: db).filter(\.$sessionID == session).sort(\.$seq, .descending).first()
        let e = BallotLog.next(after: last?.event, kind: kind, data: data)
        let m = BallotEventModel()
        m.sessionID = session; m.seq = e.seq; m.kind = e.kind; m.data = e.data; m.prev = e.prev; m.hash = e.hash
        try await m.create(on: db)
        try await BallotSessionModel.query(on: db).filter(\.$id == session).set(\.$events, to: e.seq).update()
    }
}
