import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import ThiDuaDocuments
import VaporTesting

/// A bloc's acclamation through the API: voters fixed at creation, presence and quorum, secret ballots with
/// receipts, a paper batch by the committee, a written opinion, the count and the exported record that verifies.
@Suite("Ballot sessions on the server")
struct BallotServerTests {
    struct Create: Codable, Sendable { var body: String?; var blocID: String?; var year: Int?; var title: String? }

    static func session(_ app: Application, lead: String) async throws -> (BallotSessionDTO, [String: UUID]) {
        let (bloc, units) = try await ScoringServerTests.demo(app)
        let res = try await api(app, .POST, "/api/v1/ballots", token: lead, json: Create(body: "bloc", blocID: bloc.uuidString, year: 2018, title: "Hội nghị tổng kết khối 2018"))
        #expect(res.status == .created, "\(res.body.string)")
        return (try res.decoded(BallotSessionDTO.self), units)
    }

    static func present(_ app: Application, _ s: UUID, _ unit: UUID, lead: String, _ yes: Bool = true) async throws -> TestingHTTPResponse {
        try await api(app, .POST, "/api/v1/ballots/\(s)/presence", token: lead, json: BallotService.PresenceInput(voterKey: unit.uuidString, present: yes))
    }

    static func vote(_ app: Application, _ s: UUID, _ q: UUID, _ who: String, _ marks: [String: String]) async throws -> TestingHTTPResponse {
        try await api(app, .POST, "/api/v1/ballots/\(s)/questions/\(q)/vote", token: who, json: BallotService.VoteInput(ballot: BallotInput(marks: marks)))
    }

    @Test("A bloc's acclamation end to end: quorum, one ballot each, paper, a written opinion, the count, the record")
    func acclamation() async throws {
        try await withThiDua(demo: true) { app, _ in try await Self.acclamationWalk(app) }
    }

