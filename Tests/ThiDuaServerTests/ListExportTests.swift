import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import ThiDuaDocuments
import VaporTesting

/// The units and blocs lists as .xlsx, .csv and JSON, the same rows the pages show, for any signed-in user.
@Suite("List exports")
struct ListExportTests {
    @Test("Units and blocs as .xlsx, .csv (BOM) and JSON; the pages link them; the year of the bloc list is kept")
    func lists() async throws {
        try await withThiDua(demo: true) { app, _ in
            let viewer = try await token(app, "khach")
            let xlsx = try await api(app, .GET, "/api/v1/units/export.xlsx", token: viewer)
            #expect(xlsx.status == .ok && xlsx.headers.contentType?.subType.contains("spreadsheetml") == true)
            let sheet = try #require(try XLSXReader.read(Data(buffer: xlsx.body)).first)
            #expect(sheet.name == "Đơn vị" && sheet.cell(3, 0) == .text("Tên đơn vị") && sheet.rows.count == 2 + 9, "title, header, nine units")
            let names = Set((4...12).map { sheet.cell($0, 0).shown })
            #expect(names.contains("Công an tỉnh Nghệ An") && names.contains("Sở Tư pháp tỉnh Nghệ An"))
            let csv = Data(buffer: try await api(app, .GET, "/api/v1/units/export.csv", token: viewer).body)
            #expect(csv.starts(with: [0xEF, 0xBB, 0xBF]))
            let table = try #require(try ImportFileReader.tables(csv, filename: "units.csv").first)
            #expect(table.rows.count == 10 && table.cell(1, 0) == .text("Tên đơn vị"))
            let json = try JSONDecoder().decode([[String: String]].self, from: Data(buffer: try await api(app, .GET, "/api/v1/units/export.json", token: viewer).body))
            #expect(json.count == 9 && json.allSatisfy { $0["Tên đơn vị"] != nil } && json.contains { $0["Khối thi đua"]?.contains("(2018)") == true })
            let blocs = try JSONDecoder().decode([[String: String]].self, from: Data(buffer: try await api(app, .GET, "/api/v1/blocs/export.json?year=2018", token: viewer).body))
            #expect(blocs.count == 1 && blocs[0]["Số đơn vị"] == "9" && blocs[0]["Năm"] == "2018" && blocs[0]["Trưởng khối"] == "Viện kiểm sát nhân dân tỉnh Nghệ An", "\(blocs)")
            #expect(try await api(app, .GET, "/api/v1/units/export.xlsx").status == .unauthorized)
            let b = try Browser(app)
            try await b.login("khach")
            #expect(try await b.get("/units").body.string.contains("/units/export.xlsx"))
            #expect(try await b.get("/blocs?year=2018").body.string.contains("/blocs/export.csv?year=2018"))
            #expect(try await b.get("/blocs/export.xlsx?year=2018").status == .ok)
        }
    }

    struct Ref: Decodable { var id: UUID }

    func csvTable(_ res: TestingHTTPResponse, _ name: String = "list.csv") throws -> ImportTable {
        let data = Data(buffer: res.body)
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with BOM")
        return try #require(try ImportFileReader.tables(data, filename: name).first)
    }

    func objects(_ res: TestingHTTPResponse) throws -> [[String: String]] {
        try JSONDecoder().decode([[String: String]].self, from: Data(buffer: res.body))
    }

