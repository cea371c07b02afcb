import Foundation
import Testing
import ThiDuaCore

/// Every user-influenced number and code goes through `Bounded`: out of range is a 422 naming the field, never
/// a trap, and whatever is accepted is safe for the sums, conversions and ranges that follow.
@Suite struct BoundedInputTests {
    func refusal(_ body: () throws -> Any) -> DomainError? {
        do { _ = try body(); return nil } catch let e as DomainError { return e } catch { return nil }
    }

    @Test("Points: 0 < max ≤ 10.000 with at most two decimals; per-event values may be negative but not 0")
    func points() throws {
        for bad in [0, -1, 1e19, 10_000.01, .nan, .infinity, -.infinity, 12.345, Double.greatestFiniteMagnitude] {
            let e = refusal { try Bounded.points(bad, field: "maxPoints", label: "Điểm tối đa") }
            #expect(e?.kind == .invalid && e?.field == "maxPoints", "\(bad) accepted")
        }
        #expect(refusal { try Bounded.points(nil, field: "maxPoints", label: "Điểm tối đa") }?.field == "maxPoints")
        #expect(try Bounded.points(10_000, field: "f", label: "l") == 10_000)
        #expect(try Bounded.points(12.5, field: "f", label: "l") == 12.5)
        #expect(try Bounded.points(0.01, field: "f", label: "l") == 0.01)
        #expect(try Bounded.points(0.1 + 0.2, field: "f", label: "l") == 0.3)
        #expect(try Bounded.points(-2, field: "f", label: "l", positive: false) == -2)
        #expect(refusal { try Bounded.points(0, field: "f", label: "l", positive: false) } != nil)
        #expect(refusal { try Bounded.points(-10_000.5, field: "f", label: "l", positive: false) } != nil)
    }

    @Test("Integers typed as text: digits only, within the range; nothing wraps or traps")
    func integers() throws {
        let range = 1...100_000
        for bad in ["-1", "0", "99999999999999999999", "9223372036854775807", "-9223372036854775808", "1e3", "0x10", "1.5", "١٢", "+", "-", "abc", " 100001 "] {
            #expect(refusal { try Bounded.int(text: bad, field: "page", label: "Số trang", in: range) }?.field == "page", "\(bad) accepted")
        }
        #expect(try Bounded.int(text: "", field: "page", label: "Số trang", in: range) == nil)
        #expect(try Bounded.int(text: " 42 ", field: "page", label: "Số trang", in: range) == 42)
        #expect(try Bounded.page(text: nil) == 1)
        #expect(try Bounded.page(text: "100000") == 100_000)
        // The rows of the last page are computed without overflow.
        #expect(Bounded.pageRange(100_000, size: 50) == 4_999_950..<5_000_000)
        #expect(Bounded.pageRange(Int.max, size: Int.max) == Bounded.pageRange(100_000, size: 1_000))
        #expect(Bounded.pageRange(Int.min, size: 0) == 0..<1)
    }

    @Test("Years: emulation years 2000…2100; 0, 99999 and words are refused naming the field")
    func years() throws {
        for bad in ["0", "99999", "1999", "2101", "-2018", "20 18", "năm"] {
            #expect(refusal { try Bounded.emulationYear(text: bad) }?.field == "year", "\(bad) accepted")
        }
        #expect(refusal { try Bounded.emulationYear(Int.max) }?.field == "year")
        #expect(try Bounded.emulationYear(text: "2018") == 2018)
        #expect(try Bounded.emulationYear(text: "") == nil)
        #expect(try Validate.year(2100) == 2100)
    }

