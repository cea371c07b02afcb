import Foundation
import Testing
import ThiDuaCore

/// The round's phases, the cross-scoring draw, the completeness of a self-assessment, and who sees what, as tables.
@Suite struct ScoringRoundTests {
    @Test("Phases move forward only, each with what it waits for")
    func lifecycle() throws {
        let ok = RoundFacts(members: 3, submitted: 3)
        #expect(try RoundLifecycle.next(.setup, .open, facts: ok) == .selfAssessment)
        #expect(try RoundLifecycle.next(.selfAssessment, .startReview, facts: ok) == .review)
        #expect(try RoundLifecycle.next(.review, .showPreliminary, facts: ok) == .preliminary)
        #expect(try RoundLifecycle.next(.preliminary, .openAppeals, facts: ok) == .appeals)
        #expect(try RoundLifecycle.next(.appeals, .publish, facts: ok) == .published)
        let refused: [(RoundPhase, RoundAction, RoundFacts, String)] = [
            (.setup, .open, RoundFacts(members: 1), "ít nhất 2"),
            (.selfAssessment, .startReview, RoundFacts(members: 3, submitted: 2), "Còn 1 đơn vị chưa nộp"),
            (.review, .showPreliminary, RoundFacts(members: 3, submitted: 3, awaitingThirdScoring: 2), "chấm lần ba"),
            (.review, .showPreliminary, RoundFacts(members: 3, submitted: 3, missing: 4), "Còn 4 tiêu chí chưa có điểm"),
            (.appeals, .publish, RoundFacts(members: 3, submitted: 3, openAppeals: 1), "Còn 1 khiếu nại"),
            (.published, .open, ok, "Đã công bố"),
            (.preliminary, .startReview, ok, "Kết quả sơ bộ"),
        ]
        for (phase, action, facts, words) in refused {
            do {
                _ = try RoundLifecycle.next(phase, action, facts: facts)
                Issue.record("\(phase) --\(action)--> accepted")
            } catch let e as DomainError {
                #expect(e.kind == .conflict && e.reason.contains(words), "\(e.reason)")
            }
        }
        #expect(RoundLifecycle.selfAssessmentOpen(.selfAssessment, submitted: false))
        #expect(!RoundLifecycle.selfAssessmentOpen(.selfAssessment, submitted: true) && !RoundLifecycle.selfAssessmentOpen(.review, submitted: false))
        #expect(RoundLifecycle.scoringOpen(.review) && !RoundLifecycle.scoringOpen(.preliminary))
    }

