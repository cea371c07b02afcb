import Foundation
import Testing
@testable import ThiDuaCore

/// Builds and evaluates case files the way the CLI and the API do.
struct Engine {
    static let catalogue: Catalogue = try! Catalogue.builtIn()
    static let evaluator = EligibilityEvaluator(catalogue: catalogue)

    /// The legal-case tables record no initiatives or disciplines unless they list them: a list a case leaves out is
    /// read as given empty ("none"). `MissingVersusNoneTests` reads case files as they are, where a list left out
    /// means "not recorded".
    static func read(_ json: String, catalogue: Catalogue = Engine.catalogue) throws -> EligibilityCase {
        let reader = CaseFileReader(catalogue: catalogue)
        guard var o = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else { return try reader.read(Data(json.utf8)) }
        for key in ["initiatives", "disciplines"] where o[key] == nil { o[key] = [Any]() }
        // … and their people have been in service for years unless they say when they started.
        if var subject = o["subject"] as? [String: Any], subject["type"] as? String == "individual", subject["serviceStart"] == nil {
            subject["serviceStart"] = "2000-01-01"
            o["subject"] = subject
        }
        return try reader.read(object: o)
    }

    static func report(_ json: String) throws -> EligibilityReport {
        try evaluator.evaluate(read(json))
    }

    static func result(_ json: String, _ award: String) throws -> AwardResult {
        try #require(report(json).results.first { $0.award == award })
    }
}

