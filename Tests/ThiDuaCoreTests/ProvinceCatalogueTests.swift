import Foundation
import Testing
@testable import ThiDuaCore

/// A province's own catalogue file adds to the shipped one and never replaces it wholesale (issue #10 part 7): new
/// kinds and rules, conditions added to a shipped rule, single parameters overridden, conditions a province turns on
/// (`onlyIf`); what it may not do is refused with file, line and reason.
@Suite("Province catalogue files")
struct ProvinceCatalogueTests {
    let head = "catalogue: Tỉnh thử\nversion: 2026.1\n"

    func extended(_ body: String) throws -> Catalogue { try Engine.catalogue.extended(with: head + body, file: "tinh.yaml") }

    func loadError(_ body: String) -> String {
        do { _ = try extended(body); return "" } catch { return "\(error)" }
    }

    func verdict(_ c: Catalogue, _ json: String, _ award: String) throws -> AwardResult {
        let k = try Engine.read(json, catalogue: c)
        return try #require(EligibilityEvaluator(catalogue: c).evaluate(k).results.first { $0.award == award })
    }

    let ldtt2024 = """
    {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"}, "ratings": [{"year": 2024, "rating": "HTTNV"}], "candidates": ["LDTT"]}
    """

    @Test("A rule for a shipped kind adds its conditions to the shipped rule (both must hold), citing the province's text; the shipped catalogue is unchanged")
    func addsConditions() throws {
        let c = try extended("""
        rules:
          - award: LDTT
            regimes: [LAW2022_ND98]
            note: Tỉnh thử đòi hỏi thêm hoàn thành xuất sắc.
            when:
              rating: HTXSNV
              cites: Quyết định 12/2024/QĐ-UBND của tỉnh thử, Điều 5
              confidence: confirmed
        """)
        let r = try verdict(c, ldtt2024, "LDTT")
        #expect(r.verdict == .ineligible)
        #expect(r.conditions.contains { $0.cites == "Luật 06/2022/QH15, Điều 24 khoản 1 điểm a" && $0.met == true }, "the shipped condition is kept")
        #expect(r.conditions.contains { $0.cites == "Quyết định 12/2024/QĐ-UBND của tỉnh thử, Điều 5" && $0.met == false })
        #expect(r.note?.contains("Tỉnh thử: Tỉnh thử đòi hỏi thêm") == true)
        #expect(try Engine.result(ldtt2024, "LDTT").verdict == .eligible, "the shipped catalogue alone")
        // Another regime of the same shipped rule is left as it was.
        let k2025 = ldtt2024.replacingOccurrences(of: "2025-01-20", with: "2025-08-01")
        #expect(try verdict(c, k2025, "LDTT").verdict == .eligible)
        #expect(c.name == "ThiDua – danh mục quốc gia + Tỉnh thử")
    }

    @Test("Giấy khen: without a province's rule the verdict says who sets the criteria; the province's file fills the slot")
    func giayKhenSlot() throws {
        let k = """
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"}, "ratings": [{"year": 2024, "rating": "HTXSNV"}], "candidates": ["GIAY_KHEN"]}
        """
        let none = try Engine.result(k, "GIAY_KHEN")
        #expect(none.verdict == .needsData)
        #expect(none.missing.first?.contains("Điều 75 khoản 2") == true && none.missing.first?.contains("THIDUA_CATALOG") == true, "\(none.missing)")
        let c = try extended("""
        rules:
          - award: GIAY_KHEN
            regimes: [LAW2022_ND98, LAW2022_ND152]
            subject: individual
            when:
              rating: HTXSNV
              cites: Quy chế khen thưởng của tỉnh thử, Điều 9
              confidence: confirmed
        """)
        #expect(try verdict(c, k, "GIAY_KHEN").verdict == .eligible)
    }