    @Test("Cross-scoring: everyone scores every other, or a balanced rotation from a seed; never oneself")
    func assignment() throws {
        let members = (0..<7).map { _ in UUID() }
        let all = try CrossScoringPlan.everyone.assign(members)
        #expect(all.count == 7 && all.allSatisfy { u, scorers in scorers.count == 6 && !scorers.contains(u) })
        for k in 1...6 {
            let plan = CrossScoringPlan.rotation(k: k, seed: 42)
            let a = try plan.assign(members)
            #expect(a.allSatisfy { u, scorers in scorers.count == k && Set(scorers).count == k && !scorers.contains(u) })
            // Balanced: every unit also scores exactly k others.
            var scores: [UUID: Int] = [:]
            for (_, scorers) in a { for s in scorers { scores[s, default: 0] += 1 } }
            #expect(scores.count == 7 && scores.values.allSatisfy { $0 == k })
            // Reproducible from the seed, whatever order the members are listed in.
            #expect(try plan.assign(members.reversed()) == a)
        }
        #expect(try CrossScoringPlan.rotation(k: 2, seed: 1).assign(members) != CrossScoringPlan.rotation(k: 2, seed: 2).assign(members))
        // The draw is pinned: the same seed gives the same cycle on every machine and Swift version.
        let fixed = (1...5).map { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", $0))! }
        let pinned = try CrossScoringPlan.rotation(k: 1, seed: 2026).assign(fixed)
        var order = [fixed[0]]
        while order.count < 5, let next = pinned.first(where: { $0.value == [order.last!] })?.key { order.append(next) }
        #expect(order.count == 5 && Set(order).count == 5)
        #expect(order.map { Int($0.uuidString.suffix(2))! } == Self.pinnedCycle, "\(order.map { Int($0.uuidString.suffix(2))! })")
        #expect(throws: DomainError.self) { try CrossScoringPlan.rotation(k: 7, seed: 1).assign(members) }
        #expect(throws: DomainError.self) { try CrossScoringPlan.rotation(k: 0, seed: 1).assign(members) }
        #expect(throws: DomainError.self) { try CrossScoringPlan.everyone.assign([members[0], members[0]]) }
    }

    /// Scorer-to-scored cycle for seed 2026 over units 1…5, read from unit 1 by following who scores whom.
    static let pinnedCycle = [1, 4, 2, 5, 3]

    @Test("A self-assessment is complete when every applicable criterion has a value; 0 is a value")
    func completeness() throws {
        let a = UUID(), b = UUID()
        let scale = try ScoringScale.build([
            CriterionInput(code: "1", name: "Nhóm", maxPoints: 20),
            CriterionInput(code: "1.1", parent: "1", name: "A", maxPoints: 10),
            CriterionInput(code: "1.2", parent: "1", name: "B", maxPoints: 10, appliesTo: [a]),
            CriterionInput(code: "T", name: "Thưởng", maxPoints: 2, kind: .adjustment, perEvent: 1),
        ])
        #expect(SelfAssessmentCheck.missing(scale: scale, unit: a, entered: []) == ["1.1", "1.2", "T"])
        #expect(SelfAssessmentCheck.missing(scale: scale, unit: b, entered: ["1.1"]) == ["T"])
        #expect(SelfAssessmentCheck.missing(scale: scale, unit: b, entered: ["1.1", "T"]).isEmpty)
    }

    static func p(_ grants: RoleGrant...) -> Principal { Principal(userID: UUID(), username: "u", grants: grants) }

    @Test("Who sees and does what in a round, by phase: a table")
    func scope() {
        let bloc = UUID(), other = UUID(), a = UUID(), b = UUID(), c = UUID(), outsider = UUID()
        let office = Self.p(RoleGrant(role: .office)), council = Self.p(RoleGrant(role: .council)), viewer = Self.p(RoleGrant(role: .viewer))
        let lead = Self.p(RoleGrant(role: .blocLead, blocID: bloc, year: 2018))
        let leadOtherYear = Self.p(RoleGrant(role: .blocLead, blocID: bloc, year: 2019))
        let leadOtherBloc = Self.p(RoleGrant(role: .blocLead, blocID: other, year: 2018))
        let officerA = Self.p(RoleGrant(role: .unitOfficer, unitID: a)), headA = Self.p(RoleGrant(role: .unitHead, unitID: a))
        let officerB = Self.p(RoleGrant(role: .unitOfficer, unitID: b)), officerOut = Self.p(RoleGrant(role: .unitOfficer, unitID: outsider))
        // B scores A; C scores B; A scores C (a rotation with k = 1).
        func round(_ phase: RoundPhase) -> RoundScope {
            RoundScope(blocID: bloc, year: 2018, phase: phase, members: [a, b, c], scorers: [a: [b], b: [c], c: [a]])
        }
        let review = round(.review), preliminary = round(.preliminary), published = round(.published), appeals = round(.appeals)
        // (who, name, detail of A in review, marks of B in review, ranking in review, ranking preliminary, ranking published)
        let reads: [(Principal, String, Bool, Bool, Bool, Bool, Bool)] = [
            (office, "office", true, true, true, true, true),
            (lead, "lead 2018", true, true, true, true, true),
            (leadOtherYear, "lead 2019", false, false, false, false, true),
            (leadOtherBloc, "lead of another bloc", false, false, false, false, true),
            (officerA, "officer A", true, false, false, true, true),
            (headA, "head A", true, false, false, true, true),
            (officerB, "officer B (A's scorer)", false, true, false, true, true),
            (officerOut, "officer outside the bloc", false, false, false, false, true),
            (council, "council", false, false, false, false, true),
            (viewer, "viewer", false, false, false, false, true),
        ]
        for (who, name, detail, marks, rankReview, rankPrelim, rankPub) in reads {
            #expect(who.canReadUnitDetail(unit: a, review) == detail, "\(name): detail of A")
            #expect(who.canReadMarks(of: b, review) == marks, "\(name): marks of B")
            #expect(who.canReadRanking(review) == rankReview, "\(name): ranking in review")
            #expect(who.canReadRanking(preliminary) == rankPrelim, "\(name): ranking preliminary")
            #expect(who.canReadRanking(published) == rankPub, "\(name): ranking published")
        }
        // Another unit's detail stays closed to members even once published; the council reads it then.
        #expect(!officerB.canReadUnitDetail(unit: a, published) && council.canReadUnitDetail(unit: a, published))
        // Acting: only one's own unit, only the assigned targets, never oneself.
        #expect(officerA.canSelfAssess(unit: a, review) && !headA.canSelfAssess(unit: a, review) && !officerA.canSelfAssess(unit: b, review))
        #expect(!officerOut.canSelfAssess(unit: outsider, review))
        #expect(officerB.canCrossScore(as: b, target: a, review))
        #expect(!officerB.canCrossScore(as: b, target: c, review), "B is not assigned to C")
        #expect(!officerB.canCrossScore(as: a, target: c, review), "B cannot score in A's name")
        #expect(!officerA.canCrossScore(as: a, target: a, RoundScope(blocID: bloc, year: 2018, phase: .review, members: [a, b], scorers: [a: [a, b]])))
        #expect(lead.canReview(review) && office.canReview(review) && !leadOtherYear.canReview(review) && !officerA.canReview(review))
        #expect(lead.canManageRound(review) && !officerA.canManageRound(review) && !council.canManageRound(review))
        #expect(officerA.canAppeal(unit: a, appeals) && !officerA.canAppeal(unit: a, preliminary) && !officerA.canAppeal(unit: b, appeals) && !headA.canAppeal(unit: a, appeals))
    }
}

@Suite struct ScoringDiagnosticsTests {
    @Test("A scorer marking its direct rivals down is flagged, its marks listed as outliers; the others are not")
    func rivals() {
        let units = (0..<6).map { _ in UUID() }
        let names = ["A", "B", "C", "D", "E", "F"]
        // Ranked A … F; with a window of 1, C's rivals are B and D.
        let ranking = units.enumerated().map { i, u in
            RankedUnit(unit: u, name: names[i], rank: i + 1, total: Points(hundredths: Int64(9_000 - i * 100)), band: nil, tied: false, separatedFromAboveBy: nil)
        }
        var marks: [ScoreMark] = []
        for (si, scorer) in units.enumerated() {
            for (ti, target) in units.enumerated() where ti != si {
                for k in 1...10 {
                    let low = si == 2 && (ti == 1 || ti == 3)
                    marks.append(ScoreMark(unit: target, criterion: "c\(k)", scorer: .peer(scorer), value: .points(Points(hundredths: low ? 500 : 800))))
                }
            }
        }
        let reports = ScoringDiagnostics.analyse(marks: marks, conflicts: [], ranking: ranking,
                                                 settings: .init(rivalWindow: 1, outlierGap: Points(hundredths: 200), rivalGap: Points(hundredths: 100), minimumMarks: 5))
        let c = reports.first { $0.scorer == units[2] }
        #expect(c?.flagged == true && c?.rivals == [units[1], units[3]].sorted { $0.uuidString < $1.uuidString })
        #expect(c?.rivalDeviation == Points(hundredths: -300) && c?.otherDeviation == .zero)
        #expect(c?.outliers.count == 20 && c?.outliers.allSatisfy { $0.mark == Points(hundredths: 500) && $0.othersMedian == Points(hundredths: 800) } == true)
        #expect(c?.explanation.contains("cần xem xét") == true)
        #expect(reports.filter(\.flagged).map(\.scorer) == [units[2]])
        // A declared conflict leaves the marks out of the comparison too.
        let excused = ScoringDiagnostics.analyse(marks: marks, conflicts: [ConflictDeclaration(scorer: units[2], unit: units[1], reason: "x"),
                                                                          ConflictDeclaration(scorer: units[2], unit: units[3], reason: "x")],
                                                 ranking: ranking, settings: .init(rivalWindow: 1, minimumMarks: 5))
        #expect(excused.first { $0.scorer == units[2] }?.flagged == false)
        // Too few marks: no deviation, no flag, and it says so.
        let few = ScoringDiagnostics.analyse(marks: marks, conflicts: [], ranking: ranking, settings: .init(rivalWindow: 1, minimumMarks: 100))
        #expect(few.allSatisfy { !$0.flagged && $0.rivalDeviation == nil } && few[0].explanation.hasPrefix("Chưa đủ 100 điểm chấm"))
    }
}