/// Table-driven legal cases: at least one per rule and regime, and every worked example of LAW-AND-PRACTICE.md.
@Suite struct LegalCaseTests {
    @Test("BK_TINH (Law 06/2022 Art. 74 k1 d): HTXSNV 2023 + initiative, HTXSNV 2024 + initiative + CSTDCS 2024 → eligible")
    func bkTinhMOHAExample() throws {
        let r = try Engine.report("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual", "name": "Nguyễn Thị A", "gender": "female"},
         "ratings": [{"year": 2023, "rating": "HTXSNV"}, {"year": 2024, "rating": "HTXSNV"}],
         "awards": [{"kind": "CSTDCS", "year": 2024, "type": "merit", "decision": "QĐ 12/QĐ-CAT", "date": "2025-01-10"}],
         "initiatives": [{"id": "SK-2023", "year": 2023, "scope": "grassroots", "usedBy": null},
                         {"id": "SK-2024", "year": 2024, "scope": "grassroots", "usedBy": null}],
         "candidates": ["BK_TINH"]}
        """)
        #expect(r.regime == "LAW2022_ND98")
        let bk = try #require(r.results.first)
        #expect(bk.verdict == .eligible)
        #expect(bk.consumes == ["SK-2023", "SK-2024"])
        #expect(bk.unmet.isEmpty, "an alternative way that is not needed is not “missing”")
        #expect(bk.conditions.contains { $0.cites?.contains("Điều 74 khoản 1 điểm d") == true && $0.met == true })
    }

    @Test("Initiatives already used for CSTDCS cannot count again for BK_TINH")
    func initiativesConsumed() throws {
        let bk = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"},
         "ratings": [{"year": 2023, "rating": "HTXSNV"}, {"year": 2024, "rating": "HTXSNV"}],
         "awards": [{"kind": "CSTDCS", "year": 2024}],
         "initiatives": [{"id": "SK-2023", "year": 2023, "scope": "grassroots"},
                         {"id": "SK-2024", "year": 2024, "scope": "grassroots", "usedBy": "CSTDCS:2024"}]}
        """, "BK_TINH")
        #expect(bk.verdict == .ineligible)
        #expect(bk.conditions.contains { $0.met == false && $0.data.contains("SK-2024 → CSTDCS:2024") })
        // With a title, explanations name the initiative by its title.
        let titled = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"},
         "ratings": [{"year": 2023, "rating": "HTXSNV"}, {"year": 2024, "rating": "HTXSNV"}],
         "initiatives": [{"id": "SK-2023", "year": 2023, "scope": "grassroots", "title": "Sổ tay nghiệp vụ"}]}
        """, "BK_TINH")
        #expect(titled.conditions.contains { $0.data.contains("“Sổ tay nghiệp vụ”") })
        #expect(bk.consumes.isEmpty)
    }

    @Test("CSTDCS 2022–2024 plus a province initiative → CSTD_TINH eligible for 2024")
    func cstdTinh() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"},
         "ratings": [{"year": 2022, "rating": "HTXSNV"}, {"year": 2023, "rating": "HTXSNV"}, {"year": 2024, "rating": "HTXSNV"}],
         "awards": [{"kind": "CSTDCS", "year": 2022}, {"kind": "CSTDCS", "year": 2023}, {"kind": "CSTDCS", "year": 2024}],
         "initiatives": [{"id": "SK-T", "year": 2023, "scope": "province"}]}
        """, "CSTD_TINH")
        #expect(r.verdict == .eligible)
        #expect(r.consumes == ["SK-T"])
    }

    @Test("CSTDCS 2021, 2023, 2024 is a broken streak: CSTD_TINH ineligible, saying 2022 is missing")
    func brokenStreak() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"},
         "ratings": [{"year": 2024, "rating": "HTXSNV"}],
         "awards": [{"kind": "CSTDCS", "year": 2021}, {"kind": "CSTDCS", "year": 2023}, {"kind": "CSTDCS", "year": 2024}],
         "initiatives": [{"id": "SK-T", "year": 2024, "scope": "province"}]}
        """, "CSTD_TINH")
        #expect(r.verdict == .ineligible)
        let streak = try #require(r.conditions.first { $0.text.contains("3 lần liên tục") })
        #expect(streak.met == false)
        #expect(streak.data.contains("thiếu năm 2022"))
    }

    @Test("The same history under the 2018 regime and under Law 06/2022: CSTDCS needs an initiative before 2024 only")
    func regimesDiffer() throws {
        let history = """
         "subject": {"type": "individual"}, "ratings": [{"year": 2023, "rating": "HTXSNV"}], "candidates": ["CSTDCS"]
        """
        let old = try Engine.report("{\"evaluationYear\": 2023, \"asOf\": \"2023-12-20\", \(history)}")
        #expect(old.regime == "LAW2013_ND91")
        #expect(old.results[0].verdict == .ineligible)
        #expect(old.results[0].unmet.contains { $0.contains("sáng kiến") })
        let new = try Engine.report("{\"evaluationYear\": 2023, \"asOf\": \"2024-01-20\", \(history)}")
        #expect(new.regime == "LAW2022_ND98")
        #expect(new.results[0].verdict == .eligible)
        // And forced: the 2018 regime for a 2018 evaluation.
        let forced = try Engine.report("{\"evaluationYear\": 2023, \"asOf\": \"2025-08-01\", \"regime\": \"LAW2013_ND91\", \(history)}")
        #expect(forced.regime == "LAW2013_ND91" && forced.results[0].verdict == .ineligible)
        let nd152 = try Engine.report("{\"evaluationYear\": 2023, \"asOf\": \"2025-08-01\", \(history)}")
        #expect(nd152.regime == "LAW2022_ND152" && nd152.results[0].verdict == .eligible)
    }

    @Test("2018: CSTDCS with LĐTT standard and a grassroots initiative → eligible")
    func cstdcs2018() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2018, "asOf": "2019-01-15", "subject": {"type": "individual"},
         "ratings": [{"year": 2018, "rating": "HTTNV"}], "initiatives": [{"id": "SK1", "year": 2018, "scope": "grassroots"}]}
        """, "CSTDCS")
        #expect(r.verdict == .eligible)
        #expect(r.consumes == ["SK1"])
    }

    @Test("An irregular award does not count toward a merit streak")
    func irregularNotCounted() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"},
         "ratings": [{"year": 2024, "rating": "HTXSNV"}],
         "awards": [{"kind": "CSTDCS", "year": 2022}, {"kind": "CSTDCS", "year": 2023, "type": "irregular"}, {"kind": "CSTDCS", "year": 2024}],
         "initiatives": [{"id": "SK-T", "year": 2024, "scope": "province"}]}
        """, "CSTD_TINH")
        #expect(r.verdict == .ineligible)
        #expect(r.conditions.contains { $0.data.contains("đột xuất") })
    }

    @Test("An open freeze → ineligible, with the reason")
    func openFreeze() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"},
         "ratings": [{"year": 2024, "rating": "HTXSNV"}],
         "freezes": [{"from": "2024-12-01", "to": null, "reason": "bị xem xét kỷ luật"}]}
        """, "LDTT")
        #expect(r.verdict == .ineligible)
        let freeze = try #require(r.conditions.first { $0.text.contains("Không đang bị xem xét") })
        #expect(freeze.met == false && freeze.data.contains("bị xem xét kỷ luật"))
        #expect(freeze.cites?.contains("Nghị định 98/2023") == true)
    }

    @Test("A closed freeze does not block; a discipline restarts the counting")
    func disciplineRestarts() throws {
        let r = try Engine.report("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"},
         "ratings": [{"year": 2022, "rating": "HTXSNV"}, {"year": 2023, "rating": "HTXSNV"}, {"year": 2024, "rating": "HTXSNV"}],
         "awards": [{"kind": "CSTDCS", "year": 2022}, {"kind": "CSTDCS", "year": 2023}, {"kind": "CSTDCS", "year": 2024}],
         "initiatives": [{"id": "SK-T", "year": 2024, "scope": "province"}],
         "freezes": [{"from": "2023-01-01", "to": "2023-06-30", "reason": "thanh tra"}],
         "disciplines": [{"from": "2022-03-01", "to": "2022-09-01", "form": "khiển trách"}],
         "candidates": ["LDTT", "CSTD_TINH"]}
        """)
        #expect(r.results.first { $0.award == "LDTT" }?.verdict == .eligible)
        let tinh = try #require(r.results.first { $0.award == "CSTD_TINH" })
        #expect(tinh.verdict == .ineligible)
        #expect(tinh.conditions.contains { $0.data.contains("năm 2022 không tính vì trước khi hết thời hạn kỷ luật") })
    }

    @Test("A discipline in the evaluation year blocks the year's titles")
    func disciplineThisYear() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"},
         "ratings": [{"year": 2024, "rating": "HTTNV"}], "disciplines": [{"from": "2024-05-01", "to": "2024-11-01", "form": "khiển trách"}]}
        """, "LDTT")
        #expect(r.verdict == .ineligible)
    }

    @Test("A missing rating gives needs_data, naming the year")
    func needsData() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"}}
        """, "LDTT")
        #expect(r.verdict == .needsData)
        #expect(r.missing.contains { $0.contains("Chưa có xếp loại năm 2024") })
        let json = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        #expect(json.contains("\"met\":null"))
    }

    @Test("LĐTT: HTTNV or better (both regimes); HTNV is not enough")
    func ldtt() throws {
        for (rating, asOf, verdict) in [("HTTNV", "2019-01-10", Verdict.eligible), ("HTNV", "2019-01-10", .ineligible),
                                        ("HTXSNV", "2025-01-10", .eligible), ("HTNV", "2025-01-10", .ineligible)] {
            let y = Int(asOf.prefix(4))! - 1
            let r = try Engine.result("""
            {"evaluationYear": \(y), "asOf": "\(asOf)", "subject": {"type": "individual"}, "ratings": [{"year": \(y), "rating": "\(rating)"}]}
            """, "LDTT")
            #expect(r.verdict == verdict, "\(rating) \(asOf)")
        }
    }

    @Test("TTLĐTT: > 50 % before 2024, ≥ 70 % from 2024 (marked unconfirmed)", arguments: [
        (2018, 31, Verdict.eligible), (2018, 30, .ineligible), (2024, 42, .eligible), (2024, 41, .ineligible),
    ])
    func ttldtt(year: Int, ldtt: Int, verdict: Verdict) throws {
        let r = try Engine.result("""
        {"evaluationYear": \(year), "asOf": "\(year + 1)-02-01", "subject": {"type": "collective", "name": "Phòng Tổng hợp"},
         "ratings": [{"year": \(year), "rating": "HTTNV"}],
         "memberStats": [{"year": \(year), "members": 60, "completed": 60, "LDTT": \(ldtt), "CSTDCS": 0, "disciplined": 0}]}
        """, "TTLDTT")
        #expect(r.verdict == verdict)
        // From 2024 the Art. 28 text itself is unread: its conditions say so.
        let own = r.conditions.filter { $0.cites?.contains("Điều 28") == true }
        #expect(own.count == 3)
        #expect(own.allSatisfy { $0.confidence == (year >= 2024 ? .unconfirmed : .confirmed) })
        if year >= 2024 { #expect(r.usesUnconfirmedRule) }
    }

    @Test("Armed forces: ĐVTT takes points a, b and d only (a disciplined member does not bar it, as it bars TTLĐTT); ĐVQT keeps point d", arguments: [2018, 2024])
    func armedForcesDiscipline(year: Int) throws {
        func json(_ rating: String, disciplined: Int) -> String {
            """
            {"evaluationYear": \(year), "asOf": "\(year + 1)-02-01", "subject": {"type": "collective", "name": "Tiểu đoàn 1", "armedForces": true},
             "ratings": [{"year": \(year), "rating": "\(rating)"}],
             "memberStats": [{"year": \(year), "members": 100, "completed": 100, "LDTT": 80, "CSTDCS": 5, "disciplined": \(disciplined)}]}
            """
        }
        // One member disciplined: the Đơn vị tiên tiến stands (Art. 28 cl. 2 names points a, b and d, not c).
        let dvtt = try Engine.result(json("HTTNV", disciplined: 1), "DVTT")
        #expect(dvtt.verdict == .eligible, "\(dvtt.unmet)")
        #expect(!dvtt.conditions.contains { $0.text.contains("thành viên bị kỷ luật") })
        // The same facts for a civil collective: the TTLĐTT is barred by point c.
        let civil = try Engine.result(json("HTTNV", disciplined: 1).replacingOccurrences(of: ", \"armedForces\": true", with: ""), "TTLDTT")
        #expect(civil.verdict == .ineligible)
        // ĐVQT: without discipline eligible; with a disciplined member not, in the old regime (point d kept, a reading
        // marked unconfirmed); the 2022 text of its clause is unread and the rule there has no discipline condition.
        #expect(try Engine.result(json("HTXSNV", disciplined: 0), "DVQT").verdict == .eligible)
        let dvqt = try Engine.result(json("HTXSNV", disciplined: 1), "DVQT")
        if year < 2024 {
            #expect(dvqt.verdict == .ineligible && dvqt.usesUnconfirmedRule)
            #expect(dvqt.conditions.contains { $0.text.contains("thành viên bị kỷ luật") && $0.met == false && $0.confidence == .unconfirmed })
        } else {
            #expect(dvqt.verdict == .eligible)
        }
    }

    @Test("TTLĐTT needs the count of disciplined members: without it, needs_data")
    func ttldttNeedsDiscipline() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-02-01", "subject": {"type": "collective"}, "ratings": [{"year": 2024, "rating": "HTTNV"}],
         "memberStats": [{"year": 2024, "members": 60, "completed": 60, "LDTT": 50, "CSTDCS": 6}]}
        """, "TTLDTT")
        #expect(r.verdict == .needsData)
    }

    @Test("TTLĐXS, Cờ tỉnh and Cờ Chính phủ for a collective that led its bloc")
    func collectiveTitles() throws {
        let base = """
        "evaluationYear": 2024, "asOf": "2025-02-01", "subject": {"type": "collective", "name": "Công an tỉnh"},
        "ratings": [{"year": 2024, "rating": "HTXSNV"}],
        "memberStats": [{"year": 2024, "members": 60, "completed": 60, "LDTT": 50, "CSTDCS": 6, "disciplined": 0}]
        """
        let led = try Engine.report("{\(base), \"ledBloc\": [2024]}")
        #expect(led.results.first { $0.award == "TTLDXS" }?.verdict == .eligible)
        #expect(led.results.first { $0.award == "CO_TINH" }?.verdict == .eligible)
        #expect(led.results.first { $0.award == "CO_CP" }?.verdict == .eligible)
        let notLed = try Engine.report("{\(base), \"ledBloc\": [2023]}")
        #expect(notLed.results.first { $0.award == "CO_TINH" }?.verdict == .ineligible)
        let unknown = try Engine.report("{\(base)}")
        #expect(unknown.results.first { $0.award == "CO_TINH" }?.verdict == .needsData)
        let weak = try Engine.report("""
        {"evaluationYear": 2024, "asOf": "2025-02-01", "subject": {"type": "collective"}, "ratings": [{"year": 2024, "rating": "HTXSNV"}],
         "memberStats": [{"year": 2024, "members": 60, "completed": 59, "LDTT": 50, "CSTDCS": 0, "disciplined": 0}], "ledBloc": [2024]}
        """)
        let ttldxs = try #require(weak.results.first { $0.award == "TTLDXS" })
        #expect(ttldxs.verdict == .ineligible)
        #expect(ttldxs.unmet.count == 2)
        // Nationally the flags ask the bloc's lead (the 20 % quota is checked on the list); TTLĐXS only where a sector asks it.
        #expect(weak.results.first { $0.award == "CO_CP" }?.verdict == .eligible)
        #expect(weak.results.first { $0.award == "CO_TINH" }?.verdict == .eligible)
    }

    @Test("A civil unit cannot reach the provincial flag through the armed-forces ladder, nor the reverse (where a sector asks TTLĐXS/ĐVQT)")
    func tracks() throws {
        // The law asks the bloc's leading unit; a sector's or province's file asks TTLĐXS or ĐVQT as well.
        let sector = try Engine.catalogue.extended(with: """
        catalogue: Ngành thử
        version: 1
        parameters:
          - id: CO_TINH_REQUIRES_TTLDXS
            regimes: [LAW2013_ND91]
            value: true
            cites: Thông tư của ngành thử, Điều 17
            confidence: confirmed
        """, file: "nganh.yaml")
        func flag(armed: Bool, disciplined: Int, catalogue: Catalogue? = nil) throws -> AwardResult {
            let json = """
            {"evaluationYear": 2018, "asOf": "2019-01-20", "subject": {"type": "collective", "armedForces": \(armed)}, "ratings": [{"year": 2018, "rating": "HTXSNV"}],
             "memberStats": [{"year": 2018, "members": 40, "completed": 40, "LDTT": 30, "CSTDCS": 3, "disciplined": \(disciplined)}], "ledBloc": [2018]}
            """
            let c = catalogue ?? sector
            let k = try Engine.read(json, catalogue: c)
            return try #require(EligibilityEvaluator(catalogue: c).evaluate(k).results.first { $0.award == "CO_TINH" })
        }
        #expect(try flag(armed: false, disciplined: 1, catalogue: Engine.catalogue).verdict == .eligible, "nationally, leading the bloc is what can be checked")
        // A civil collective reaches the flag through TTLĐXS, an armed-forces one through ĐVQT, never the other way.
        #expect(try flag(armed: false, disciplined: 0).verdict == .eligible)
        let armed = try flag(armed: true, disciplined: 0)
        #expect(armed.verdict == .eligible)
        #expect(armed.conditions.contains { $0.text.contains("quyết thắng") && $0.met == true })
        #expect(!armed.conditions.contains { $0.text.contains("lao động xuất sắc") && $0.met == true })
        // One disciplined member bars both in 2018: TTLĐXS by its point d, ĐVQT because its clause keeps point d.
        #expect(try flag(armed: false, disciplined: 1).verdict == .ineligible)
        #expect(try flag(armed: true, disciplined: 1).verdict == .ineligible)
        let civil = try Engine.report("""
        {"evaluationYear": 2018, "asOf": "2019-01-20", "subject": {"type": "individual", "armedForces": false}, "ratings": [{"year": 2018, "rating": "HTTNV"}]}
        """)
        #expect(civil.results.contains { $0.award == "LDTT" } && !civil.results.contains { $0.award == "CSTT" })
    }

    @Test("2018 collective: TTLĐXS needs no disciplined member")
    func ttldxs2018() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2018, "asOf": "2019-01-20", "subject": {"type": "collective"}, "ratings": [{"year": 2018, "rating": "HTXSNV"}],
         "memberStats": [{"year": 2018, "members": 40, "completed": 40, "LDTT": 30, "CSTDCS": 3, "disciplined": 1}]}
        """, "TTLDXS")
        #expect(r.verdict == .ineligible)
        #expect(r.unmet.contains { $0.contains("kỷ luật") })
    }

    @Test("BK_TTG (Art. 73 k1 b): a provincial certificate before five good years with three CSTDCS")
    func bkTtg() throws {
        func run(bkYear: Int) throws -> AwardResult {
            try Engine.result("""
            {"evaluationYear": 2024, "asOf": "2025-03-01", "subject": {"type": "individual"},
             "ratings": [{"year": 2020, "rating": "HTTNV"}, {"year": 2021, "rating": "HTXSNV"}, {"year": 2022, "rating": "HTTNV"},
                         {"year": 2023, "rating": "HTXSNV"}, {"year": 2024, "rating": "HTXSNV"}],
             "awards": [{"kind": "BK_TINH", "year": \(bkYear)}, {"kind": "CSTDCS", "year": 2020}, {"kind": "CSTDCS", "year": 2022}, {"kind": "CSTDCS", "year": 2024}]}
            """, "BK_TTG")
        }
        #expect(try run(bkYear: 2019).verdict == .eligible)
        #expect(try run(bkYear: 2021).verdict == .ineligible)
    }

    @Test("2018 BK_TTG (ND 91 Art. 38): five HTXSNV years with five initiatives after a provincial certificate")
    func bkTtg2018() throws {
        let ratings = (2014...2018).map { "{\"year\": \($0), \"rating\": \"HTXSNV\"}" }.joined(separator: ",")
        let initiatives = (2014...2018).map { "{\"id\": \"SK\($0)\", \"year\": \($0), \"scope\": \"grassroots\"}" }.joined(separator: ",")
        let r = try Engine.result("""
        {"evaluationYear": 2018, "asOf": "2019-03-01", "subject": {"type": "individual"}, "ratings": [\(ratings)],
         "awards": [{"kind": "BK_TINH", "year": 2013}], "initiatives": [\(initiatives)]}
        """, "BK_TTG")
        #expect(r.verdict == .eligible)
        #expect(r.consumes.count == 5)
    }

    @Test("HCLĐ hạng Ba (Art. 44 k1 e) and hạng Nhì (Art. 43)")
    func labourOrders() throws {
        let ratings = (2020...2024).map { "{\"year\": \($0), \"rating\": \"\($0 % 2 == 0 ? "HTXSNV" : "HTTNV")\"}" }.joined(separator: ",")
        let r = try Engine.report("""
        {"evaluationYear": 2024, "asOf": "2025-04-01", "subject": {"type": "individual"}, "ratings": [\(ratings)],
         "awards": [{"kind": "BK_TTG", "year": 2018}, {"kind": "HCLD3", "year": 2019}, {"kind": "CSTDCS", "year": 2020},
                    {"kind": "CSTDCS", "year": 2021}, {"kind": "CSTDCS", "year": 2022}, {"kind": "CSTD_TINH", "year": 2022}],
         "candidates": ["HCLD3", "HCLD2"]}
        """)
        #expect(r.results.first { $0.award == "HCLD3" }?.verdict == .eligible)
        #expect(r.results.first { $0.award == "HCLD2" }?.verdict == .eligible)
    }

    @Test("CSTĐTQ: two CSTĐ tỉnh three years apart and a national initiative (spacing marked unconfirmed)")
    func cstdtq() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-04-01", "subject": {"type": "individual"}, "ratings": [{"year": 2024, "rating": "HTXSNV"}],
         "awards": [{"kind": "CSTD_TINH", "year": 2021}, {"kind": "CSTD_TINH", "year": 2024}],
         "initiatives": [{"id": "SK-QG", "year": 2023, "scope": "national"}]}
        """, "CSTDTQ")
        #expect(r.verdict == .eligible)
        #expect(r.usesUnconfirmedRule)
        #expect(r.conditions.contains { $0.confidence == .unconfirmed })
    }

    @Test("A revoked award does not count")
    func revoked() throws {
        let r = try Engine.result("""
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"}, "ratings": [{"year": 2024, "rating": "HTTNV"}],
         "awards": [{"kind": "CSTDCS", "year": 2023, "revoked": true}, {"kind": "CSTDCS", "year": 2024}]}
        """, "BK_TINH")
        #expect(r.verdict == .ineligible)
    }
}

