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
}
