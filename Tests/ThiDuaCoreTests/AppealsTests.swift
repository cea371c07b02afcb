import Foundation
import Testing
import ThiDuaCore

/// The leader's overrides (answers to appeals, corrections) in consolidation, and published revisions.
@Suite struct AppealsTests {
    static let a = UUID(), b = UUID()
    static let scale: [Criterion] = try! ScoringScale.build([
        CriterionInput(code: "A", name: "Nhóm A", maxPoints: 20),
        CriterionInput(code: "A1", parent: "A", name: "Tham mưu", maxPoints: 10),
        CriterionInput(code: "A2", parent: "A", name: "Cải cách", maxPoints: 10),
        CriterionInput(code: "F", name: "Điểm trừ", maxPoints: 4, kind: .adjustment, perEvent: -2),
    ])
    static let units = [UnitScoring(id: a, name: "Đơn vị A"), UnitScoring(id: b, name: "Đơn vị B")]
    static func marks() -> [ScoreMark] {
        [ScoreMark(unit: a, criterion: "A1", scorer: .peer(b), value: .points(Points(hundredths: 600))),
         ScoreMark(unit: a, criterion: "A2", scorer: .peer(b), value: .points(Points(hundredths: 800))),
         ScoreMark(unit: a, criterion: "F", scorer: .selfAssessment, value: .events(1)),
         ScoreMark(unit: b, criterion: "A1", scorer: .peer(a), value: .points(Points(hundredths: 700))),
         ScoreMark(unit: b, criterion: "A2", scorer: .peer(a), value: .points(Points(hundredths: 700))),
         ScoreMark(unit: b, criterion: "F", scorer: .selfAssessment, value: .events(0))]
    }
    static let rule = ConsolidationRule(aggregator: .mean, normalise: true)

    @Test("An override changes the criterion, keeps the computation in the explanation, and the marks stay as given")
    func overrides() throws {
        let plain = Consolidation.consolidate(scale: Self.scale, units: Self.units, marks: Self.marks(), conflicts: [], rule: Self.rule)
        #expect(plain[0].total == Points(hundredths: 1200), "6 + 8 − 2")
        let up = ScoreOverride(unit: Self.a, criterion: "A1", value: .points(Points(hundredths: 900)), source: "giải quyết khiếu nại", reason: "Văn bản số 12")
        var o = Consolidation.consolidate(scale: Self.scale, units: Self.units, marks: Self.marks(), conflicts: [], rule: Self.rule, overrides: [up])
        let a1 = try #require(o[0].outcome("A1"))
        #expect(a1.final == Points(hundredths: 900) && a1.explanation.hasPrefix("Trung bình 1 điểm chấm chéo") && a1.explanation.contains("(trước đó 6). Lý do: Văn bản số 12"))
        #expect(o[0].total == Points(hundredths: 1500) && o[1] == plain[1], "the other unit is untouched")
        // A later override of the same criterion replaces the earlier one.
        let down = ScoreOverride(unit: Self.a, criterion: "A1", value: .points(Points(hundredths: 500)), source: "đính chính lần 1", reason: "Kiểm tra lại")
        o = Consolidation.consolidate(scale: Self.scale, units: Self.units, marks: Self.marks(), conflicts: [], rule: Self.rule, overrides: [up, down])
        #expect(o[0].outcome("A1")?.final == Points(hundredths: 500))
        // Not applicable: left out of the maximum, and the total normalised.
        let out = ScoreOverride(unit: Self.a, criterion: "A2", value: .notApplicable, source: "giải quyết khiếu nại", reason: "Không có nhiệm vụ này")
        o = Consolidation.consolidate(scale: Self.scale, units: Self.units, marks: Self.marks(), conflicts: [], rule: Self.rule, overrides: [out])
        #expect(o[0].outcome("A2")?.status == .notApplicable && o[0].unitMaximum == Points(hundredths: 1000))
        #expect(o[0].normalised == Points(hundredths: 1200) && o[0].total == Points(hundredths: 1000), "6/10 × 20 = 12, − 2")
        // A penalty override stays within its cap; an override never lifts a criterion beyond its maximum.
        let penalty = ScoreOverride(unit: Self.a, criterion: "F", value: .points(Points(hundredths: -1000)), source: "x", reason: "y")
        let beyond = ScoreOverride(unit: Self.b, criterion: "A1", value: .points(Points(hundredths: 5000)), source: "x", reason: "y")
        o = Consolidation.consolidate(scale: Self.scale, units: Self.units, marks: Self.marks(), conflicts: [], rule: Self.rule, overrides: [penalty, beyond])
        #expect(o[0].penalty == Points(hundredths: 400) && o[1].outcome("A1")?.final == Points(hundredths: 1000))
    }