@Suite struct CaseFileErrorTests {
    func error(_ json: String) -> String {
        do { _ = try Engine.read(json); return "" } catch { return "\(error)" }
    }

    @Test("Bad case files are refused with a clear message naming the place")
    func errors() {
        let base = "\"evaluationYear\": 2024, \"asOf\": \"2025-01-20\", \"subject\": {\"type\": \"individual\"}"
        #expect(error("{\(base), \"ratingz\": []}").contains("ratingz: trường không được hỗ trợ"))
        #expect(error("{\(base), \"awards\": [{\"kind\": \"XYZ\", \"year\": 2024}]}").contains("awards[0].kind: mã danh hiệu “XYZ”"))
        #expect(error("{\(base), \"ratings\": [{\"year\": 2024, \"rating\": \"GOOD\"}]}").contains("ratings[0].rating"))
        #expect(error("{\(base), \"awards\": [{\"kind\": \"LDTT\", \"year\": 2301}]}").contains("awards[0].year: năm 2301 không hợp lệ"))
        #expect(error("{\"evaluationYear\": 2026, \"asOf\": \"2025-01-20\", \"subject\": {\"type\": \"individual\"}}").contains("tương lai"))
        #expect(error("{\(base), \"disciplines\": [{\"from\": \"2022-01-01\", \"to\": \"2022-12-31\", \"form\": \"a\"}, {\"from\": \"2022-06-01\", \"to\": \"2023-01-01\", \"form\": \"b\"}]}").contains("chồng"))
        #expect(error("{\(base), \"initiatives\": [{\"id\": \"A\", \"year\": 2023, \"scope\": \"grassroots\"}, {\"id\": \"A\", \"year\": 2024, \"scope\": \"grassroots\", \"usedBy\": \"CSTDCS:2024\"}]}").contains("hai lần"))
        #expect(error("{\(base), \"initiatives\": [{\"id\": \"A\", \"year\": 2023, \"scope\": \"city\"}]}").contains("initiatives[0].scope"))
        #expect(error("{\(base), \"candidates\": [\"TTLDXS\"]}").contains("không xét cho cá nhân"))
        #expect(error("{\(base), \"subject\": {\"type\": \"individual\", \"gendr\": \"f\"}}").isEmpty == false)
        #expect(error("{\"evaluationYear\": 2024,").contains("JSON"))
        #expect(error("{\(base), \"asOf\": \"2025-02-30\"}").isEmpty == false)
        #expect(error("{\(base), \"regime\": \"LUAT_MOI\"}").contains("regime"))
    }
}

