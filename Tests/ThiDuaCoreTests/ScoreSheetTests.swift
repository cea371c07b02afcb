import Foundation
import Testing
import ThiDuaCore

/// Score sheets (which criteria each scorer enters, how a typed mark is checked, when a sheet may change), the
/// round's settings, and who may read and write which sheet, as tables.
@Suite struct ScoreSheetTests {
    static let border = UUID()
    static let inland = UUID()
    static let scale: [Criterion] = try! ScoringScale.build([
        CriterionInput(code: "A", name: "Nhiệm vụ chính trị", maxPoints: 50),
        CriterionInput(code: "A1", parent: "A", name: "Chỉ tiêu", maxPoints: 30, kind: .targetActual),
        CriterionInput(code: "A2", parent: "A", name: "Tham mưu", maxPoints: 10),
        CriterionInput(code: "A3", parent: "A", name: "Biên giới", maxPoints: 10, appliesTo: [border]),
        CriterionInput(code: "B", name: "Cải cách", maxPoints: 15),
        CriterionInput(code: "B1", parent: "B", name: "CCHC", maxPoints: 10),
        CriterionInput(code: "B2", parent: "B", name: "CNTT", maxPoints: 5, kind: .yesNo),
        CriterionInput(code: "E", name: "Điểm thưởng", maxPoints: 5, kind: .adjustment, perEvent: 1),
    ])

    @Test("Scorer keys round-trip; anything else is no scorer")
    func keys() {
        let u = UUID()
        for s in [Scorer.selfAssessment, .leader, .thirdScoring, .peer(u)] { #expect(Scorer(key: s.key) == s) }
        for bad in ["", "Self", "peer:", "peer:\(u.uuidString)x", "peer:not-a-uuid-at-all-00000000000000000", u.uuidString, "third "] {
            #expect(Scorer(key: bad) == nil, "\(bad)")
        }
        #expect(Scorer.peer(u).peerUnit == u && Scorer.leader.peerUnit == nil)
    }

    @Test("Which criteria each scorer enters, by the round's method")
    func sheetCriteria() {
        func codes(_ s: Scorer, _ unit: UUID, _ m: ReviewMethod = .leaderReview, awaiting: Set<String> = []) -> [String] {
            ScoreSheets.criteria(scale: Self.scale, unit: unit, scorer: s, method: m, awaiting: awaiting).map(\.code)
        }
        #expect(codes(.selfAssessment, Self.border) == ["A1", "A2", "A3", "B1", "B2", "E"])
        #expect(codes(.selfAssessment, Self.inland) == ["A1", "A2", "B1", "B2", "E"])
        #expect(codes(.peer(Self.border), Self.inland) == ["A2", "B1", "B2"], "peers give opinions, not facts")
        #expect(codes(.leader, Self.inland, .leaderReview) == ["A1", "A2", "B1", "B2", "E"])
        #expect(codes(.leader, Self.inland, .both) == ["A1", "E"])
        #expect(codes(.leader, Self.inland, .crossScoring).isEmpty)
        #expect(codes(.thirdScoring, Self.inland, .both, awaiting: ["B1", "A3"]) == ["B1"], "only what applies and awaits")
        #expect(ScoreSheets.missing(scale: Self.scale, unit: Self.inland, scorer: .selfAssessment, entered: ["A1", "B2"]) == ["A2", "B1", "E"])
    }

    @Test("A typed mark is checked against its criterion; blanks carry nothing")
    func values() throws {
        let flat = ScoringScale.flatten(Self.scale).map(\.criterion)
        func c(_ code: String) -> Criterion { flat.first { $0.code == code }! }
        #expect(try ScoreSheets.value(MarkInput(criterion: "A2", points: 8.5), for: c("A2")) == .points(Points(hundredths: 850)))
        #expect(try ScoreSheets.value(MarkInput(criterion: "A2", points: 0), for: c("A2")) == .points(.zero), "0 is a value")
        #expect(try ScoreSheets.value(MarkInput(criterion: "A2"), for: c("A2")) == nil)
        #expect(try ScoreSheets.value(MarkInput(criterion: "B2", done: false), for: c("B2")) == .done(false))
        #expect(try ScoreSheets.value(MarkInput(criterion: "A1", actual: 45), for: c("A1")) == .targetActual(target: nil, actual: Points(hundredths: 4500)))
        #expect(try ScoreSheets.value(MarkInput(criterion: "A1", target: 50, actual: 45), for: c("A1"))
            == .targetActual(target: Points(hundredths: 5000), actual: Points(hundredths: 4500)))
        #expect(try ScoreSheets.value(MarkInput(criterion: "E", events: 0), for: c("E")) == .events(0))
        let refused: [(MarkInput, String)] = [
            (MarkInput(criterion: "A2", points: 10.01), "từ 0 đến 10"),
            (MarkInput(criterion: "A2", points: -0.5), "từ 0 đến 10"),
            (MarkInput(criterion: "A2", points: .nan), "hữu hạn"),
            (MarkInput(criterion: "A2", points: .infinity), "hữu hạn"),
            (MarkInput(criterion: "A2", points: 1e19), "hữu hạn"),
            (MarkInput(criterion: "A2", points: 8.123), "2 chữ số thập phân"),
            (MarkInput(criterion: "A1", target: 0, actual: 4), "lớn hơn 0"),
            (MarkInput(criterion: "A1", target: 10), "số thực hiện"),
            (MarkInput(criterion: "A1", target: 10, actual: -1), "từ 0"),
            (MarkInput(criterion: "E", events: -1), "từ 0 đến 10.000"),
            (MarkInput(criterion: "E", events: Int.max), "từ 0 đến 10.000"),
        ]
        for (input, words) in refused {
            do {
                _ = try ScoreSheets.value(input, for: c(input.criterion))
                Issue.record("\(input) accepted")
            } catch let e as DomainError {
                #expect(e.kind == .invalid && e.reason.contains(words), "\(input): \(e.reason)")
            }
        }
    }