    @Test("An answer's override is checked against the criterion")
    func answers() throws {
        let flat = ScoringScale.flatten(Self.scale).map(\.criterion)
        let a1 = flat.first { $0.code == "A1" }!, f = flat.first { $0.code == "F" }!
        #expect(try AppealRules.override(.rejected, points: 3, criterion: a1, unit: Self.a, source: "s", reason: "r") == nil)
        #expect(try AppealRules.override(.changed, points: 7.5, criterion: a1, unit: Self.a, source: "s", reason: "r")?.value == .points(Points(hundredths: 750)))
        #expect(try AppealRules.override(.changed, points: -2, criterion: f, unit: Self.a, source: "s", reason: "r")?.value == .points(Points(hundredths: -200)))
        #expect(try AppealRules.override(.notApplicable, points: nil, criterion: a1, unit: Self.a, source: "s", reason: "r")?.value == .notApplicable)
        for (decision, points, c) in [(AppealDecision.changed, 10.5, a1), (.changed, -1, a1), (.changed, 2, f), (.changed, -4.01, f), (.changed, .nan, a1), (.notApplicable, 0, f)] {
            #expect(throws: DomainError.self, "\(decision) \(points) \(c.code)") {
                try AppealRules.override(decision, points: points, criterion: c, unit: Self.a, source: "s", reason: "r")
            }
        }
        #expect(throws: DomainError.self) { try AppealRules.override(.changed, points: nil, criterion: a1, unit: Self.a, source: "s", reason: "r") }
        #expect(AppealRules.appealable(scale: Self.scale, unit: Self.a).map(\.code) == ["A1", "A2", "F"])
    }

    @Test("A published revision: a stable digest, and what changed from the one before")
    func revisions() throws {
        let before = Consolidation.consolidate(scale: Self.scale, units: Self.units, marks: Self.marks(), conflicts: [], rule: Self.rule)
        let r1 = PublishedResult(round: Self.a, revision: 1, outcomes: before, ranking: Ranking.rank(before, chain: []))
        #expect(r1.digest == PublishedResult(round: Self.a, revision: 1, outcomes: before, ranking: Ranking.rank(before, chain: [])).digest)
        #expect(r1.digest.count == 64 && r1.changes(from: r1).isEmpty)
        let up = ScoreOverride(unit: Self.a, criterion: "A1", value: .points(Points(hundredths: 900)), source: "đính chính lần 1", reason: "Kiểm tra lại")
        let after = Consolidation.consolidate(scale: Self.scale, units: Self.units, marks: Self.marks(), conflicts: [], rule: Self.rule, overrides: [up])
        let r2 = PublishedResult(round: Self.a, revision: 2, outcomes: after, ranking: Ranking.rank(after, chain: []))
        #expect(r2.digest != r1.digest)
        #expect(r2.changes(from: r1) == ["Đơn vị A: A1 6 → 9; tổng 12 → 15; hạng 2 → 1", "Đơn vị B: hạng 1 → 2"])
        // The canonical form round-trips through JSON unchanged.
        #expect(try JSONDecoder().decode(PublishedResult.self, from: r2.canonical) == r2)
    }
}