@Suite struct CatalogueTests {
    @Test("The shipped catalogue loads: three regimes, every rule cites an article with a confidence")
    func builtIn() throws {
        let c = Engine.catalogue
        #expect(Set(c.regimes.map(\.id)) == ["LAW2013_ND91", "LAW2022_ND98", "LAW2022_ND152"])
        #expect(c.regime(for: Day(2018, 3, 7))?.id == "LAW2013_ND91")
        #expect(c.regime(for: Day(2024, 1, 1))?.id == "LAW2022_ND98")
        #expect(c.regime(for: Day(2025, 7, 1))?.id == "LAW2022_ND152")
        for code in ["LDTT", "CSTDCS", "CSTD_TINH", "CSTDTQ", "TTLDTT", "TTLDXS", "CO_TINH", "CO_CP"] {
            for r in ["LAW2013_ND91", "LAW2022_ND98", "LAW2022_ND152"] {
                let subject = c.awards[code]!.subjects[0]
                #expect(c.rule(award: code, regime: r, subject: subject) != nil, "\(code) @ \(r)")
            }
        }
        #expect(c.awards["CO_CP"]?.prizeMultiple == 12.0)
        #expect(c.parameters.contains { $0.id == "CO_CP_QUOTA_PERCENT" && $0.value == 20 })
    }

