import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import ThiDuaDocuments
import VaporTesting

/// Importing into the demo register through the API, the CLI's service and the pages: a dry run writes nothing, an
/// import is all or nothing, a second import of the same file changes nothing, scope holds, big bodies are refused.
@Suite("Import on the server")
struct ImportServerTests {
    static func post(_ app: Application, _ path: String, token: String, data: Data, headers: [(String, String)] = []) async throws -> TestingHTTPResponse {
        var out: TestingHTTPResponse!
        try await app.testing().test(.POST, path, beforeRequest: { req in
            req.headers.bearerAuthorization = .init(token: token)
            req.headers.contentType = .init(type: "application", subType: "octet-stream")
            for (k, v) in headers { req.headers.replaceOrAdd(name: k, value: v) }
            req.body = ByteBuffer(data: data)
        }, afterResponse: { res in out = res })
        return out
    }

    static func t(_ s: String) -> SheetCell { .text(s) }

    /// People, awards and ratings of two demo units, with `extra` award rows at the end.
    static func workbook(people: Int = 2, extra: [[SheetCell]] = [], decision: String = "125/QĐ-CAT") throws -> Data {
        let names = (0..<people).map { "Người Nhập Số \($0 + 1)" }
        let police = "Công an tỉnh Nghệ An", justice = "Sở Tư pháp tỉnh Nghệ An"
        return try XLSXWriter.workbook([
            Sheet(name: "Cá nhân", title: "DANH SÁCH", header: ["Đơn vị", "Họ và tên", "Giới tính", "Năm sinh"],
                  rows: names.enumerated().map { [t($0.offset % 2 == 0 ? police : justice), t($0.element), t("Nam"), .number(Double(1970 + $0.offset % 30))] }),
            Sheet(name: "Khen thưởng", title: "KHEN THƯỞNG", header: ["Đơn vị", "Họ và tên", "Năm sinh", "Danh hiệu, hình thức", "Năm thành tích", "Số quyết định", "Ngày quyết định"],
                  rows: names.enumerated().map { [t($0.offset % 2 == 0 ? police : justice), t($0.element), .number(Double(1970 + $0.offset % 30)), t("Lao động tiên tiến"), .number(2023), t(decision), t("15/01/2024")] }
                    + [[t(justice), .text(""), .text(""), t("Tập thể lao động tiên tiến"), .number(2023), .text(""), .text("")]] + extra),
            Sheet(name: "Xếp loại", title: nil, header: ["Đơn vị", "Họ và tên", "Năm sinh", "Năm", "Xếp loại"],
                  rows: names.enumerated().map { [t($0.offset % 2 == 0 ? police : justice), t($0.element), .number(Double(1970 + $0.offset % 30)), .number(2023), t("HTTNV")] }),
        ])
    }

    static func counts(_ app: Application) async throws -> [Int] {
        [try await count(Person.self, app), try await count(AwardRecordModel.self, app), try await count(RatingRecord.self, app), try await count(AuditEntry.self, app)]
    }

