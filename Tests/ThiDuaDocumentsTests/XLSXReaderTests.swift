import Foundation
import Testing
import ThiDuaCore
@testable import ThiDuaDocuments

/// Reading .xlsx as written by openpyxl, by LibreOffice (the same sheet saved again) and by ThiDua's own writer:
/// shared and inline strings, numbers, dates by their format, formulas, merged header rows.
@Suite("XLSX reader")
struct XLSXReaderTests {
    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try Data(contentsOf: url)
    }

    @Test("openpyxl and LibreOffice files read alike: strings, numbers, dates, formulas, merged headers", arguments: ["openpyxl.xlsx", "libreoffice.xlsx"])
    func fixtures(_ name: String) throws {
        let sheets = try XLSXReader.read(try Self.fixture(name))
        #expect(sheets.map(\.name) == ["Khen thưởng", "Ghi chú"])
        let s = sheets[0]
        #expect(s.cell(1, 0) == .text("DANH SÁCH KHEN THƯỞNG (tệp viết bằng openpyxl)"))
        #expect(s.cell(2, 1) == .text("Đối tượng") && s.cell(3, 2) == .text("Năm sinh"), "merged cells carry their value")
        #expect(s.cell(4, 0) == .text("Công an tỉnh Nghệ An") && s.cell(4, 2) == .number(1980) && s.cell(4, 5) == .date(45_306))
        #expect(s.formulas.contains("E5") && s.cell(5, 5) == .text("15/01/2024"))
        #expect(s.cell(6, 5) == .date(44_941) && s.cell(8, 2) == .number(1985))
        #expect(s.rows[7] == nil, "an empty row is absent")
        #expect(sheets[1].cell(2, 1) == .bool(true))
        // Through the planner: the header under the merged group row is found, the formula row refused, the rest read.
        let police = UUID(), court = UUID(), an = UUID(), hoa = UUID()
        let ctx = ImportContext(catalogue: try Catalogue.builtIn(), today: Day(2026, 12, 2),
                                units: [.init(id: police, officialName: "Công an tỉnh Nghệ An", shortName: nil, kind: .armedForces, sector: nil),
                                        .init(id: court, officialName: "Tòa án nhân dân tỉnh Nghệ An", shortName: nil, kind: .judicial, sector: nil)],
                                people: [.init(id: an, unitID: police, fullName: "Nguyễn Văn An", gender: nil, birthYear: 1980, position: nil),
                                         .init(id: hoa, unitID: court, fullName: "Lê Thị Hoa", gender: nil, birthYear: 1985, position: nil)],
                                editableUnits: nil)
        let plan = ImportPlanner(ctx).plan(sheets)
        #expect(plan.problems.map { "\($0.row ?? 0)\($0.column?.prefix(1) ?? "")" } == ["5E"], "\(plan.problems)")
        #expect(plan.awards.map(\.kind) == ["LDTT", "TTLDTT", "CSTT"] && plan.awards[0].date == Day(2024, 1, 15) && plan.awards[1].date == Day(2023, 1, 15))
    }

    @Test("ThiDua's own workbook reads back (inline strings), and the import template's sheets are the planner's")
    func ownWriter() throws {
        let data = try XLSXWriter.workbook([Sheet(name: "Cá nhân", title: "MẪU", header: ["Đơn vị", "Họ và tên"], rows: [[.text("Sở Tư pháp"), .text("Lê Văn Tâm")], [.text("X"), .number(12.5)]])])
        let s = try #require(try XLSXReader.read(data).first)
        #expect(s.cell(3, 1) == .text("Họ và tên") && s.cell(4, 1) == .text("Lê Văn Tâm") && s.cell(5, 1) == .number(12.5))
        let template = try XLSXReader.read(try ImportTemplateDocument.workbook(catalogue: try Catalogue.builtIn()))
        #expect(template.map(\.name) == [ImportPlanner.guideSheet] + ImportSheetKind.allCases.map(\.title) + [ImportPlanner.codesSheet])
        // The untouched template imports as nothing, each example row skipped.
        let plan = ImportPlanner(ImportContext(catalogue: try Catalogue.builtIn(), today: Day(2026, 12, 2), units: [], people: [], editableUnits: nil)).plan(template)
        #expect(plan.problems.isEmpty && plan.rowsRead.isEmpty && plan.notes.filter { $0.reason.contains("Dòng ví dụ") }.count == ImportSheetKind.allCases.count, "\(plan.problems)")
    }

    @Test("Not a workbook, an old .xls, a CSV in another encoding: refused with a reason; a CSV with BOM and semicolons read")
    func refusals() throws {
        #expect(throws: ImportFileReader.Failure.self) { try ImportFileReader.tables(Data("hello".utf8), filename: "a.xlsx") }
        #expect(throws: ImportFileReader.Failure.self) { try ImportFileReader.tables(Data([0xD0, 0xCF, 0x11, 0xE0, 0, 0]), filename: "a.xls") }
        #expect(throws: ImportFileReader.Failure.self) { try ImportFileReader.tables(Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), filename: "a.xlsx") }
        #expect(throws: ImportFileReader.Failure.self) { try ImportFileReader.tables(Data([0x48, 0xE0, 0x20, 0x4E, 0xF4, 0x69]), filename: "cp1258.csv") }
        let csv = Data([0xEF, 0xBB, 0xBF]) + Data("Đơn vị;Họ và tên;Năm sinh\r\n\"Công an tỉnh; Nghệ An\";Nguyễn Văn An;1980\r\n".utf8)
        let t = try #require(try ImportFileReader.tables(csv, filename: "Cá nhân.csv").first)
        #expect(t.name == "Cá nhân" && t.cell(1, 0) == .text("Đơn vị") && t.cell(2, 0) == .text("Công an tỉnh; Nghệ An") && t.cell(2, 2) == .text("1980"))
    }
}

