import Fluent
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import ThiDuaDocuments
import VaporTesting

/// A year-end round of the demo bloc through the API: setting up, self-assessment with its checks, locking and
/// reopening, cross-scoring with a conflict and a disagreement, the leader's third scoring, phase changes, and who
/// sees what at each phase.
@Suite("Scoring rounds on the server")
struct ScoringServerTests {
    struct Create: Codable, Sendable { var year: Int?; var kind: String? }
    struct Lock: Codable, Sendable { var lockVersion: Int? }
    struct Reason: Codable, Sendable { var reason: String? }
    struct Conflict: Codable, Sendable { var scorerUnitID: UUID; var unitID: UUID; var reason: String }

    /// The demo's nine units by code, and the bloc.
    static func demo(_ app: Application) async throws -> (bloc: UUID, units: [String: UUID]) {
        let t = try await token(app, "khach")
        let c = try #require(try await api(app, .GET, "/api/v1/covenants?year=2018", token: t).decoded([CovenantController.CovenantDTO].self).first)
        var units: [String: UUID] = [:]
        for u in DemoLoader.units {
            units[u.code] = try #require(c.signatures.first { $0.unitName == u.officialName }?.unitID)
        }
        return (c.blocID, units)
    }

    /// A unit's full self-assessment: every applicable criterion, varying with its place `i`.
    static func selfMarks(_ i: Int, border: Bool) -> [MarkInput] {
        var m = [MarkInput(criterion: "A1", target: 100, actual: Double(90 + i)),
                 MarkInput(criterion: "A2", points: 6 + Double(i) * 0.5, comment: "Báo cáo số \(i)"),
                 MarkInput(criterion: "B1", points: 7), MarkInput(criterion: "B2", done: true), MarkInput(criterion: "C1", done: true),
                 MarkInput(criterion: "C2", points: 8), MarkInput(criterion: "D1", points: 4), MarkInput(criterion: "D2", points: 8),
                 MarkInput(criterion: "E", events: i % 3), MarkInput(criterion: "F", events: i == 4 ? 1 : 0)]
        if border { m.append(MarkInput(criterion: "A3", points: 8)) }
        return m
    }

    /// A peer's opinion of the unit at place `t`.
    static func peerMarks(_ t: Int, border: Bool, b1: Double = 7) -> [MarkInput] {
        var m = [MarkInput(criterion: "A2", points: 6 + Double(t) * 0.5), MarkInput(criterion: "B1", points: b1), MarkInput(criterion: "B2", done: true),
                 MarkInput(criterion: "C1", done: t != 7), MarkInput(criterion: "C2", points: 8), MarkInput(criterion: "D1", points: 4),
                 MarkInput(criterion: "D2", points: 8 + Double(t % 2))]
        if border { m.append(MarkInput(criterion: "A3", points: 8)) }
        return m
    }

    /// 20/11/2018, 9:00 in Vinh: self-assessment is due on 30/11, cross-scoring on 10/12 (the demo's deadlines).
    static func november2018() -> ManualClock { ManualClock(ISO8601DateFormatter().date(from: "2018-11-20T02:00:00Z")!) }

    @Test("A year-end round end to end through the API: checks, locking, conflicts, third scoring, phases and visibility")
    func roundThroughAPI() async throws {
        let clock = Self.november2018()
        try await withThiDua(clock: clock, demo: true) { app, _ in try await Self.walk(app, clock) }
    }

