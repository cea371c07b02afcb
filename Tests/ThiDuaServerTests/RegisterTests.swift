import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import ThiDuaDocuments
import VaporTesting

@Suite struct RegisterTests {
    struct NewPerson: Codable, Sendable { var fullName: String; var gender: String?; var birthYear: Int?; var unitID: String; var position: String? }

    func unit(_ app: Application, _ short: String) async throws -> ThiDuaServer.Unit {
        try await ThiDuaServer.Unit.query(on: app.db).filter(\.$shortName == short).first()!
    }

    @Test("People are added by the office or their own unit's officer only; facts are validated and audited")
    func writes() async throws {
        try await withThiDua(demo: true) { app, _ in
            let congan = try await unit(app, "Công an tỉnh")
            let officer = try await token(app, "canbo.congan")
            let other = try await token(app, "canbo.sotuphap")
            var res = try await api(app, .POST, "/api/v1/register/people", token: other,
                                    json: NewPerson(fullName: "Lê Văn Tám", gender: "male", birthYear: 1985, unitID: congan.id!.uuidString))
            #expect(res.status == .forbidden)
            res = try await api(app, .POST, "/api/v1/register/people", token: officer,
                                json: NewPerson(fullName: "  ", gender: nil, birthYear: nil, unitID: congan.id!.uuidString))
            #expect(res.status == .unprocessableEntity)
            res = try await api(app, .POST, "/api/v1/register/people", token: officer,
                                json: NewPerson(fullName: "Lê Văn Tám", gender: "male", birthYear: 1985, unitID: congan.id!.uuidString, position: "Trinh sát viên"))
            #expect(res.status == .created)
            let person = try res.decoded(PersonDTO.self)
            let base = "/api/v1/register/people/\(person.id)/facts"
            typealias F = RegisterService.FactInput
            for y in 2022...2024 {
                #expect(try await api(app, .POST, "\(base)/ratings", token: officer, json: F(year: y, rating: "HTXSNV")).status == .created)
                #expect(try await api(app, .POST, "\(base)/awards", token: officer, json: F(year: y, kind: "CSTDCS", type: "merit", decision: "\(y)/QĐ-CAT")).status == .created)
            }
            // Bad input: a year in the future, an unknown code, a collective title for a person, a date that is no date.
            let before = try await count(AuditEntry.self, app)
            res = try await api(app, .POST, "\(base)/ratings", token: officer, json: F(year: 2099, rating: "HTXSNV"))
            #expect(res.status == .unprocessableEntity)
            #expect(reason(res).contains("tương lai"))
            #expect(try await api(app, .POST, "\(base)/awards", token: officer, json: F(year: 2023, kind: "XYZ")).status == .unprocessableEntity)
            res = try await api(app, .POST, "\(base)/awards", token: officer, json: F(year: 2023, kind: "TTLDXS"))
            #expect(reason(res).contains("không xét cho cá nhân"))
            #expect(try await api(app, .POST, "\(base)/awards", token: officer, json: F(year: 2023, kind: "LDTT", date: "31/02/2024")).status == .unprocessableEntity)
            #expect(try await api(app, .POST, "\(base)/nonsense", token: officer, json: F(year: 2023)).status == .notFound)
            #expect(try await count(AuditEntry.self, app) == before)

            // Discipline periods may not overlap.
            #expect(try await api(app, .POST, "\(base)/disciplines", token: officer, json: F(from: "01/03/2019", to: "01/09/2019", form: "khiển trách")).status == .created)
            res = try await api(app, .POST, "\(base)/disciplines", token: officer, json: F(from: "2019-06-01", to: "2019-12-01", form: "cảnh cáo"))
            #expect(res.status == .conflict)
            #expect(reason(res).contains("chồng"))

            // An initiative consumed by one award cannot be consumed by another.
            res = try await api(app, .POST, "\(base)/initiatives", token: officer, json: F(year: 2023, title: "Phần mềm quản lý hồ sơ", scope: "province", usedBy: "CSTDCS:2023"))
            #expect(res.status == .created)
            let history = try res.decoded(HistoryDTO.self)
            let initiative = try #require(history.initiatives.first)
            res = try await api(app, .POST, "/api/v1/register/people/\(person.id)/initiatives/\(initiative.id)/use", token: officer,
                                json: ["usedBy": "BK_TINH:2024"])
            #expect(res.status == .conflict)
            #expect(reason(res).contains("hai lần"))

            // The last write is in the audit log with its new value.
            let last = try await AuditEntry.query(on: app.db).sort(\.$seq, .descending).first()!
            #expect(last.entity == "initiative" && last.actor == "canbo.congan")
            #expect(try await Operations.verifyAudit(app).0)

            // Details are corrected, audited; a name cannot be emptied.
            res = try await api(app, .PUT, "/api/v1/register/people/\(person.id)", token: officer, json: NewPerson(fullName: "Lê Văn Tám", gender: "male", birthYear: 1986, unitID: congan.id!.uuidString, position: "Đội trưởng"))
            #expect(try res.decoded(PersonDTO.self).position == "Đội trưởng")
            #expect(try await api(app, .PUT, "/api/v1/register/people/\(person.id)", token: officer, json: NewPerson(fullName: "", unitID: congan.id!.uuidString)).status == .unprocessableEntity)
            // Another unit's officer can neither read nor write this person.
            #expect(try await api(app, .GET, "/api/v1/register/people/\(person.id)", token: other).status == .forbidden)
            #expect(try await api(app, .POST, "\(base)/ratings", token: other, json: F(year: 2021, rating: "HTTNV")).status == .forbidden)
            #expect(try await api(app, .PUT, "/api/v1/register/people/\(person.id)", token: other, json: NewPerson(fullName: "X", unitID: congan.id!.uuidString)).status == .forbidden)
            // Deleting a fact.
            let rating = try #require(try await api(app, .GET, "/api/v1/register/people/\(person.id)", token: officer).decoded(PersonDTO.self).history?.ratings.first)
            #expect(try await api(app, .DELETE, "\(base)/ratings/\(rating.id)", token: officer).status == .noContent)
            #expect(try await api(app, .DELETE, "\(base)/ratings/\(rating.id)", token: officer).status == .notFound)
        }
    }