@Suite("XML scanner")
struct XMLScannerTests {
    static func events(_ xml: String) throws -> [String] {
        var out: [String] = []
        try XMLScanner.scan(Data(xml.utf8), start: { n, a in out.append("<\(n)" + a.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined() + ">") },
                            end: { out.append("</\($0)>") }, text: { out.append($0) })
        return out
    }

    @Test("Elements, prefixes, attributes, entities, character references, CDATA; comments and declarations skipped")
    func reads() throws {
        let e = try Self.events(#"<?xml version="1.0"?><!-- c --><x:a k='1' r="A&amp;B"><b/>T&#7897;&#x1EA1; &lt;&gt;&quot;&apos;<![CDATA[<raw>]]></x:a>"#)
        #expect(e == ["<a k=1 r=A&B>", "<b>", "</b>", "Tộạ <>\"'", "<raw>", "</a>"])
    }

    @Test("Refused: a document type (no entity can be defined to expand), unknown entities, unclosed or extra tags", arguments: [
        #"<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>"#, "<a><!-- open</a>", "<a>&nope;</a>", "<a><b></a>", "<a></a></b>", "<a k=1></a>", "<a", "<a>&#xZZ;</a>",
    ])
    func refuses(_ xml: String) {
        #expect(throws: XMLScanner.Failure.self) { try Self.events(xml) }
    }

    @Test("A sheet of 60.000 rows reads whole (Foundation's XMLParser stopped near 40.000 on Linux)")
    func bigSheet() throws {
        let rows = (0..<60_000).map { [SheetCell.text("Cán bộ số \($0)"), .number(Double($0))] }
        let data = try XLSXWriter.workbook([Sheet(name: "Cá nhân", header: ["Họ và tên", "Năm"], rows: rows)])
        let s = try #require(try XLSXReader.read(data).first)
        #expect(s.rows.count == 60_001 && s.cell(s.lastRow, 0) == .text("Cán bộ số 59999") && s.cell(s.lastRow, 1) == .number(59_999))
    }
}
