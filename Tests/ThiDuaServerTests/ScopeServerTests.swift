import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

/// The scope holes of the last review, each closed and kept closed through the real routes.
@Suite struct ScopeServerTests {
    @Test("A bloc lead reads registrations only of units in its own bloc, and only for the year it leads")
    func blocLeadRegistrations() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            let lead = try await token(app, "truongkhoi")
            let member = try await HostileInputTests.unitOf("canbo.congan", app)
            // A unit outside the demo bloc.
            let res = try await api(app, .POST, "/api/v1/units", token: office,
                                    json: UnitInput(officialName: "Sở Thử nghiệm", shortName: "STN", kind: UnitKind.civil.rawValue))
            #expect(res.status == .created)
            struct Created: Decodable { var id: UUID }
            let outsider = try res.decoded(Created.self).id
            #expect(try await api(app, .GET, "/api/v1/units/\(member)/registrations/2018", token: lead).status == .ok)
            #expect(try await api(app, .GET, "/api/v1/units/\(outsider)/registrations/2018", token: lead).status == .forbidden)
            #expect(try await api(app, .GET, "/api/v1/units/\(member)/registrations/2019", token: lead).status == .forbidden)
            let browser = try Browser(app)
            try await browser.login("truongkhoi")
            #expect(try await browser.get("/units/\(outsider)/registration?year=2018").status == .forbidden)
            #expect(try await browser.get("/units/\(member)/registration?year=2018").status == .ok)
            // Another unit's officer neither; the office and the council do.
            let otherOfficer = try await token(app, "canbo.vksnd")
            #expect(try await api(app, .GET, "/api/v1/units/\(member)/registrations/2018", token: otherOfficer).status == .forbidden)
            #expect(try await api(app, .GET, "/api/v1/units/\(outsider)/registrations/2018", token: office).status == .ok)
            #expect(try await api(app, .GET, "/api/v1/units/\(outsider)/registrations/2018", token: try await token(app, "hoidong")).status == .ok)
        }
    }

    @Test("A unit officer cannot change its unit's kind, parent or sector; the office can; names stay the officer's")
    func unitPlacement() async throws {
        try await withThiDua(demo: true) { app, _ in
            let officer = try await token(app, "canbo.congan")
            let unitID = try await HostileInputTests.unitOf("canbo.congan", app)
            let unit = try #require(try await Unit.find(unitID, on: app.db))
            let same = UnitInput(officialName: unit.officialName, shortName: unit.shortName, parentID: unit.parentID?.uuidString, kind: unit.kind, sector: unit.sector)
            var changed = same
            changed.kind = unit.kind == UnitKind.civil.rawValue ? UnitKind.armedForces.rawValue : UnitKind.civil.rawValue
            var res = try await api(app, .PUT, "/api/v1/units/\(unitID)", token: officer, json: changed)
            #expect(res.status == .forbidden)
            #expect(reason(res).contains("Ban Thi đua"))
            changed = same; changed.sector = "Ngành khác"
            #expect(try await api(app, .PUT, "/api/v1/units/\(unitID)", token: officer, json: changed).status == .forbidden)
            let other = try #require(try await Unit.query(on: app.db).filter(\.$id != unitID).first())
            changed = same; changed.parentID = try other.requireID().uuidString
            #expect(try await api(app, .PUT, "/api/v1/units/\(unitID)", token: officer, json: changed).status == .forbidden)
            let after = try #require(try await Unit.find(unitID, on: app.db))
            #expect(after.kind == unit.kind && after.sector == unit.sector && after.parentID == unit.parentID)
            // Its names it may correct.
            changed = same; changed.shortName = "CA tỉnh (sửa)"
            res = try await api(app, .PUT, "/api/v1/units/\(unitID)", token: officer, json: changed)
            #expect(res.status == .ok)
            // The page's form keeps the placement as it is and shows it read-only.
            let b = try Browser(app)
            try await b.login("canbo.congan")
            let form = try await b.get("/units/\(unitID)/edit")
            #expect(form.status == .ok && !form.body.string.contains("<select name=\"kind\">"))
            var fields = ["officialName": unit.officialName, "shortName": "CA tỉnh", "kind": unit.kind, "sector": unit.sector ?? "", "parentID": unit.parentID?.uuidString ?? ""]
            #expect(try await b.post("/units/\(unitID)", fields).status == .seeOther)
            fields["kind"] = UnitKind.civil.rawValue == unit.kind ? UnitKind.armedForces.rawValue : UnitKind.civil.rawValue
            #expect(try await b.post("/units/\(unitID)", fields).status == .forbidden)
            // The office changes the kind.
            changed = same; changed.kind = fields["kind"]
            #expect(try await api(app, .PUT, "/api/v1/units/\(unitID)", token: try await token(app, "vanphong"), json: changed).status == .ok)
        }
    }

    @Test("A unit officer may report a discipline but neither delete it nor a freeze; nor mark that its unit led the bloc")
    func restrictedFacts() async throws {
        try await withThiDua(demo: true) { app, _ in
            let officer = try await token(app, "canbo.congan")
            let office = try await token(app, "vanphong")
            let unitID = try await HostileInputTests.unitOf("canbo.congan", app)
            let person = try #require(try await Person.query(on: app.db).filter(\.$unitID == unitID).first())
            let base = "/api/v1/register/people/\(try person.requireID())"
            var input = RegisterService.FactInput()
            input.from = "01/02/2020"; input.to = "01/02/2021"; input.form = "Khiển trách"
            #expect(try await api(app, .POST, base + "/facts/disciplines", token: officer, json: input).status == .created)
            input.reason = "Đang bị xem xét"; input.form = nil; input.from = "01/03/2022"; input.to = nil
            #expect(try await api(app, .POST, base + "/facts/freezes", token: officer, json: input).status == .created)
            let discipline = try #require(try await RestrictionRecord.query(on: app.db).filter(\.$kind == "discipline").filter(\.$detail == "Khiển trách").first())
            let freeze = try #require(try await RestrictionRecord.query(on: app.db).filter(\.$kind == "freeze").filter(\.$detail == "Đang bị xem xét").first())
            var res = try await api(app, .DELETE, base + "/facts/disciplines/\(try discipline.requireID())", token: officer)
            #expect(res.status == .forbidden)
            res = try await api(app, .DELETE, base + "/facts/freezes/\(try freeze.requireID())", token: officer)
            #expect(res.status == .forbidden)
            // The page offers no delete button for them to the officer, and the form route refuses too.
            let b = try Browser(app)
            try await b.login("canbo.congan")
            let page = try await b.get("/register/people/\(try person.requireID())")
            let deleteLink = "/facts/disciplines/\(try discipline.requireID())/delete"
            #expect(page.status == .ok && !page.body.string.contains(deleteLink))
            #expect(try await b.post("/register/people/\(try person.requireID())/facts/disciplines/\(try discipline.requireID())/delete").status == .forbidden)
            #expect(try await RestrictionRecord.find(discipline.id, on: app.db) != nil)
            #expect(try await api(app, .DELETE, base + "/facts/disciplines/\(try discipline.requireID())", token: office).status == .noContent)

            // Led the bloc: refused for the officer, recorded by the office; the officer's later figures keep it.
            var year = RegisterService.FactInput()
            year.year = 2000; year.members = 40; year.completed = 40; year.ldtt = 30; year.cstdcs = 5; year.ledBloc = true
            let unitBase = "/api/v1/register/units/\(unitID)"
            res = try await api(app, .POST, unitBase + "/facts/years", token: officer, json: year)
            #expect(res.status == .forbidden)
            #expect(try await UnitYearRecord.query(on: app.db).filter(\.$unitID == unitID).filter(\.$year == 2000).first() == nil)
            #expect(try await api(app, .POST, unitBase + "/facts/years", token: office, json: year).status == .created)
            year.ledBloc = nil; year.members = 41; year.completed = 41
            #expect(try await api(app, .POST, unitBase + "/facts/years", token: officer, json: year).status == .created)
            let rec = try #require(try await UnitYearRecord.query(on: app.db).filter(\.$unitID == unitID).filter(\.$year == 2000).first())
            #expect(rec.members == 41 && rec.ledBloc)
            year.ledBloc = false
            #expect(try await api(app, .POST, unitBase + "/facts/years", token: officer, json: year).status == .forbidden)
        }
    }

    @Test("Every role follows every link it is shown (menu and pages, three levels deep) without meeting a 403 or a 5xx")
    func linksOpen() async throws {
        try await withThiDua(demo: true) { app, _ in
            for (role, user) in RouteMatrixTests.accounts {
                let b = try Browser(app)
                try await b.login(user)
                var seen: Set<String> = []
                var frontier = ["/"]
                for _ in 0..<3 {
                    var next: [String] = []
                    for path in frontier where !seen.contains(path) && seen.count < 150 {
                        seen.insert(path)
                        let res = try await b.get(path)
                        #expect(res.status != .forbidden && res.status.code < 500, "\(role): \(path) → \(res.status)")
                        guard res.headers.contentType?.subType == "html" else { continue }
                        next += Self.links(in: res.body.string)
                    }
                    frontier = next
                }
                #expect(seen.count > 3, "\(role) saw \(seen.count) pages")
            }
        }
    }

    /// Same-site GET links of a page (no downloads, no logout).
    static func links(in html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let r = rest.range(of: "href=\"") {
            rest = rest[r.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let href = String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
            if href.hasPrefix("/"), !href.hasPrefix("//"), !href.hasSuffix(".css"), !href.hasSuffix(".js"), !href.contains(".xlsx"), !href.contains("/docx") {
                out.append(href)
            }
        }
        return out
    }
}
