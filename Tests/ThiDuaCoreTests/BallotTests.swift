import Foundation
import Testing
import ThiDuaCore

/// Ballots: thresholds decided in integers, ballots checked, tallies that add up whatever the order, ties reported,
/// the catalogue's vote rules, and a session record whose chain and tally can be redone offline.
@Suite struct BallotTests {
    static let ninety = PassRule(share: try! Share.percent(90), base: .allMembers, cites: "NĐ 98/2023/NĐ-CP, Điều 30 khoản 7", confidence: .confirmed)
    static let eighty = PassRule(share: try! Share.percent(80), base: .allMembers, cites: "TT 01/2019/TT-VKSTC, Điều 20", confidence: .olderText)

    @Test("Thresholds at their exact boundaries, in integers, with the arithmetic shown", arguments: [
        (8, 9, 90, false, "8/9 = 88,9 % < 90 % tổng số thành viên → không đạt"),
        (9, 10, 90, true, "9/10 = 90,0 % ≥ 90 % tổng số thành viên → đạt"),
        (12, 13, 90, true, "12/13 = 92,3 % ≥ 90 % tổng số thành viên → đạt"),
        (27, 30, 90, true, "27/30 = 90,0 % ≥ 90 % tổng số thành viên → đạt"),
        (26, 30, 90, false, "26/30 = 86,7 % < 90 % tổng số thành viên → không đạt"),
        (899, 1000, 90, false, "899/1000 = 89,9 % < 90 % tổng số thành viên → không đạt"),
        (8, 10, 80, true, "8/10 = 80,0 % ≥ 80 % tổng số thành viên → đạt"),
        (7, 9, 80, false, "7/9 = 77,8 % < 80 % tổng số thành viên → không đạt"),
        (0, 9, 80, false, "0/9 = 0,0 % < 80 % tổng số thành viên → không đạt"),
    ])
    func boundaries(count: Int, total: Int, percent: Int, passes: Bool, text: String) throws {
        let rule = PassRule(share: try Share.percent(percent), base: .allMembers, cites: "", confidence: .confirmed)
        let d = rule.decide(votesFor: count, total: total)
        #expect(d.passed == passes && d.arithmetic == text)
    }

    @Test("A percentage shown never contradicts the verdict; fractions and strict majorities")
    func shares() throws {
        // 8999/10000 rounds to 90,0 % but does not reach 90 %: shown rounded down.
        #expect(Self.ninety.decide(votesFor: 8_999, total: 10_000).arithmetic.hasPrefix("8999/10000 = 89,9 % <"))
        let half = PassRule(share: .half, base: .validVotes, strictly: true, cites: "", confidence: .unconfirmed)
        #expect(!half.decide(votesFor: 5, total: 10).passed && half.decide(votesFor: 6, total: 10).passed)
        #expect(half.decide(votesFor: 5, total: 10).arithmetic == "5/10 = 50,0 % ≤ 1/2 số phiếu hợp lệ → không đạt")
        #expect(Share.twoThirds.reached(6, of: 9, strictly: false) && !Share.twoThirds.reached(5, of: 8, strictly: false))
        #expect(!Share.twoThirds.reached(1, of: 0, strictly: false), "nothing is reached of nobody")
        #expect(throws: DomainError.self) { try Share.percent(101) }
        #expect(throws: DomainError.self) { try Share(3, 2) }
        #expect(throws: DomainError.self) { try Share(1, 0) }
        // No trap on absurd counts: clamped.
        #expect(Share.twoThirds.reached(Int.max, of: Int.max, strictly: false))
        #expect(Share.percentText(Int.max, of: Int.min) == "–")
    }

    @Test("Quorum: the least number present, and the refusal's reason")
    func quorum() {
        #expect(Quorum.needed(.twoThirds, members: 9) == 6 && Quorum.needed(.twoThirds, members: 10) == 7 && Quorum.needed(.twoThirds, members: 0) == 1)
        #expect(Quorum.twoThirds.refusal(present: 6, members: 9) == nil)
        #expect(Quorum.twoThirds.refusal(present: 5, members: 9)?.hasPrefix("Chưa đủ số thành viên dự: có mặt 5/9, cần ít nhất 6") == true)
        #expect(Quorum.twoThirds.refusal(present: 0, members: 0) != nil)
    }