    static func walk(_ app: Application, _ clock: ManualClock) async throws {
        do {
            let (bloc, units) = try await Self.demo(app)
            let codes = DemoLoader.units.map(\.code)
            let border: Set<String> = ["bchqs", "bdbp"]
            let lead = try await token(app, "truongkhoi")
            var officer: [String: String] = [:]
            for c in codes { officer[c] = try await token(app, "canbo.\(c)") }

            // Only the leads create a round, once per kind and year, from the signed covenant.
            #expect(try await api(app, .POST, "/api/v1/blocs/\(bloc)/rounds", token: officer["congan"], json: Create(year: 2018, kind: "yearEnd")).status == .forbidden)
            #expect(try await api(app, .POST, "/api/v1/blocs/\(bloc)/rounds", token: lead, json: Create(year: 2018, kind: "yearly")).status == .unprocessableEntity)
            let created = try await api(app, .POST, "/api/v1/blocs/\(bloc)/rounds", token: lead, json: Create(year: 2018, kind: "yearEnd"))
            #expect(created.status == .created, "\(created.body.string)")
            var round = try created.decoded(RoundDTO.self)
            #expect(round.phase == "setup" && round.members.count == 9 && round.settings.plan == "everyone")
            #expect(try await api(app, .POST, "/api/v1/blocs/\(bloc)/rounds", token: lead, json: Create(year: 2018, kind: "yearEnd")).status == .conflict)
            let r = round.id

            // Settings: checked, locked optimistically.
            func settings(_ s: RoundSettingsInput, lock: Int) async throws -> TestingHTTPResponse {
                try await api(app, .PUT, "/api/v1/rounds/\(r)/settings", token: lead, json: ScoringService.SettingsInput(lockVersion: lock, settings: s))
            }
            #expect(try await settings(.init(plan: "rotation", k: 9), lock: round.lockVersion).status == .unprocessableEntity)
            #expect(try await settings(.init(tieBreaks: ["group:ZZ"]), lock: round.lockVersion).status == .unprocessableEntity)
            #expect(try await settings(.init(method: "leaderReview", aggregator: "mean"), lock: round.lockVersion).status == .unprocessableEntity)
            #expect(try await settings(.init(disagreementGap: 3), lock: round.lockVersion + 1).status == .conflict)
            let saved = try await settings(.init(disagreementGap: 3, tieBreaks: ["criteriaAtMaximum", "group:A", "fewerPenaltyPoints"]), lock: round.lockVersion)
            #expect(saved.status == .ok, "\(saved.body.string)")
            round = try saved.decoded(RoundDTO.self)
            #expect(round.settings.disagreementGap == 3)

            func sheet(_ unit: String, _ scorer: String, _ marks: [MarkInput], lock: Int, as who: String?) async throws -> TestingHTTPResponse {
                try await api(app, .PUT, "/api/v1/rounds/\(r)/units/\(units[unit]!)/sheets/\(scorer)", token: who, json: ScoringService.SheetInput(lockVersion: lock, marks: marks))
            }
            func read(_ unit: String, _ scorer: String, as who: String?) async throws -> TestingHTTPResponse {
                try await api(app, .GET, "/api/v1/rounds/\(r)/units/\(units[unit]!)/sheets/\(scorer)", token: who)
            }
            // Nothing is scored before the round opens.
            #expect(try await sheet("congan", "self", Self.selfMarks(2, border: false), lock: 0, as: officer["congan"]).status == .conflict)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/actions/open", token: lead).status == .ok)
            #expect(try await settings(.init(disagreementGap: 5), lock: round.lockVersion + 1).status == .conflict)

            // Self-assessment: bad values refused with a reason, nothing stored.
            let bad: [(MarkInput, String)] = [
                (MarkInput(criterion: "A2", points: 11), "điểm phải từ 0 đến 10"),
                (MarkInput(criterion: "A2", points: -1), "điểm phải từ 0 đến 10"),
                (MarkInput(criterion: "A2", points: 8.555), "2 chữ số thập phân"),
                (MarkInput(criterion: "A1", target: 0, actual: 5), "chỉ tiêu phải lớn hơn 0"),
                (MarkInput(criterion: "A3", points: 5), "không thuộc phiếu chấm"),
                (MarkInput(criterion: "ZZ", points: 5), "không thuộc phiếu chấm"),
                (MarkInput(criterion: "E", events: 10_001), "số sự việc"),
            ]
            for (m, why) in bad {
                let res = try await sheet("congan", "self", [m], lock: 0, as: officer["congan"])
                #expect(res.status == .unprocessableEntity && reason(res).contains(why), "\(m): \(res.body.string)")
            }
            let nan = try await apiRaw(app, .PUT, "/api/v1/rounds/\(r)/units/\(units["congan"]!)/sheets/self", token: officer["congan"],
                                       body: #"{"lockVersion":0,"marks":[{"criterion":"A2","points":1e400}]}"#)
            #expect(nan.status.code >= 400 && nan.status.code < 500)
            #expect(try await count(ScoreSheetModel.self, app) == 0)
            // Another unit's officer cannot write or read a unit's self-assessment; the unit's own can.
            #expect(try await sheet("congan", "self", Self.selfMarks(2, border: false), lock: 0, as: officer["vksnd"]).status == .forbidden)

            // A partial sheet cannot be submitted; a stale save is refused and loses nothing.
            var res = try await sheet("congan", "self", Array(Self.selfMarks(2, border: false).prefix(3)), lock: 0, as: officer["congan"])
            #expect(res.status == .ok, "\(res.body.string)")
            var s = try res.decoded(SheetDTO.self)
            #expect(s.missing.count == 7 && s.rows.contains { $0.code == "A" && $0.isGroup } && !s.rows.contains { $0.code == "A3" })
            res = try await api(app, .POST, "/api/v1/rounds/\(r)/units/\(units["congan"]!)/submit", token: officer["congan"], json: Lock(lockVersion: s.lockVersion))
            #expect(res.status == .conflict && reason(res).contains("Còn 7 tiêu chí"))
            #expect(try await sheet("congan", "self", Self.selfMarks(2, border: false), lock: s.lockVersion - 1, as: officer["congan"]).status == .conflict)
            #expect(try await read("congan", "self", as: officer["congan"]).decoded(SheetDTO.self).missing.count == 7)
            #expect(try await read("congan", "self", as: officer["vksnd"]).status == .forbidden)

            // Every unit completes and submits.
            for (i, c) in codes.enumerated() {
                let current = try await read(c, "self", as: officer[c]).decoded(SheetDTO.self)
                res = try await sheet(c, "self", Self.selfMarks(i, border: border.contains(c)), lock: current.lockVersion, as: officer[c])
                #expect(res.status == .ok, "\(c): \(res.body.string)")
                s = try res.decoded(SheetDTO.self)
                #expect(s.missing.isEmpty, "\(c): \(s.missing)")
                if c == "thads" {
                    // The last one waits: review cannot start before every unit has submitted.
                    #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/actions/startReview", token: lead).status == .conflict)
                }
                res = try await api(app, .POST, "/api/v1/rounds/\(r)/units/\(units[c]!)/submit", token: officer[c], json: Lock(lockVersion: s.lockVersion))
                #expect(res.status == .ok, "\(c): \(res.body.string)")
            }
            // Submitted scores are locked; the leader reopens with a reason, and the unit submits again.
            s = try await read("tand", "self", as: officer["tand"]).decoded(SheetDTO.self)
            #expect(s.submitted && !s.editable)
            #expect(try await sheet("tand", "self", Self.selfMarks(4, border: false), lock: s.lockVersion, as: officer["tand"]).status == .conflict)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/units/\(units["tand"]!)/reopen", token: lead, json: Reason(reason: " ")).status == .unprocessableEntity)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/units/\(units["tand"]!)/reopen", token: officer["tand"], json: Reason(reason: "Sửa")).status == .forbidden)
            res = try await api(app, .POST, "/api/v1/rounds/\(r)/units/\(units["tand"]!)/reopen", token: lead, json: Reason(reason: "Đơn vị báo nhập nhầm tiêu chí F"))
            #expect(res.status == .ok)
            s = try res.decoded(SheetDTO.self)
            #expect(!s.submitted && s.reopenReason == "Đơn vị báo nhập nhầm tiêu chí F")
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/actions/startReview", token: lead).status == .conflict)
            // After the deadline (30/11) a self-assessment is closed, unless the office reopens the phase for the unit.
            clock.advance(by: 11 * 86_400)
            let late = try await sheet("tand", "self", Self.selfMarks(4, border: false), lock: s.lockVersion, as: officer["tand"])
            #expect(late.status == .conflict && reason(late).contains("Đã hết hạn"), "\(late.body.string)")
            // The round's schedule tells the lead what the passed date leaves owed; a member sees only that it passed.
            let overdue = try await api(app, .GET, "/api/v1/rounds/\(r)", token: lead).decoded(RoundDTO.self).schedule
            #expect(overdue.map(\.state) == ["done", "current", "upcoming", "upcoming", "upcoming", "upcoming"] && overdue[1].due == "30/11/2018")
            #expect(overdue[1].late && overdue[1].note?.contains("còn 1 đơn vị chưa nộp") == true, "\(overdue[1])")
            let seen = try await api(app, .GET, "/api/v1/rounds/\(r)", token: officer["congan"]).decoded(RoundDTO.self).schedule
            #expect(seen[1].note == "Đã quá hạn 30/11/2018." && !seen[2].late)
            let office = try await token(app, "vanphong")
            let reopened = try await api(app, .POST, "/api/v1/years/2018/deadlines/selfAssessment/reopen", token: office,
                                         json: DeadlineService.ReopenInput(unitID: units["tand"]!.uuidString, until: "2018-12-03", reason: "Đơn vị sửa tiêu chí F"))
            #expect(reopened.status == .ok, "\(reopened.body.string)")
            res = try await sheet("tand", "self", Self.selfMarks(4, border: false).map { $0.criterion == "F" ? MarkInput(criterion: "F", events: 0) : $0 }, lock: s.lockVersion, as: officer["tand"])
            s = try res.decoded(SheetDTO.self)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/units/\(units["tand"]!)/submit", token: officer["tand"], json: Lock(lockVersion: s.lockVersion)).status == .ok)

            // Peers cannot score before the review, nor a unit itself, nor a unit they are not assigned.
            #expect(try await sheet("vksnd", units["congan"]!.uuidString, Self.peerMarks(3, border: false), lock: 0, as: officer["congan"]).status == .conflict)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/actions/startReview", token: lead).status == .ok)
            res = try await sheet("congan", units["congan"]!.uuidString, Self.peerMarks(2, border: false), lock: 0, as: officer["congan"])
            #expect(res.status == .unprocessableEntity && reason(res).contains("không chấm điểm chính mình"))
            #expect(try await sheet("vksnd", units["tand"]!.uuidString, Self.peerMarks(3, border: false), lock: 0, as: officer["congan"]).status == .forbidden)
            // Peers give opinions, not facts.
            #expect(try await sheet("vksnd", units["congan"]!.uuidString, [MarkInput(criterion: "A1", target: 1, actual: 1)], lock: 0, as: officer["congan"]).status == .unprocessableEntity)

            // A conflict of interest: TAND will not score VKSND; its marks there are refused and it owes none.
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/conflicts", token: officer["tand"],
                                  json: Conflict(scorerUnitID: units["tand"]!, unitID: units["vksnd"]!, reason: "")).status == .unprocessableEntity)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/conflicts", token: officer["congan"],
                                  json: Conflict(scorerUnitID: units["tand"]!, unitID: units["vksnd"]!, reason: "Thử")).status == .forbidden)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/conflicts", token: officer["tand"],
                                  json: Conflict(scorerUnitID: units["tand"]!, unitID: units["vksnd"]!, reason: "Hai ngành phối hợp trong cùng các vụ án")).status == .created)
            #expect(try await sheet("vksnd", units["tand"]!.uuidString, Self.peerMarks(3, border: false), lock: 0, as: officer["tand"]).status == .conflict)

            // Every other peer scores every other unit; Công an gives Thanh tra 1 point on B1 where the others give 7.
            for (ti, target) in codes.enumerated() {
                for scorer in codes where scorer != target && !(scorer == "tand" && target == "vksnd") {
                    let b1: Double = scorer == "congan" && target == "thanhtra" ? 1 : 7
                    res = try await sheet(target, units[scorer]!.uuidString, Self.peerMarks(ti, border: border.contains(target), b1: b1), lock: 0, as: officer[scorer])
                    #expect(res.status == .ok, "\(scorer) → \(target): \(res.body.string)")
                }
            }
            // A conflict declared after scoring: Sở Tư pháp's marks for Cục THADS no longer count.
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/conflicts", token: officer["sotuphap"],
                                  json: Conflict(scorerUnitID: units["sotuphap"]!, unitID: units["thads"]!, reason: "Cùng ngành Tư pháp")).status == .created)
            // Before the results, a scorer reads only its own sheets, and no totals.
            #expect(try await read("thanhtra", units["congan"]!.uuidString, as: officer["congan"]).status == .ok)
            #expect(try await read("thanhtra", units["vksnd"]!.uuidString, as: officer["congan"]).status == .forbidden)
            #expect(try await read("thanhtra", "leader", as: officer["thanhtra"]).status == .forbidden)
            #expect(try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: officer["congan"]).status == .forbidden)
            let mine = try await api(app, .GET, "/api/v1/rounds/\(r)", token: officer["congan"]).decoded(RoundDTO.self)
            #expect(mine.assignments == nil && mine.work.count == 9 && !mine.resultsVisible)
            #expect(mine.conflicts.isEmpty, "a unit does not see the conflicts other units declared")

            // The disagreement waits for the leader's third scoring.
            res = try await api(app, .POST, "/api/v1/rounds/\(r)/actions/showPreliminary", token: lead)
            #expect(res.status == .conflict && reason(res).contains("chấm lần ba"), "\(res.body.string)")
            var results = try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: lead).decoded(ResultsDTO.self)
            #expect(results.provisional)
            let thanhtra = try #require(results.units.first { $0.unitID == units["thanhtra"] })
            #expect(thanhtra.criteria.first { $0.code == "B1" }?.status == "awaitingThirdScoring")
            #expect(try await sheet("vksnd", "third", [MarkInput(criterion: "B1", points: 7)], lock: 0, as: lead).status == .conflict, "nothing awaits for VKSND")
            res = try await sheet("thanhtra", "third", [MarkInput(criterion: "B1", points: 6.5)], lock: 0, as: lead)
            #expect(res.status == .ok, "\(res.body.string)")
            #expect(try await sheet("thanhtra", "third", [MarkInput(criterion: "B1", points: 6.5)], lock: 0, as: officer["congan"]).status == .forbidden)
            // The leader reviews the facts (with cross-scoring and review): Sở Tư pháp's A1 is corrected.
            res = try await sheet("sotuphap", "leader", [MarkInput(criterion: "A1", target: 100, actual: 80)], lock: 0, as: lead)
            #expect(res.status == .ok, "\(res.body.string)")
            #expect(try await sheet("sotuphap", "leader", [MarkInput(criterion: "B1", points: 5)], lock: 0, as: lead).status == .unprocessableEntity,
                    "with peers scoring, the leader's review covers the facts only")

            res = try await api(app, .POST, "/api/v1/rounds/\(r)/actions/showPreliminary", token: lead)
            #expect(res.status == .ok, "\(res.body.string)")
            // Scoring is closed now.
            #expect(try await sheet("congan", units["vksnd"]!.uuidString, Self.peerMarks(2, border: false), lock: 1, as: officer["vksnd"]).status == .conflict)

            results = try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: lead).decoded(ResultsDTO.self)
            #expect(!results.provisional && results.ranking.count == 9 && results.units.count == 9)
            #expect(Set(results.ranking.map(\.unitID)) == Set(units.values))
            let b1 = try #require(results.units.first { $0.unitID == units["thanhtra"] }?.criteria.first { $0.code == "B1" })
            #expect(b1.final == 6.5 && b1.explanation.contains("chấm lần ba 6,5"))
            let vksnd = try #require(results.units.first { $0.unitID == units["vksnd"] })
            #expect(vksnd.criteria.first { $0.code == "A2" }?.used.count == 7, "eight peers but TAND, which declared a conflict before scoring")
            let thads = try #require(results.units.first { $0.unitID == units["thads"] })
            #expect(thads.criteria.first { $0.code == "A2" }?.leftOut.contains { $0.contains("Sở Tư pháp") && $0.contains("xung đột lợi ích") } == true,
                    "a conflict declared after scoring leaves the marks out, and says so to the lead")
            #expect(thads.criteria.first { $0.code == "A2" }?.used.count == 7)
            let stp = try #require(results.units.first { $0.unitID == units["sotuphap"] })
            #expect(stp.criteria.first { $0.code == "A1" }?.final == 24, "the leader's 80/100 × 30, not the unit's own")
            #expect(results.diagnostics?.count == 9)
            // A member sees the ranking and its own detail only, without the scorers' names.
            let own = try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: officer["vksnd"]).decoded(ResultsDTO.self)
            #expect(own.ranking.count == 9 && own.units.map(\.unitID) == [units["vksnd"]!] && own.diagnostics == nil)
            #expect(own.units[0].criteria.allSatisfy { c in (c.used + c.leftOut).allSatisfy { !$0.contains("Công an") && !$0.contains("Tòa án") && !$0.contains("Hai ngành") } })
            #expect(try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: try await token(app, "khach")).status == .forbidden)

            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/actions/publish", token: lead).status == .conflict)
            struct Appeal: Codable, Sendable { var criterion: String?; var ground: String?; var reason: String? }
            func appeal(_ unit: String, _ a: Appeal, as who: String? = nil) async throws -> TestingHTTPResponse {
                try await api(app, .POST, "/api/v1/rounds/\(r)/units/\(units[unit]!)/appeals", token: who ?? officer[unit], json: a)
            }
            #expect(try await appeal("vksnd", Appeal(criterion: "A2", ground: "miscount", reason: "Sớm quá")).status == .conflict, "appeals are not open yet")
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/actions/openAppeals", token: lead).status == .ok)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/actions/openAppeals", token: lead).status == .conflict)
            // Appeals: on an objective ground, about an applicable criterion, by the unit's own officer, once per criterion.
            #expect(try await appeal("vksnd", Appeal(criterion: "A2", ground: "unfair", reason: "Điểm thấp")).status == .unprocessableEntity)
            #expect(try await appeal("vksnd", Appeal(criterion: "A3", ground: "miscount", reason: "x")).status == .unprocessableEntity)
            #expect(try await appeal("vksnd", Appeal(criterion: "A2", ground: "miscount", reason: "  ")).status == .unprocessableEntity)
            #expect(try await appeal("vksnd", Appeal(criterion: "A2", ground: "miscount", reason: "x"), as: officer["congan"]).status == .forbidden)
            res = try await appeal("vksnd", Appeal(criterion: "A2", ground: "missingEvidence", reason: "Văn bản tham mưu số 12 chưa được tính"))
            #expect(res.status == .created, "\(res.body.string)")
            #expect(try await appeal("vksnd", Appeal(criterion: "A2", ground: "miscount", reason: "Lần hai")).status == .conflict)
            #expect(try await appeal("tand", Appeal(criterion: "C2", ground: "miscount", reason: "Đề nghị xem lại")).status == .created)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/actions/publish", token: lead).status == .conflict, "two appeals unanswered")
            var withAppeals = try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: lead).decoded(ResultsDTO.self)
            #expect(withAppeals.appeals.count == 2 && withAppeals.appeals.allSatisfy { $0.answerURL != nil })
            #expect(try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: officer["vksnd"]).decoded(ResultsDTO.self).appeals.map(\.criterion) == ["A2"])
            let vksndAppeal = try #require(withAppeals.appeals.first { $0.unitID == units["vksnd"] })
            let tandAppeal = try #require(withAppeals.appeals.first { $0.unitID == units["tand"] })
            #expect(vksndAppeal.scoreBefore == "7,5", "the peers' mean when the appeal was filed")
            struct Answer: Codable, Sendable { var decision: String?; var points: Double?; var answer: String? }
            func answer(_ id: UUID, _ a: Answer, as who: String? = nil) async throws -> TestingHTTPResponse {
                try await api(app, .POST, "/api/v1/rounds/\(r)/appeals/\(id)/answer", token: who ?? lead, json: a)
            }
            #expect(try await answer(vksndAppeal.id, Answer(decision: "changed", points: 11, answer: "Đủ căn cứ")).status == .unprocessableEntity)
            #expect(try await answer(vksndAppeal.id, Answer(decision: "changed", points: 8.5, answer: "")).status == .unprocessableEntity)
            #expect(try await answer(vksndAppeal.id, Answer(decision: "changed", points: 8.5, answer: "Đủ"), as: officer["vksnd"]).status == .forbidden)
            res = try await answer(vksndAppeal.id, Answer(decision: "changed", points: 8.5, answer: "Văn bản số 12 đủ điều kiện; cộng điểm"))
            #expect(res.status == .ok, "\(res.body.string)")
            #expect(try await answer(vksndAppeal.id, Answer(decision: "rejected", answer: "Lần hai")).status == .conflict)
            #expect(try await answer(tandAppeal.id, Answer(decision: "rejected", answer: "Điểm chấm chéo là ý kiến của các đơn vị, không phải sai sót")).status == .ok)
            withAppeals = try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: lead).decoded(ResultsDTO.self)
            let a2 = try #require(withAppeals.units.first { $0.unitID == units["vksnd"] }?.criteria.first { $0.code == "A2" })
            #expect(a2.final == 8.5 && a2.explanation.contains("Sau giải quyết khiếu nại: 8,5 (trước đó 7,5)"), "\(a2.explanation)")
            #expect(withAppeals.units.first { $0.unitID == units["tand"] }?.criteria.first { $0.code == "C2" }?.final == 8)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/actions/publish", token: officer["congan"]).status == .forbidden)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(r)/actions/publish", token: lead).status == .ok)
            #expect(try await appeal("thads", Appeal(criterion: "A2", ground: "miscount", reason: "Muộn")).status == .conflict)

            // Published: frozen with its digest and the audit chain's head; a correction is a new revision saying what changed.
            var published = try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: lead).decoded(ResultsDTO.self)
            let first = try #require(published.publication)
            #expect(first.revision == 1 && first.intact && first.auditAnchor != nil && first.revisions.count == 1)
            struct Correction: Codable, Sendable { var unitID: UUID?; var criterion: String?; var decision: String?; var points: Double?; var reason: String? }
            func correct(_ c: Correction, as who: String? = nil) async throws -> TestingHTTPResponse {
                try await api(app, .POST, "/api/v1/rounds/\(r)/corrections", token: who ?? lead, json: c)
            }
            #expect(try await correct(Correction(unitID: units["thanhtra"], criterion: "B1", decision: "changed", points: 7, reason: "Sửa"), as: officer["thanhtra"]).status == .forbidden)
            #expect(try await correct(Correction(unitID: units["thanhtra"], criterion: "B1", decision: "rejected", points: 7, reason: "Sửa")).status == .unprocessableEntity)
            #expect(try await correct(Correction(unitID: units["thanhtra"], criterion: "B1", decision: "changed", points: 6.5, reason: "Không đổi")).status == .conflict,
                    "a correction that changes nothing makes no revision")
            res = try await correct(Correction(unitID: units["thanhtra"], criterion: "B1", decision: "changed", points: 7,
                                               reason: "Quyết định số 15/QĐ-KTĐ: sửa điểm tiêu chí B1 sau kiểm tra lại hồ sơ"))
            #expect(res.status == .created, "\(res.body.string)")
            published = try res.decoded(ResultsDTO.self)
            let second = try #require(published.publication)
            #expect(second.revision == 2 && second.intact && second.digest != first.digest)
            #expect(second.revisions.last?.changes.contains { $0.contains("Thanh tra tỉnh Nghệ An") && $0.contains("B1 6,5 → 7") } == true, "\(second.revisions)")
            #expect(try await count(ScoringResultModel.self, app) == 2)
            // Marks changed behind the server's back: the published revision is still shown, and the mismatch said loudly.
            let peerSheet = try #require(try await ScoreSheetModel.query(on: app.db).filter(\.$unitID == units["congan"]!).filter(\.$scorer == "peer:\(units["vksnd"]!.uuidString)").first())
            let anyMark = try #require(try await ScoreMarkModel.query(on: app.db).filter(\.$sheetID == peerSheet.requireID()).filter(\.$criterion == "A2").first())
            anyMark.points = 0
            try await anyMark.save(on: app.db)
            let tampered = try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: lead).decoded(ResultsDTO.self)
            #expect(tampered.publication?.intact == false && tampered.ranking.map(\.totalText) == published.ranking.map(\.totalText))
            // Published: everyone signed in reads the ranking; the council also the detail.
            let pub = try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: try await token(app, "khach")).decoded(ResultsDTO.self)
            #expect(pub.ranking.count == 9 && pub.units.isEmpty)
            #expect(try await api(app, .GET, "/api/v1/rounds/\(r)/results", token: try await token(app, "hoidong")).decoded(ResultsDTO.self).units.count == 9)

            // Every change is in the audit log.
            let audit = try await AuditEntry.query(on: app.db).filter(\.$entity == "scoring_round").all().map(\.action)
            #expect(Set(audit).isSuperset(of: ["create", "settings", "open", "startReview", "showPreliminary", "openAppeals", "publish", "correct"]))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "scoring_appeal").count() == 4)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "score_sheet").filter(\.$action == "reopen").count() == 1)
        }
    }

    @Test("The pages: a lead creates a round, a unit's officer fills its sheet in Vietnamese numbers and submits; links only for those who may open them")
    func pages() async throws {
        try await withThiDua(clock: Self.november2018(), demo: true) { app, _ in
            let (bloc, units) = try await Self.demo(app)
            let lead = try Browser(app)
            try await lead.login("truongkhoi")
            let blocPage = try await lead.get("/blocs/\(bloc)?year=2018")
            #expect(blocPage.body.string.contains("id=\"rounds-link\""))
            let list = try await lead.get("/blocs/\(bloc)/rounds?year=2018")
            #expect(list.status == .ok && list.body.string.contains("create-round"))
            let made = try await lead.post("/blocs/\(bloc)/rounds", ["year": "2018", "kind": "yearEnd"])
            #expect(made.status == .seeOther)
            let location = try #require(made.headers.first(name: .location))
            let roundID = try #require(UUID(uuidString: String(location.split(separator: "/").last ?? "")))
            var page = try await lead.get(location)
            #expect(page.status == .ok && page.body.string.contains("Chuẩn bị") && page.body.string.contains("save-settings"))
            let saved = try await lead.post("/rounds/\(roundID)/settings", ["lockVersion": "1", "method": "both", "plan": "rotation", "k": "3", "seed": "2026",
                                                                            "aggregator": "median", "disagreementGap": "2,5", "bonusCap": "3", "penaltyCap": "3",
                                                                            "normalise": "1", "bandsText": "Xuất sắc | 95 | 1\nTốt | 80\nKhá | 65",
                                                                            "tieBreaks": "criteriaAtMaximum, fewerPenaltyPoints"])
            #expect(saved.status == .seeOther, "\(saved.body.string)")
            page = try await lead.get(location)
            #expect(page.body.string.contains("Phân công chấm chéo"))
            // An emptied cap field removes the cap (it does not become a cap of 0).
            #expect(try await lead.post("/rounds/\(roundID)/settings", ["lockVersion": "2", "bonusCap": "", "penaltyCap": "3"]).status == .seeOther)
            let uncapped = try await api(app, .GET, "/api/v1/rounds/\(roundID)", token: try await token(app, "truongkhoi")).decoded(RoundDTO.self)
            #expect(uncapped.settings.bonusCap == nil && uncapped.settings.penaltyCap == 3 && uncapped.settings.aggregator == "median")
            #expect(try await lead.post("/rounds/\(roundID)/actions/open", [:]).status == .seeOther)

            let officer = try Browser(app)
            try await officer.login("canbo.congan")
            let mine = try await officer.get(location)
            #expect(mine.status == .ok && mine.body.string.contains("Tự chấm điểm") && !mine.body.string.contains("Phân công chấm chéo"))
            let sheetURL = "/rounds/\(roundID)/units/\(units["congan"]!)/sheets/self"
            let form = try await officer.get(sheetURL)
            #expect(form.status == .ok && form.body.string.contains("name=\"points.A2\"") && form.body.string.contains("name=\"target.A1\""))
            let fields = ["lockVersion": "0", "target.A1": "100", "actual.A1": "92,5", "points.A2": "8,5", "points.B1": "7", "done.B2": "1", "done.C1": "0",
                          "points.C2": "8", "points.D1": "4", "points.D2": "9", "events.E": "1", "events.F": "0", "comment.A2": "Có văn bản kèm theo"]
            let post = try await officer.post(sheetURL, fields)
            #expect(post.status == .seeOther, "\(post.body.string)")
            let back = try await officer.get(sheetURL)
            #expect(back.body.string.contains("value=\"8,5\"") && back.body.string.contains("value=\"92,5\""))
            // A value with a thousands point would be read as a decimal: refused by the bounds rather than misread.
            let wrong = try await officer.post(sheetURL, fields.merging(["lockVersion": "1", "points.A2": "1.250"]) { $1 })
            #expect(wrong.status == .unprocessableEntity)
            #expect(try await officer.post("/rounds/\(roundID)/units/\(units["congan"]!)/submit", ["lockVersion": "1"]).status == .seeOther)
            #expect(try await officer.get(sheetURL).body.string.contains("id=\"submitted\""))
            // Another member's sheet and the results are not linked, and refused when typed.
            #expect(try await officer.get("/rounds/\(roundID)/units/\(units["vksnd"]!)/sheets/self").status == .forbidden)
            #expect(try await officer.get("/rounds/\(roundID)/results").status == .forbidden)
            #expect(!mine.body.string.contains("/rounds/\(roundID)/results"))
            // Someone outside the bloc does not see the round.
            let outsider = try Browser(app)
            try await outsider.login("khach")
            #expect(try await outsider.get(location).status == .forbidden)
            #expect(!(try await outsider.get("/blocs/\(bloc)?year=2018").body.string.contains("id=\"rounds-link\"")))
        }
    }

    @Test("The demo's 2018 year-end round: published through the services, with a conflict, a third scoring and an appeal that changed a score")
    func demoRound() async throws {
        try await withThiDua(demo: true, demoRound: true) { app, _ in
            let (bloc, units) = try await Self.demo(app)
            let lead = try await token(app, "truongkhoi")
            let rounds = try await api(app, .GET, "/api/v1/blocs/\(bloc)/rounds?year=2018", token: lead).decoded([ScoringController.BlocRounds.RoundRef].self)
            let ref = try #require(rounds.first)
            #expect(rounds.count == 1 && ref.phase == "published" && ref.kind == "yearEnd")
            let round = try await api(app, .GET, "/api/v1/rounds/\(ref.id)", token: lead).decoded(RoundDTO.self)
            #expect(round.members.allSatisfy(\.selfSubmitted) && round.conflicts.count == 1 && round.conflicts[0].unitID == units["sotuphap"])
            #expect(round.work.isEmpty && round.schedule.allSatisfy { $0.state == "done" && !$0.late }, "a published round owes no sheet and is late for nothing")
            let results = try await api(app, .GET, "/api/v1/rounds/\(ref.id)/results", token: lead).decoded(ResultsDTO.self)
            #expect(results.publication?.revision == 1 && results.publication?.intact == true && !results.provisional)
            #expect(results.ranking.count == 9 && Set(results.ranking.map(\.unitID)) == Set(units.values))
            let tand = try #require(results.units.first { $0.unitID == units["tand"] }?.criteria.first { $0.code == "C2" })
            #expect(tand.explanation.contains("chấm lần ba 8"), "\(tand.explanation)")
            let thanhtra = try #require(results.units.first { $0.unitID == units["thanhtra"] }?.criteria.first { $0.code == "A2" })
            #expect(thanhtra.final == 8.5 && thanhtra.explanation.contains("Sau giải quyết khiếu nại"))
            #expect(results.appeals.count == 1 && results.appeals[0].decision == "changed")
            // Each peer's marks for Sở Tư pháp: eight units scored it except Cục THADS, which declared its conflict.
            #expect(results.units.first { $0.unitID == units["sotuphap"] }?.criteria.first { $0.code == "B1" }?.used.count == 7)
            // Published: anyone signed in reads the ranking.
            let guest = try await api(app, .GET, "/api/v1/rounds/\(ref.id)/results", token: try await token(app, "khach")).decoded(ResultsDTO.self)
            #expect(guest.ranking.map(\.unitID) == results.ranking.map(\.unitID) && guest.units.isEmpty)
            // The pages render for the lead and a member.
            let b = try Browser(app)
            try await b.login("canbo.thanhtra")
            let page = try await b.get("/rounds/\(ref.id)/results")
            #expect(page.status == .ok && page.body.string.contains("Bản công bố số 1") && page.body.string.contains("Thanh tra tỉnh Nghệ An"))

            // Outputs: the matrix and the .xlsx show the units whose detail the caller may read; the ranking for all.
            func sheets(_ token: String) async throws -> [String: String] {
                let res = try await api(app, .GET, "/api/v1/rounds/\(ref.id)/results.xlsx", token: token)
                #expect(res.status == .ok)
                return try OOXMLPackage.parts(of: Data(buffer: res.body)).filter { $0.key.hasPrefix("xl/worksheets/") }.mapValues { String(decoding: $0, as: UTF8.self) }
            }
            let leadSheets = try await sheets(lead)
            #expect(leadSheets.count == 7, "a summary and six groups (A–F)")
            let memberSheets = try await sheets(try await token(app, "canbo.thanhtra"))
            #expect(memberSheets.count == 7)
            let leadGroupA = try #require(leadSheets.first { $0.value.contains("THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ") }?.value)
            let memberGroupA = try #require(memberSheets.first { $0.value.contains("THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ") }?.value)
            #expect(leadGroupA.contains("Công an tỉnh Nghệ An") && !memberGroupA.contains("Công an tỉnh Nghệ An") && memberGroupA.contains("Thanh tra tỉnh Nghệ An"))
            let summary = try #require(memberSheets.first { $0.value.contains("Tổng hợp") || $0.value.contains("KẾT QUẢ CHẤM ĐIỂM") }?.value)
            #expect(DemoLoader.units.allSatisfy { summary.contains(XMLText.escape($0.officialName)) }, "the ranking lists every unit")
            let matrix = try await b.get("/rounds/\(ref.id)/matrix")
            #expect(matrix.status == .ok && matrix.body.string.contains("Thanh tra tỉnh Nghệ An") && !matrix.body.string.contains("Công an tỉnh Nghệ An"))
            #expect(!matrix.body.string.contains("Đơn vị 1–"), "one unit's columns fit one table")
            // A wide bloc: the tables are cut into runs of ten units.
            #expect(ScoringOutputs.parts(25, size: 10) == [0..<10, 10..<20, 20..<25] && ScoringOutputs.parts(9, size: 10) == [0..<9]
                    && ScoringOutputs.parts(0, size: 10).isEmpty && ScoringOutputs.parts(20, size: 10) == [0..<10, 10..<20])
            // Traceability: key task 1 → its criteria → each readable unit's self-score, peers' scores, final and rank.
            let trace = try await api(app, .GET, "/api/v1/rounds/\(ref.id)/tasks/1", token: lead).decoded(ScoringOutputs.Trace.self)
            #expect(trace.criteria.map(\.code) == ["A1", "C2"] && trace.criteria.allSatisfy { $0.units.count == 9 })
            let c2 = try #require(trace.criteria.last?.units.first { $0.name == "Tòa án nhân dân tỉnh Nghệ An" })
            #expect(c2.peerScores.count == 8 && c2.selfScore != nil && c2.rank != nil && c2.peerScores.contains { $0.contains("Viện kiểm sát") })
            let own = try await api(app, .GET, "/api/v1/rounds/\(ref.id)/tasks/1", token: try await token(app, "canbo.tand")).decoded(ScoringOutputs.Trace.self)
            #expect(own.criteria.allSatisfy { $0.units.count == 1 } && own.criteria.last?.units.first?.peerScores.allSatisfy { !$0.contains("Viện kiểm sát") } == true)
            #expect(try await api(app, .GET, "/api/v1/rounds/\(ref.id)/tasks/99", token: lead).status == .notFound)
            #expect(try await api(app, .GET, "/api/v1/rounds/\(ref.id)/tasks/abc", token: lead).status == .notFound)
            #expect(try await b.get("/rounds/\(ref.id)/tasks/1").status == .ok)
            // The report (.docx, Decree 30/2020 layout) for whoever reads the ranking: a guest once published.
            let report = try await api(app, .GET, "/api/v1/rounds/\(ref.id)/results.docx", token: try await token(app, "khach"))
            #expect(report.status == .ok)
            let xml = try #require(try OOXMLPackage.parts(of: Data(buffer: report.body))["word/document.xml"])
            #expect(XMLParser(data: xml).parse(), "document.xml must be well-formed")
            let text = String(decoding: xml, as: UTF8.self)
            for s in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO", "Kết quả chấm điểm thi đua tổng kết năm 2018",
                      "II. KẾT QUẢ XẾP HẠNG", "Bản công bố số 1", "TM. KHỐI THI ĐUA", "VIỆN KIỂM SÁT NHÂN DÂN TỈNH NGHỆ AN", "1 trường hợp được sửa điểm"]
                + DemoLoader.units.map(\.officialName) {
                #expect(text.contains(XMLText.escape(s)), "report should contain \(s)")
            }
        }
    }

    /// Uploads raw bytes as evidence through the API.
    static func upload(_ app: Application, round: UUID, unit: UUID, criterion: String, filename: String, _ data: Data, token: String?) async throws -> TestingHTTPResponse {
        var out: TestingHTTPResponse!
        let path = SiteURL.build(["api", "v1", "rounds", round.uuidString, "units", unit.uuidString, "evidence"], query: [("criterion", criterion), ("filename", filename)])
        try await app.testing().test(.POST, path, beforeRequest: { req in
            if let token { req.headers.bearerAuthorization = .init(token: token) }
            req.headers.contentType = .binary
            req.body = ByteBuffer(data: data)
        }, afterResponse: { res in out = res })
        return out
    }

    @Test("Evidence files: checked on their content, not their name; bounded; stored by hash; read only by those who see the unit's detail")
    func evidence() async throws {
        try await withThiDua(clock: Self.november2018(), demo: true) { app, _ in
            let (bloc, units) = try await Self.demo(app)
            let lead = try await token(app, "truongkhoi")
            let congan = try await token(app, "canbo.congan")
            let vksnd = try await token(app, "canbo.vksnd")
            let round = try await api(app, .POST, "/api/v1/blocs/\(bloc)/rounds", token: lead, json: Create(year: 2018, kind: "yearEnd")).decoded(RoundDTO.self)
            #expect(try await api(app, .POST, "/api/v1/rounds/\(round.id)/actions/open", token: lead).status == .ok)
            let unit = units["congan"]!
            let pdf = Data("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n".utf8)
            var res = try await Self.upload(app, round: round.id, unit: unit, criterion: "A2", filename: "../../Báo cáo \"tổng kết\"; 2018.pdf", pdf, token: congan)
            #expect(res.status == .created, "\(res.body.string)")
            var list = try res.decoded([ScoringService.EvidenceDTO].self)
            #expect(list.count == 1 && list[0].filename == "Báo cáo \"tổng kết\"; 2018.pdf" && list[0].mediaType == "application/pdf")
            // The content decides: a PDF named .docx, a text file, a PNG named .pdf, a ZIP that is not a Word file.
            var docx = OOXMLPackage()
            docx.add("[Content_Types].xml", xml: "<Types/>")
            docx.add("word/document.xml", xml: "<w:document/>")
            var notWord = OOXMLPackage()
            notWord.add("readme.txt", xml: "x")
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
            let refused: [(String, Data, String)] = [
                ("bao-cao.docx", pdf, "nội dung là tệp PDF"), ("ghi-chu.txt", Data("xin chào".utf8), "Chỉ nhận minh chứng"),
                ("anh.pdf", png, "nội dung là tệp PNG"), ("van-ban.docx", try notWord.zipped(), "Chỉ nhận minh chứng"),
                ("rong.pdf", Data(), "rỗng"), ("lon.pdf", pdf + Data(count: EvidenceRules.maxBytes), "lớn quá 10 MB"),
            ]
            for (name, data, why) in refused {
                res = try await Self.upload(app, round: round.id, unit: unit, criterion: "A2", filename: name, data, token: congan)
                #expect(res.status == .unprocessableEntity && reason(res).contains(why), "\(name): \(res.status) \(reason(res))")
            }
            #expect(try await Self.upload(app, round: round.id, unit: unit, criterion: "A2", filename: "k.pdf", Data(count: BodyLimitMiddleware.largestUpload + 1), token: congan).status == .payloadTooLarge)
            #expect(try await Self.upload(app, round: round.id, unit: unit, criterion: "A3", filename: "k.pdf", pdf, token: congan).status == .unprocessableEntity)
            #expect(try await Self.upload(app, round: round.id, unit: unit, criterion: "A2", filename: "k.pdf", pdf, token: vksnd).status == .forbidden)
            res = try await Self.upload(app, round: round.id, unit: unit, criterion: "B1", filename: "Kế hoạch CCHC.docx", try docx.zipped(), token: congan)
            #expect(res.status == .created)
            list = try res.decoded([ScoringService.EvidenceDTO].self)
            #expect(try await count(ScoreEvidenceModel.self, app) == 2)

            // Read by the unit, the lead and the office; no other member learns it exists.
            let first = list[0]
            #expect(try await api(app, .GET, "/api/v1/rounds/\(round.id)/evidence/\(first.id)", token: vksnd).status == .notFound)
            #expect(try await api(app, .GET, "/api/v1/rounds/\(round.id)/units/\(unit)/evidence", token: vksnd).status == .forbidden)
            let got = try await api(app, .GET, "/api/v1/rounds/\(round.id)/evidence/\(first.id)", token: lead)
            #expect(got.status == .ok && Data(buffer: got.body) == pdf)
            #expect(got.headers.first(name: "X-Content-Type-Options") == "nosniff")
            let disposition = got.headers.first(name: .contentDisposition) ?? ""
            #expect(disposition.contains("filename=\"Bao_cao__tong_ket___2018.pdf\"") && disposition.contains("filename*=UTF-8''B%C3%A1o%20c%C3%A1o"), "\(disposition)")
            // Stored once by content hash; bytes changed on disk are refused, not served.
            let stored = app.fileStore.path(first.sha256)
            #expect(FileManager.default.fileExists(atPath: stored.path))
            try Data("%PDF-tampered".utf8).write(to: stored)
            #expect(try await api(app, .GET, "/api/v1/rounds/\(round.id)/evidence/\(first.id)", token: congan).status == .conflict)
            // The same bytes uploaded again repair the damaged copy.
            #expect(try await Self.upload(app, round: round.id, unit: unit, criterion: "A2", filename: "lai.pdf", pdf, token: congan).status == .created)
            #expect(Data(buffer: try await api(app, .GET, "/api/v1/rounds/\(round.id)/evidence/\(first.id)", token: congan).body) == pdf)

            // The page: a browser upload, listed on the sheet; removed by the unit; none after submission.
            let b = try Browser(app)
            try await b.login("canbo.congan")
            let sheetURL = "/rounds/\(round.id)/units/\(unit)/sheets/self"
            #expect(try await b.get(sheetURL).body.string.contains("id=\"attach\""))
            let posted = try await b.postFile("/rounds/\(round.id)/units/\(unit)/evidence", ["criterion": "C2"], field: "file", filename: "Ảnh hội nghị.png", data: png, type: "image/png")
            #expect(posted.status == .seeOther, "\(posted.body.string)")
            let page = try await b.get(sheetURL)
            #expect(page.body.string.contains("Ảnh hội nghị.png") && page.body.string.contains("Kế hoạch CCHC.docx"))
            #expect(try await api(app, .DELETE, "/api/v1/rounds/\(round.id)/evidence/\(list[1].id)", token: vksnd).status == .notFound)
            #expect(try await api(app, .DELETE, "/api/v1/rounds/\(round.id)/evidence/\(list[1].id)", token: congan).status == .noContent)
            #expect(try await count(ScoreEvidenceModel.self, app) == 3)
            let marks = Self.selfMarks(2, border: false)
            let saved = try await api(app, .PUT, "/api/v1/rounds/\(round.id)/units/\(unit)/sheets/self", token: congan, json: ScoringService.SheetInput(lockVersion: 0, marks: marks))
            #expect(try await api(app, .POST, "/api/v1/rounds/\(round.id)/units/\(unit)/submit", token: congan, json: Lock(lockVersion: try saved.decoded(SheetDTO.self).lockVersion)).status == .ok)
            res = try await Self.upload(app, round: round.id, unit: unit, criterion: "A2", filename: "muon.pdf", pdf, token: congan)
            #expect(res.status == .conflict && reason(res).contains("đã nộp"))
        }
    }
}
