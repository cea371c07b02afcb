import Foundation
import Testing
@testable import ThiDuaCore

/// Consolidation and ranking of a scoring round: worked examples whose every number is checked by hand, and
/// properties over seeded random rounds.
@Suite struct ScoringTests {
    static func p(_ v: Double) -> Points { Points(stored: v)! }
    static let units = (1...5).map { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", $0))! }
    static let names = ["Sở Tư pháp", "Công an tỉnh", "Tòa án nhân dân tỉnh", "Viện Kiểm sát nhân dân tỉnh", "Cục Thi hành án dân sự"]

    /// Group 1 (50): 1.1 manual 30, 1.2 yes/no 20. Group 2 (50): 2.1 target/actual 40, 2.2 manual 10, only for
    /// the first three units. Bonus B (cap 3, +1 per event), penalty P (cap 5, −2 per event).
    static let scale = try! ScoringScale.build([
        CriterionInput(code: "1", name: "Nhiệm vụ chuyên môn", maxPoints: 50),
        CriterionInput(code: "1.1", parent: "1", name: "Kết quả công tác", maxPoints: 30),
        CriterionInput(code: "1.2", parent: "1", name: "Báo cáo đúng hạn", maxPoints: 20, kind: .yesNo),
        CriterionInput(code: "2", name: "Chỉ tiêu giao", maxPoints: 50),
        CriterionInput(code: "2.1", parent: "2", name: "Tỷ lệ giải quyết", maxPoints: 40, kind: .targetActual),
        CriterionInput(code: "2.2", parent: "2", name: "Cải cách hành chính", maxPoints: 10, appliesTo: Array(units.prefix(3))),
        CriterionInput(code: "B", name: "Điểm thưởng", maxPoints: 3, kind: .adjustment, perEvent: 1),
        CriterionInput(code: "P", name: "Điểm trừ", maxPoints: 5, kind: .adjustment, perEvent: -2),
    ])

    static func peer(_ scorer: Int, _ unit: Int, _ code: String, _ v: MarkValue) -> ScoreMark {
        ScoreMark(unit: units[unit], criterion: code, scorer: .peer(units[scorer]), value: v)
    }

    @Test("A worked round: trimmed mean, median, conflicts, a unit scoring itself, target/actual, caps, normalisation")
    func workedRound() throws {
        let u = Self.units
        var marks: [ScoreMark] = []
        // Unit 0 on 1.1, by the four others and by itself as a peer (left out): 20, 24, 25, 30 → mean 24,75.
        for (s, v) in [(1, 20.0), (2, 24), (3, 25), (4, 30), (0, 30)] { marks.append(Self.peer(s, 0, "1.1", .points(Self.p(v)))) }
        for s in 1...4 { marks.append(Self.peer(s, 0, "1.2", .done(true))) }
        marks.append(ScoreMark(unit: u[0], criterion: "2.1", scorer: .selfAssessment, value: .targetActual(target: Self.p(50), actual: Self.p(45))))
        for s in 1...4 { marks.append(Self.peer(s, 0, "2.2", .points(Self.p(s == 4 ? 10 : 8)))) }
        marks.append(ScoreMark(unit: u[0], criterion: "B", scorer: .selfAssessment, value: .events(5)))
        marks.append(ScoreMark(unit: u[0], criterion: "P", scorer: .selfAssessment, value: .events(1)))
        // Unit 3: 2.2 does not apply (normalised), no target for 2.1 (not applicable either); scorer 1 declared a conflict.
        for (s, v) in [(0, 27.0), (1, 0), (2, 28), (4, 26)] { marks.append(Self.peer(s, 3, "1.1", .points(Self.p(v)))) }
        for s in [0, 1, 2, 4] { marks.append(Self.peer(s, 3, "1.2", .done(s != 1))) }
        marks.append(ScoreMark(unit: u[3], criterion: "2.1", scorer: .selfAssessment, value: .targetActual(target: nil, actual: Self.p(3))))
        let rule = ConsolidationRule(aggregator: .mean, bonusCap: Self.p(2), penaltyCap: Self.p(5), normalise: true)
        let conflicts = [ConflictDeclaration(scorer: u[1], unit: u[3], reason: "cùng ngành")]
        let out = Consolidation.consolidate(scale: Self.scale, units: [UnitScoring(id: u[0], name: Self.names[0]), UnitScoring(id: u[3], name: Self.names[3])],
                                            marks: marks, conflicts: conflicts, rule: rule)
        let a = out[0]
        #expect(a.outcome("1.1")?.final == Self.p(24.75))
        #expect(a.outcome("1.1")?.leftOut.map(\.reason) == ["đơn vị không chấm chính mình"])
        #expect(a.outcome("1.1")?.explanation == "Trung bình 4 điểm chấm chéo: (20 + 24 + 25 + 30) ÷ 4 = 24,75.")
        #expect(a.outcome("1.2")?.final == Self.p(20))
        #expect(a.outcome("1")?.final == Self.p(44.75))
        #expect(a.outcome("2.1")?.final == Self.p(36))
        #expect(a.outcome("2.1")?.explanation == "min(45 ÷ 50; 1) × 40 = 36 (theo tự chấm).")
        #expect(a.outcome("2.2")?.final == Self.p(8.5))
        #expect(a.raw == Self.p(89.25) && a.unitMaximum == Self.p(100) && a.normalised == Self.p(89.25))
        // Bonus: 5 events × 1 = 5, the criterion's cap 3, the round's cap 2; penalty 1 × 2 = 2.
        #expect(a.outcome("B")?.final == Self.p(3) && a.bonus == Self.p(2) && a.penalty == Self.p(2))
        #expect(a.total == Self.p(89.25) && !a.provisional)
        // Unit 3: scorer 1's marks left out; 1.1 = (27 + 28 + 26) ÷ 3 = 27; 1.2 = 20; 2.1 and 2.2 not applicable.
        let d = out[1]
        #expect(d.outcome("1.1")?.final == Self.p(27))
        #expect(d.outcome("1.1")?.leftOut.first?.reason == "đã khai xung đột lợi ích: cùng ngành")
        #expect(d.outcome("1.2")?.final == Self.p(20))
        #expect(d.outcome("2.1")?.status == .notApplicable && d.outcome("2.2")?.status == .notApplicable)
        #expect(d.outcome("2")?.status == .notApplicable)
        // 47 of 50 applicable, brought to the scale of 100: 47 × 100 ÷ 50 = 94.
        #expect(d.raw == Self.p(47) && d.unitMaximum == Self.p(50) && d.normalised == Self.p(94) && d.total == Self.p(94))
        #expect(d.explanation.contains("Quy đổi về thang 100 vì có tiêu chí không áp dụng: 47 × 100 ÷ 50 = 94."))
    }

    @Test("Disagreement beyond the gap waits for the leader's third scoring; the peers' marks are kept")
    func disagreement() {
        let u = Self.units
        let marks = [(1, 10.0), (2, 28), (3, 29)].map { Self.peer($0.0, 0, "1.1", .points(Self.p($0.1))) }
        let rule = ConsolidationRule(aggregator: .median, disagreementGap: Self.p(10))
        let unit = [UnitScoring(id: u[0], name: Self.names[0])]
        let waiting = Consolidation.consolidate(scale: Self.scale, units: unit, marks: marks, conflicts: [], rule: rule)[0]
        #expect(waiting.outcome("1.1")?.status == .awaitingThirdScoring && waiting.outcome("1.1")?.final == nil)
        #expect(waiting.outcome("1.1")?.used.count == 3 && waiting.provisional)
        let third = ScoreMark(unit: u[0], criterion: "1.1", scorer: .thirdScoring, value: .points(Self.p(25)))
        let decided = Consolidation.consolidate(scale: Self.scale, units: unit, marks: marks + [third], conflicts: [], rule: rule)[0]
        #expect(decided.outcome("1.1")?.final == Self.p(25))
        #expect(decided.outcome("1.1")?.explanation == "Điểm chấm chéo chênh 19 (từ 10 đến 29) > 10: trưởng khối chấm lần ba 25.")
        // Within the gap the median decides: 28, 29 (even count: the mean of the middle two, rounded half up).
        let close = [(1, 28.0), (2, 29)].map { Self.peer($0.0, 0, "1.1", .points(Self.p($0.1))) }
        #expect(Consolidation.consolidate(scale: Self.scale, units: unit, marks: close, conflicts: [], rule: rule)[0].outcome("1.1")?.final == Self.p(28.5))
    }

    @Test("A scorer's repeated mark counts once; different marks from one scorer count for none, and say so")
    func repeatedMarks() {
        let twiceSame = [(1, 20.0), (1, 20), (2, 30)].map { Self.peer($0.0, 0, "1.1", .points(Self.p($0.1))) }
        let unit = [UnitScoring(id: Self.units[0], name: "A")]
        let same = Consolidation.consolidate(scale: Self.scale, units: unit, marks: twiceSame, conflicts: [], rule: ConsolidationRule())[0]
        #expect(same.outcome("1.1")?.final == Self.p(25))
        let twiceOther = [(1, 20.0), (2, 30), (1, 10)].map { Self.peer($0.0, 0, "1.1", .points(Self.p($0.1))) }
        let other = Consolidation.consolidate(scale: Self.scale, units: unit, marks: twiceOther, conflicts: [], rule: ConsolidationRule())[0]
        #expect(other.outcome("1.1")?.final == Self.p(30))
        #expect(other.outcome("1.1")?.leftOut.map(\.reason) == ["chấm 2 lần với điểm khác nhau"])
    }

    @Test("Trimmed mean drops the highest and lowest from five marks; below five it is the mean")
    func trimmed() {
        let five = [10.0, 20, 21, 22, 30].map(Self.p)
        #expect(Consolidation.aggregate(five, .trimmedMean).0 == Self.p(21))
        #expect(Consolidation.aggregate(Array(five.prefix(4)), .trimmedMean).0 == Self.p(18.25))
        // Rounding half away from zero: (1 + 2 + 2) ÷ 3 = 1,666… → 1,67.
        #expect(Consolidation.aggregate([1.0, 2, 2].map(Self.p), .mean).0 == Self.p(1.67))
    }

    @Test("Leader review: the leader's mark, else the unit's own; a missing criterion makes the result provisional")
    func leaderReview() {
        let u = Self.units
        let marks = [
            ScoreMark(unit: u[0], criterion: "1.1", scorer: .selfAssessment, value: .points(Self.p(30))),
            ScoreMark(unit: u[0], criterion: "1.1", scorer: .leader, value: .points(Self.p(26))),
            ScoreMark(unit: u[0], criterion: "1.2", scorer: .selfAssessment, value: .done(true)),
        ]
        let o = Consolidation.consolidate(scale: Self.scale, units: [UnitScoring(id: u[0], name: "A")], marks: marks, conflicts: [],
                                          rule: ConsolidationRule(aggregator: .leaderReview))[0]
        #expect(o.outcome("1.1")?.final == Self.p(26) && o.outcome("1.2")?.final == Self.p(20))
        #expect(o.outcome("2.2")?.status == .missing && o.provisional)
    }

    @Test("Bands: the first reached with its condition; a flag caps the band, and the explanation says why")
    func bands() throws {
        let u = Self.units
        let rule = try ConsolidationRule(aggregator: .leaderReview, normalise: false, bands: [
            ScoreBand(name: "Xuất sắc", minimum: Self.p(95), noCriterionAtZero: true), ScoreBand(name: "Tốt", minimum: Self.p(80)),
            ScoreBand(name: "Khá", minimum: Self.p(65)),
        ], caps: [BandCap(flag: "headDisciplined", highestBand: "Khá", reason: "thủ trưởng bị kỷ luật trong năm (quy chế khối)")]).validated()
        func marks(_ unit: Int, done: Bool) -> [ScoreMark] {
            [ScoreMark(unit: u[unit], criterion: "1.1", scorer: .leader, value: .points(Self.p(30))),
             ScoreMark(unit: u[unit], criterion: "1.2", scorer: .leader, value: .done(done)),
             ScoreMark(unit: u[unit], criterion: "2.1", scorer: .leader, value: .targetActual(target: Self.p(1), actual: Self.p(1))),
             ScoreMark(unit: u[unit], criterion: "2.2", scorer: .leader, value: .points(Self.p(10)))]
        }
        let out = Consolidation.consolidate(scale: Self.scale, units: [
            UnitScoring(id: u[0], name: "A"), UnitScoring(id: u[1], name: "B", flags: ["headDisciplined"]), UnitScoring(id: u[2], name: "C"),
        ], marks: marks(0, done: true) + marks(1, done: true) + marks(2, done: false), conflicts: [], rule: rule)
        #expect(out[0].total == Self.p(100) && out[0].band == "Xuất sắc")
        #expect(out[1].band == "Khá" && out[1].explanation.contains("Hạ xuống “Khá”: thủ trưởng bị kỷ luật trong năm (quy chế khối)"))
        // 80 points with 1.2 at 0: not "Xuất sắc" (it would not be by points either), "Tốt".
        #expect(out[2].total == Self.p(80) && out[2].band == "Tốt")
        // Rules that cannot be applied are refused.
        #expect(throws: DomainError.self) { try ConsolidationRule(bands: [ScoreBand(name: "Tốt", minimum: Self.p(80)), ScoreBand(name: "Xuất sắc", minimum: Self.p(95))]).validated() }
        #expect(throws: DomainError.self) { try ConsolidationRule(bands: [ScoreBand(name: "Tốt", minimum: Self.p(80))], caps: [BandCap(flag: "x", highestBand: "Khá", reason: "")]).validated() }
    }

    @Test("Ranking: shared ranks for units no rule separates, and the rule that separated equal totals")
    func ranking() {
        func outcome(_ i: Int, total: Double, penalty: Double = 0, atMax: Int = 0) -> UnitOutcome {
            let crit = (0..<3).map { k in
                CriterionOutcome(code: "c\(k)", name: "", kind: .manual, isGroup: false, status: .scored, final: k < atMax ? Self.p(10) : Self.p(5),
                                 maximum: Self.p(10), used: [], leftOut: [], explanation: "")
            }
            return UnitOutcome(unit: Self.units[i], name: Self.names[i], criteria: crit, raw: Self.p(total), unitMaximum: Self.p(100), scaleMaximum: Self.p(100),
                               normalised: Self.p(total), bonus: .zero, penalty: Self.p(penalty), total: Self.p(total), band: nil, provisional: false, explanation: [])
        }
        let ranked = Ranking.rank([outcome(0, total: 90, atMax: 1), outcome(1, total: 95), outcome(2, total: 90, atMax: 2),
                                   outcome(3, total: 80, penalty: 1), outcome(4, total: 80, penalty: 1)],
                                  chain: [.criteriaAtMaximum, .fewerPenaltyPoints])
        #expect(ranked.map(\.rank) == [1, 2, 3, 4, 4])
        // The tied pair is shown by name (“Cục …” before “Viện …”), which decides nothing: both are 4th.
        #expect(ranked.map(\.unit) == [Self.units[1], Self.units[2], Self.units[0], Self.units[4], Self.units[3]])
        #expect(ranked[2].separatedFromAboveBy == "nhiều tiêu chí đạt điểm tối đa hơn" && !ranked[2].tied)
        #expect(ranked[3].tied && ranked[4].tied && !ranked[0].tied)
    }

    @Test("Points: bounded parsing, Vietnamese display, no trap on stored nonsense")
    func points() {
        #expect(Points(stored: 12.5)?.description == "12,5")
        #expect(Points(stored: 1250.75)?.description == "1.250,75")
        #expect(Points(stored: -3)?.description == "-3")
        #expect(Points(stored: 0.05)?.description == "0,05")
        #expect(Points(stored: .nan) == nil && Points(stored: 1e19) == nil && Points(stored: 1.234) == nil)
        #expect(throws: DomainError.self) { try Points.parse(10.5, max: Self.p(10), field: "x", label: "1.1") }
        #expect(throws: DomainError.self) { try Points.parse(-1, max: Self.p(10), field: "x", label: "1.1") }
        #expect(throws: DomainError.self) { try Points.parse(.infinity, max: Self.p(10), field: "x", label: "1.1") }
        #expect(throws: DomainError.self) { try Points.parse(nil, max: Self.p(10), field: "x", label: "1.1") }
        // No trap on numbers no real scale has: a product beyond 64 bits is approximated within bounds.
        #expect(Points.scaled(Points(hundredths: 4_000), by: .max, over: .max) == Points(hundredths: 4_000))
        #expect(Points.scaled(Points(hundredths: 100_000_000), by: 1 << 62, over: 3).hundredths == Points.limit * 1_000)
        #expect(Points.scaled(Points(hundredths: 5), by: 1, over: 0) == .zero)
        let huge = ScoreMark(unit: Self.units[0], criterion: "2.1", scorer: .selfAssessment,
                             value: .targetActual(target: Points(hundredths: .max / 2), actual: Points(hundredths: .max / 4)))
        #expect(Consolidation.consolidate(scale: Self.scale, units: [UnitScoring(id: Self.units[0], name: "A")], marks: [huge], conflicts: [],
                                          rule: ConsolidationRule())[0].outcome("2.1")?.final == Self.p(20))
        #expect(Points.roundedDivision(5, 2) == 3 && Points.roundedDivision(-5, 2) == -3 && Points.roundedDivision(4, 3) == 1 && Points.roundedDivision(1, 0) == 0)
    }

    // MARK: Properties over seeded random rounds

    struct Round {
        var units: [UnitScoring]
        var marks: [ScoreMark]
        var conflicts: [ConflictDeclaration]
        var rule: ConsolidationRule
    }

    static func randomRound(_ rng: inout SplitMix64) -> Round {
        let n = 3 + Int(rng.below(3))
        let units = (0..<n).map { UnitScoring(id: Self.units[$0], name: Self.names[$0]) }
        var marks: [ScoreMark] = []
        for target in 0..<n {
            for scorer in 0..<n where scorer != target {
                marks.append(Self.peer(scorer, target, "1.1", .points(Points(hundredths: Int64(rng.below(3001))))))
                marks.append(Self.peer(scorer, target, "1.2", .done(rng.below(4) != 0)))
                marks.append(Self.peer(scorer, target, "2.2", .points(Points(hundredths: Int64(rng.below(1001))))))
            }
            // Now and then a scorer entered twice (the same mark, or another): never counted twice, whatever the order.
            if rng.below(4) == 0 {
                let twice = (target + 1) % n
                marks.append(Self.peer(twice, target, "1.1", .points(Points(hundredths: Int64(rng.below(2) == 0 ? 0 : rng.below(3001))))))
            }
            let target21 = rng.below(5) == 0 ? nil : Points(hundredths: Int64(1 + rng.below(10_000)))
            marks.append(ScoreMark(unit: Self.units[target], criterion: "2.1", scorer: .selfAssessment,
                                   value: .targetActual(target: target21, actual: Points(hundredths: Int64(rng.below(12_000))))))
            marks.append(ScoreMark(unit: Self.units[target], criterion: "B", scorer: .selfAssessment, value: .events(Int(rng.below(6)))))
            marks.append(ScoreMark(unit: Self.units[target], criterion: "P", scorer: .selfAssessment, value: .events(Int(rng.below(6)))))
        }
        let aggregators = Aggregator.allCases.filter { $0 != .leaderReview }
        let rule = ConsolidationRule(aggregator: aggregators[Int(rng.below(UInt64(aggregators.count)))], bonusCap: rng.below(2) == 0 ? nil : Points(hundredths: 200),
                                     penaltyCap: rng.below(2) == 0 ? nil : Points(hundredths: 500), normalise: rng.below(2) == 0)
        let conflicts = rng.below(2) == 0 ? [] : [ConflictDeclaration(scorer: Self.units[0], unit: Self.units[1], reason: "cùng ngành")]
        return Round(units: units, marks: marks, conflicts: conflicts, rule: rule)
    }

    static func run(_ r: Round) -> [UnitOutcome] {
        Consolidation.consolidate(scale: scale, units: r.units, marks: r.marks, conflicts: r.conflicts, rule: r.rule)
    }

    @Test("Properties: totals within bounds, ranking a permutation, order of entry irrelevant, conflicted marks without effect")
    func properties() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<300 {
            let round = Self.randomRound(&rng)
            let out = Self.run(round)
            for o in out {
                #expect(o.total >= .zero && o.total <= o.scaleMaximum + Points(hundredths: 300))
                #expect(o.raw <= o.unitMaximum && o.normalised <= o.scaleMaximum)
            }
            let ranked = Ranking.rank(out, chain: [.criteriaAtMaximum, .group("1"), .fewerPenaltyPoints])
            #expect(Set(ranked.map(\.unit)) == Set(round.units.map(\.id)) && ranked.count == round.units.count)
            #expect(ranked.map(\.rank) == ranked.map(\.rank).sorted())
            // The order marks were entered in changes nothing.
            var shuffled = round
            shuffled.marks = round.marks.shuffled(using: &rng)
            #expect(Self.run(shuffled).map(\.total) == out.map(\.total))
            // Marks from a scorer that declared a conflict never count, whatever they are.
            if let c = round.conflicts.first {
                var noisy = round
                noisy.marks = round.marks.map { m in
                    guard m.unit == c.unit, m.scorer == .peer(c.scorer), case .points = m.value else { return m }
                    var changed = m
                    changed.value = .points(.zero)
                    return changed
                }
                #expect(Self.run(noisy).map(\.total) == out.map(\.total))
            }
        }
    }

    @Test("Property: raising every peer's mark for one unit on one criterion never lowers its rank")
    func monotone() {
        var rng = SplitMix64(seed: 12)
        for _ in 0..<300 {
            let round = Self.randomRound(&rng)
            let chain: [TieBreak] = [.criteriaAtMaximum, .fewerPenaltyPoints]
            let before = Ranking.rank(Self.run(round), chain: chain)
            let lucky = round.units[Int(rng.below(UInt64(round.units.count)))].id
            var raised = round
            raised.marks = round.marks.map { m in
                guard m.unit == lucky, m.criterion == "1.1", case .points(let v) = m.value else { return m }
                var up = m
                up.value = .points(Swift.min(v + Points(hundredths: 500), Points(hundredths: 3000)))
                return up
            }
            let after = Ranking.rank(Self.run(raised), chain: chain)
            let r0 = before.first { $0.unit == lucky }!.rank, r1 = after.first { $0.unit == lucky }!.rank
            #expect(r1 <= r0, "rank went from \(r0) to \(r1)")
        }
    }
}
