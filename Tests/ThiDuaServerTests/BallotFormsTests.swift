import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

/// The organiser's remaining forms (paper ballots, a referral after a second tie, a receipt check), a session's own
/// quorum, and candidates taken from another session's result.
@Suite("Ballot sessions: paper, referral, receipts, own quorum, proposals")
struct BallotFormsTests {
    typealias T = BallotServerTests

    /// A bloc session with every member present and one question opened, through the API.
    static func openQuestion(_ app: Application, _ ask: BallotService.QuestionInput, presentAll: Bool = true) async throws -> (UUID, UUID, [String: UUID]) {
        let lead = try await token(app, "truongkhoi")
        let (s, units) = try await T.session(app, lead: lead)
        for c in DemoLoader.units.map(\.code) where presentAll { #expect(try await T.present(app, s.id, units[c]!, lead: lead).status == .ok) }
        let added = try await api(app, .POST, "/api/v1/ballots/\(s.id)/questions", token: lead, json: ask)
        let q = try #require(try added.decoded(BallotSessionDTO.self).questions.last?.id)
        let opened = try await api(app, .POST, "/api/v1/ballots/\(s.id)/questions/\(q)/open", token: lead)
        #expect(opened.status == .ok, "\(opened.body.string)")
        return (s.id, q, units)
    }

    @Test("Paper ballots through the page: the voters who handed one in, one row per paper, a blank paper invalid")
    func paperForm() async throws {
        try await withThiDua(demo: true) { app, _ in try await Self.paper(app) }
    }

    static func paper(_ app: Application) async throws {
        let ask = BallotService.QuestionInput(title: "Bằng khen", award: "BK_TINH", candidates: [.init(name: "Cục Thi hành án dân sự tỉnh"), .init(name: "Sở Tư pháp tỉnh")], form: "approveEach")
        let (sid, qid, units) = try await openQuestion(app, ask)
        let codes = DemoLoader.units.map(\.code)
        for c in codes.prefix(7) { #expect(try await T.vote(app, sid, qid, try await token(app, "thutruong.\(c)"), ["c1": "yes", "c2": "no"]).status == .created) }
        let b = try Browser(app)
        try await b.login("truongkhoi")
        let location = "/ballots/\(sid)"
        let page = try await b.get(location).body.string
        #expect(page.contains("paper-1") && page.contains("voter.\(units[codes[7]]!.uuidString)") && !page.contains("voter.\(units[codes[0]]!.uuidString)"),
                "the paper form lists only those present who have not voted")
        let two = ["voter.\(units[codes[7]]!.uuidString)": "1", "voter.\(units[codes[8]]!.uuidString)": "1", "committee": "Nguyễn Văn A\nTrần Thị B"]
        // A third paper for two voters: refused, nothing stored.
        let tooMany = try await b.post(location + "/questions/\(qid)/paper", two.merging(["paper.1.c1": "yes", "paper.3.c1": "no"]) { a, _ in a })
        #expect(tooMany.status == .unprocessableEntity && tooMany.body.string.contains("Phiếu 3 có nội dung"), "\(tooMany.body.string)")
        #expect(try await BallotParticipationModel.query(on: app.db).count() == 7)
        try await b.get(location)
        let oneCommittee = try await b.post(location + "/questions/\(qid)/paper", two.merging(["committee": "Nguyễn Văn A", "paper.1.c1": "yes", "paper.1.c2": "yes"]) { _, b in b })
        #expect(oneCommittee.status == .unprocessableEntity, "the committee needs two people")
        try await b.get(location)
        let done = try await b.post(location + "/questions/\(qid)/paper", two.merging(["paper.1.c1": "yes", "paper.1.c2": "yes"]) { a, _ in a })
        #expect(done.status == .seeOther, "\(done.body.string)")
        let channels = try await BallotParticipationModel.query(on: app.db).all().map(\.channel)
        #expect(channels.filter { $0 == "paper" }.count == 2 && channels.count == 9)
        #expect(try await BallotBoxModel.query(on: app.db).filter(\.$paper == true).count() == 2)
        try await b.get(location)
        #expect(try await b.post(location + "/questions/\(qid)/close", ["committee": "Nguyễn Văn A\nTrần Thị B"]).status == .seeOther)
        let s = try await api(app, .GET, "/api/v1/ballots/\(sid)", token: try await token(app, "truongkhoi")).decoded(BallotSessionDTO.self)
        let result = try #require(s.questions.first?.result)
        // 9 received: 7 electronic, one paper for both, one blank paper (invalid).
        #expect(result.counts.received == 9 && result.counts.invalid == 1 && result.counts.valid == 8, "\(result.counts)")
        #expect(result.candidates[0].yes == 8 && result.candidates[1].yes == 1)
    }

    @Test("A second vote still tied: the page asks for the referral's reason, records it once, shows it")
    func referralForm() async throws {
        try await withThiDua(demo: true) { app, _ in try await Self.referral(app) }
    }

    static func referral(_ app: Application) async throws {
        let ask = BallotService.QuestionInput(title: "Một suất Bằng khen", award: "BK_TINH", candidates: [.init(name: "Cục Thi hành án dân sự tỉnh"), .init(name: "Sở Tư pháp tỉnh")],
                                              form: "approveEach", seats: 1)
        let (sid, first, _) = try await openQuestion(app, ask)
        let lead = try await token(app, "truongkhoi")
        var heads: [String] = []
        for c in DemoLoader.units.map(\.code) { heads.append(try await token(app, "thutruong.\(c)")) }
        for h in heads { #expect(try await T.vote(app, sid, first, h, ["c1": "yes", "c2": "yes"]).status == .created) }
        let closed = try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(first)/close", token: lead, json: BallotService.CloseInput(committee: ["Nguyễn Văn A", "Trần Thị B"]))
        #expect(closed.status == .ok, "\(closed.body.string)")
        var s = try await api(app, .GET, "/api/v1/ballots/\(sid)", token: lead).decoded(BallotSessionDTO.self)
        let second = try #require(s.questions.last)
        #expect(s.questions.count == 2 && second.round == 2 && second.state == "draft")
        #expect(try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(second.id)/open", token: lead).status == .ok)
        for h in heads { #expect(try await T.vote(app, sid, second.id, h, ["c1": "yes", "c2": "yes"]).status == .created) }
        #expect(try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(second.id)/close", token: lead, json: BallotService.CloseInput(committee: ["Nguyễn Văn A", "Trần Thị B"])).status == .ok)
        let b = try Browser(app)
        try await b.login("truongkhoi")
        let location = "/ballots/\(sid)"
        let page = try await b.get(location).body.string
        #expect(page.contains("referral-2") && !page.contains("referral-1"), "only the second vote's tie goes to the competent person")
        #expect(try await b.post(location + "/questions/\(first)/referral", ["reason": "X"]).status == .conflict, "a first vote's tie is voted again, not referred")
        try await b.get(location)
        #expect(try await b.post(location + "/questions/\(second.id)/referral", ["reason": ""]).status == .unprocessableEntity)
        try await b.get(location)
        #expect(try await b.post(location + "/questions/\(second.id)/referral", ["reason": "Trưởng khối và phó khối quyết định tại cuộc họp ngày 10/12/2018"]).status == .seeOther)
        let after = try await b.get(location).body.string
        #expect(after.contains("Chuyển người có thẩm quyền: Trưởng khối và phó khối") && !after.contains("referral-2"))
        try await b.get(location)
        #expect(try await b.post(location + "/questions/\(second.id)/referral", ["reason": "Lần nữa"]).status == .conflict, "recorded once")
        s = try await api(app, .GET, "/api/v1/ballots/\(sid)", token: lead).decoded(BallotSessionDTO.self)
        #expect(s.questions.last?.referral?.hasPrefix("Trưởng khối") == true)
    }

    @Test("A receipt checked on the session page: counted or not, never what it said; a malformed one refused")
    func receiptCheck() async throws {
        try await withThiDua(demo: true) { app, _ in
            let ask = BallotService.QuestionInput(title: "Bằng khen", award: "BK_TINH", candidates: [.init(name: "Sở Tư pháp tỉnh")], form: "approveEach")
            let (sid, qid, _) = try await Self.openQuestion(app, ask)
            let res = try await T.vote(app, sid, qid, try await token(app, "thutruong.congan"), ["c1": "yes"])
            let receipt = try res.decoded(BallotController.Receipt.self).receipt
            let b = try Browser(app)
            try await b.login("thutruong.congan")
            let location = "/ballots/\(sid)"
            #expect(try await b.get(location).body.string.contains("receipt-check-submit"))
            let found = try await b.post(location + "/receipts/check", ["receipt": receipt.uppercased()])
            #expect(found.status == .ok && found.body.string.contains("đã được ghi vào hòm phiếu của câu hỏi 1"), "\(found.body.string.suffix(2000))")
            #expect(!found.body.string.contains(receipt), "the page does not echo the receipt")
            try await b.get(location)
            let other = try await b.post(location + "/receipts/check", ["receipt": String(repeating: "ab", count: 32)])
            #expect(other.status == .ok && other.body.string.contains("Không có phiếu nào của phiên này mang biên nhận này"))
            try await b.get(location)
            #expect(try await b.post(location + "/receipts/check", ["receipt": "abc"]).status == .unprocessableEntity)
            let viewer = try Browser(app)
            try await viewer.login("khach")
            try await viewer.get("/")
            #expect(try await viewer.post(location + "/receipts/check", ["receipt": receipt]).status == .forbidden, "a viewer does not see the session")
        }
    }

    @Test("A session's own quorum: stricter than the catalogue's is applied, lower is not, a bad one refused")
    func ownQuorum() async throws {
        try await withThiDua(demo: true) { app, _ in
            let (bloc, units) = try await ScoringServerTests.demo(app)
            let lead = try await token(app, "truongkhoi")
            func create(_ quorum: String?, _ basis: String?) async throws -> TestingHTTPResponse {
                try await api(app, .POST, "/api/v1/ballots", token: lead,
                              json: BallotService.CreateInput(body: "bloc", blocID: bloc.uuidString, year: 2018, title: "Họp khối", quorum: quorum, quorumBasis: basis))
            }
            for bad in ["75", "4/3", "0/3", "abc", "1/0"] { #expect(try await create(bad, "Quy chế").status == .unprocessableEntity, "\(bad)") }
            #expect(try await create("3/4", nil).status == .unprocessableEntity, "a quorum names its basis")
            let strict = try await create("3/4", "Quy chế hoạt động của khối, Điều 6").decoded(BallotSessionDTO.self)
            #expect(strict.quorum?.contains("3/4 tổng số thành viên (cần 7 người; Quy chế hoạt động của khối, Điều 6)") == true, "\(strict.quorum ?? "")")
            let lower = try await create("1/3", "Quy chế").decoded(BallotSessionDTO.self)
            #expect(lower.quorum?.contains("cần 6 người") == true, "the catalogue's 2/3 stands: \(lower.quorum ?? "")")
            let codes = DemoLoader.units.map(\.code)
            for c in codes.prefix(6) { #expect(try await T.present(app, strict.id, units[c]!, lead: lead).status == .ok) }
            let added = try await api(app, .POST, "/api/v1/ballots/\(strict.id)/questions", token: lead,
                                      json: BallotService.QuestionInput(title: "Bằng khen", award: "BK_TINH", candidates: [.init(name: "Sở Tư pháp tỉnh")], form: "approveEach"))
            let q = try #require(try added.decoded(BallotSessionDTO.self).questions.first)
            #expect(q.quorum?.contains("cần 7 người") == true)
            let early = try await api(app, .POST, "/api/v1/ballots/\(strict.id)/questions/\(q.id)/open", token: lead)
            #expect(early.status == .conflict && reason(early).contains("có mặt 6/9, cần ít nhất 7"), "\(early.body.string)")
            #expect(try await T.present(app, strict.id, units[codes[6]]!, lead: lead).status == .ok)
            #expect(try await api(app, .POST, "/api/v1/ballots/\(strict.id)/questions/\(q.id)/open", token: lead).status == .ok)
            let record = try await BallotEventModel.query(on: app.db).filter(\.$sessionID == strict.id).filter(\.$seq == 1).first()
            #expect(record?.data.contains("3/4 (Quy chế hoạt động của khối, Điều 6)") == true, "the session's log opens with its quorum")
        }
    }

    @Test("The demo's council votes on the bloc's proposals: candidates from the bloc's result, a written opinion counted")
    func demoCouncil() async throws {
        try await withThiDua(demo: true, demoRound: true) { app, _ in
            let member = try await token(app, "hoidong.3")
            let sessions = try await api(app, .GET, "/api/v1/ballots?year=2018", token: member).decoded([BallotViews.SessionRef].self)
            #expect(sessions.count == 2 && sessions.allSatisfy { $0.state == "closed" })
            let bloc = try #require(sessions.first { $0.body == "bloc" }), council = try #require(sessions.first { $0.body == "council" })
            let b = try await api(app, .GET, "/api/v1/ballots/\(bloc.id)", token: member).decoded(BallotSessionDTO.self)
            let c = try await api(app, .GET, "/api/v1/ballots/\(council.id)", token: member).decoded(BallotSessionDTO.self)
            #expect(c.members == DemoLoader.councilMembers && c.present == 4 && c.questions.count == 2)
            for (proposal, vote) in zip(b.questions, c.questions) {
                let elected = try #require(proposal.result).elected
                #expect(vote.candidates.map(\.name) == proposal.candidates.filter { elected.contains($0.id) }.map(\.name), "the council votes on whom the bloc elected")
                let result = try #require(vote.result)
                #expect(result.candidates.allSatisfy { $0.writtenYes == 1 } && result.elected.count == vote.candidates.count, "\(result.lines)")
            }
            #expect(try #require(c.questions[1].result).candidates[1].arithmetic.hasPrefix("4/5 = 80,0 %"), "3 ballots and 1 written opinion for, of 5 valid")
            #expect(try await api(app, .GET, "/api/v1/ballots/\(council.id)", token: try await token(app, "thutruong.congan")).status == .forbidden)
            let file = try await api(app, .GET, "/api/v1/ballots/\(council.id)/record.json", token: member)
            let record = try JSONDecoder().decode(BallotSessionRecord.self, from: Data(buffer: file.body))
            #expect(BallotVerifier.problems(record).isEmpty && record.receipts.count == 8)
            #expect(try await api(app, .GET, "/api/v1/ballots/\(council.id)/minutes.docx", token: member).status == .ok)
        }
    }
}
