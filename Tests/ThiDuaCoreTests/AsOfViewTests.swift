import Foundation
import Testing
@testable import ThiDuaCore

/// A past date of consideration gives the verdict as it stood then, on case files as in the register: facts dated
/// after it are left out and listed, on both verdict paths.
@Suite("As of a date")
struct AsOfViewTests {
    static let history = """
    "subject": {"type": "individual"},
    "ratings": [{"year": 2022, "rating": "HTXSNV"}, {"year": 2023, "rating": "HTXSNV"}, {"year": 2024, "rating": "HTXSNV"}, {"year": 2026, "rating": "HTXSNV"}],
    "awards": [{"kind": "CSTDCS", "year": 2022}, {"kind": "CSTDCS", "year": 2023}, {"kind": "CSTDCS", "year": 2024, "date": "2025-01-10"},
               {"kind": "BK_TINH", "year": 2024, "date": "2025-03-01", "periodFrom": 2023}],
    "initiatives": [{"id": "SK-T", "year": 2023, "scope": "province", "usedBy": "CSTD_TINH:2026"}, {"id": "SK-M", "year": 2026, "scope": "grassroots"}],
    "disciplines": [{"from": "2025-02-01", "to": "2025-08-01", "form": "khiển trách"}],
    "freezes": [{"from": "2025-02-15", "reason": "thanh tra"}]
    """

    @Test("Facts after asOf are read, left out and listed; the verdict is the one of that day")
    func past() throws {
        let r = try Engine.report(#"{"evaluationYear": 2024, "asOf": "2025-01-20", \#(Self.history), "candidates": ["CSTD_TINH", "BK_TINH"]}"#)
        let left = try #require(r.leftOut)
        #expect(left.contains { $0.hasPrefix("Khen thưởng BK_TINH năm 2024 (quyết định ngày 01/03/2025) – sau ngày xét 20/01/2025") })
        #expect(left.contains { $0.hasPrefix("Xếp loại năm 2026") } && left.contains { $0.hasPrefix("Sáng kiến SK-M năm 2026") })
        #expect(left.contains { $0.contains("SK-T dùng cho CSTD_TINH:2026") } && left.contains { $0.hasPrefix("Kỷ luật (khiển trách) từ 01/02/2025") })
        #expect(left.contains { $0.hasPrefix("Đang thanh tra từ 15/02/2025") })
        #expect(!left.contains { $0.contains("CSTDCS năm 2024") }, "decided before asOf: counted")
        // As of 20/01/2025: three CSTĐCS and a province initiative not yet consumed; no freeze, no discipline yet.
        #expect(r.results.first { $0.award == "CSTD_TINH" }?.verdict == .eligible)
        // A month later the freeze is open: nothing.
        let later = try Engine.report(#"{"evaluationYear": 2024, "asOf": "2025-03-10", \#(Self.history), "candidates": ["CSTD_TINH", "BK_TINH"]}"#)
        #expect(later.results.allSatisfy { $0.verdict == .ineligible })
        #expect(later.leftOut?.contains { $0.contains("Xếp loại năm 2026") } == true && later.leftOut?.contains { $0.contains("BK_TINH") } == false)
    }

    @Test("Nothing after asOf: nothing listed; both paths agree and the order of the lists never matters; a year counts as known within that year")
    func paths() throws {
        let c = try Engine.read(#"{"evaluationYear": 2024, "asOf": "2025-01-20", \#(Self.history)}"#)
        #expect(try Engine.evaluator.verdicts(c).map(\.1) == Engine.evaluator.evaluate(c).results.map(\.verdict))
        var shuffled = c
        shuffled.awards.reverse(); shuffled.initiatives.reverse()
        #expect(try Engine.evaluator.evaluate(shuffled) == Engine.evaluator.evaluate(c))
        let now = try Engine.report(#"{"evaluationYear": 2025, "asOf": "2026-03-01", \#(Self.history)}"#)
        // Facts with a year only are known within that year (a mid-year look at the year, as the register's pages allow).
        #expect(now.leftOut == nil)
        var g = SeededRandom(state: 6_062)
        for _ in 0..<300 {
            var r = RandomHistory.individual(&g)
            r.asOf = Day(r.evaluationYear - Int.random(in: 0...3, using: &g), Int.random(in: 1...12, using: &g), 15)
            r.awards = r.awards.map { var a = $0; if Bool.random(using: &g) { a.date = Day(a.year + 1, 2, 1) }; return a }
            #expect(try Engine.evaluator.verdicts(r).map(\.1) == Engine.evaluator.evaluate(r).results.map(\.verdict))
            #expect(try Engine.evaluator.summary(r).eligible == Engine.evaluator.evaluate(r).results.filter { $0.verdict == .eligible }.map(\.award))
        }
    }
}