    @Test("Every list page as a file: accounts and the audit log (office only), ballots, registrations, the eligibility report, scoring results")
    func everyList() async throws {
        try await withThiDua(demo: true, demoRound: true) { app, _ in
            let office = try await token(app, "vanphong")
            let viewer = try await token(app, "khach")

            // Accounts: the office's list, filtered as the page is; nobody else.
            let users = try objects(try await api(app, .GET, "/api/v1/users/export.json", token: office))
            let listed = try await api(app, .GET, "/api/v1/users", token: office).decoded([UserDTO].self)
            #expect(users.count == listed.count && users.contains { $0["Tên đăng nhập"] == "truongkhoi" && $0["Vai trò và phạm vi"]?.contains("Khối thi đua Nội chính") == true }, "\(users.prefix(3))")
            let filtered = try objects(try await api(app, .GET, "/api/v1/users/export.json?q=hoi%20dong", token: office))
            #expect(!filtered.isEmpty && filtered.count < users.count)
            #expect(try await api(app, .GET, "/api/v1/users/export.csv", token: viewer).status == .forbidden)
            #expect(try await api(app, .GET, "/api/v1/audit/export.csv", token: viewer).status == .forbidden)

            // The audit log: every entry the filter selects, not one page of 50, with the whole hash.
            let audit = try csvTable(try await api(app, .GET, "/api/v1/audit/export.csv", token: office))
            let entries = audit.lastRow - 1
            #expect(entries > AuditController.pageSize, "the demo writes more than a page: \(entries)")
            #expect(audit.cell(1, 0) == .text("Số thứ tự") && audit.cell(2, 8).shown.count == 64)
            let seqs = (2...audit.lastRow).compactMap { Int(audit.cell($0, 0).shown) }
            #expect(seqs == seqs.sorted(by: >) && Set(seqs).count == entries, "newest first, each once")
            let units = try objects(try await api(app, .GET, "/api/v1/audit/export.json?entity=unit", token: office))
            #expect(!units.isEmpty && units.count < entries && units.allSatisfy { $0["Đối tượng"] == "unit" })
            let bad = try await api(app, .GET, "/api/v1/audit/export.xlsx?from=31-02-2018", token: office)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("Ngày bắt đầu"), "\(bad.body.string)")

            // Ballots: the sessions the user may see.
            let sessions = try await api(app, .GET, "/api/v1/ballots?year=2018", token: office).decoded([Ref].self)
            let ballots = try objects(try await api(app, .GET, "/api/v1/ballots/export.json?year=2018", token: office))
            #expect(!sessions.isEmpty && ballots.count == sessions.count && ballots.contains { $0["Người bỏ phiếu"] == "Hội đồng Thi đua – Khen thưởng tỉnh" })
            #expect(try objects(try await api(app, .GET, "/api/v1/ballots/export.json?year=2018", token: viewer)).count < sessions.count)

            // A bloc's registrations: collectives, then individuals (`sheet=2`); a sheet that is not there is a 422.
            let bloc = try #require(try await api(app, .GET, "/api/v1/blocs?year=2018", token: office).decoded([Ref].self).first)
            let collectives = try csvTable(try await api(app, .GET, "/api/v1/blocs/\(bloc.id)/registrations.csv?year=2018", token: office))
            #expect(collectives.cell(1, 1) == .text("Đơn vị") && collectives.lastRow == 1 + 9)
            let people = try csvTable(try await api(app, .GET, "/api/v1/blocs/\(bloc.id)/registrations.csv?year=2018&sheet=2", token: office))
            #expect(people.cell(1, 1) == .text("Họ và tên"))
            let none = try await api(app, .GET, "/api/v1/blocs/\(bloc.id)/registrations.json?year=2018&sheet=3", token: office)
            #expect(none.status == .unprocessableEntity && none.body.string.contains("Trang"), "\(none.body.string)")
            #expect(try await api(app, .GET, "/api/v1/blocs/\(bloc.id)/registrations.csv?year=2018", token: viewer).status == .forbidden)

            // The eligibility report: the whole of it, as the API lists it.
            let report = try await api(app, .GET, "/api/v1/register/report?year=2018", token: office).decoded([RegisterController.ReportRow].self)
            let reportRows = try objects(try await api(app, .GET, "/api/v1/register/report.json?year=2018", token: office))
            #expect(!report.isEmpty && reportRows.count == report.count && Set(reportRows.compactMap { $0["Tập thể / cá nhân"] }) == Set(report.map(\.subject)))

            // Scoring results: the ranking, then a sheet per group.
            let rounds = try await api(app, .GET, "/api/v1/blocs/\(bloc.id)/rounds?year=2018", token: office).decoded([Ref].self)
            let round = try #require(rounds.first)
            let ranking = try csvTable(try await api(app, .GET, "/api/v1/rounds/\(round.id)/results.csv", token: office))
            #expect(ranking.cell(1, 0) == .text("Hạng") && ranking.lastRow == 1 + 9)
            let group = try objects(try await api(app, .GET, "/api/v1/rounds/\(round.id)/results.json?sheet=2", token: office))
            #expect(group.first?["Mã"] != nil)

            // Years, a year's deadlines (office), a bloc's rounds of a year.
            struct Year: Decodable { var year: Int }
            let years = try await api(app, .GET, "/api/v1/years", token: office).decoded([Year].self)
            let yearRows = try objects(try await api(app, .GET, "/api/v1/years/export.json", token: office))
            #expect(!years.isEmpty && yearRows.count == years.count && yearRows.contains { $0["Năm"] == "2018" })
            #expect(try await api(app, .GET, "/api/v1/years/export.json", token: viewer).status == .forbidden)
            let deadlines = try objects(try await api(app, .GET, "/api/v1/years/2018/deadlines.json", token: office))
            #expect(!deadlines.isEmpty && deadlines.allSatisfy { $0["Giai đoạn"] != nil }, "\(deadlines)")
            #expect(try await api(app, .GET, "/api/v1/years/99999/deadlines.csv", token: office).status == .unprocessableEntity)
            let roundRows = try objects(try await api(app, .GET, "/api/v1/blocs/\(bloc.id)/rounds.json?year=2018", token: office))
            #expect(roundRows.count == rounds.count && roundRows.first?["Năm"] == "2018")

            // The pages link their files, with the page's filter.
            let b = try Browser(app)
            try await b.login("vanphong")
            #expect(try await b.get("/users?q=hoi").body.string.contains("/users/export.csv?q=hoi"))
            #expect(try await b.get("/audit?entity=unit").body.string.contains("/audit/export.xlsx?entity=unit"))
            #expect(try await b.get("/ballots?year=2018").body.string.contains("/ballots/export.csv?year=2018"))
            #expect(try await b.get("/register/report?year=2018").body.string.contains("/register/report.csv?year=2018"))
            #expect(try await b.get("/rounds/\(round.id)/results").body.string.contains("/rounds/\(round.id)/results.csv"))
            #expect(try await b.get("/users/export.xlsx").status == .ok)
            #expect(try await b.get("/years").body.string.contains("/years/export.csv"))
            #expect(try await b.get("/years/2018/deadlines").body.string.contains("/years/2018/deadlines.csv"))
            #expect(try await b.get("/blocs/\(bloc.id)/rounds?year=2018").body.string.contains("/blocs/\(bloc.id)/rounds.csv?year=2018"))
        }
    }

    @Test("A CSV field that a spreadsheet would run as a formula is guarded, and the importer reads it back as typed")
    func formulaGuard() async throws {
        #expect(ImportTable.guarded("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")")
        #expect(ImportTable.guarded("-5") == "'-5" && ImportTable.guarded("+84 912") == "'+84 912" && ImportTable.guarded("@x") == "'@x")
        #expect(ImportTable.guarded("Nguyễn Văn A") == "Nguyễn Văn A" && ImportTable.guarded("") == "" && ImportTable.guarded("'=x") == "'=x")
        #expect(ImportTable.unguarded("'=x") == "=x" && ImportTable.unguarded("'abc") == "'abc" && ImportTable.unguarded("'") == "'")
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            struct NewUser: Codable, Sendable { var username: String; var fullName: String; var password: String? }
            #expect(try await api(app, .POST, "/api/v1/users", token: office, json: NewUser(username: "cong.thuc", fullName: "=1+2", password: "mat-khau-dai-1")).status == .created)
            let res = try await api(app, .GET, "/api/v1/users/export.csv?q=cong.thuc", token: office)
            #expect(res.body.string.contains(",'=1+2,"), "\(res.body.string)")
            let table = try csvTable(res)
            #expect(table.cell(2, 1) == .text("=1+2"), "read back as typed")
            // In .xlsx a text cell is text (inline string): nothing to guard.
            let sheet = try #require(try XLSXReader.read(Data(buffer: try await api(app, .GET, "/api/v1/users/export.xlsx?q=cong.thuc", token: office).body)).first)
            #expect(sheet.cell(4, 1) == .text("=1+2") && sheet.formulas.isEmpty)
        }
    }

    @Test("A cell longer than Excel holds is cut and says so; the file stays valid")
    func longCell() throws {
        let long = String(repeating: "ă", count: 40_000)
        let data = try ListExportDocument.render(.xlsx, [Sheet(name: "A", header: ["x"], rows: [[.text(long)]])])
        let sheet = try #require(try XLSXReader.read(data).first)
        let text = sheet.cell(2, 0).shown
        #expect(text.utf16.count <= 32_767 && text.hasSuffix("(cắt bớt, còn tiếp)") && text.hasPrefix("ăăă"))
    }
}