    @Test("An award's achievement period is recorded (form and API) and the next award counts from it, on the person's page and in the report")
    func awardPeriod() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            let tuphap = try await unit(app, "Sở Tư pháp")
            var res = try await api(app, .POST, "/api/v1/register/people", token: office,
                                    json: NewPerson(fullName: "Phan Văn Kỳ", gender: "male", birthYear: 1979, unitID: tuphap.id!.uuidString))
            let person = try res.decoded(PersonDTO.self)
            let base = "/api/v1/register/people/\(person.id)/facts"
            typealias F = RegisterService.FactInput
            for y in 2022...2024 { _ = try await api(app, .POST, "\(base)/ratings", token: office, json: F(year: y, rating: "HTXSNV")) }
            for y in 2023...2024 { _ = try await api(app, .POST, "\(base)/awards", token: office, json: F(year: y, kind: "CSTDCS")) }
            func bk() async throws -> AwardResult? {
                try await api(app, .GET, "/api/v1/register/people/\(person.id)/eligibility?year=2024&asOf=2025-01-20", token: office)
                    .decoded(EligibilityReport.self).results.first { $0.award == "BK_TINH" }
            }
            #expect(try await bk()?.verdict == .eligible, "CSTĐCS 2023–2024")
            res = try await api(app, .POST, "\(base)/awards", token: office, json: F(year: 2023, kind: "BK_TINH", periodFrom: 2024))
            #expect(res.status == .unprocessableEntity && reason(res).contains("Thời gian lập thành tích"))
            res = try await api(app, .POST, "\(base)/awards", token: office, json: F(year: 2023, kind: "BK_TINH", decision: "125/QĐ-UBND", periodFrom: 2022))
            #expect(res.status == .created)
            #expect(try res.decoded(HistoryDTO.self).awards.first { $0.kind == "BK_TINH" }?.periodFrom == 2022)
            let after = try #require(try await bk())
            #expect(after.verdict == .ineligible && after.conditions.first?.data.contains("thành tích 2022–2023, QĐ 125/QĐ-UBND") == true, "\(after.conditions.first?.data ?? "")")
            // The report (the batch loader) judges the same.
            let rows = try await api(app, .GET, "/api/v1/register/report?year=2024&asOf=20/01/2025&unit=\(tuphap.id!.uuidString)", token: office)
                .decoded([RegisterController.ReportRow].self)
            let row = try #require(rows.first { $0.subject == "Phan Văn Kỳ" })
            #expect(!row.eligible.contains("BK_TINH"), "\(row.eligible)")
            // The page's form: an empty period is no period; the page shows a recorded one.
            let b = try Browser(app)
            try await b.login("vanphong")
            _ = try await b.get("/register/people/\(person.id)")
            let form = try await b.post("/register/people/\(person.id)/facts/awards", ["year": "2022", "kind": "LDTT", "type": "merit", "periodFrom": ""])
            #expect(form.status == .seeOther, "\(form.status) \(form.body.string.suffix(300))")
            let page = try await b.get("/register/people/\(person.id)?year=2024")
            #expect(page.body.string.contains("thành tích 2022–2023") && page.body.string.contains("Điều 30 khoản 9"))
            // As of a past day, what was recorded later is left out and listed (as for a case file).
            let past = try await b.get("/register/people/\(person.id)?year=2022&asOf=01/06/2022")
            #expect(past.body.string.contains("id=\"left-out\"") && past.body.string.contains("Khen thưởng BK_TINH năm 2023 – sau ngày xét 01/06/2022"))
            let pastReport = try await api(app, .GET, "/api/v1/register/people/\(person.id)/eligibility?year=2022&asOf=2022-06-01", token: office).decoded(EligibilityReport.self)
            #expect(pastReport.leftOut?.contains("Xếp loại năm 2023 (HTXSNV) – sau ngày xét 01/06/2022") == true, "\(pastReport.leftOut ?? [])")
        }
    }

    @Test("A person's verdicts come from the register: CSTĐ tỉnh after three CSTĐCS and a province initiative")
    func eligibilityFromRegister() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            let tuphap = try await unit(app, "Sở Tư pháp")
            var res = try await api(app, .POST, "/api/v1/register/people", token: office,
                                    json: NewPerson(fullName: "Hồ Thị Xuân", gender: "female", birthYear: 1980, unitID: tuphap.id!.uuidString))
            let person = try res.decoded(PersonDTO.self)
            let base = "/api/v1/register/people/\(person.id)/facts"
            typealias F = RegisterService.FactInput
            for y in 2022...2024 {
                _ = try await api(app, .POST, "\(base)/ratings", token: office, json: F(year: y, rating: "HTXSNV"))
                _ = try await api(app, .POST, "\(base)/awards", token: office, json: F(year: y, kind: "CSTDCS"))
            }
            _ = try await api(app, .POST, "\(base)/initiatives", token: office, json: F(year: 2023, title: "Cổng tra cứu hộ tịch", scope: "province"))
            res = try await api(app, .GET, "/api/v1/register/people/\(person.id)/eligibility?year=2024&asOf=2025-01-20", token: office)
            #expect(res.status == .ok)
            let report = try res.decoded(EligibilityReport.self)
            #expect(report.regime == "LAW2022_ND98")
            #expect(report.results.first { $0.award == "CSTD_TINH" }?.verdict == .eligible)
            #expect(report.results.contains { $0.award == "LDTT" } && !report.results.contains { $0.award == "CSTT" })
            // A freeze recorded today blocks everything.
            _ = try await api(app, .POST, "\(base)/freezes", token: office, json: F(from: "2025-01-10", reason: "đang thanh tra"))
            let frozen = try await api(app, .GET, "/api/v1/register/people/\(person.id)/eligibility?year=2024&asOf=20/01/2025", token: office).decoded(EligibilityReport.self)
            #expect(frozen.results.allSatisfy { $0.verdict == .ineligible })
            // The page shows the verdict and the citation.
            let b = try Browser(app)
            try await b.login("vanphong")
            let page = try await b.get("/register/people/\(person.id)?year=2024&asOf=01/07/2024")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Chiến sĩ thi đua cấp bộ, ngành, tỉnh"))
            #expect(page.body.string.contains("Luật 06/2022/QH15, Điều 22"))
            #expect(try await b.get("/register/people/\(person.id)?asOf=hôm qua").status == .unprocessableEntity)
        }
    }

    @Test("The demo register shows every kind of verdict for 2018, under the 2018 regime")
    func demoVerdicts() async throws {
        try await withThiDua(demo: true) { app, _ in
            #expect(try await count(Person.self, app) == 27)
            let summary = try await Operations.bulkRegister(app, year: 2018)
            #expect(summary.subjects == 36)
            #expect(summary.regimes == ["LAW2013_ND91": 36])
            let kinds = Set(summary.verdicts.values.flatMap(\.keys))
            #expect(kinds == ["eligible", "ineligible", "needs_data"])
            #expect(summary.verdicts["CSTD_TINH"]?["eligible"] ?? 0 >= 1)
            #expect(summary.verdicts["CO_TINH"]?["eligible"] == 1)
            // Every person has at least six years of history.
            for p in try await Person.query(on: app.db).all() {
                let years = Set(try await RatingRecord.query(on: app.db).filter(\.$personID == p.id).all().map(\.year))
                #expect(years.count >= 6, "\(p.fullName)")
            }
        }
    }

    @Test("Report of who is eligible for what: page, JSON and .xlsx; scoped to what the user may read")
    func report() async throws {
        try await withThiDua(demo: true) { app, _ in
            let b = try Browser(app)
            try await b.login("vanphong")
            let page = try await b.get("/register/report?year=2018")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Nguyễn Văn Hùng"))
            let xlsx = try await b.get("/register/report.xlsx?year=2018")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let parts = try OOXMLPackage.parts(of: Data(buffer: xlsx.body))
            let sheet = String(decoding: try #require(parts["xl/worksheets/sheet1.xml"]), as: UTF8.self)
            #expect(sheet.contains("Nguyễn Văn Hùng"))
            #expect(sheet.contains("Chiến sĩ thi đua cấp bộ, ngành, tỉnh"))
            #expect(parts["xl/workbook.xml"] != nil && parts["[Content_Types].xml"] != nil)

            let officer = try await token(app, "canbo.congan")
            let rows = try await api(app, .GET, "/api/v1/register/report?year=2018", token: officer).decoded([RegisterController.ReportRow].self)
            #expect(!rows.isEmpty)
            #expect(rows.allSatisfy { $0.unit == "Công an tỉnh" })
            let tuphap = try await unit(app, "Sở Tư pháp")
            #expect(try await api(app, .GET, "/api/v1/register/report?unit=\(tuphap.id!)", token: officer).status == .forbidden)
            // The bloc lead of 2018 reads the whole bloc.
            let lead = try await token(app, "truongkhoi")
            let all = try await api(app, .GET, "/api/v1/register/report?year=2018", token: lead).decoded([RegisterController.ReportRow].self)
            #expect(Set(all.map(\.unit)).count == 9)
        }
    }

    @Test("Unit page and register list render; the unit officer sees only their unit's people")
    func pages() async throws {
        try await withThiDua(demo: true) { app, _ in
            let b = try Browser(app)
            try await b.login("canbo.congan")
            let list = try await b.get("/register")
            #expect(list.status == .ok)
            let people = try await Person.query(on: app.db).all()
            let congan = try await unit(app, "Công an tỉnh")
            for p in people { #expect(list.body.string.contains(p.fullName) == (p.unitID == congan.id)) }
            let unitPage = try await b.get("/register/units/\(congan.id!)?year=2018")
            #expect(unitPage.status == .ok)
            #expect(unitPage.body.string.contains("Đơn vị quyết thắng"))
            #expect(try await b.get("/register/people/new").status == .ok)
            let vks = try await unit(app, "VKSND tỉnh")
            #expect(try await b.get("/register/units/\(vks.id!)").status == .forbidden)
            // Adding a rating through the form.
            try await b.get("/register/units/\(congan.id!)?year=2018")
            let res = try await b.post("/register/units/\(congan.id!)/facts/ratings", ["year": "2015", "rating": "HTTNV"])
            #expect(res.status == .seeOther)
            #expect(try await RatingRecord.query(on: app.db).filter(\.$unitID == congan.id).filter(\.$year == 2015).count() == 1)
        }
    }

    @Test("POST /api/v1/eligibility/check takes a case file; GET /api/v1/catalogue lists the regimes")
    func checkAPI() async throws {
        try await withThiDua(demo: true) { app, _ in
            let t = try await token(app, "khach")
            let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("docs/examples/bk-tinh-2024.json")
            var out: TestingHTTPResponse!
            try await app.testing().test(.POST, "/api/v1/eligibility/check", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: t)
                req.headers.contentType = .json
                req.body = ByteBuffer(data: try Data(contentsOf: example))
            }, afterResponse: { out = $0 })
            #expect(out.status == .ok)
            let report = try out.decoded(EligibilityReport.self)
            #expect(report.results.first { $0.award == "BK_TINH" }?.verdict == .eligible)
            try await app.testing().test(.POST, "/api/v1/eligibility/check", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: t)
                req.headers.contentType = .json
                req.body = ByteBuffer(string: "{\"evaluationYear\": 2024, \"asOf\": \"2025-01-20\", \"subject\": {\"type\": \"individual\"}, \"candidates\": [\"NOPE\"]}")
            }, afterResponse: { out = $0 })
            #expect(out.status == .unprocessableEntity)
            #expect(reason(out).contains("candidates[0]"))
            let catalogue = try await api(app, .GET, "/api/v1/catalogue", token: t)
            #expect(catalogue.body.string.contains("LAW2022_ND152"))
        }
    }

    @Test("A person's start of service: LĐTT is not considered for someone recruited under 10 months before the end of 2018 (form, API, validation)")
    func serviceStart() async throws {
        try await withThiDua(demo: true) { app, _ in
            struct P: Codable, Sendable { var fullName: String; var unitID: String; var serviceStart: String? }
            let congan = try await unit(app, "Công an tỉnh")
            let officer = try await token(app, "canbo.congan")
            var res = try await api(app, .POST, "/api/v1/register/people", token: officer, json: P(fullName: "Lê Văn Mới", unitID: congan.id!.uuidString, serviceStart: "02/03/2018"))
            #expect(res.status == .created)
            let person = try res.decoded(PersonDTO.self)
            #expect(person.serviceStart == "2018-03-02" && person.serviceStartText == "02/03/2018")
            #expect(try await api(app, .POST, "/api/v1/register/people/\(person.id)/facts/ratings", token: officer, json: RegisterService.FactInput(year: 2018, rating: "HTTNV")).status == .created)
            func ldtt() async throws -> AwardResult? {
                let r = try await api(app, .GET, "/api/v1/register/people/\(person.id)/eligibility?year=2018", token: officer)
                // The demo unit is armed forces: its people are considered for CSTT, the armed-forces LĐTT.
                return try r.decoded(EligibilityReport.self).results.first { $0.award == "CSTT" || $0.award == "LDTT" }
            }
            let late = try #require(try await ldtt())
            #expect(late.verdict == .ineligible)
            #expect(late.conditions.contains { $0.data == "Bắt đầu công tác ngày 02/03/2018: 9 tháng đến hết năm 2018" })
            res = try await api(app, .PUT, "/api/v1/register/people/\(person.id)", token: officer, json: P(fullName: "Lê Văn Mới", unitID: congan.id!.uuidString, serviceStart: "2018-03-01"))
            #expect(res.status == .ok)
            #expect(try await ldtt()?.verdict == .eligible)
            // Not recorded and nothing earlier: needs data, naming it.
            res = try await api(app, .PUT, "/api/v1/register/people/\(person.id)", token: officer, json: P(fullName: "Lê Văn Mới", unitID: congan.id!.uuidString, serviceStart: nil))
            let unknown = try #require(try await ldtt())
            #expect(unknown.verdict == .needsData && unknown.missing.contains { $0.contains("Chưa ghi ngày bắt đầu công tác") })
            // Bad dates: 422 with the field, nothing stored.
            for bad in ["31/02/2018", "2099-01-01", "01/01/1900", "hôm qua"] {
                res = try await api(app, .PUT, "/api/v1/register/people/\(person.id)", token: officer, json: P(fullName: "Lê Văn Mới", unitID: congan.id!.uuidString, serviceStart: bad))
                #expect(res.status == .unprocessableEntity, "\(bad)")
            }
            #expect(try await Person.find(person.id, on: app.db)?.serviceStart == nil)
            // The demo's people have theirs.
            #expect(try await Person.query(on: app.db).filter(\.$serviceStart != nil).count() >= 27)
            // The form: an empty birth year is no value; a date that is no date answers the form again with the reason.
            let b = try Browser(app)
            try await b.login("canbo.congan", TestAccounts.demoPassword)
            try await b.get("/register/people/new")
            let bad = try await b.post("/register/people", ["fullName": "Trần Văn Mẫu", "unitID": congan.id!.uuidString, "birthYear": "", "serviceStart": "31/02/2018"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("Ngày bắt đầu công tác: ngày không hợp lệ") && bad.body.string.contains("Trần Văn Mẫu"))
            let good = try await b.post("/register/people", ["fullName": "Trần Văn Mẫu", "unitID": congan.id!.uuidString, "birthYear": "", "serviceStart": "01/03/2018"])
            #expect(good.status == .seeOther)
            let created = try #require(try await Person.query(on: app.db).filter(\.$fullName == "Trần Văn Mẫu").first())
            #expect(created.serviceStart == "2018-03-01" && created.birthYear == nil)
        }
    }

    @Test("A province catalogue that does not load stops the start with file and line")
    func badCatalogue() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tinh-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        // A wrong value, and a province file that redeclares a shipped kind: both stop the start, naming the line.
        for (code, line) in [("LDTT_TINH", ":7:"), ("LDTT", ":4:")] {
            try "catalogue: x\nversion: 1\nawards:\n  - code: \(code)\n    name: a\n    category: title\n    subject: martians\n".write(to: file, atomically: true, encoding: .utf8)
            let app = try await Application.make(.testing)
            var config = AppConfig(database: .sqliteMemory, bcryptCost: 4)
            config.catalogueFiles = [file.path]
            do {
                try await configure(app, config: config, migrate: false)
                Issue.record("configure should have failed")
            } catch let e as DataFileError {
                #expect(e.description.hasPrefix(file.lastPathComponent + line), "\(e)")
            }
            try await app.asyncShutdown()
        }
    }

    @Test("The batch loader gives every subject the same case and verdicts as loading it alone (demo, both databases)")
    func batchEqualsSingle() async throws {
        try await withThiDua(demo: true) { app, _ in
            let units = try await Unit.query(on: app.db).all()
            let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0) })
            var subjects = units.map { RegisterService.CaseSubject(subject: .unit($0.id!), unit: $0, type: .collective, name: $0.officialName, gender: nil) }
            for p in try await Person.query(on: app.db).all() {
                subjects.append(.init(subject: .person(p.id!), unit: byID[p.unitID]!, type: .individual, name: p.fullName, gender: p.gender.flatMap(Gender.init(rawValue:))))
            }
            #expect(subjects.count > 30)
            let asOf = Day(2019, 1, 31)
            let batch = try await RegisterService.loadCases(subjects, evaluationYear: 2018, asOf: asOf, on: app.db)
            #expect(batch.count == subjects.count)
            var withFacts = 0
            for (i, s) in subjects.enumerated() {
                // The subject page's path: its facts as Fluent models, made into a case.
                let facts = try await RegisterService.loadFacts([s.subject], on: app.db)[s.subject.key] ?? .init()
                let single = RegisterService.makeCase(s, facts: facts, evaluationYear: 2018, asOf: asOf)
                #expect(try app.evaluator.evaluate(batch[i]) == app.evaluator.evaluate(single), "\(s.name): explained reports differ")
                let sameName = batch[i].name == single.name
                let sameRatings = batch[i].ratings == single.ratings
                let x = batch[i]
                let counts: [Int] = [x.awards.count, x.initiatives.count, x.memberStats.count, x.disciplines.count, x.freezes.count]
                let expected: [Int] = [single.awards.count, single.initiatives.count, single.memberStats.count, single.disciplines.count, single.freezes.count]
                let sameCounts = counts == expected
                #expect(sameName && sameRatings && sameCounts, "\(s.name)")
                let a = try app.evaluator.verdicts(batch[i]).map { "\($0.0)=\($0.1.rawValue)" }
                let b = try app.evaluator.verdicts(single).map { "\($0.0)=\($0.1.rawValue)" }
                #expect(a == b, "\(s.name)")
                if !single.awards.isEmpty || !single.ratings.isEmpty { withFacts += 1 }
            }
            #expect(withFacts > 20, "the demo's subjects carry history, so the comparison means something")
            // The same subjects in another order: each still gets its own facts.
            let small = try await RegisterService.loadCases(Array(subjects.reversed()), evaluationYear: 2018, asOf: asOf, on: app.db)
            let reversedBack = Array(small.reversed())
            var agree = true
            for (x, y) in zip(reversedBack, batch) where x.name != y.name || x.ratings != y.ratings || x.awards.count != y.awards.count { agree = false }
            #expect(agree)
        }
    }
}