    func loadError(_ text: String) -> String {
        do { _ = try Catalogue.parse(text, file: "tinh.yaml"); return "" } catch { return "\(error)" }
    }

    let header = """
    catalogue: Tỉnh thử
    version: 1
    regimes:
      - id: R1
        name: Chế độ thử
        from: 2024-01-01
    awards:
      - code: LDTT
        name: Lao động tiên tiến
        category: title
        subject: individual
    """

    @Test("A catalogue that does not parse or refers to an unknown code is rejected with file, line and reason")
    func errors() {
        #expect(loadError(header + "\nrules:\n  - award: XYZ\n    regimes: [R1]\n    when:\n      rating: HTTNV\n      cites: a\n      confidence: confirmed\n")
                == "tinh.yaml:13: mã danh hiệu “XYZ” không có trong danh mục")
        #expect(loadError(header + "\nrules:\n  - award: LDTT\n    regimes: [R9]\n    when:\n      rating: HTTNV\n      cites: a\n      confidence: confirmed\n")
                .hasPrefix("tinh.yaml:14: chế độ pháp lý “R9”"))
        #expect(loadError(header + "\nrules:\n  - award: LDTT\n    regimes: [R1]\n    when:\n      rating: HTTNV\n      confidence: confirmed\n")
                .contains("tinh.yaml:16: điều kiện “rating” phải dẫn điều, khoản"))
        #expect(loadError(header + "\nrules:\n  - award: LDTT\n    regimes: [R1]\n    when:\n      rating: GIOI\n      cites: a\n      confidence: confirmed\n")
                .hasPrefix("tinh.yaml:16: mã xếp loại"))
        #expect(loadError(header + "\nrules:\n  - award: LDTT\n    regimes: [R1]\n    when:\n      streak: LDTT\n      years: 3\n      cites: a\n      confidence: sure\n")
                .contains("confidence"))
        #expect(loadError("catalogue: x\n\tversion: 1\n").hasPrefix("tinh.yaml:2: dùng dấu cách"))
        #expect(loadError("catalogue x\n").hasPrefix("tinh.yaml:1:"))
        #expect(loadError(header + "\n  oops: 1\n").contains("tinh.yaml:"))
    }

    @Test("Catalogue files are real YAML (Yams): what YAML allows reads as YAML says, what it refuses names its line")
    func realYAML() throws {
        let rule = "\nrules:\n  - award: LDTT\n    regimes: [R1]\n    when:\n      rating: HTTNV\n"
        // Quoted values with “: ” inside, a folded block scalar and a flow map read as YAML defines them.
        let c = try Catalogue.parse(header + rule + "      cites: \"NĐ 98/2023: Điều 24\"\n      confidence: confirmed\n    note: >\n      Dòng một\n      dòng hai\n", file: "tinh.yaml")
        #expect(c.rule(award: "LDTT", regime: "R1", subject: .individual)?.note == "Dòng một dòng hai\n")
        let flow = header.replacingOccurrences(of: "  - code: LDTT\n    name: Lao động tiên tiến\n    category: title\n    subject: individual",
                                               with: "  - {code: LDTT, name: Lao động tiên tiến, category: title, subject: individual, prizeMultiple: 0.3}")
        #expect(flow != header)
        #expect(try Catalogue.parse(flow + rule + "      cites: a\n      confidence: confirmed\n", file: "tinh.yaml").awards["LDTT"]?.prizeMultiple == 0.3)
        // A plain value with “: ” inside is not YAML: the line is named (the hand-written reader let it through).
        #expect(loadError(header + rule + "      cites: NĐ 98: Điều 24\n      confidence: confirmed\n").hasPrefix("tinh.yaml:17: không đúng cú pháp YAML"))
        // A key given twice: refused, at the line of its first occurrence.
        #expect(loadError(header + rule + "      cites: a\n      cites: b\n      confidence: confirmed\n") == "tinh.yaml:17: khóa “cites” bị lặp lại (lần đầu ở dòng này)")
        // An anchor and its alias read as the value they name, as YAML says.
        #expect(try Catalogue.parse(header + rule + "      cites: &c NĐ 98/2023\n      confidence: confirmed\n    note: *c\n", file: "tinh.yaml")
                    .rule(award: "LDTT", regime: "R1", subject: .individual)?.note == "NĐ 98/2023")
    }

    @Test("A province's own file adds rules without rebuilding (ProvinceCatalogueTests has the whole behaviour)")
    func merge() throws {
        let merged = try Engine.catalogue.extended(with: """
        catalogue: Tỉnh thử
        version: 1
        rules:
          - award: LDTT
            regimes: [LAW2022_ND98]
            when:
              all:
                - rating: HTXSNV
                  cites: Quy định của tỉnh thử, Điều 5
                  confidence: confirmed
        """, file: "tinh.yaml")
        let eval = EligibilityEvaluator(catalogue: merged)
        var c = EligibilityCase(evaluationYear: 2024, asOf: Day(2025, 1, 20), subjectType: .individual, ratings: [2024: .HTTNV], candidates: ["LDTT"])
        c.serviceStart = Day(2010, 1, 1)
        #expect(try eval.evaluate(c).results[0].verdict == .ineligible)
        #expect(try Engine.evaluator.evaluate(c).results[0].verdict == .eligible)
    }
}

