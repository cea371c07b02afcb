// Eligibility benchmark: `bulk` over N people with 10 years of history each, on one core.
//
//   swift run -c release eligibility-bench [people] [--explain]
//
// Prints people per second and peak memory (max RSS). Figures go in the README's performance section;
// tests never assert timings.
import Foundation
import ThiDuaCore
#if canImport(Glibc)
import Glibc
#endif

struct LCG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 11 ^ state << 13
    }
}

let args = CommandLine.arguments.dropFirst()
let people = args.first(where: { Int($0) != nil }).flatMap(Int.init) ?? 100_000
let explain = args.contains("--explain")
let kinds = ["LDTT", "CSTDCS", "CSTD_TINH", "BK_TINH", "BK_TTG", "HCLD3"]

var g = LCG(state: 42)
let generateStart = Date()
var cases: [EligibilityCase] = []
cases.reserveCapacity(people)
for p in 0..<people {
    var ratings: [Int: TaskRating] = [:]
    var awards: [AwardFact] = []
    var initiatives: [InitiativeFact] = []
    for y in 2015...2024 {
        if Int.random(in: 0..<20, using: &g) > 0 { ratings[y] = [TaskRating.HTXSNV, .HTTNV, .HTTNV, .HTNV].randomElement(using: &g)! }
        for k in kinds where Int.random(in: 0..<4, using: &g) == 0 {
            awards.append(AwardFact(kind: k, year: y, type: Int.random(in: 0..<8, using: &g) == 0 ? .thematic : .merit))
        }
        if Int.random(in: 0..<3, using: &g) == 0 {
            initiatives.append(InitiativeFact(id: "P\(p)-\(y)", year: y, scope: [InitiativeScope.grassroots, .grassroots, .province, .national].randomElement(using: &g)!))
        }
    }
    var disciplines: [DisciplineFact] = []
    if Int.random(in: 0..<50, using: &g) == 0 { disciplines.append(DisciplineFact(from: Day(2020, 3, 1), to: Day(2020, 9, 1), form: "khiển trách")) }
    cases.append(EligibilityCase(evaluationYear: 2024, asOf: Day(2025, 1, 20), subjectType: .individual, ratings: ratings, awards: awards,
                                 initiatives: initiatives, disciplines: disciplines))
}
let generated = Date().timeIntervalSince(generateStart)

let evaluator = EligibilityEvaluator(catalogue: try Catalogue.builtIn())
var counts: [String: Int] = [:]
let start = Date()
for c in cases {
    if explain {
        for r in try evaluator.evaluate(c).results { counts[r.verdict.rawValue, default: 0] += 1 }
    } else {
        for (_, v) in try evaluator.verdicts(c) { counts[v.rawValue, default: 0] += 1 }
    }
}
let elapsed = Date().timeIntervalSince(start)

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let peakMB = Double(usage.ru_maxrss) / 1024 // Linux reports kilobytes
print("people: \(people), years of history: 10, awards judged per person: \(counts.values.reduce(0, +) / max(people, 1)), explain: \(explain)")
print("verdicts: \(counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
print(String(format: "generated in %.2f s; evaluated in %.2f s → %.0f people/s on one core", generated, elapsed, Double(people) / elapsed))
print(String(format: "peak memory (max RSS): %.0f MB", peakMB))