    static func acclamationWalk(_ app: Application) async throws {
        let lead = try await token(app, "truongkhoi")
        #expect(try await api(app, .POST, "/api/v1/ballots", token: try await token(app, "canbo.congan"), json: Create(body: "bloc", year: 2018, title: "X")).status == .forbidden)
        let (s, units) = try await session(app, lead: lead)
        #expect(s.members == 9 && s.present == 0 && s.quorum?.contains("cần 6 người") == true, "\(s.quorum ?? "")")
        let sid = s.id
        let ask = BallotService.QuestionInput(title: "Suy tôn đơn vị dẫn đầu khối đề nghị Cờ thi đua của UBND tỉnh", award: "CO_TINH",
                                              candidates: [.init(name: "Thanh tra tỉnh Nghệ An", unitID: units["thanhtra"]!.uuidString),
                                                           .init(name: "Công an tỉnh Nghệ An", unitID: units["congan"]!.uuidString)],
                                              form: "approveEach", seats: 1)
        #expect(try await api(app, .POST, "/api/v1/ballots/\(sid)/questions", token: lead, json: BallotService.QuestionInput(title: "X", candidates: [])).status == .unprocessableEntity)
        let added = try await api(app, .POST, "/api/v1/ballots/\(sid)/questions", token: lead, json: ask)
        #expect(added.status == .created, "\(added.body.string)")
        let question = try #require(try added.decoded(BallotSessionDTO.self).questions.first)
        #expect(question.rule.contains("80 %") && question.cites.contains("TT 01/2019/TT-VKSTC") && question.state == "draft")
        let qid = question.id
        // No quorum yet: 5 of 9 present.
        let codes = DemoLoader.units.map(\.code)
        for c in codes.prefix(5) { #expect(try await Self.present(app, sid, units[c]!, lead: lead).status == .ok) }
        let early = try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(qid)/open", token: lead)
        #expect(early.status == .conflict && reason(early).contains("có mặt 5/9, cần ít nhất 6"), "\(early.body.string)")
        #expect(try await Self.vote(app, sid, qid, try await token(app, "thutruong.\(codes[0])"), ["c1": "yes", "c2": "no"]).status == .conflict, "not open")
        for c in codes.dropFirst(5).prefix(3) { #expect(try await Self.present(app, sid, units[c]!, lead: lead).status == .ok) }
        let absent = codes[8]
        #expect(try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(qid)/open", token: lead).status == .ok)
        #expect(try await Self.present(app, sid, units[codes[0]]!, lead: lead, false).status == .conflict, "no presence change while a question is open")

        // Seven heads vote electronically; an eighth hands in paper; the absent one sends a written opinion.
        var receipts: [String] = []
        for (i, c) in codes.prefix(7).enumerated() {
            let head = try await token(app, "thutruong.\(c)")
            let res = try await Self.vote(app, sid, qid, head, i == 6 ? ["c1": "no", "c2": "yes"] : ["c1": "yes", "c2": "no"])
            #expect(res.status == .created, "\(res.body.string)")
            receipts.append(try res.decoded(BallotController.Receipt.self).receipt)
            if i == 0 {
                let again = try await Self.vote(app, sid, qid, head, ["c1": "no", "c2": "yes"])
                #expect(again.status == .conflict && reason(again).contains("đã bỏ phiếu"))
            }
        }
        #expect(try await Self.vote(app, sid, qid, try await token(app, "canbo.\(codes[7])"), ["c1": "yes", "c2": "no"]).status == .forbidden, "an officer is not its unit's voter")
        #expect(try await Self.vote(app, sid, qid, try await token(app, "thutruong.\(absent)"), ["c1": "yes", "c2": "no"]).status == .conflict, "absent")
        #expect(try await Self.vote(app, sid, qid, try await token(app, "thutruong.\(codes[7])"), ["c1": "yes", "c9": "no"]).status == .unprocessableEntity)
        #expect(try await Self.vote(app, sid, qid, try await token(app, "thutruong.\(codes[7])"), ["c1": "yes"]).status == .unprocessableEntity)
        // While open, the session shows how many took part, never what they voted.
        let running = try await api(app, .GET, "/api/v1/ballots/\(sid)", token: try await token(app, "thutruong.\(codes[1])")).decoded(BallotSessionDTO.self)
        #expect(running.questions[0].taken == 7 && running.questions[0].result == nil && running.questions[0].participation == nil)
        #expect(running.questions[0].myVotes[units[codes[1]]!.uuidString] == true)
        let committee = ["Nguyễn Văn An", "Trần Thị Bình"]
        let badCommittee = try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(qid)/paper", token: lead,
                                         json: BallotService.PaperInput(voterKeys: [units[codes[7]]!.uuidString], ballots: [BallotInput(marks: ["c1": "yes", "c2": "no"])],
                                                                       committee: ["Nguyễn Văn An", "Thanh tra tỉnh Nghệ An"]))
        #expect(badCommittee.status == .unprocessableEntity && reason(badCommittee).contains("là ứng viên"))
        let early2 = try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(qid)/close", token: lead, json: BallotService.CloseInput(committee: committee))
        #expect(early2.status == .conflict && reason(early2).contains("Ban kiểm phiếu cần ghi chú"), "7 ballots of 8 present")
        let paper = try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(qid)/paper", token: lead,
                                  json: BallotService.PaperInput(voterKeys: [units[codes[7]]!.uuidString], ballots: [BallotInput(marks: ["c1": "yes", "c2": "no"])], committee: committee))
        #expect(paper.status == .created, "\(paper.body.string)")
        let written = try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(qid)/written", token: lead,
                                    json: BallotService.WrittenInput(voterKey: units[absent]!.uuidString, ballot: BallotInput(marks: ["c1": "yes", "c2": "no"])))
        #expect(written.status == .created, "\(written.body.string)")
        #expect(try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(qid)/close", token: lead, json: BallotService.CloseInput(committee: ["Một người"])).status == .unprocessableEntity)
        let closed = try await api(app, .POST, "/api/v1/ballots/\(sid)/questions/\(qid)/close", token: lead, json: BallotService.CloseInput(committee: committee))
        #expect(closed.status == .ok, "\(closed.body.string)")
        let result = try closed.decoded(QuestionResult.self)
        // Thanh tra: 6 electronic + 1 paper + 1 written = 8/9 = 88,9 % ≥ 80 %; Công an 1/9.
        #expect(result.elected == ["c1"] && result.counts == BallotCounts(issued: 8, received: 8, valid: 8, invalid: 0, paper: 1, written: 1))
        #expect(result.candidates[0].arithmetic == "8/9 = 88,9 % ≥ 80 % tổng số thành viên → đạt", "\(result.candidates[0].arithmetic)")
        #expect(try await Self.vote(app, sid, qid, try await token(app, "thutruong.\(codes[7])"), ["c1": "yes", "c2": "no"]).status == .conflict, "closed")
        // The vote-count minutes: the counts, the arithmetic, the rule's article, the committee.
        let docx = try await api(app, .GET, "/api/v1/ballots/\(sid)/questions/\(qid)/minutes.docx", token: try await token(app, "thutruong.\(codes[3])"))
        #expect(docx.status == .ok)
        let xml = String(decoding: try #require(try OOXMLPackage.parts(of: Data(buffer: docx.body))["word/document.xml"]), as: UTF8.self)
        for text in ["BIÊN BẢN KIỂM PHIẾU", "Số phiếu phát ra: 8; số phiếu thu về: 8; số phiếu hợp lệ: 8", "Tổng số thành viên: 9; có mặt: 8; vắng mặt: 1",
                     "8/9 = 88,9 % ≥ 80 % tổng số thành viên → đạt", "TT 01/2019/TT-VKSTC", "Trúng: Thanh tra tỉnh Nghệ An.", "Trần Thị Bình"] {
            #expect(xml.contains(XMLText.escape(text)), "\(text)")
        }
        #expect(try await api(app, .GET, "/api/v1/ballots/\(sid)/questions/\(UUID())/minutes.docx", token: lead).status == .notFound)
        #expect(try await api(app, .GET, "/api/v1/ballots/\(sid)/questions/\(qid)/minutes.docx", token: try await token(app, "khach")).status == .forbidden)

        // The record: only once the session is closed; then it verifies, and a receipt proves its ballot was counted.
        #expect(try await api(app, .GET, "/api/v1/ballots/\(sid)/record.json", token: lead).status == .conflict)
        #expect(try await api(app, .POST, "/api/v1/ballots/\(sid)/close", token: lead).status == .ok)
        let file = try await api(app, .GET, "/api/v1/ballots/\(sid)/record.json", token: try await token(app, "hoidong"))
        #expect(file.status == .ok)
        let record = try JSONDecoder().decode(BallotSessionRecord.self, from: Data(buffer: file.body))
        #expect(BallotVerifier.problems(record).isEmpty, "\(BallotVerifier.problems(record))")
        #expect(record.questions[0].ballots.count == 8 && record.receipts.count == 7 && record.auditHead != nil)
        let check = try await api(app, .POST, "/api/v1/ballots/\(sid)/receipts/check", token: try await token(app, "thutruong.\(codes[2])"),
                                  json: BallotController.ReceiptCheck(receipt: receipts[2]))
        #expect(try check.decoded(BallotController.ReceiptAnswer.self).counted)
        let forged = try await api(app, .POST, "/api/v1/ballots/\(sid)/receipts/check", token: lead, json: BallotController.ReceiptCheck(receipt: String(repeating: "0", count: 64)))
        #expect(try forged.decoded(BallotController.ReceiptAnswer.self).counted == false)

        // Secrecy: the box holds contents only; no audit entry or log event carries a ballot's content or receipt.
        let box = try await BallotBoxModel.query(on: app.db).all()
        #expect(box.count == 8)
        let voterKeys = units.values.map(\.uuidString)
        #expect(box.allSatisfy { b in !voterKeys.contains { b.content.contains($0) } }, "a ballot holds no voter")
        let audit = try await AuditEntry.query(on: app.db).all()
        for e in audit {
            let text = (e.oldValue ?? "") + (e.newValue ?? "")
            #expect(!text.contains("\"marks\"") || e.entity != "ballot_question" || e.action == "written", "\(e.action): \(text)")
            #expect(!receipts.contains { text.contains($0) || text.contains(BallotLog.receiptHash($0)) })
        }
        let events = try await BallotEventModel.query(on: app.db).filter(\.$kind == "ballot").all()
        #expect(events.count == 7 && events.allSatisfy { Set(try! JSONDecoder().decode([String: String].self, from: Data($0.data.utf8)).keys) == ["question", "receiptHash"] })
        #expect(try await BallotParticipationModel.query(on: app.db).count() == 9)
    }