/// Random histories, reproducible from a seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 11 ^ state << 13
    }
}

enum RandomHistory {
    static let kinds = ["LDTT", "CSTDCS", "CSTD_TINH", "BK_TINH", "BK_TTG", "HCLD3"]

    static func individual(_ g: inout SeededRandom, year: Int = 2024) -> EligibilityCase {
        var ratings: [Int: TaskRating] = [:]
        var awards: [AwardFact] = []
        var initiatives: [InitiativeFact] = []
        for y in (year - 9)...year {
            if Int.random(in: 0..<10, using: &g) > 0 { ratings[y] = TaskRating.allCases.randomElement(using: &g)! }
            for k in kinds where Int.random(in: 0..<4, using: &g) == 0 {
                awards.append(AwardFact(kind: k, year: y, type: Int.random(in: 0..<6, using: &g) == 0 ? .thematic : .merit))
            }
            if Int.random(in: 0..<3, using: &g) == 0 {
                initiatives.append(InitiativeFact(id: "SK\(y)-\(initiatives.count)", year: y, scope: InitiativeScope.allCases.randomElement(using: &g)!,
                                                  usedBy: Int.random(in: 0..<3, using: &g) == 0 ? "CSTDCS:\(y)" : nil))
            }
        }
        return EligibilityCase(evaluationYear: year, asOf: Day(year + 1, 1, 20), subjectType: .individual, ratings: ratings, awards: awards,
                               initiatives: initiatives)
    }
}

