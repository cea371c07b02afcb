// Scoring benchmark: consolidate one bloc's round, with every criterion's explanation, on one core.
//
//   swift run -c release scoring-bench [units] [criteria] [--runs N]
//
// Defaults: 30 units × 200 criteria (20 groups of 10), every unit scored by the 29 others on every criterion
// (174.000 marks). Prints the time per consolidation (median of the runs), the time of a plain summation of the same
// marks (the floor: no rule, no explanation), their ratio, and peak memory. Figures go in the README; tests never
// assert timings.
import Foundation
import ThiDuaCore
#if canImport(Glibc)
import Glibc
#endif

let args = Array(CommandLine.arguments.dropFirst())
let numbers = args.compactMap(Int.init)
let unitCount = max(2, min(numbers.first ?? 30, 200))
let criteriaCount = max(10, min(numbers.dropFirst().first ?? 200, 500))
let runs = args.firstIndex(of: "--runs").flatMap { args.indices.contains($0 + 1) ? Int(args[$0 + 1]) : nil }.map { max(1, min($0, 1000)) } ?? 21

var rng = SplitMix64(seed: 2026)
let groups = criteriaCount / 10
var inputs: [CriterionInput] = []
for g in 1...groups {
    inputs.append(CriterionInput(code: "\(g)", name: "Nhóm \(g)", maxPoints: 50))
    for c in 1...10 { inputs.append(CriterionInput(code: "\(g).\(c)", parent: "\(g)", name: "Tiêu chí \(g).\(c)", maxPoints: 5)) }
}
let scale = try ScoringScale.build(inputs)
let leaves = ScoringScale.flatten(scale).filter { $0.criterion.children.isEmpty }.map(\.criterion.code)
let units = (0..<unitCount).map { UnitScoring(id: UUID(), name: "Đơn vị \($0 + 1)") }
var marks: [ScoreMark] = []
marks.reserveCapacity(unitCount * (unitCount - 1) * leaves.count)
// Each unit has a level per criterion; its peers mark it within ±0,5 of that level (so that few criteria exceed the
// disagreement gap, as in a real round), 0–5 points with two decimals.
for target in units {
    let levels = leaves.map { _ in Int64(50 + rng.below(401)) }
    for scorer in units where scorer.id != target.id {
        for (i, code) in leaves.enumerated() {
            let mark = min(500, max(0, levels[i] - 50 + Int64(rng.below(101))))
            marks.append(ScoreMark(unit: target.id, criterion: code, scorer: .peer(scorer.id), value: .points(Points(hundredths: mark))))
        }
    }
}
let rule = ConsolidationRule(aggregator: .trimmedMean, disagreementGap: Points(hundredths: 90), bonusCap: Points(hundredths: 300),
                             penaltyCap: Points(hundredths: 300), normalise: true,
                             bands: [ScoreBand(name: "Xuất sắc", minimum: Points(hundredths: 95 * 100 * Int64(groups) / 2), noCriterionAtZero: true),
                                     ScoreBand(name: "Tốt", minimum: Points(hundredths: 80 * 100 * Int64(groups) / 2))])

func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
var times: [Double] = []
var checksum: Int64 = 0
for _ in 0..<runs {
    let start = DispatchTime.now().uptimeNanoseconds
    let out = Consolidation.consolidate(scale: scale, units: units, marks: marks, conflicts: [], rule: rule)
    let ranked = Ranking.rank(out, chain: [.criteriaAtMaximum, .group("1")])
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    checksum &+= out.reduce(0) { $0 &+ $1.total.hundredths } &+ Int64(ranked.count) &+ Int64(out[0].criteria[1].explanation.utf8.count)
}
var plain: [Double] = []
for _ in 0..<runs {
    let start = DispatchTime.now().uptimeNanoseconds
    var sums: [UUID: Int64] = [:]
    for m in marks { if case .points(let p) = m.value { sums[m.unit, default: 0] &+= p.hundredths } }
    plain.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    checksum &+= sums.values.reduce(0, &+)
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let consolidate = median(times), sum = median(plain)
print("\(unitCount) units × \(leaves.count) criteria × \(unitCount - 1) peer marks = \(marks.count) marks, \(runs) runs (checksum \(checksum))")
print(String(format: "consolidate + rank, with explanations: %.1f ms (median; min %.1f, max %.1f)", consolidate, times.min() ?? 0, times.max() ?? 0))
print(String(format: "plain summation of the same marks: %.2f ms; ratio %.1f×", sum, consolidate / sum))
print("peak memory (max RSS): \(usage.ru_maxrss / 1024) MB")