    @Test("The demo's 2018 acclamation: the flag and two Bằng khen, counted, with minutes and a record that verifies")
    func demoSession() async throws {
        try await withThiDua(demo: true, demoRound: true) { app, _ in
            let lead = try await token(app, "truongkhoi")
            let sessions = try await api(app, .GET, "/api/v1/ballots?year=2018", token: try await token(app, "thutruong.congan")).decoded([BallotViews.SessionRef].self)
            let ref = try #require(sessions.first)
            #expect(sessions.count == 1 && ref.state == "closed")
            let s = try await api(app, .GET, "/api/v1/ballots/\(ref.id)", token: lead).decoded(BallotSessionDTO.self)
            #expect(s.present == 9 && s.questions.count == 2 && s.questions.allSatisfy { $0.state == "closed" && $0.minutesURL != nil })
            let flag = try #require(s.questions[0].result), praise = try #require(s.questions[1].result)
            #expect(flag.elected.count == 1 && flag.candidates[0].arithmetic == "8/9 = 88,9 % ≥ 80 % tổng số thành viên → đạt")
            #expect(praise.elected == ["c1", "c2"] && praise.candidates[2].passed == false)
            let file = try await api(app, .GET, "/api/v1/ballots/\(ref.id)/record.json", token: lead)
            let record = try JSONDecoder().decode(BallotSessionRecord.self, from: Data(buffer: file.body))
            #expect(BallotVerifier.problems(record).isEmpty && record.receipts.count == 18)
            #expect(try await api(app, .GET, "/api/v1/ballots/\(ref.id)/questions/\(s.questions[1].id)/minutes.docx", token: lead).status == .ok)
            let meeting = try await api(app, .GET, "/api/v1/ballots/\(ref.id)/minutes.docx", token: lead)
            let xml = String(decoding: try #require(try OOXMLPackage.parts(of: Data(buffer: meeting.body))["word/document.xml"]), as: UTF8.self)
            #expect(xml.contains("BIÊN BẢN") && xml.contains("Có mặt 9/9") && xml.contains("Bình xét hai đơn vị") && xml.contains("Kết quả: "))
        }
    }

    /// Every row of every table, as JSON with sorted keys (each model is `Codable` through its fields).
    static func rows<M: Model>(_ type: M.Type, on db: any Database) async throws -> [String] {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return try await M.query(on: db).all().map { String(decoding: try e.encode($0), as: UTF8.self) }
    }

    @Test("Secrecy: after a vote, no table links a ballot to its voter")
    func secrecy() async throws {
        try await withThiDua(demo: true, demoRound: true) { app, _ in
            let box = try await BallotBoxModel.query(on: app.db).all()
            #expect(box.count == 18 + 8, "the bloc's 18 ballots and the council's 8")
            let ballotIDs = box.compactMap { $0.id?.uuidString }
            let voters = try await BallotVoterModel.query(on: app.db).all()
            let users = try await User.query(on: app.db).all().compactMap { $0.id?.uuidString }
            let identities = Set(voters.map(\.voterKey.uuidString) + voters.compactMap { $0.id?.uuidString } + users).map { $0.lowercased() }
            for type in ThiDuaModels.all {
                for row in try await Self.rows(type, on: app.db) {
                    let text = row.lowercased()
                    if type == BallotBoxModel.self {
                        #expect(!identities.contains { text.contains($0) }, "a ballot names a voter or a user: \\(row)")
                        #expect(!text.contains("date") && !text.contains("_at"), "a ballot carries a time: \\(row)")
                    } else {
                        #expect(!ballotIDs.contains { text.contains($0.lowercased()) }, "\\(type) refers to a ballot: \\(row)")
                    }
                }
            }
        }
    }

    @Test("The pages: a show of hands with an absent member's written opinion, recorded and counted through the forms")
    func pagesShowOfHands() async throws {
        try await withThiDua(demo: true) { app, _ in try await Self.showOfHands(app) }
    }

    static func showOfHands(_ app: Application) async throws {
        let (bloc, units) = try await ScoringServerTests.demo(app)
        let b = try Browser(app)
        try await b.login("truongkhoi")
        try await b.get("/ballots?year=2018")
        let made = try await b.post("/ballots", ["target": bloc.uuidString, "year": "2018", "title": "Họp khối biểu quyết công khai"])
        #expect(made.status == .seeOther, "\(made.body.string)")
        let location = try #require(made.headers.first(name: .location))
        let codes = DemoLoader.units.map(\.code)
        for c in codes.dropLast() {
            try await b.get(location)
            #expect(try await b.post(location + "/presence", ["voterKey": units[c]!.uuidString, "present": "1"]).status == .seeOther)
        }
        try await b.get(location)
        let added = try await b.post(location + "/questions", ["title": "Đề nghị tặng Bằng khen", "award": "BK_TINH", "candidates": "Cục Thi hành án dân sự tỉnh Nghệ An\r\nTòa án nhân dân tỉnh Nghệ An",
                                                             "form": "approveEach", "open": "1"])
        #expect(added.status == .seeOther, "\(added.body.string)")
        let page = try await b.get(location)
        #expect(page.body.string.contains("biểu quyết công khai") && page.body.string.contains("open-1"))
        let sid = try #require(UUID(uuidString: String(location.split(separator: "/").last ?? "")))
        let s = try await api(app, .GET, "/api/v1/ballots/\(sid)", token: try await token(app, "truongkhoi")).decoded(BallotSessionDTO.self)
        let q = try #require(s.questions.first)
        #expect(!q.secret && q.candidates.map(\.unitID) == [units["thads"], units["tand"]], "member units recognised by name")
        #expect(try await b.post(location + "/questions/\(q.id)/open", [:]).status == .seeOther)
        let open = try await b.get(location)
        #expect(open.body.string.contains("written-1") && !open.body.string.contains("vote-1"), "the written opinion form; no ballot for a show of hands")
        // The absent member (the last unit) sends its opinion in writing.
        #expect(try await b.post(location + "/questions/\(q.id)/written", ["voterKey": units[codes.last!]!.uuidString, "mark.c1": "yes", "mark.c2": "no"]).status == .seeOther)
        try await b.get(location)
        let bad = try await b.post(location + "/questions/\(q.id)/close", ["yes.1": "9", "no.1": "0", "yes.2": "3", "no.2": "5"])
        #expect(bad.status == .unprocessableEntity, "9 hands of 8 present")
        try await b.get(location)
        #expect(try await b.post(location + "/questions/\(q.id)/close", ["yes.1": "7", "no.1": "1", "yes.2": "3", "no.2": "5"]).status == .seeOther)
        let done = try await b.get(location)
        // 7 hands + 1 written = 8 of 9 (more than half); 3 of 9 fails.
        #expect(done.body.string.contains("8/9 = 88,9 %") && done.body.string.contains("Trúng: Cục Thi hành án dân sự tỉnh Nghệ An."), "\(done.body.string.suffix(3000))")
    }

    @Test("Fifty ballots from one voter at once: exactly one in the box; the box is rewritten on every ballot")
    func oneBallotEach() async throws {
        try await withThiDua(demo: true) { app, _ in
            let lead = try await token(app, "truongkhoi")
            let (s, units) = try await Self.session(app, lead: lead)
            let codes = DemoLoader.units.map(\.code)
            for c in codes { _ = try await Self.present(app, s.id, units[c]!, lead: lead) }
            let added = try await api(app, .POST, "/api/v1/ballots/\(s.id)/questions", token: lead,
                                      json: BallotService.QuestionInput(title: "Bằng khen", award: "BK_TINH", candidates: [.init(name: "Cục Thi hành án dân sự tỉnh")], form: "approveEach"))
            let qid = try #require(try added.decoded(BallotSessionDTO.self).questions.first?.id)
            #expect(try await api(app, .POST, "/api/v1/ballots/\(s.id)/questions/\(qid)/open", token: lead).status == .ok)
            let head = try await token(app, "thutruong.\(codes[0])")
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<50 { group.addTask { try await Self.vote(app, s.id, qid, head, ["c1": i % 2 == 0 ? "yes" : "no"]).status } }
                var out: [HTTPStatus] = []
                for try await s in group { out.append(s) }
                return out
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .conflict }.count == 49, "\(statuses)")
            let boxed = try await BallotBoxModel.query(on: app.db).count(), took = try await BallotParticipationModel.query(on: app.db).count()
            #expect(boxed == 1 && took == 1)
            let before = Set(try await BallotBoxModel.query(on: app.db).all().compactMap(\.id))
            #expect(try await Self.vote(app, s.id, qid, try await token(app, "thutruong.\(codes[1])"), ["c1": "yes"]).status == .created)
            let after = Set(try await BallotBoxModel.query(on: app.db).all().compactMap(\.id))
            #expect(after.count == 2 && after.isDisjoint(with: before), "every ballot gets a fresh id on each rewrite")
        }
    }
}