    @Test("API: a dry run writes nothing; the import adds; the same file again changes nothing; a changed cell updates one row")
    func apiRoundTrip() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            let before = try await Self.counts(app)
            let file = try Self.workbook()
            let dry = try await Self.post(app, "/api/v1/import?dryRun=true&filename=lich-su.xlsx", token: office, data: file)
            #expect(dry.status == .ok, "\(dry.body.string)")
            let dr = try dry.decoded(ImportController.APIReport.self).report
            #expect(!dr.applied && dr.problems.isEmpty && dr.sheets["Cá nhân"] == .init(added: 2) && dr.sheets["Khen thưởng"] == .init(added: 3) && dr.sheets["Xếp loại"] == .init(added: 2))
            #expect(try await Self.counts(app) == before, "a dry run writes nothing")
            let done = try await Self.post(app, "/api/v1/import?filename=lich-su.xlsx", token: office, data: file).decoded(ImportController.APIReport.self).report
            #expect(done.applied)
            let after = try await Self.counts(app)
            #expect(after == [before[0] + 2, before[1] + 3, before[2] + 2, before[3] + 1], "one audit entry for the import")
            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$entity == "import").first())
            #expect(entry.newValue?.contains(done.sha256) == true)
            #expect(try app.fileStore.get(done.sha256) == file, "the file is kept by its hash")
            let person = try #require(try await Person.query(on: app.db).filter(\.$fullName == "Người Nhập Số 1").first())
            #expect(person.birthYear == 1970 && person.gender == "male")
            let award = try #require(try await AwardRecordModel.query(on: app.db).filter(\.$personID == person.id).first())
            #expect(award.kind == "LDTT" && award.decision == "125/QĐ-CAT" && award.decidedOn == "2024-01-15")
            let again = try await Self.post(app, "/api/v1/import", token: office, data: file).decoded(ImportController.APIReport.self).report
            #expect(again.sheets["Cá nhân"] == .init(unchanged: 2) && again.sheets["Khen thưởng"] == .init(unchanged: 3) && again.sheets["Xếp loại"] == .init(unchanged: 2))
            #expect(try await Self.counts(app) == [after[0], after[1], after[2], after[3] + 1], "re-importing adds nothing")
            let changed = try await Self.post(app, "/api/v1/import", token: office, data: try Self.workbook(decision: "126/QĐ-CAT")).decoded(ImportController.APIReport.self).report
            #expect(changed.sheets["Khen thưởng"] == .init(changed: 2, unchanged: 1))
            #expect(try await AwardRecordModel.find(award.id, on: app.db)?.decision == "126/QĐ-CAT")
        }
    }

    /// Rows: the title (1), a blank (2), the header (3), 300 people (4–303), the collective title (304), the bad row (305).
    @Test("All or nothing: 300 good rows and one bad row at the end: 422 naming it, nothing written")
    func allOrNothing() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            let before = try await Self.counts(app)
            let bad: [[SheetCell]] = [[Self.t("Sở Tư pháp tỉnh Nghệ An"), .text(""), .text(""), Self.t("Huân chương không có"), .number(2023), .text(""), .text("")]]
            let res = try await Self.post(app, "/api/v1/import", token: office, data: try Self.workbook(people: 300, extra: bad))
            #expect(res.status == .unprocessableEntity)
            let r = try res.decoded(ImportController.APIReport.self)
            #expect(r.reason?.contains("1 lỗi") == true && r.report.problems.map(\.row) == [305] && r.report.problems[0].sheet == "Khen thưởng" && r.report.problems[0].column?.hasPrefix("D") == true,
                    "\(r.report.problems)")
            #expect(try await Self.counts(app) == before)
        }
    }

    @Test("Scope: a unit officer imports for their own unit only; a viewer cannot import; a huge body is refused before it is read")
    func scope() async throws {
        try await withThiDua(demo: true) { app, _ in
            let officer = try await token(app, "canbo.congan")
            let both = try await Self.post(app, "/api/v1/import", token: officer, data: try Self.workbook())
            #expect(both.status == .unprocessableEntity && both.body.string.contains("bạn không được sửa dữ liệu của đơn vị"), "\(both.body.string.prefix(600))")
            let own = try await Self.post(app, "/api/v1/import", token: officer, data: try Self.workbook(people: 1).replacingSheetRows())
            #expect(own.status == .ok, "\(own.body.string.prefix(800))")
            #expect(try await Self.post(app, "/api/v1/import", token: try await token(app, "khach"), data: try Self.workbook()).status == .forbidden)
            let huge = try await Self.post(app, "/api/v1/import", token: try await token(app, "vanphong"), data: Data(count: ImportService.maxBytes + (256 << 10) + 1))
            #expect(huge.status == .payloadTooLarge)
            let notSheet = try await Self.post(app, "/api/v1/import?filename=a.xlsx", token: try await token(app, "vanphong"), data: Data("không phải bảng tính".utf8))
            #expect(notSheet.status == .unprocessableEntity && reason(notSheet).contains("không phải bảng tính"))
        }
    }

    @Test("Round trips: the register exported (.xlsx, .csv) imports again with nothing added or changed; JSON has every sheet")
    func exportRoundTrip() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            let xlsx = try await api(app, .GET, "/api/v1/register/export.xlsx", token: office)
            #expect(xlsx.status == .ok)
            let file = Data(buffer: xlsx.body)
            let sheets = try XLSXReader.read(file)
            #expect(sheets.map(\.name) == ImportSheetKind.allCases.map(\.title))
            let r = try await Self.post(app, "/api/v1/import?dryRun=true&filename=so.xlsx", token: office, data: file).decoded(ImportController.APIReport.self).report
            #expect(r.problems.isEmpty, "\(r.problems)")
            let moved = r.sheets.values.map { $0.added + $0.changed }.reduce(0, +), kept = r.sheets.values.map(\.unchanged).reduce(0, +)
            #expect(moved == 0 && kept > 50 && (r.sheets["Khen thưởng"]?.unchanged ?? 0) > 10, "\(r.sheets)")
            let csv = try await api(app, .GET, "/api/v1/register/export.csv?sheet=awards", token: office)
            let bytes = Data(buffer: csv.body)
            #expect(csv.status == .ok && bytes.starts(with: [0xEF, 0xBB, 0xBF]) && csv.headers.contentType?.subType == "csv")
            let c = try await Self.post(app, "/api/v1/import?dryRun=true&filename=Khen%20th%C6%B0%E1%BB%9Fng.csv", token: office, data: bytes).decoded(ImportController.APIReport.self).report
            #expect(c.problems.isEmpty && c.sheets["Khen thưởng"]?.added == 0 && c.sheets["Khen thưởng"]?.changed == 0 && c.sheets["Khen thưởng"]?.unchanged == r.sheets["Khen thưởng"]?.unchanged, "\(c.problems) \(c.sheets)")
            #expect(try await api(app, .GET, "/api/v1/register/export.csv?sheet=nope", token: office).status == .unprocessableEntity)
            let json = try JSONDecoder().decode([String: [[String: String]]].self, from: Data(buffer: try await api(app, .GET, "/api/v1/register/export.json", token: office).body))
            #expect(Set(json.keys) == Set(ImportSheetKind.allCases.map(\.title)) && json["Khen thưởng"]?.count == r.sheets["Khen thưởng"]?.unchanged)
            // A unit officer's export holds their own unit only.
            let own = try XLSXReader.read(Data(buffer: try await api(app, .GET, "/api/v1/register/export.xlsx", token: try await token(app, "canbo.congan")).body))
            let units = Set(own.flatMap { s in s.rows.filter { $0.key > 3 }.compactMap { $0.value.first?.shown } })
            #expect(units == ["Công an tỉnh Nghệ An"], "\(units)")
        }
    }

    @Test("Pages: upload for a dry run, the report by sheet and row, then the kept file applied")
    func pages() async throws {
        try await withThiDua(demo: true) { app, _ in
            let b = try Browser(app)
            try await b.login("vanphong")
            let start = try await b.get("/import")
            #expect(start.status == .ok && start.body.string.contains("template.xlsx") && start.body.string.contains("import-form"))
            let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            let bad = try await b.postFile("/import", [:], field: "file", filename: "loi.xlsx",
                                           data: try Self.workbook(extra: [[Self.t("Sở Không Có"), .text(""), .text(""), Self.t("LDTT"), .number(2023), .text(""), .text("")]]), type: xlsx)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("import-problems") && bad.body.string.contains("Sở Không Có") && !bad.body.string.contains("import-apply"))
            try await b.get("/import")
            let file = try Self.workbook()
            let dry = try await b.postFile("/import", [:], field: "file", filename: "lich-su.xlsx", data: file, type: xlsx)
            #expect(dry.status == .ok && dry.body.string.contains("Chạy thử") && dry.body.string.contains("import-apply"), "\(dry.body.string.suffix(1500))")
            let before = try await count(Person.self, app)
            let sha = Hex.lower(SHA256Digest.hash(Array(file)))
            #expect(dry.body.string.contains(sha), "the page names the file it will apply")
            let applied = try await b.post("/import/apply", ["sha256": sha, "filename": "lich-su.xlsx"])
            #expect(applied.status == .ok && applied.body.string.contains("Đã nhập"))
            #expect(try await count(Person.self, app) == before + 2)
            try await b.get("/import")
            #expect(try await b.post("/import/apply", ["sha256": sha, "filename": "lich-su.xlsx"]).status == .conflict, "applied once: a second apply needs a new dry run")
            try await b.get("/import")
            #expect(try await b.post("/import/apply", ["sha256": String(repeating: "0", count: 64), "filename": "x.xlsx"]).status == .conflict, "an unknown file")
            // Another user cannot apply a file they did not check themselves, even knowing its hash.
            let other = try Browser(app)
            try await other.login("canbo.congan")
            try await other.get("/import")
            #expect(try await other.post("/import/apply", ["sha256": sha, "filename": "lich-su.xlsx"]).status == .conflict)
            #expect(try await b.get("/import/template.xlsx").status == .ok)
        }
    }

    struct ProgressLine: Decodable { var percent: Int?; var text: String?; var status: UInt?; var html: String? }

    static func lines(_ res: TestingHTTPResponse) throws -> [ProgressLine] {
        try res.body.string.split(separator: "\n").map { try JSONDecoder().decode(ProgressLine.self, from: Data($0.utf8)) }
    }

    @Test("Progress display: the page's script gets the steps as JSON lines, then the page the form would have answered")
    func progress() async throws {
        try await withThiDua(demo: true) { app, _ in
            let b = try Browser(app)
            try await b.login("vanphong")
            try await b.get("/import")
            let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            let streamed = [("X-Import-Progress", "1")]
            let file = try Self.workbook(people: 5_000)
            let dry = try await b.postFile("/import", [:], field: "file", filename: "lon.xlsx", data: file, type: xlsx, headers: streamed)
            #expect(dry.status == .ok && dry.headers.contentType?.subType == "x-ndjson" && dry.headers.first(name: "X-Accel-Buffering") == "no")
            let lines = try Self.lines(dry)
            let steps = lines.compactMap(\.percent)
            #expect(steps == steps.sorted() && steps.first == 0, "\(steps)")
            #expect(lines.contains { $0.text?.hasPrefix("Đang kiểm tra dòng 2.000 / ") == true }, "rows checked, every 2.000: \(lines.compactMap(\.text))")
            let last = try #require(lines.last)
            #expect(last.status == 200 && last.html?.contains("Chạy thử") == true && last.html?.contains("import-apply") == true)
            #expect(lines.dropLast().allSatisfy { $0.html == nil })

            // The file this user uploaded is the one the page may apply; its writing is shown too.
            let sha = Hex.lower(SHA256Digest.hash(Array(file)))
            let before = try await count(Person.self, app)
            let applied = try Self.lines(try await b.post("/import/apply", ["sha256": sha, "filename": "lon.xlsx"], headers: streamed))
            #expect(applied.contains { $0.text?.hasPrefix("Đang ghi ") == true } && applied.last?.status == 200 && applied.last?.html?.contains("Đã nhập") == true,
                    "\(applied.compactMap(\.text))")
            #expect(try await count(Person.self, app) == before + 5_000)

            // A file with problems, and a file that is no spreadsheet: the last line is the page with its status.
            try await b.get("/import")
            let bad = try Self.lines(try await b.postFile("/import", [:], field: "file", filename: "loi.xlsx",
                                                          data: try Self.workbook(extra: [[Self.t("Sở Không Có"), .text(""), .text(""), Self.t("LDTT"), .number(2023), .text(""), .text("")]]),
                                                          type: xlsx, headers: streamed))
            #expect(bad.last?.status == 422 && bad.last?.html?.contains("Sở Không Có") == true && bad.last?.html?.contains("import-apply") == false)
            try await b.get("/import")
            let junk = try Self.lines(try await b.postFile("/import", [:], field: "file", filename: "anh.xlsx", data: Data("không phải bảng tính".utf8), type: xlsx, headers: streamed))
            #expect(junk.last?.status == 422 && junk.last?.html?.contains("không phải bảng tính .xlsx") == true, "\(junk.last?.html?.suffix(600) ?? "")")
            // A file with problems that this user uploaded cannot be applied: it is checked again, and nothing is written.
            try await b.get("/import")
            let refused = try await b.post("/import/apply", ["sha256": String(repeating: "a", count: 64), "filename": "x.xlsx"])
            #expect(refused.status == .conflict)
        }
    }
}

extension Data {
    /// Test helper: the one-person workbook with every row moved to the officer's own unit.
    func replacingSheetRows() throws -> Data {
        let sheets = try XLSXReader.read(self)
        var out: [Sheet] = []
        for s in sheets {
            let numbers = s.rows.keys.sorted()
            let headerRow = numbers.first { n in (s.rows[n] ?? []).contains { $0 == .text("Đơn vị") } } ?? 1
            let header = (s.rows[headerRow] ?? []).map(\.shown)
            let rows = numbers.filter { $0 > headerRow }.map { n in
                (s.rows[n] ?? []).enumerated().map { i, c -> SheetCell in
                    if i == 0 { return .text("Công an tỉnh Nghệ An") }
                    if case .number(let d) = c { return .number(d) }
                    return .text(c.shown)
                }
            }
            // The collective award moves with its unit: a person's title for the police would need a name.
            out.append(Sheet(name: s.name, title: nil, header: header, rows: rows.filter { $0.count < 2 || !$0[1].isBlank || s.name != "Khen thưởng" }))
        }
        return try XLSXWriter.workbook(out)
    }
}

extension SheetCell {
    var isBlank: Bool { if case .text(let t) = self { return t.isEmpty }; return false }
}