    @Test("A session's own quorum: parsed strictly, and never below the catalogue's")
    func sessionQuorum() throws {
        let three4 = try Share(3, 4), p75 = try Share.percent(75), four6 = try Share(4, 6), two3 = try Share(2, 3)
        #expect(Share.parse("3/4") == three4 && Share.parse(" 75 % ") == p75 && Share.parse("75%") == p75)
        for bad in ["", "75", "4/3", "1/0", "-1/2", "101 %", "2/3/4", "a/b", "99999999999999999999/2", "/3", "2/"] { #expect(Share.parse(bad) == nil, "\(bad)") }
        let threeQuarters = Quorum(share: three4, cites: "Quy chế khối, Điều 5")
        let half = Quorum(share: Share.half, cites: "Quy chế khối")
        #expect(Quorum.effective(catalogue: .twoThirds, session: threeQuarters) == threeQuarters)
        #expect(Quorum.effective(catalogue: .twoThirds, session: half) == .twoThirds, "a session cannot lower the catalogue's quorum")
        #expect(Quorum.effective(catalogue: nil, session: half) == half && Quorum.effective(catalogue: .twoThirds, session: nil) == .twoThirds)
        let same = Quorum(share: four6, cites: "Quy chế")
        #expect(Quorum.effective(catalogue: .twoThirds, session: same) == same, "an equal share is the session's (its article is the one cited)")
        #expect(two3.atLeast(four6) && !Share.half.atLeast(.twoThirds))
    }

    static let units = (0..<4).map { _ in UUID() }
    static let candidates = [Candidate(id: "c1", name: "Công an tỉnh", unitID: units[0]), Candidate(id: "c2", name: "Thanh tra tỉnh", unitID: units[1]),
                             Candidate(id: "c3", name: "Sở Tư pháp", unitID: units[2])]

    @Test("A voter's ballot: checked against the form, the list and the voter's own candidacy")
    func checks() throws {
        let each = BallotForm.approveEach(seats: 1, abstain: false)
        let ok = try BallotRules.check(.init(marks: ["c1": "yes", "c2": "no", "c3": "no"]), form: each, candidates: Self.candidates)
        #expect(ok.marks == ["c1": .yes, "c2": .no, "c3": .no] && !ok.invalid)
        let refused: [(BallotInput, BallotForm, Set<String>, String)] = [
            (.init(marks: ["c1": "yes", "c2": "no"]), each, [], "Sở Tư pháp"),
            (.init(marks: ["c1": "yes", "c2": "no", "c3": "no", "c9": "yes"]), each, [], "nhiều dấu"),
            (.init(marks: ["c1": "yes", "c2": "no", "c9": "yes"]), each, [], "không có trong danh sách"),
            (.init(marks: ["c1": "maybe", "c2": "no", "c3": "no"]), each, [], "không có (yes, no, abstain)"),
            (.init(marks: ["c1": "abstain", "c2": "no", "c3": "no"]), each, [], "không cho phép"),
            (.init(abstain: true), each, [], "không cho phép bỏ phiếu trắng"),
            (.init(marks: ["c1": "yes", "c2": "no", "c3": "no"]), each, ["c1"], "chính đơn vị mình"),
            (.init(chosen: ["c1", "c2"]), .chooseUpTo(k: 1, abstain: true), [], "tối đa 1"),
            (.init(chosen: ["c1", "c1"]), .chooseUpTo(k: 2, abstain: true), [], "hai lần"),
            (.init(chosen: ["x"]), .chooseUpTo(k: 2, abstain: true), [], "không có trong danh sách"),
            (.init(chosen: ["c1"], abstain: true), .chooseUpTo(k: 2, abstain: true), [], "Phiếu trắng"),
        ]
        for (input, form, barred, reason) in refused {
            do {
                _ = try BallotRules.check(input, form: form, candidates: Self.candidates, barred: barred)
                Issue.record("accepted \(input)")
            } catch let e as DomainError {
                #expect(e.kind == .invalid && e.reason.contains(reason), "\(e.reason)")
            }
        }
        // Barred from its own unit: no mark for it; kept names are yes, the others no; a blank ballot abstains.
        let own = try BallotRules.check(.init(marks: ["c2": "yes", "c3": "no"]), form: each, candidates: Self.candidates, barred: ["c1"])
        #expect(own.marks == ["c2": .yes, "c3": .no])
        let kept = try BallotRules.check(.init(chosen: ["c3"]), form: .chooseUpTo(k: 2, abstain: true), candidates: Self.candidates)
        #expect(kept.marks == ["c1": .no, "c2": .no, "c3": .yes])
        let blank = try BallotRules.check(.init(abstain: true), form: .chooseUpTo(k: 2, abstain: true), candidates: Self.candidates)
        #expect(blank.marks.values.allSatisfy { $0 == .abstain })
        // A paper ballot with too many names is counted as invalid, not refused.
        #expect(BallotRules.paper(.init(chosen: ["c1", "c2", "c3"]), form: .chooseUpTo(k: 2, abstain: true), candidates: Self.candidates).invalid)
    }

    static func ballots(_ marks: [[String: Mark]], paper: Bool = false) -> [Ballot] {
        marks.map { Ballot(id: UUID().uuidString, content: BallotContent(marks: $0), paper: paper) }
    }

    @Test("A bloc's flag: 9 members, 8 present, one written opinion; the rule of 80 % of all members")
    func blocFlag() throws {
        let q = Question(id: "q1", title: "Suy tôn đơn vị dẫn đầu khối đề nghị Cờ thi đua của UBND tỉnh", candidates: Self.candidates,
                         form: .approveEach(seats: 1, abstain: false), rule: Self.eighty)
        var marks: [[String: Mark]] = Array(repeating: ["c1": .no, "c2": .yes, "c3": .no], count: 7)
        marks.append(["c1": .yes, "c2": .no, "c3": .no])
        let written = [WrittenOpinion(voter: UUID(), content: BallotContent(marks: ["c1": .no, "c2": .yes, "c3": .no]))]
        let r = try Tally.count(q, electorate: .init(members: 9, present: 8), ballots: Self.ballots(marks), written: written)
        #expect(r.counts == BallotCounts(issued: 8, received: 8, valid: 8, invalid: 0, paper: 0, written: 1))
        let c2 = try #require(r.candidates.first { $0.id == "c2" })
        #expect(c2.yes == 7 && c2.writtenYes == 1 && c2.countedYes == 8 && c2.base == 9 && c2.passed && c2.elected)
        #expect(c2.arithmetic == "8/9 = 88,9 % ≥ 80 % tổng số thành viên → đạt" && c2.shareOfMembers == "88,9 %")
        #expect(r.elected == ["c2"] && r.outcome == .decided)
        #expect(r.lines.first?.contains("TT 01/2019/TT-VKSTC, Điều 20; theo văn bản cũ / văn bản ngành") == true, "\(r.lines)")
        #expect(r.lines.last == "Trúng: Thanh tra tỉnh.")
        // Written opinions not counted by the rule: 7/9 fails.
        var strict = q
        strict.rule.countWrittenOpinions = false
        let without = try Tally.count(strict, electorate: .init(members: 9, present: 8), ballots: Self.ballots(marks), written: written)
        #expect(without.elected.isEmpty && without.lines.last == "Không ứng viên nào đạt.")
    }

    @Test("Counts that break the invariants are refused")
    func invariants() throws {
        let q = Question(id: "q", title: "Q", candidates: Self.candidates, form: .approveEach(seats: nil, abstain: true), rule: Self.eighty)
        let three = Self.ballots(Array(repeating: ["c1": .yes, "c2": .yes, "c3": .yes], count: 3))
        #expect(throws: DomainError.self) { try Tally.count(q, electorate: .init(members: 5, present: 2), ballots: three) }
        #expect(throws: DomainError.self) { try Tally.count(q, electorate: .init(members: 5, present: 6), ballots: []) }
        let w = WrittenOpinion(voter: UUID(), content: BallotContent(marks: [:]))
        #expect(throws: DomainError.self) { try Tally.count(q, electorate: .init(members: 5, present: 4), ballots: [], written: [w, w]) }
        #expect(throws: DomainError.self) { try Tally.count(q, electorate: .init(members: 5, present: 5), ballots: [three[0], three[0]]) }
        var withInvalid = three
        withInvalid.append(Ballot(id: "p1", content: .invalidPaper, paper: true))
        let r = try Tally.count(q, electorate: .init(members: 5, present: 5), ballots: withInvalid)
        #expect(r.counts.valid + r.counts.invalid == r.counts.received && r.counts.received <= r.counts.issued && r.counts.invalid == 1 && r.counts.paper == 1)
        #expect(r.elected.isEmpty, "3/5 = 60 % < 80 %: no one, and without seats every passer would be chosen")
    }

    @Test("A tie at the last seat is reported, voted again once, then referred; a documented priority separates it")
    func ties() throws {
        let majority = PassRule(share: .half, base: .validVotes, strictly: true, cites: "Quy chế khối", confidence: .unconfirmed)
        let q = Question(id: "q", title: "Bằng khen", candidates: Self.candidates, form: .chooseUpTo(k: 2, abstain: false), rule: majority)
        // c1: 5, c2: 4, c3: 4 of 6: two passers tie for the second seat.
        let marks: [[String: Mark]] = [["c1": .yes, "c2": .yes, "c3": .no], ["c1": .yes, "c2": .yes, "c3": .no], ["c1": .yes, "c2": .no, "c3": .yes],
                                       ["c1": .yes, "c2": .no, "c3": .yes], ["c1": .no, "c2": .yes, "c3": .yes], ["c1": .yes, "c2": .yes, "c3": .yes]]
        let r = try Tally.count(q, electorate: .init(members: 6, present: 6), ballots: Self.ballots(marks))
        #expect(r.elected == ["c1"] && r.outcome == .tie(candidates: ["c2", "c3"], seats: 1))
        #expect(r.lines.contains("2 ứng viên bằng 4 phiếu cho 1 suất còn lại: không phân định được, bỏ phiếu lần 2 giữa các ứng viên này."))
        let second = try #require(q.secondRound(tied: ["c2", "c3"], seats: 1, id: "q-2"))
        #expect(second.round == 2 && second.candidates.map(\.id) == ["c2", "c3"] && second.form == .chooseUpTo(k: 1, abstain: false))
        #expect(second.secondRound(tied: ["c2", "c3"], seats: 1, id: "q-3") == nil, "no third round")
        let again = try Tally.count(second, electorate: .init(members: 6, present: 6),
                                    ballots: Self.ballots(Array(repeating: ["c2": .yes, "c3": .no], count: 4) + Array(repeating: ["c2": .no, "c3": .yes], count: 4).prefix(2)))
        #expect(again.elected == ["c2"] && again.outcome == .decided)
        let stillTied = try Tally.count(second, electorate: .init(members: 6, present: 6),
                                        ballots: Self.ballots([["c2": .yes, "c3": .yes], ["c2": .yes, "c3": .yes], ["c2": .yes, "c3": .yes], ["c2": .yes, "c3": .yes]].map { $0 }))
        #expect(stillTied.outcome == .referral(candidates: ["c2", "c3"], seats: 1) && stillTied.elected.isEmpty)
        var ordered = q
        ordered.tieRule = .priority(order: ["c3", "c2", "c1"], reason: "đơn vị chưa được tặng cờ năm trước")
        let byPriority = try Tally.count(ordered, electorate: .init(members: 6, present: 6), ballots: Self.ballots(marks))
        #expect(byPriority.elected == ["c1", "c3"] && byPriority.outcome == .decided)
    }

    @Test("Property: the result never depends on the order of the ballots, and the counts add up")
    func orderIndependent() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let members = Int.random(in: 3...31, using: &rng)
            let present = Int.random(in: 1...members, using: &rng)
            let voting = Int.random(in: 0...present, using: &rng)
            let q = Question(id: "q", title: "Q", candidates: Self.candidates, form: .approveEach(seats: Int.random(in: 1...3, using: &rng), abstain: true),
                             rule: Bool.random(using: &rng) ? Self.ninety : Self.eighty)
            let ballots: [Ballot] = (0..<voting).map { i in
                if i % 7 == 6 { return Ballot(id: UUID().uuidString, content: .invalidPaper, paper: true) }
                return Ballot(id: UUID().uuidString, content: BallotContent(marks: Dictionary(uniqueKeysWithValues: Self.candidates.map { ($0.id, Mark.allCases.randomElement(using: &rng)!) })), paper: false)
            }
            let a = try Tally.count(q, electorate: .init(members: members, present: present), ballots: ballots)
            let b = try Tally.count(q, electorate: .init(members: members, present: present), ballots: ballots.shuffled(using: &rng))
            #expect(a == b)
            #expect(a.counts.valid + a.counts.invalid == a.counts.received && a.counts.received <= a.counts.issued && a.counts.issued <= members)
            for c in a.candidates {
                #expect(c.yes + c.no + c.abstain + c.barred == a.counts.valid)
                #expect(c.passed == (c.countedYes * q.rule.share.denominator >= q.rule.share.numerator * members))
            }
            #expect(a.elected.count <= q.form.seats ?? 3)
        }
    }

    @Test("The catalogue's vote rules: per body, award and regime, with their articles")
    func catalogue() throws {
        let c = try Catalogue.builtIn()
        let cstd = c.voteRule(body: .council, award: "CSTD_TINH", regime: "LAW2022_ND98")
        #expect(cstd.rule.share == (try Share.percent(90)) && cstd.rule.base == .allMembers && cstd.rule.confidence == .confirmed && cstd.rule.cites.contains("Điều 30 khoản 7"))
        #expect(cstd.quorum?.share == .twoThirds, "the award's entry takes the council's quorum")
        let flag = c.voteRule(body: .council, award: "CO_TINH", regime: "LAW2022_ND98")
        #expect(flag.rule.share == (try Share.percent(80)))
        let old = c.voteRule(body: .council, award: "CSTD_TINH", regime: "LAW2013_ND91")
        #expect(old.rule.cites.contains("Điều 45 khoản 8") && old.rule.confidence == .confirmed)
        let bloc = c.voteRule(body: .bloc, award: "CO_TINH", regime: "LAW2013_ND91")
        #expect(bloc.rule.share == (try Share.percent(80)) && bloc.rule.confidence == .olderText)
        let bk = c.voteRule(body: .bloc, award: "BK_TINH", regime: "LAW2013_ND91")
        let fifty = try Share.percent(50)
        #expect(bk.rule.strictly && bk.rule.share == fifty && bk.rule.confidence == .unconfirmed && bk.quorum?.share == .twoThirds)
        let none = c.voteRule(body: .bloc, award: nil, regime: "NO_SUCH")
        #expect(none.rule == .majority && none.quorum == nil)
    }

    // MARK: The session record

    static func record(ballots: [Ballot]) throws -> BallotSessionRecord {
        let q = Question(id: "q1", title: "Suy tôn", candidates: candidates, form: .approveEach(seats: 1, abstain: false), rule: eighty)
        let e = Electorate(members: 9, present: 9)
        let result = try Tally.count(q, electorate: e, ballots: ballots)
        var events: [BallotEvent] = []
        func log(_ kind: String, _ data: [String: String]) { events.append(BallotLog.next(after: events.last, kind: kind, data: data)) }
        log("opened", ["voters": BallotLog.fingerprint(voters: units)])
        var receipts: [String] = []
        for b in ballots where !b.paper {
            let h = BallotLog.receiptHash(UUID().uuidString)
            receipts.append(h)
            log("ballot", ["question": "q1", "receiptHash": h])
        }
        let paper = ballots.filter(\.paper).count
        if paper > 0 { log("paper", ["question": "q1", "count": String(paper)]) }
        log("questionClosed", ["question": "q1", "received": String(ballots.count), "ballotsDigest": BallotLog.digest(ballots: ballots),
                               "resultDigest": BallotLog.digest(result: result)])
        return BallotSessionRecord(session: "s", title: "Khối", events: events,
                                   questions: [.init(question: q, electorate: e, ballots: ballots, written: [], openCounts: [], result: result)],
                                   receipts: receipts, auditHead: nil)
    }

    @Test("The exported record verifies; an altered, removed or added ballot, or an edited event, is caught")
    func verify() throws {
        let ballots = Self.ballots(Array(repeating: ["c1": .no, "c2": .yes, "c3": .no], count: 8)) + Self.ballots([["c1": .yes, "c2": .no, "c3": .no]], paper: true)
        let good = try Self.record(ballots: ballots)
        #expect(BallotVerifier.problems(good).isEmpty, "\(BallotVerifier.problems(good))")
        // Through JSON, as the file is read.
        let data = try JSONEncoder().encode(good)
        #expect(BallotVerifier.problems(try JSONDecoder().decode(BallotSessionRecord.self, from: data)).isEmpty)

        var altered = good
        // Flip a mark (the ballots are in the order of their random ids: whichever comes first changes).
        altered.questions[0].ballots[0].content.marks["c2"] = altered.questions[0].ballots[0].content.marks["c2"] == .yes ? .no : .yes
        #expect(BallotVerifier.problems(altered).contains { $0.contains("phiếu bị sửa, bớt hoặc thêm") })
        var removed = good
        removed.questions[0].ballots.removeFirst()
        #expect(BallotVerifier.problems(removed).count >= 2)
        var added = good
        added.questions[0].ballots.append(Ballot(id: "zz", content: BallotContent(marks: ["c1": .yes, "c2": .no, "c3": .no]), paper: false))
        #expect(!BallotVerifier.problems(added).isEmpty)
        var edited = good
        edited.events[1].data = edited.events[1].data.replacingOccurrences(of: "q1", with: "q2")
        #expect(BallotVerifier.problems(edited).contains { $0.contains("đã bị sửa") })
        var cut = good
        cut.events.remove(at: 1)
        #expect(BallotVerifier.problems(cut).contains { $0.contains("mang số") })
        var rewritten = good
        rewritten.questions[0].result.elected = ["c1"]
        #expect(BallotVerifier.problems(rewritten).contains { $0.contains("kết quả khác") })
        var receipts = good
        receipts.receipts[0] = String(repeating: "a", count: 64)
        #expect(BallotVerifier.problems(receipts).contains { $0.contains("biên nhận") })
    }
}