@Suite struct EligibilityPropertyTests {
    @Test("The verdict never depends on the order of the input lists")
    func orderIndependent() throws {
        var g = SeededRandom(state: 20181)
        for _ in 0..<300 {
            let c = RandomHistory.individual(&g)
            var shuffled = c
            shuffled.awards.shuffle(using: &g)
            shuffled.initiatives.shuffle(using: &g)
            #expect(try Engine.evaluator.evaluate(c) == Engine.evaluator.evaluate(shuffled))
        }
    }

    @Test("The fast verdict path (bulk) agrees with the explained path, for individuals and collectives")
    func pathsAgree() throws {
        var g = SeededRandom(state: 4242)
        for i in 0..<400 {
            var c = RandomHistory.individual(&g)
            if i % 2 == 1 {
                c.subjectType = .collective
                c.memberStats[c.evaluationYear] = MemberStats(year: c.evaluationYear, members: 50, completed: Int.random(in: 45...50, using: &g),
                                                              LDTT: Int.random(in: 20...50, using: &g), CSTDCS: Int.random(in: 0...5, using: &g),
                                                              disciplined: Bool.random(using: &g) ? 0 : nil)
                c.ledBloc = Bool.random(using: &g) ? [c.evaluationYear] : nil
                c.awards = c.awards.map { var a = $0; a.kind = ["TTLDTT", "TTLDXS", "CO_TINH"][abs(a.year) % 3]; return a }
            }
            if i % 5 == 0 { c.disciplines = [DisciplineFact(from: Day(2021, 1, 1), to: Day(2021, 6, 1), form: "khiển trách")] }
            let fast = try Engine.evaluator.verdicts(c)
            let full = try Engine.evaluator.evaluate(c).results.map { ($0.award, $0.verdict) }
            #expect(fast.map(\.0) == full.map(\.0))
            #expect(fast.map(\.1) == full.map(\.1))
        }
    }

