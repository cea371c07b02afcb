import Foundation
import Testing
@testable import ThiDuaCore

/// The interval between two awards (Decree 98/2023 Art. 30 cl. 9): the achievement years that earned the last award
/// of a kind cannot earn the next one again. Legal cases per rule and regime, the decree's fallback for a decision
/// that names no period, and the catalogue's and case file's refusals.
@Suite("Interval between awards")
struct IntervalRuleTests {
    func ratings(_ years: ClosedRange<Int>, _ r: String = "HTXSNV") -> String {
        years.map { "{\"year\": \($0), \"rating\": \"\(r)\"}" }.joined(separator: ", ")
    }

    func awards(_ list: [(String, Int)], extra: String = "") -> String {
        (list.map { "{\"kind\": \"\($0.0)\", \"year\": \($0.1)}" } + (extra.isEmpty ? [] : [extra])).joined(separator: ", ")
    }

    @Test("BK_TINH two years after the previous one (2022–2023): the next needs years after 2023; the explanation names the previous award")
    func bkTinh() throws {
        func run(_ year: Int, previous: String?) throws -> AwardResult {
            try Engine.result("""
            {"evaluationYear": \(year), "asOf": "\(year + 1)-02-01", "subject": {"type": "individual"}, "ratings": [\(ratings(2021...year))],
             "awards": [\(awards([("CSTDCS", 2022), ("CSTDCS", 2023), ("CSTDCS", 2024), ("CSTDCS", 2025)].filter { $0.1 <= year }, extra: previous ?? ""))],
             "candidates": ["BK_TINH"]}
            """, "BK_TINH")
        }
        let previous = #"{"kind": "BK_TINH", "year": 2023, "periodFrom": 2022, "decision": "125/QĐ-UBND", "date": "2024-01-15"}"#
        #expect(try run(2024, previous: nil).verdict == .eligible, "without a previous award, CSTĐCS 2023–2024 is enough")
        let blocked = try run(2024, previous: previous)
        #expect(blocked.verdict == .ineligible)
        #expect(blocked.conditions.contains { $0.met == false && $0.data.contains("năm 2023 không tính vì đã dùng cho “Bằng khen") }, "\(blocked.conditions.map(\.data))")
        let line = try #require(blocked.conditions.first)
        #expect(line.cites?.contains("Điều 30 khoản 9") == true && line.confidence == .confirmed)
        #expect(line.data.contains("BK_TINH năm 2023 (thành tích 2022–2023, QĐ 125/QĐ-UBND ngày 15/01/2024)") && line.data.contains("từ năm 2024"), "\(line.data)")
        #expect(try run(2025, previous: previous).verdict == .eligible, "CSTĐCS 2024–2025 come after the previous award's period")
        // The initiatives of the used-up years do not count either (the other way to BK_TINH).
        let viaInitiatives = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-02-01", "subject": {"type": "individual"}, "ratings": [\(ratings(2023...2024))],
         "awards": [\(previous)], "initiatives": [{"id": "SK-2023", "year": 2023, "scope": "grassroots"}, {"id": "SK-2024", "year": 2024, "scope": "grassroots"}],
         "candidates": ["BK_TINH"]}
        """, "BK_TINH")
        #expect(viaInitiatives.verdict == .ineligible && viaInitiatives.consumes.isEmpty)
    }

    @Test("CSTĐ tỉnh one year after the previous one: two CSTĐ tỉnh need six years of CSTĐCS (2013 and 2022 regimes)", arguments: [2018, 2024])
    func cstdTinh(year: Int) throws {
        func run(_ y: Int) throws -> AwardResult {
            let cstdcs = ((year - 6)...y).map { ("CSTDCS", $0) }
            return try Engine.result("""
            {"evaluationYear": \(y), "asOf": "\(y + 1)-02-01", "subject": {"type": "individual"}, "ratings": [\(ratings((year - 6)...y))],
             "awards": [\(awards(cstdcs + [("CSTD_TINH", year - 3)]))],
             "initiatives": [{"id": "SK-T", "year": \(year - 1), "scope": "province"}, {"id": "SK-T2", "year": \(year), "scope": "province"}],
             "candidates": ["CSTD_TINH"]}
            """, "CSTD_TINH")
        }
        // Previous CSTĐ tỉnh in year−3 (its streak year−5…year−3): year−1 is too early (year−3 used), year is the next.
        let early = try run(year - 1)
        #expect(early.verdict == .ineligible && early.unmet.contains { $0.contains("3 lần liên tục") })
        #expect(try run(year).verdict == .eligible)
        #expect(try run(year).conditions.first?.confidence == (year == 2018 ? .olderText : .confirmed))
    }

    @Test("A second BK TTg restarts the five-year count toward HCLĐ hạng Ba; HCLĐ hạng Nhì counts after HCLĐ hạng Ba")
    func labourOrder() throws {
        func run(_ ttg: [Int]) throws -> AwardResult {
            try Engine.result("""
            {"evaluationYear": 2024, "asOf": "2025-04-01", "subject": {"type": "individual"}, "ratings": [\(ratings(2017...2024))],
             "awards": [\(awards(ttg.map { ("BK_TTG", $0) } + [("CSTDCS", 2020), ("CSTDCS", 2022), ("CSTDCS", 2024)]))], "candidates": ["HCLD3"]}
            """, "HCLD3")
        }
        #expect(try run([2017]).verdict == .eligible)
        let second = try run([2017, 2021])
        #expect(second.verdict == .ineligible)
        #expect(second.conditions.contains { $0.data.contains("năm 2020, 2021 không tính vì đã dùng cho “Bằng khen của Thủ tướng Chính phủ” năm 2021") },
                "\(second.conditions.map(\.data))")
        let hcld2 = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-04-01", "subject": {"type": "individual"}, "ratings": [\(ratings(2017...2024))],
         "awards": [\(awards([("HCLD3", 2021), ("CSTD_TINH", 2022)]))], "candidates": ["HCLD2"]}
        """, "HCLD2")
        #expect(hcld2.verdict == .ineligible, "HCLĐ hạng Ba 2021 uses up 2020–2021 of the five years")
    }

    @Test("A decision that names no period counts from the day it was issued (ThiDua's reading, marked unconfirmed)")
    func fallback() throws {
        func run(_ previous: String) throws -> AwardResult {
            try Engine.result("""
            {"evaluationYear": 2025, "asOf": "2026-02-01", "subject": {"type": "individual"}, "ratings": [\(ratings(2023...2025))],
             "awards": [\(awards([("CSTDCS", 2024), ("CSTDCS", 2025)], extra: previous))], "candidates": ["BK_TINH"]}
            """, "BK_TINH")
        }
        // Issued late (03/2025) for 2023 without a period: 2024 is used up too, so CSTĐCS 2024–2025 is not enough.
        let late = try run(#"{"kind": "BK_TINH", "year": 2023, "date": "2025-03-01"}"#)
        #expect(late.verdict == .ineligible && late.usesUnconfirmedRule)
        #expect(late.conditions.first?.data.contains("không ghi thời gian lập thành tích: tính từ ngày ban hành") == true)
        // The same decision naming its period 2022–2023: 2024 counts.
        let named = try run(#"{"kind": "BK_TINH", "year": 2023, "periodFrom": 2022, "date": "2025-03-01"}"#)
        #expect(named.verdict == .eligible)
        // Issued in the usual way (early in the next year): the achievement year is the last one used.
        #expect(try run(#"{"kind": "BK_TINH", "year": 2023, "date": "2024-01-15"}"#).verdict == .eligible)
        // A revoked or thematic previous award uses nothing up.
        #expect(try run(#"{"kind": "BK_TINH", "year": 2024, "revoked": true}"#).verdict == .eligible)
        #expect(try run(#"{"kind": "BK_TINH", "year": 2024, "type": "thematic"}"#).verdict == .eligible)
    }

    @Test("Both verdict paths agree with intervals, periods and late decisions in the history")
    func pathsAgree() throws {
        var g = SeededRandom(state: 9_030)
        for _ in 0..<400 {
            var c = RandomHistory.individual(&g)
            c.awards = c.awards.map { a in
                var a = a
                if Int.random(in: 0..<3, using: &g) == 0 { a.periodFrom = a.year - Int.random(in: 0...2, using: &g) }
                if Int.random(in: 0..<3, using: &g) == 0 { a.date = Day(min(a.year + Int.random(in: 1...2, using: &g), c.evaluationYear + 1), 3, 1) }
                return a
            }
            let fast = try Engine.evaluator.verdicts(c).map(\.1)
            let full = try Engine.evaluator.evaluate(c).results.map(\.verdict)
            #expect(fast == full)
            var shuffled = c
            shuffled.awards.shuffle(using: &g)
            #expect(try Engine.evaluator.evaluate(shuffled) == Engine.evaluator.evaluate(c))
        }
    }

    /// The catalogue tests' header with one rule (its "when" replaced to add an interval).
    let header = CatalogueTests().header + """

    rules:
      - award: LDTT
        regimes: [R1]
        when:
          rating: HTTNV
          cites: a
          confidence: confirmed

    """

    func loadError(_ text: String) -> String { CatalogueTests().loadError(text) }

    @Test("An interval naming an unknown kind, a regime not of its rule, or without its citation is refused with file and line")
    func catalogueErrors() {
        #expect(loadError(header.replacingOccurrences(of: "    when:\n", with: "    interval:\n      after: [BK_XYZ]\n      cites: a\n      confidence: confirmed\n    when:\n"))
                == "tinh.yaml:16: interval: mã danh hiệu “BK_XYZ” không có trong danh mục")
        #expect(loadError(header.replacingOccurrences(of: "    when:\n", with: "    interval:\n      - after: [LDTT]\n        regimes: [R2]\n        cites: a\n        confidence: confirmed\n    when:\n"))
                .hasPrefix("tinh.yaml:17: interval: chế độ “R2”"))
        #expect(loadError(header.replacingOccurrences(of: "    when:\n", with: "    interval:\n      after: [LDTT]\n      confidence: confirmed\n    when:\n"))
                .hasPrefix("tinh.yaml:16: thiếu “cites”"))
        #expect(loadError(header) == "", "the header itself loads")
    }

    @Test("A case file's periodFrom after the award's year, or in the future, is refused naming the field")
    func caseFileErrors() {
        func error(_ award: String) -> String {
            do { _ = try Engine.read(#"{"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"}, "awards": [\#(award)]}"#); return "" } catch { return "\(error)" }
        }
        #expect(error(#"{"kind": "BK_TINH", "year": 2023, "periodFrom": 2024}"#).contains("awards[0].periodFrom: năm bắt đầu thành tích 2024 sau năm thành tích 2023"))
        #expect(error(#"{"kind": "BK_TINH", "year": 2023, "periodFrom": "2022"}"#).contains("awards[0].periodFrom"))
        #expect(error(#"{"kind": "BK_TINH", "year": 2023, "periodFrom": 2022}"#) == "")
    }
}