    @Test("Codes in URLs: letters, digits, '.', '_', '-', at most 16 characters")
    func codes() throws {
        for bad in ["x/../../../../users/1/delete?", "A?", "A#1", "A 1", String(repeating: "A", count: 17), String(repeating: "A", count: 200),
                    ".", "..", "Á1", "A\u{0}", "A%2F", "A\\B", ""] {
            #expect(refusal { try Bounded.code(bad, field: "code", label: "Mã tiêu chí") }?.field == "code", "\(bad) accepted")
        }
        for good in ["A", "A1", "B.2", "c_3-d", String(repeating: "Z", count: 16), " A1 "] {
            #expect(try Bounded.code(good, field: "code", label: "Mã") == good.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test("Lists and texts are bounded before any work on their elements")
    func listsAndTexts() throws {
        #expect(refusal { try Bounded.list(Array(repeating: 0, count: 501), field: "scale", label: "Thang điểm", max: 500) }?.field == "scale")
        #expect(refusal { try Bounded.list(Array(repeating: 0, count: 500), field: "scale", label: "Thang điểm", max: 500) } == nil)
        #expect(refusal { try Bounded.text(String(repeating: "a", count: 11), field: "t", label: "T", max: 10) }?.field == "t")
        #expect(refusal { try Bounded.text("a\u{7}b", field: "t", label: "T", max: 10) }?.field == "t")
        #expect(try Bounded.text("dòng 1\r\ndòng 2\ttab", field: "t", label: "T", max: 100) == "dòng 1\r\ndòng 2\ttab")
        // NFD in, NFC out.
        #expect(try Bounded.text("Nghe\u{0323}\u{0302} An", field: "t", label: "T", max: 100) == "Nghệ An")
    }

    @Test("After login only a same-site path is followed")
    func localPath() {
        for bad in ["//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example", "http:/evil", "evil.example", "javascript:alert(1)",
                    "/\t/evil.example", "/\n/evil.example", "/ /evil", "/\u{200B}/evil", "", String(repeating: "/a", count: 1_001)] {
            #expect(LocalPath.safe(bad) == "/", "\(bad.debugDescription) followed")
        }
        #expect(LocalPath.safe(nil) == "/")
        for good in ["/", "/blocs", "/audit?page=2&actor=a", "/register/people/1?year=2018", "/tìm-kiếm"] {
            #expect(LocalPath.safe(good) == good)
        }
    }

    @Test("Points are shown for every Double, stored before the bounds included: no Int(…) trap")
    func pointsText() {
        #expect(ScoringScale.points(20) == "20")
        #expect(ScoringScale.points(12.5) == "12,5")
        #expect(ScoringScale.points(12.25) == "12,25")
        #expect(ScoringScale.points(1_250) == "1.250")
        #expect(ScoringScale.points(-2) == "-2")
        #expect(ScoringScale.points(-0.5) == "-0,5")
        #expect(ScoringScale.points(1e19) == "10000000000000000000")
        #expect(ScoringScale.points(-1e300).hasPrefix("-1"))
        #expect(ScoringScale.points(.nan) == "–")
        #expect(ScoringScale.points(.infinity) == "–")
    }

    @Test("A scale with a maximum of 1e19, a per-event value of 1e19 or a code with '/' is refused naming the criterion")
    func scaleBounds() {
        func build(_ items: [CriterionInput]) -> DomainError? { refusal { try ScoringScale.build(items) } }
        #expect(build([CriterionInput(code: "A", name: "Nhóm", maxPoints: 1e19)])?.field == "A")
        #expect(build([CriterionInput(code: "A", name: "Thưởng", maxPoints: 5, kind: .adjustment, perEvent: 1e19)])?.field == "A")
        #expect(build([CriterionInput(code: "A", name: "Nhóm", maxPoints: .nan)])?.field == "A")
        #expect(build([CriterionInput(code: "x/../y", name: "Nhóm", maxPoints: 5)])?.field == "code")
        #expect(build([CriterionInput(code: "A", parent: "B?", name: "Nhóm", maxPoints: 5)])?.field == "A")
        #expect(build(Array(repeating: CriterionInput(code: "A", name: "N", maxPoints: 1), count: 501))?.field == "scale")
        // A manual criterion's stray per-event value is dropped, so nothing downstream formats it.
        #expect((try? ScoringScale.build([CriterionInput(code: "A", name: "N", maxPoints: 5, kind: .manual, perEvent: 1e19)]))?.first?.perEvent == nil)
        // 500 criteria at the maximum add up without overflow.
        let many = (1...500).map { CriterionInput(code: "C\($0)", name: "Tiêu chí \($0)", maxPoints: 10_000) }
        #expect((try? ScoringScale.build(many)).map(ScoringScale.totalMax) == 5_000_000)
    }

    @Test("A comment's item on a covenant without key tasks is refused, not trapped (1...0)")
    func commentItem() {
        let empty = CovenantContent(title: "Giao ước", place: "Nghệ An")
        #expect(empty.commentItem("task:1") == nil)
        #expect(empty.commentItem("task:0") == nil)
        #expect(empty.commentItem("task:-1") == nil)
        #expect(empty.commentItem("task:99999999999999999999") == nil)
        #expect(empty.commentItem("A") == nil)
        #expect(empty.commentItem("") == "general")
        #expect(empty.commentItem(nil) == "general")
        let two = CovenantContent(title: "Giao ước", place: "Nghệ An", keyTasks: [KeyTask(text: "Một"), KeyTask(text: "Hai")],
                                  scale: [Criterion(code: "A", name: "Nhóm", maxPoints: 10)])
        #expect(two.commentItem("task:2") == "task:2")
        #expect(two.commentItem("task:3") == nil)
        #expect(two.commentItem("A") == "A")
        #expect(two.commentItem("B") == nil)
    }

    @Test("A covenant's lists and texts are bounded")
    func covenantBounds() {
        var c = CovenantContent(title: "Giao ước", place: "Nghệ An")
        c.keyTasks = Array(repeating: KeyTask(text: "x"), count: CovenantContent.maxKeyTasks + 1)
        #expect(refusal { try c.validated() }?.field == "keyTasks")
        c.keyTasks = []
        c.bases = Array(repeating: "Luật", count: CovenantContent.maxBases + 1)
        #expect(refusal { try c.validated() }?.field == "bases")
        c.bases = []
        c.preamble = String(repeating: "a", count: CovenantContent.maxLongText + 1)
        #expect(refusal { try c.validated() }?.field == "preamble")
    }
}