    @Test("Adding a disqualifying fact never turns ineligible into eligible")
    func monotone() throws {
        var g = SeededRandom(state: 777)
        var checked = 0
        for _ in 0..<300 {
            let c = RandomHistory.individual(&g)
            let before = Dictionary(uniqueKeysWithValues: try Engine.evaluator.verdicts(c))
            var variants: [EligibilityCase] = []
            var frozen = c
            frozen.freezes.append(FreezeFact(from: Day(c.evaluationYear, 12, 1), to: nil, reason: "điều tra"))
            variants.append(frozen)
            var disciplined = c
            let y = Int.random(in: (c.evaluationYear - 9)...c.evaluationYear, using: &g)
            disciplined.disciplines.append(DisciplineFact(from: Day(y, 2, 1), to: Day(y, 8, 1), form: "khiển trách"))
            variants.append(disciplined)
            var downgraded = c
            downgraded.ratings[Int.random(in: (c.evaluationYear - 9)...c.evaluationYear, using: &g)] = .KHTNV
            variants.append(downgraded)
            var consumed = c
            consumed.initiatives = c.initiatives.map { var i = $0; if i.usedBy == nil { i.usedBy = "GIAY_KHEN:\(i.year)" }; return i }
            variants.append(consumed)
            for v in variants {
                for (award, after) in try Engine.evaluator.verdicts(v) where before[award] != .eligible {
                    #expect(after != .eligible, "\(award) became eligible")
                    checked += 1
                }
            }
            #expect(try Engine.evaluator.verdicts(frozen).allSatisfy { $0.1 == .ineligible })
        }
        #expect(checked > 1000)
    }
}

@Suite struct EligibilitySummaryTests {
    @Test("A report's summary (judged without texts, the closest award again with them) matches the full evaluation, on a generated sample")
    func summaryMatchesEvaluate() throws {
        let gen = ProvinceGenerator(scale: .sample, seed: 7)
        var checked = 0, withClosest = 0
        try gen.caseFileLines(evaluationYear: 2025, asOf: Day(2026, 1, 31)) { line in
            guard checked < 400 else { return }
            let c = try Engine.read(line)
            let full = try Engine.evaluator.evaluate(c)
            let closest = full.results.filter { $0.verdict == .ineligible }.min { ($0.unmet.count, $0.award) < ($1.unmet.count, $1.award) }
            let expected = EligibilitySummary(eligible: full.results.filter { $0.verdict == .eligible }.map(\.award),
                                              needsData: full.results.filter { $0.verdict == .needsData }.map(\.award),
                                              closest: closest?.award, closestMissing: closest?.unmet ?? [],
                                              unconfirmed: full.results.contains { $0.verdict == .eligible && $0.usesUnconfirmedRule })
            #expect(try Engine.evaluator.summary(c) == expected, "\(c.name)")
            if closest != nil { withClosest += 1 }
            checked += 1
        }
        #expect(checked == 400 && withClosest > 100)
    }
}