    @Test("A sheet's marks: each criterion once, only the sheet's criteria, comments bounded")
    func checkedSheet() throws {
        let ok = try ScoreSheets.checked([MarkInput(criterion: "A2", points: 7, comment: "Có minh chứng"), MarkInput(criterion: "B1")],
                                         scale: Self.scale, unit: Self.inland, scorer: .selfAssessment)
        #expect(ok.map(\.criterion) == ["A2"] && ok.first?.comment == "Có minh chứng", "a blank criterion stays without a value")
        let refused: [([MarkInput], Scorer, String)] = [
            ([MarkInput(criterion: "A2", points: 7), MarkInput(criterion: "A2", points: 8)], .selfAssessment, "hai lần"),
            ([MarkInput(criterion: "A3", points: 7)], .selfAssessment, "không thuộc phiếu chấm"),
            ([MarkInput(criterion: "A1", target: 1, actual: 1)], .peer(Self.border), "không thuộc phiếu chấm"),
            ([MarkInput(criterion: "A", points: 7)], .selfAssessment, "không thuộc phiếu chấm"),
            ([MarkInput(criterion: "../x", points: 7)], .selfAssessment, "Mã tiêu chí"),
            ([MarkInput(criterion: "A2", points: 7, comment: String(repeating: "x", count: 2_001))], .selfAssessment, "Nhận xét"),
        ]
        for (marks, scorer, words) in refused {
            do {
                _ = try ScoreSheets.checked(marks, scale: Self.scale, unit: Self.inland, scorer: scorer)
                Issue.record("\(marks) accepted")
            } catch let e as DomainError {
                #expect(e.reason.contains(words), "\(e.reason)")
            }
        }
    }