    @Test("New kinds and regimes are added; a kind or regime the shipped catalogue has is refused, with file, line and reason")
    func redeclaring() throws {
        let c = try extended("""
        awards:
          - code: BK_SO_NOIVU
            name: Giấy khen của Giám đốc Sở Nội vụ
            category: form
            subject: individual
        rules:
          - award: BK_SO_NOIVU
            regimes: [LAW2022_ND152]
            when:
              rating: HTXSNV
              cites: Quy chế của Sở, Điều 3
              confidence: confirmed
        """)
        #expect(c.awards["BK_SO_NOIVU"] != nil && c.awards["BK_TINH"] != nil)
        #expect(c.rule(award: "BK_SO_NOIVU", regime: "LAW2022_ND152", subject: .individual) != nil)
        #expect(loadError("""
        awards:
          - code: BK_TINH
            name: Bằng khen của tỉnh thử
            category: form
            subject: [individual, collective]
        """).hasPrefix("tinh.yaml:4: danh hiệu “BK_TINH” (Bằng khen của Chủ tịch UBND tỉnh (bộ, ngành)) đã có trong ThiDua – danh mục quốc gia: tệp này không khai lại"))
        #expect(loadError("""
        regimes:
          - id: LAW2022_ND98
            name: Luật 2022 theo tỉnh thử
            from: 2024-01-01
        """).hasPrefix("tinh.yaml:4: chế độ pháp lý “LAW2022_ND98”"))
        // Twice the same rule in one file, an unknown kind in an interval, a shipped interval replaced: refused too.
        let rule = "  - award: LDTT\n    regimes: [LAW2022_ND98]\n    when:\n      rating: HTXSNV\n      cites: a\n      confidence: confirmed\n"
        #expect(loadError("rules:\n" + rule + rule).contains("tinh.yaml:10: đã có quy tắc cho LDTT"))
        #expect(loadError("""
        rules:
          - award: LDTT
            regimes: [LAW2022_ND98]
            interval:
              after: [XYZ]
              cites: a
              confidence: confirmed
            when:
              rating: HTXSNV
              cites: a
              confidence: confirmed
        """) == "tinh.yaml:7: interval: mã danh hiệu “XYZ” không có trong danh mục")
        #expect(loadError("""
        rules:
          - award: BK_TINH
            regimes: [LAW2022_ND98]
            subject: individual
            interval:
              after: [BK_TINH, CSTD_TINH]
              cites: a
              confidence: confirmed
            when:
              rating: HTXSNV
              cites: a
              confidence: confirmed
        """).contains("đã có khoảng cách giữa hai lần khen; tệp này không thay được"))
    }

    @Test("A parameter is overridden for the regimes named, with the province's citation; the wrong type or range is refused")
    func parameters() throws {
        let c = try extended("""
        parameters:
          - id: CSTDCS_CAP_PERCENT
            regimes: [LAW2013_ND91]
            value: 10
            cites: Quyết định 30/2017/QĐ-UBND của tỉnh thử, Điều 8
            confidence: confirmed
        """)
        let p = try #require(c.parameter("CSTDCS_CAP_PERCENT", regime: "LAW2013_ND91"))
        #expect(p.value == 10 && p.source == "tinh.yaml" && p.text.contains("15 %"), "the shipped text is kept when the file gives none")
        #expect(Engine.catalogue.parameter("CSTDCS_CAP_PERCENT", regime: "LAW2013_ND91")?.value == 15)
        #expect(c.parameters.filter { $0.id == "CSTDCS_CAP_PERCENT" }.count == 1)
        let override = "parameters:\n  - id: CSTDCS_CAP_PERCENT\n    regimes: [LAW2013_ND91]\n    value: VALUE\n    cites: a\n    confidence: confirmed\n"
        #expect(loadError(override.replacingOccurrences(of: "VALUE", with: "true")).hasPrefix("tinh.yaml:6: tham số “CSTDCS_CAP_PERCENT” (Số cá nhân được công nhận CSTĐCS"))
        #expect(loadError(override.replacingOccurrences(of: "VALUE", with: "mười")) == "tinh.yaml:6: value phải là một số (ví dụ 15) hoặc true/false")
        #expect(loadError(override.replacingOccurrences(of: "VALUE", with: "150")) == "tinh.yaml:6: tham số phần trăm “CSTDCS_CAP_PERCENT” phải từ 0 đến 100")
        #expect(loadError(override.replacingOccurrences(of: "CSTDCS_CAP_PERCENT", with: "CO_TINH_REQUIRES_TTLDXS").replacingOccurrences(of: "VALUE", with: "1"))
                    .contains("nhận true hoặc false, không nhận “1”"))
        #expect(loadError(override.replacingOccurrences(of: "CSTDCS_CAP_PERCENT", with: "TINH_MOI").replacingOccurrences(of: "VALUE", with: "3")) == "tinh.yaml:4: thiếu “text”",
                "a new parameter says what it is")
    }

    @Test("Cờ thi đua cấp tỉnh: TTLĐXS is required only where the province or sector turns it on (CO_TINH_REQUIRES_TTLDXS)")
    func coTinhParameter() throws {
        let leader = """
        {"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "collective"}, "ratings": [{"year": 2024, "rating": "HTTNV"}], "ledBloc": [2024],
         "memberStats": [{"year": 2024, "members": 20, "completed": 20, "LDTT": 15, "CSTDCS": 1, "disciplined": 0}], "candidates": ["CO_TINH"]}
        """
        let national = try Engine.result(leader, "CO_TINH")
        #expect(national.verdict == .eligible, "the law asks the bloc's leading unit, not TTLĐXS")
        #expect(!national.conditions.contains { $0.text.contains("Tập thể lao động xuất sắc") })
        let c = try extended("""
        parameters:
          - id: CO_TINH_REQUIRES_TTLDXS
            regimes: [LAW2022_ND98, LAW2022_ND152]
            value: true
            cites: Quy chế khen thưởng của tỉnh thử, Điều 12
            confidence: confirmed
        """)
        let province = try verdict(c, leader, "CO_TINH")
        #expect(province.verdict == .ineligible, "HTTNV is not TTLĐXS")
        #expect(province.conditions.contains { $0.met == false && ($0.cites ?? "").contains("tham số CO_TINH_REQUIRES_TTLDXS = có: Quy chế khen thưởng của tỉnh thử, Điều 12") },
                "\(province.conditions.map { $0.cites ?? "" })")
        let excellent = leader.replacingOccurrences(of: "\"rating\": \"HTTNV\"", with: "\"rating\": \"HTXSNV\"")
        #expect(try verdict(c, excellent, "CO_TINH").verdict == .eligible)
        // Both verdict paths agree.
        for k in [leader, excellent] {
            let e = EligibilityEvaluator(catalogue: c)
            let k = try Engine.read(k, catalogue: c)
            #expect(try e.verdicts(k).first { $0.0 == "CO_TINH" }?.1 == e.evaluate(k).results.first { $0.award == "CO_TINH" }?.verdict)
        }
        // onlyIf must name a true/false parameter every regime of the rule has.
        let rule = "rules:\n  - award: LDTT\n    regimes: [LAW2022_ND98]\n    when:\n      rating: HTXSNV\n      cites: a\n      confidence: confirmed\n      onlyIf: PARAM\n"
        #expect(loadError(rule.replacingOccurrences(of: "PARAM", with: "KHONG_CO")) == "tinh.yaml:7: onlyIf: tham số “KHONG_CO” không có cho chế độ LAW2022_ND98")
        #expect(loadError(rule.replacingOccurrences(of: "PARAM", with: "CO_CP_QUOTA_PERCENT")).contains("phải là true hoặc false (đang là số 20)"))
        // Windows of years stay within the engine's 64 years, so that no year arithmetic can overflow.
        let window = "rules:\n  - award: LDTT\n    regimes: [LAW2022_ND98]\n    when:\n      initiatives: grassroots\n      times: 1\n      within: WITHIN\n      cites: a\n      confidence: confirmed\n"
        #expect(loadError(window.replacingOccurrences(of: "WITHIN", with: "9223372036854775807")) == "tinh.yaml:9: “within” phải là số nguyên từ 1 đến 60")
        #expect(loadError(window.replacingOccurrences(of: "WITHIN", with: "60")) == "")
    }

    @Test("The example province file under docs/examples loads on top of the shipped catalogue and changes what it says it changes")
    func exampleFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/examples/tinh-mau.yaml")
        let c = try Engine.catalogue.extended(contentsOf: url)
        #expect(c.parameter("CO_TINH_REQUIRES_TTLDXS", regime: "LAW2022_ND152")?.value == 1)
        #expect(c.rule(award: "GIAY_KHEN", regime: "LAW2022_ND152", subject: .individual) != nil)
        #expect(c.rule(award: "GIAY_KHEN", regime: "LAW2022_ND152", subject: .collective) != nil)
        #expect(c.parameter("CSTDCS_CAP_PERCENT", regime: "LAW2013_ND91")?.value == 15, "the example overrides nothing it does not say")
    }

    @Test("A case considered after every regime's end is refused, naming the newest regime's end; every shipped example falls within a regime")
    func afterLastRegime() throws {
        let late = #"{"evaluationYear": 2027, "asOf": "2027-03-01", "subject": {"type": "individual"}}"#
        #expect(throws: DataFileError.self) { try Engine.read(late) }
        do { _ = try Engine.read(late) } catch {
            #expect("\(error)".contains("asOf: ngày xét 01/03/2027 sau ngày kết thúc của mọi chế độ pháp lý trong danh mục (chế độ mới nhất LAW2022_ND152 đến hết 28/02/2027)"), "\(error)")
        }
        #expect(Engine.catalogue.regime(id: "LAW2022_ND152")?.to == Day(2027, 2, 28))
        // The office is told ahead: three months before the end, and after it.
        #expect(Engine.catalogue.endWarning(today: Day(2026, 10, 31)) == nil)
        #expect(Engine.catalogue.endWarning(today: Day(2026, 12, 2))?.contains("chỉ áp dụng đến hết 28/02/2027") == true)
        #expect(Engine.catalogue.endWarning(today: Day(2027, 3, 1))?.contains("từ sau ngày đó ThiDua không kết luận được") == true)
        // A province that adds an open-ended regime takes the warning away, and its cases are judged under it.
        let c = try Engine.catalogue.extended(with: """
        catalogue: Tỉnh thử
        version: 1
        regimes:
          - id: LAW2026_TINH
            name: Luật 06/2026/QH16 (theo tỉnh thử)
            from: 2027-03-01
        """, file: "tinh.yaml")
        #expect(c.endWarning(today: Day(2027, 3, 1)) == nil)
        #expect(try CaseFileReader(catalogue: c).read(Data(late.utf8)).asOf == Day(2027, 3, 1))
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 3)
        for f in files {
            let k = try CaseFileReader(catalogue: Engine.catalogue, file: f).read(Data(contentsOf: examples.appendingPathComponent(f)))
            #expect(Engine.catalogue.regime(for: k.asOf) != nil, "\(f)")
        }
    }
}

/// The kinds and rules of the second reading (issue #10 part 3): collectives' Bằng khen and Huân chương, HCLĐ hạng Nhất,
/// the sector awards of the bloc's vertical members, honest confidence (part 4).
@Suite("Second reading: kinds and confidence")
struct SecondReadingTests {
    func ratings(_ years: ClosedRange<Int>, _ r: String = "HTXSNV") -> String {
        years.map { "{\"year\": \($0), \"rating\": \"\(r)\"}" }.joined(separator: ", ")
    }

    @Test("Collective BK_TINH: two years HTXSNV, unconfirmed; the interval applies to collectives too")
    func collectiveBKTinh() throws {
        let k = """
        {"evaluationYear": 2024, "asOf": "2025-02-01", "subject": {"type": "collective"}, "ratings": [\(ratings(2023...2024))], "AWARDS" "candidates": ["BK_TINH"]}
        """
        let ok = try Engine.result(k.replacingOccurrences(of: "\"AWARDS\"", with: ""), "BK_TINH")
        #expect(ok.verdict == .eligible && ok.usesUnconfirmedRule)
        let used = try Engine.result(k.replacingOccurrences(of: "\"AWARDS\"", with: #""awards": [{"kind": "BK_TINH", "year": 2023, "periodFrom": 2022}],"#), "BK_TINH")
        #expect(used.verdict == .ineligible)
        #expect(try Engine.result(k.replacingOccurrences(of: "\"AWARDS\"", with: "").replacingOccurrences(of: "2023, \"rating\": \"HTXSNV\"", with: "2023, \"rating\": \"HTTNV\""), "BK_TINH").verdict == .ineligible)
        // 2018 regime too.
        let old = k.replacingOccurrences(of: "\"AWARDS\"", with: "").replacingOccurrences(of: "2024", with: "2018").replacingOccurrences(of: "2023", with: "2017")
            .replacingOccurrences(of: "2025-02-01", with: "2019-02-01")
        #expect(try Engine.result(old, "BK_TINH").verdict == .eligible)
    }

    @Test("Collective BK_TTG and HCLĐ: five years HTXSNV with flags or Bằng khen; a second BK TTg restarts the count for HCLĐ hạng Ba")
    func collectiveStateAwards() throws {
        func k(_ awards: String, year: Int = 2024) -> String {
            """
            {"evaluationYear": \(year), "asOf": "\(year + 1)-02-01", "subject": {"type": "collective"}, "ratings": [\(ratings((year - 4)...year))],
             "awards": [\(awards)]}
            """
        }
        let flag = #"{"kind": "CO_TINH", "year": 2022}"#
        #expect(try Engine.result(k(flag), "BK_TTG").verdict == .eligible)
        #expect(try Engine.result(k(#"{"kind": "BK_TINH", "year": 2021}, {"kind": "BK_TINH", "year": 2023}"#), "BK_TTG").verdict == .eligible)
        #expect(try Engine.result(k(#"{"kind": "BK_TINH", "year": 2023}"#), "BK_TTG").verdict == .ineligible)
        let hcld3 = #"{"kind": "BK_TTG", "year": 2019}, {"kind": "CO_TINH", "year": 2021}, {"kind": "CO_TINH", "year": 2023}"#
        let r = try Engine.result(k(hcld3), "HCLD3")
        #expect(r.verdict == .eligible && r.usesUnconfirmedRule, "\(r.unmet)")
        #expect(try Engine.result(k(hcld3 + #", {"kind": "BK_TTG", "year": 2022}"#), "HCLD3").verdict == .ineligible, "the second BK TTg used the years to 2022")
        #expect(try Engine.result(k(#"{"kind": "HCLD3", "year": 2019}, {"kind": "CO_CP", "year": 2023}"#), "HCLD2").verdict == .eligible)
        #expect(try Engine.result(k(#"{"kind": "HCLD2", "year": 2019}, {"kind": "CO_CP", "year": 2023}"#), "HCLD1").verdict == .eligible)
        #expect(try Engine.result(k(#"{"kind": "HCLD2", "year": 2019}"#), "HCLD1").verdict == .ineligible)
    }

    @Test("HCLĐ hạng Nhất for individuals: HCLĐ hạng Nhì, then five years; unconfirmed under Law 06/2022")
    func hcld1() throws {
        let k = """
        {"evaluationYear": 2025, "asOf": "2026-02-01", "subject": {"type": "individual"}, "ratings": [\(ratings(2021...2025, "HTTNV"))],
         "awards": [{"kind": "HCLD2", "year": 2020}], "candidates": ["HCLD1"]}
        """
        let r = try Engine.result(k, "HCLD1")
        #expect(r.verdict == .eligible && r.usesUnconfirmedRule)
        #expect(try Engine.result(k.replacingOccurrences(of: "\"year\": 2020", with: "\"year\": 2022"), "HCLD1").verdict == .ineligible)
    }

    @Test("Sector awards: a ministry's Bằng khen counts as Bằng khen cấp bộ, tỉnh, and its achievement years are used for both")
    func sectorKinds() throws {
        let c = Engine.catalogue
        for code in ["BK_BQP", "CO_BQP", "CSTD_TOANQUAN", "BK_BCA", "CO_BCA", "CSTD_CAND", "BK_VKSNDTC", "CO_VKSNDTC", "BK_TANDTC", "CO_TANDTC", "BK_BTP", "CO_BTP"] {
            #expect(c.awards[code]?.sameLevelAs != nil && c.awards[code]?.issuer != nil, "\(code)")
        }
        // BK TTg (2022 law) needs a Bằng khen cấp bộ, tỉnh before: a Ministry of Defence one counts.
        let bkttg = """
        {"evaluationYear": 2025, "asOf": "2026-02-01", "subject": {"type": "individual"}, "ratings": [\(ratings(2021...2025, "HTTNV"))],
         "awards": [{"kind": "BK_BQP", "year": 2020}, {"kind": "CSTDCS", "year": 2021}, {"kind": "CSTDCS", "year": 2023}, {"kind": "CSTDCS", "year": 2025}], "candidates": ["BK_TTG"]}
        """
        #expect(try Engine.result(bkttg, "BK_TTG").verdict == .eligible)
        #expect(try Engine.result(bkttg.replacingOccurrences(of: "BK_BQP", with: "GIAY_KHEN"), "BK_TTG").verdict == .ineligible)
        // One achievement, one award of a level: a Bằng khen of the Ministry of Public Security for 2023–2024 uses those years for BK_TINH.
        let bkTinh = """
        {"evaluationYear": 2024, "asOf": "2025-02-01", "subject": {"type": "individual"}, "ratings": [\(ratings(2023...2024))],
         "awards": [{"kind": "CSTDCS", "year": 2023}, {"kind": "CSTDCS", "year": 2024} OTHER], "candidates": ["BK_TINH"]}
        """
        #expect(try Engine.result(bkTinh.replacingOccurrences(of: " OTHER", with: ""), "BK_TINH").verdict == .eligible)
        let same = try Engine.result(bkTinh.replacingOccurrences(of: " OTHER", with: #", {"kind": "BK_BCA", "year": 2024, "periodFrom": 2023}"#), "BK_TINH")
        #expect(same.verdict == .ineligible)
        #expect(same.conditions.first?.data.contains("BK_BCA năm 2024") == true, "\(same.conditions.first?.data ?? "")")
        // The register lists the province's kinds first, then the ministries'; registration offers the province's only.
        #expect(c.registerCodes.prefix(c.provincialCodes.count) == c.provincialCodes[...] && c.registerCodes.count == c.awardCodes.count)
        #expect(!c.provincialCodes.contains("BK_BCA") && c.provincialCodes.contains("BK_TINH"))
        // A sector kind must name a kind of the catalogue with the same subjects.
        #expect(CatalogueTests().loadError(CatalogueTests().header + "\n  - code: BK_X\n    name: X\n    category: form\n    subject: individual\n    sameLevelAs: KHONG\n")
                    .contains("sameLevelAs: mã danh hiệu “KHONG” không có trong danh mục"))
    }

    @Test("Honest confidence: the initiative windows and the five years after BK tỉnh are ThiDua's reading, and every explanation says so")
    func confidence() throws {
        let c = Engine.catalogue
        func confidences(_ award: String, _ regime: String, _ subject: SubjectType = .individual) -> [Confidence] {
            func walk(_ n: ConditionNode) -> [(Condition, Confidence?)] {
                switch n.condition { case .all(let ch), .any(let ch): ch.flatMap(walk); default: [(n.condition, n.confidence)] }
            }
            return walk(c.rule(award: award, regime: regime, subject: subject)!.when).compactMap { cond, conf in
                switch cond { case .initiatives, .earlier: conf; default: nil }
            }
        }
        for r in ["LAW2013_ND91", "LAW2022_ND98", "LAW2022_ND152"] {
            for award in ["CSTDCS", "CSTD_TINH", "CSTDTQ"] {
                #expect(confidences(award, r).allSatisfy { $0 == .unconfirmed } && !confidences(award, r).isEmpty, "\(award) @ \(r)")
            }
            // BK TTg: the five years after the Bằng khen cấp tỉnh (the `earlier` part) are the reading.
            #expect(confidences("BK_TTG", r).first == .unconfirmed, "\(r)")
        }
        #expect(c.parameter("CSTDCS_CAP_PERCENT", regime: "LAW2013_ND91")?.cites.contains("NĐ 91/2017/NĐ-CP, Điều 9 khoản 3") == true)
        #expect(c.parameter("CSTDCS_CAP_PERCENT", regime: "LAW2013_ND91")?.confidence == .confirmed)
        #expect(c.regime(id: "LAW2013_ND91")?.note?.contains("Thành tích năm 2023 xét từ 01/01/2024 trở đi theo Luật 06/2022/QH15") == true)
        // An achievement of 2023 considered in January 2024 is judged under Law 06/2022.
        let k = #"{"evaluationYear": 2023, "asOf": "2024-01-20", "subject": {"type": "individual"}, "ratings": [{"year": 2023, "rating": "HTXSNV"}], "candidates": ["CSTDCS"]}"#
        let report = try Engine.report(k)
        #expect(report.regime == "LAW2022_ND98")
        #expect(report.results[0].verdict == .eligible)
        // HTXSNV alone: the initiative window is not what it rests on; only the months of service (a reading) are.
        #expect(report.results[0].usesUnconfirmedRule)
        // An "any" met by a confirmed way does not rest on its unconfirmed other way.
        let c2 = try Engine.catalogue.extended(with: """
        catalogue: Tỉnh thử
        version: 1
        rules:
          - award: GIAY_KHEN
            regimes: [LAW2022_ND98]
            subject: individual
            when:
              any:
                - rating: HTXSNV
                  cites: a
                  confidence: confirmed
                - initiatives: grassroots
                  times: 1
                  within: 3
                  cites: b
                  confidence: unconfirmed
        """, file: "tinh.yaml")
        let gk = #"{"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual"}, "ratings": [{"year": 2024, "rating": "RATING"}], "initiatives": [{"id": "S", "year": 2023, "scope": "grassroots"}], "candidates": ["GIAY_KHEN"]}"#
        let e2 = EligibilityEvaluator(catalogue: c2)
        let byRating = try e2.evaluate(Engine.read(gk.replacingOccurrences(of: "RATING", with: "HTXSNV"), catalogue: c2)).results[0]
        #expect(byRating.verdict == .eligible && !byRating.usesUnconfirmedRule)
        let byInitiative = try e2.evaluate(Engine.read(gk.replacingOccurrences(of: "RATING", with: "HTTNV"), catalogue: c2)).results[0]
        #expect(byInitiative.verdict == .eligible && byInitiative.usesUnconfirmedRule)
    }
}

/// A list a case file leaves out means "not recorded", an empty list means "none" (issue #10 part 5): a rule that
/// depends on it answers needs_data naming what to record; both verdict paths agree.
@Suite("Missing versus none")
struct MissingVersusNoneTests {
    func read(_ json: String) throws -> EligibilityCase { try CaseFileReader(catalogue: Engine.catalogue).read(Data(json.utf8)) }

    func both(_ k: EligibilityCase, _ award: String) throws -> AwardResult {
        let e = Engine.evaluator
        let r = try #require(try e.evaluate(k).results.first { $0.award == award })
        #expect(try e.verdicts(k).first { $0.0 == award }?.1 == r.verdict, "the fast path agrees for \(award)")
        return r
    }

    @Test("CSTĐCS (2018): initiatives left out → needs_data naming them; [] → ineligible; one given → eligible")
    func initiatives() throws {
        let base = #""evaluationYear": 2018, "asOf": "2019-01-20", "subject": {"type": "individual", "serviceStart": "2010-01-01"}, "ratings": [{"year": 2018, "rating": "HTXSNV"}], "disciplines": [], "candidates": ["CSTDCS"]"#
        let missing = try both(read("{\(base)}"), "CSTDCS")
        #expect(missing.verdict == .needsData)
        #expect(missing.missing.contains { $0.contains("chưa ghi sáng kiến năm 2018 (không rõ có hay không)") }, "\(missing.missing)")
        #expect(try both(read("{\(base), \"initiatives\": []}"), "CSTDCS").verdict == .ineligible)
        #expect(try both(read("{\(base), \"initiatives\": null}"), "CSTDCS").verdict == .needsData, "null is left out")
        let given = #"{"id": "SK-1", "year": 2018, "scope": "grassroots"}"#
        #expect(try both(read("{\(base), \"initiatives\": [\(given)]}"), "CSTDCS").verdict == .eligible)
        // A rating that decides the award alone needs no initiative list (2024: HTXSNV is one way to CSTĐCS).
        let k2024 = base.replacingOccurrences(of: "2018", with: "2024").replacingOccurrences(of: "2019-01-20", with: "2025-01-20")
        #expect(try both(read("{\(k2024)}"), "CSTDCS").verdict == .eligible)
    }

    @Test("Disciplines left out: no award can be concluded (needs_data naming them); [] → none; a discipline → ineligible")
    func disciplines() throws {
        let base = #""evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual", "serviceStart": "2010-01-01"}, "ratings": [{"year": 2024, "rating": "HTTNV"}], "candidates": ["LDTT"]"#
        let missing = try both(read("{\(base)}"), "LDTT")
        #expect(missing.verdict == .needsData)
        #expect(missing.missing.contains { $0.contains("Chưa ghi kỷ luật năm 2024 (không rõ có hay không)") }, "\(missing.missing)")
        #expect(try both(read("{\(base), \"disciplines\": []}"), "LDTT").verdict == .eligible)
        let one = #"[{"from": "2024-03-01", "to": "2024-09-01", "form": "khiển trách"}]"#
        #expect(try both(read("{\(base), \"disciplines\": \(one)}"), "LDTT").verdict == .ineligible, "a recorded discipline decides, recorded or not the rest")
        // Missing data never turns into eligible, and recording "none" never into ineligible for a case otherwise eligible.
        #expect(try both(read("{\(base), \"ratings\": []}"), "LDTT").verdict == .needsData)
    }

    @Test("The register's years marked as fully recorded: a year not marked is not recorded")
    func markedYears() throws {
        var k = try read(#"{"evaluationYear": 2024, "asOf": "2025-01-20", "subject": {"type": "individual", "serviceStart": "2010-01-01"}, "ratings": [{"year": 2024, "rating": "HTTNV"}], "disciplines": [], "candidates": ["LDTT"]}"#)
        k.disciplinesRecorded = .years([2023])
        #expect(try both(k, "LDTT").verdict == .needsData)
        k.disciplinesRecorded = .years([2023, 2024])
        #expect(try both(k, "LDTT").verdict == .eligible)
    }

    @Test("Property: for random histories, leaving a list out never turns a verdict into eligible or ineligible that was the other, only into needs_data")
    func property() throws {
        var g = SeededRandom(state: 0x5EED_0010)
        for _ in 0..<300 {
            let full = RandomHistory.individual(&g)
            var unrecorded = full
            unrecorded.initiativesRecorded = .none
            unrecorded.disciplinesRecorded = .none
            let a = try Engine.evaluator.verdicts(full), b = try Engine.evaluator.verdicts(unrecorded)
            for ((code, v), (_, w)) in zip(a, b) where v != w {
                #expect(w == .needsData || (v == .needsData && w == .ineligible), "\(code): \(v) → \(w)")
            }
            #expect(try Engine.evaluator.evaluate(unrecorded).results.map(\.verdict) == b.map(\.1), "both paths agree")
        }
    }
}

/// People recruited late in the year are not considered for LĐTT/CSTT (10 months under Decree 91/2017, 6 under Circular
/// 01/2024): from the start-of-service date, or from earlier years' facts; otherwise needs_data.
@Suite("Recently recruited")
struct RecruitmentTests {
    func verdict(_ subject: String, year: Int, asOf: String, extra: String = "") throws -> AwardResult {
        let k = try CaseFileReader(catalogue: Engine.catalogue).read(Data("""
        {"evaluationYear": \(year), "asOf": "\(asOf)", "subject": {"type": "individual"\(subject)}, "ratings": [{"year": \(year), "rating": "HTTNV"}\(extra)],
         "disciplines": [], "initiatives": [], "candidates": ["LDTT"]}
        """.utf8))
        let r = try #require(Engine.evaluator.evaluate(k).results.first)
        #expect(try Engine.evaluator.verdicts(k).first?.1 == r.verdict, "both paths agree")
        return r
    }

    @Test("2018 (10 months) and 2024 (6 months), at the exact boundaries")
    func boundaries() throws {
        #expect(try verdict(#", "serviceStart": "2018-03-01""#, year: 2018, asOf: "2019-01-20").verdict == .eligible, "March to December: 10 months")
        let late = try verdict(#", "serviceStart": "2018-03-02""#, year: 2018, asOf: "2019-01-20")
        #expect(late.verdict == .ineligible)
        #expect(late.conditions.contains { $0.met == false && $0.data == "Bắt đầu công tác ngày 02/03/2018: 9 tháng đến hết năm 2018" && $0.confidence == .unconfirmed })
        #expect(try verdict(#", "serviceStart": "2024-07-01""#, year: 2024, asOf: "2025-01-20").verdict == .eligible, "July to December: 6 months")
        #expect(try verdict(#", "serviceStart": "2024-07-15""#, year: 2024, asOf: "2025-01-20").verdict == .ineligible)
        #expect(try verdict(#", "serviceStart": "2010-07-15""#, year: 2024, asOf: "2025-01-20").verdict == .eligible)
    }

    @Test("Without a start date: an earlier year's rating shows service before the year; nothing earlier → needs_data")
    func evidence() throws {
        let unknown = try verdict("", year: 2024, asOf: "2025-01-20")
        #expect(unknown.verdict == .needsData)
        #expect(unknown.missing.contains { $0.contains("Chưa ghi ngày bắt đầu công tác") })
        let earlier = try verdict("", year: 2024, asOf: "2025-01-20", extra: #", {"year": 2023, "rating": "HTNV"}"#)
        #expect(earlier.verdict == .eligible)
        #expect(earlier.conditions.contains { $0.data == "Có dữ liệu năm 2023 trong sổ: đã công tác trước năm 2024" })
        // A start after the date of consideration, or for a collective, is refused.
        #expect(throws: DataFileError.self) { try verdict(#", "serviceStart": "2025-02-01""#, year: 2024, asOf: "2025-01-20") }
    }
}