    @Test("When a sheet may change: self-assessment until submitted, the others during review only")
    func editWindows() {
        let table: [(RoundPhase, Scorer, Bool, Bool)] = [
            (.setup, .selfAssessment, false, false), (.selfAssessment, .selfAssessment, false, true), (.selfAssessment, .selfAssessment, true, false),
            (.review, .selfAssessment, false, false), (.selfAssessment, .peer(UUID()), false, false), (.review, .peer(UUID()), false, true),
            (.review, .leader, false, true), (.review, .thirdScoring, false, true), (.preliminary, .leader, false, false),
            (.appeals, .thirdScoring, false, false), (.published, .selfAssessment, true, false),
        ]
        for (phase, scorer, submitted, open) in table {
            #expect((ScoreSheets.editRefusal(phase: phase, scorer: scorer, submitted: submitted) == nil) == open, "\(phase) \(scorer) \(submitted)")
        }
    }

    @Test("Round settings: defaults valid, the leader's changes checked against members and scale")
    func settings() throws {
        let d = RoundSettings.defaults(scale: Self.scale)
        #expect(try d.validated(members: 5, scale: Self.scale) == d)
        #expect(d.rule.bands.map(\.minimum) == [Points(hundredths: 6175), Points(hundredths: 5200), Points(hundredths: 4225), Points(hundredths: 3250)],
                "95 %, 80 %, 65 %, 50 % of the scale's 65")
        #expect(d.tieBreaks == [.criteriaAtMaximum, .group("A"), .fewerPenaltyPoints])
        let rotated = try RoundSettingsInput(plan: "rotation", k: 2, seed: 7).applied(to: d, members: 5, scale: Self.scale)
        #expect(rotated.plan == .rotation(k: 2, seed: 7))
        let leader = try RoundSettingsInput(method: "leaderReview").applied(to: d, members: 5, scale: Self.scale)
        #expect(leader.plan == nil && leader.rule.aggregator == .leaderReview)
        let back = try RoundSettingsInput(method: "crossScoring").applied(to: leader, members: 5, scale: Self.scale)
        #expect(back.plan == .everyone && back.rule.aggregator == .mean)
        let gap = try RoundSettingsInput(disagreementGap: 2.5, bonusCap: 0).applied(to: d, members: 5, scale: Self.scale)
        #expect(gap.rule.disagreementGap == Points(hundredths: 250) && gap.rule.bonusCap == .zero)
        #expect(try RoundSettingsInput(disagreementGap: 0).applied(to: gap, members: 5, scale: Self.scale).rule.disagreementGap == nil)
        let uncapped = try RoundSettingsInput(noBonusCap: true).applied(to: gap, members: 5, scale: Self.scale)
        #expect(uncapped.rule.bonusCap == nil && uncapped.rule.penaltyCap == gap.rule.penaltyCap, "only the bonus cap is removed")
        #expect(try RoundSettingsInput(penaltyCap: 2).applied(to: uncapped, members: 5, scale: Self.scale).rule.bonusCap == nil, "a cap left out stays removed")
        let bands = try RoundSettingsInput.bands(fromText: "Xuất sắc | 60 | 1\r\n\nTốt | 50,5\n")
        #expect(bands == [.init(name: "Xuất sắc", minimum: 60, noCriterionAtZero: true), .init(name: "Tốt", minimum: 50.5, noCriterionAtZero: false)])
        let refused: [(RoundSettingsInput, String)] = [
            (RoundSettingsInput(plan: "rotation", k: 5), "từ 1 đến 4"),
            (RoundSettingsInput(plan: "rotation", k: 0), "Số đơn vị chấm"),
            (RoundSettingsInput(plan: "lottery"), "không có"),
            (RoundSettingsInput(method: "vote"), "không có"),
            (RoundSettingsInput(method: "leaderReview", aggregator: "mean"), "điểm thẩm định"),
            (RoundSettingsInput(aggregator: "leaderReview"), "Có chấm chéo"),
            (RoundSettingsInput(disagreementGap: -1), "điểm phải từ"),
            (RoundSettingsInput(bonusCap: .nan), "hữu hạn"),
            (RoundSettingsInput(bonusCap: 3, noBonusCap: true), "không cả hai"),
            (RoundSettingsInput(bands: [.init(name: "Tốt", minimum: 50), .init(name: "Xuất sắc", minimum: 60)]), "từ cao xuống thấp"),
            (RoundSettingsInput(bands: [.init(name: "Tốt", minimum: 50), .init(name: "Tốt", minimum: 40)]), "trùng"),
            (RoundSettingsInput(tieBreaks: ["group:A2"]), "không phải nhóm"),
            (RoundSettingsInput(tieBreaks: ["group:A", "group:A"]), "bị lặp"),
            (RoundSettingsInput(tieBreaks: ["random"]), "không có"),
        ]
        for (input, words) in refused {
            do {
                _ = try input.applied(to: d, members: 5, scale: Self.scale)
                Issue.record("\(input) accepted")
            } catch let e as DomainError {
                #expect(e.reason.contains(words), "\(input): \(e.reason)")
            }
        }
        #expect(throws: DomainError.self) { try RoundSettingsInput.bands(fromText: "Xuất sắc") }
    }

    @Test("Who may read and write which sheet, as a table")
    func sheetScope() {
        let bloc = UUID(), a = UUID(), b = UUID(), c = UUID()
        let plan: [UUID: [UUID]] = [a: [b], b: [c], c: [a]]
        func scope(_ phase: RoundPhase) -> RoundScope { RoundScope(blocID: bloc, year: 2018, phase: phase, members: [a, b, c], scorers: plan) }
        func person(_ grants: [RoleGrant]) -> Principal { Principal(userID: UUID(), username: "x", grants: grants) }
        let officerA = person([RoleGrant(role: .unitOfficer, unitID: a)])
        let officerB = person([RoleGrant(role: .unitOfficer, unitID: b)])
        let headA = person([RoleGrant(role: .unitHead, unitID: a)])
        let lead = person([RoleGrant(role: .blocLead, blocID: bloc, year: 2018)])
        let otherLead = person([RoleGrant(role: .blocLead, blocID: bloc, year: 2019)])
        let council = person([RoleGrant(role: .council)])
        let office = person([RoleGrant(role: .office)])
        // (who, unit, scorer, phase, may read, may write)
        let table: [(String, Principal, UUID, Scorer, RoundPhase, Bool, Bool)] = [
            ("officer A, own self", officerA, a, .selfAssessment, .selfAssessment, true, true),
            ("head A, own self", headA, a, .selfAssessment, .selfAssessment, true, false),
            ("officer B, A's self", officerB, a, .selfAssessment, .review, false, false),
            ("officer B as assigned peer of A", officerB, a, .peer(b), .review, true, true),
            ("officer A as peer of B (not assigned)", officerA, b, .peer(a), .review, true, false),
            ("officer A, B's peer sheet on A", officerA, a, .peer(b), .review, false, false),
            ("officer A, leader's review of A before results", officerA, a, .leader, .review, false, false),
            ("officer A, leader's review of A at preliminary", officerA, a, .leader, .preliminary, true, false),
            ("officer A, leader's review of B at preliminary", officerA, b, .leader, .preliminary, false, false),
            ("lead, any peer sheet", lead, a, .peer(b), .review, true, false),
            ("lead, third scoring", lead, a, .thirdScoring, .review, true, true),
            ("lead of another year", otherLead, a, .leader, .review, false, false),
            ("office, review", office, a, .leader, .review, true, true),
            ("council before publication", council, a, .selfAssessment, .preliminary, false, false),
            ("council after publication", council, a, .selfAssessment, .published, true, false),
        ]
        for (name, p, unit, scorer, phase, read, write) in table {
            #expect(p.canReadSheet(unit: unit, scorer: scorer, scope(phase)) == read, "\(name): read")
            #expect(p.canWriteSheet(unit: unit, scorer: scorer, scope(phase)) == write, "\(name): write")
        }
        #expect(officerA.canViewRound(scope(.review)) && lead.canViewRound(scope(.setup)))
        #expect(!council.canViewRound(scope(.review)) && council.canViewRound(scope(.published)))
        #expect(!person([RoleGrant(role: .viewer)]).canViewRound(scope(.appeals)))
    }

    @Test("Form numbers: a decimal comma or point; Vietnamese thousands points are thousands, never decimals")
    func formNumbers() throws {
        let cases: [(String, Double?)] = [("8,5", 8.5), ("8.5", 8.5), ("12.25", 12.25), ("1.250", 1250), ("1.250,5", 1250.5), ("-12.000.000", -12_000_000),
                                          ("", nil), ("  7 ", 7), ("1.25", 1.25), ("1.2500", 1.25)]
        for (text, value) in cases {
            #expect(try Bounded.decimal(text: text, field: "f", label: "Số") == value, "\(text)")
        }
        for bad in ["1.250.5", "abc", "1,2,3", "1e400", "--1"] {
            #expect(throws: DomainError.self, "\(bad)") { try Bounded.decimal(text: bad, field: "f", label: "Số") }
        }
    }

    @Test("Points in JSON are plain numbers with at most two decimals")
    func pointsJSON() throws {
        #expect(String(decoding: try JSONEncoder().encode([Points(hundredths: 850), Points(hundredths: -7)]), as: UTF8.self) == "[8.5,-0.07]")
        #expect(try JSONDecoder().decode([Points].self, from: Data("[8.5, 0.07, 100]".utf8)) == [Points(hundredths: 850), Points(hundredths: 7), Points(hundredths: 10_000)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Points].self, from: Data("[8.555]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Points].self, from: Data("[1e300]".utf8)) }
    }

    @Test("Evidence: the type from the content, the name cleaned and agreeing with it, the size bounded")
    func evidenceRules() throws {
        let pdf = Array("%PDF-1.7".utf8), png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        #expect(EvidenceRules.detect(pdf, zipEntries: nil) == .pdf && EvidenceRules.detect(png, zipEntries: nil) == .png && EvidenceRules.detect(jpeg, zipEntries: nil) == .jpeg)
        #expect(EvidenceRules.detect(zip, zipEntries: ["[Content_Types].xml", "word/document.xml"]) == .docx)
        #expect(EvidenceRules.detect(zip, zipEntries: ["[Content_Types].xml", "xl/workbook.xml"]) == .xlsx)
        #expect(EvidenceRules.detect(zip, zipEntries: ["word/document.xml"]) == nil, "no content types: not an Office file")
        #expect(EvidenceRules.detect(zip, zipEntries: nil) == nil && EvidenceRules.detect(Array("<html>".utf8), zipEntries: nil) == nil && EvidenceRules.detect([], zipEntries: nil) == nil)
        #expect(try EvidenceRules.check(filename: "C:\\fakepath\\Báo cáo.PDF", size: 10, detected: .pdf).name == "Báo cáo.PDF")
        #expect(try EvidenceRules.check(filename: "../../.ảnh.jpeg", size: 10, detected: .jpeg).name == "ảnh.jpeg")
        #expect(try EvidenceRules.check(filename: "a\u{0}b.png", size: 10, detected: .png).name == "ab.png")
        let refused: [(String?, Int, EvidenceType?, String)] = [
            ("a.pdf", 0, .pdf, "rỗng"), ("a.pdf", EvidenceRules.maxBytes + 1, .pdf, "lớn quá"), ("a.exe", 10, nil, "Chỉ nhận"),
            ("a.pdf", 10, .png, "nội dung là tệp PNG"), ("pdf", 10, .pdf, "đuôi"), ("...", 10, .pdf, "cần có tên"), (nil, 10, .pdf, "cần có tên"),
            (String(repeating: "a", count: 200) + ".pdf", 10, .pdf, "dài quá"),
        ]
        for (name, size, type, words) in refused {
            do {
                _ = try EvidenceRules.check(filename: name, size: size, detected: type)
                Issue.record("\(name ?? "nil") accepted")
            } catch let e as DomainError {
                #expect(e.reason.contains(words), "\(name ?? "nil"): \(e.reason)")
            }
        }
    }
}
