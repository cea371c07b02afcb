import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

@Suite struct OrganisationTests {
    @Test("GET /api/v1/blocs?year=2018 lists the demo bloc with its nine members, leader and deputy")
    func demoBlocs() async throws {
        try await withThiDua(demo: true) { app, _ in
            let t = try await token(app, "khach")
            let blocs = try await api(app, .GET, "/api/v1/blocs?year=2018", token: t).decoded([BlocDTO].self)
            #expect(blocs.count == 1)
            let b = try #require(blocs.first)
            #expect(b.name == "Khối thi đua Nội chính - Lực lượng vũ trang")
            #expect(b.members.count == 9)
            #expect(Set(b.members.map(\.officialName)) == Set(DemoLoader.units.map(\.officialName)))
            #expect(b.leader?.shortName == "VKSND tỉnh")
            #expect(b.deputy?.shortName == "Công an tỉnh")
            #expect(b.leadershipIsDemo)
            let empty = try await api(app, .GET, "/api/v1/blocs?year=2019", token: t).decoded([BlocDTO].self)
            #expect(empty.first?.members.isEmpty == true)
            #expect(try await api(app, .GET, "/api/v1/blocs?year=abc", token: t).status == .unprocessableEntity)
        }
    }

    @Test("Office creates units and blocs; bad names get 422 with a Vietnamese reason and nothing is stored")
    func createAndValidate() async throws {
        try await withThiDua(demo: true) { app, _ in
            let t = try await token(app, "vanphong")
            let before = try await count(Unit.self, app)
            var res = try await api(app, .POST, "/api/v1/units", token: t, json: UnitInput(officialName: "  ", shortName: "X", kind: "civil"))
            #expect(res.status == .unprocessableEntity)
            #expect(reason(res).contains("không được để trống"))
            res = try await api(app, .POST, "/api/v1/units", token: t, json: UnitInput(officialName: String(repeating: "Đ", count: 300), shortName: "X", kind: "civil"))
            #expect(res.status == .unprocessableEntity)
            #expect(reason(res).contains("255"))
            res = try await api(app, .POST, "/api/v1/units", token: t, json: UnitInput(officialName: "Sở Nội vụ", shortName: "SNV", kind: "martian"))
            #expect(res.status == .unprocessableEntity)
            res = try await api(app, .POST, "/api/v1/units", token: t, json: UnitInput(officialName: "Công an tỉnh Nghệ An", shortName: "CA", kind: "civil"))
            #expect(res.status == .conflict)
            #expect(try await count(Unit.self, app) == before)
            // Decomposed input is stored in NFC.
            res = try await api(app, .POST, "/api/v1/units", token: t, json: UnitInput(officialName: "Sở Nội vu\u{0323} tỉnh Nghệ An", shortName: "SNV", kind: "civil"))
            #expect(res.status == .created)
            let unit = try res.decoded(UnitDTO.self)
            #expect(unit.officialName == "Sở Nội vụ tỉnh Nghệ An")
            res = try await api(app, .POST, "/api/v1/units", token: t, json: UnitInput(officialName: "Phòng Thi đua", shortName: "PTĐ", parentID: unit.id.uuidString, kind: "civil"))
            #expect(res.status == .created)
            // A unit cannot become its own descendant's child.
            let child = try res.decoded(UnitDTO.self)
            res = try await api(app, .PUT, "/api/v1/units/\(unit.id)", token: t, json: UnitInput(officialName: unit.officialName, shortName: "SNV", parentID: child.id.uuidString, kind: "civil"))
            #expect(res.status == .unprocessableEntity)
            // Malformed JSON is a 4xx, not a 500.
            try await app.testing().test(.POST, "/api/v1/units", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: t)
                req.headers.contentType = .json
                req.body = ByteBuffer(string: "{\"officialName\": ")
            }, afterResponse: { res in
                #expect((400..<500).contains(res.status.code))
                #expect(res.body.string.contains("\"error\":true"))
            })
        }
    }

    @Test("A unit cannot be in two blocs of one organiser in a year; a sector's bloc is separate")
    func oneBlocPerOrganiser() async throws {
        try await withThiDua(demo: true) { app, _ in
            let t = try await token(app, "vanphong")
            var res = try await api(app, .POST, "/api/v1/blocs", token: t, json: BlocInput(name: "Khối thi đua Kinh tế", organiser: ""))
            #expect(res.status == .created)
            let other = try res.decoded(BlocDTO.self)
            let congan = try await Unit.query(on: app.db).filter(\.$shortName == "Công an tỉnh").first()!
            let memberships = try await count(Membership.self, app)
            res = try await api(app, .POST, "/api/v1/blocs/\(other.id)/members", token: t, json: MemberInput(unitID: congan.id!.uuidString, year: 2018))
            #expect(res.status == .conflict)
            #expect(reason(res).contains("Khối thi đua Nội chính - Lực lượng vũ trang"))
            #expect(try await count(Membership.self, app) == memberships)
            // Year not opened.
            res = try await api(app, .POST, "/api/v1/blocs/\(other.id)/members", token: t, json: MemberInput(unitID: congan.id!.uuidString, year: 2019))
            #expect(res.status == .unprocessableEntity)
            // A sector's bloc in the same year is allowed.
            res = try await api(app, .POST, "/api/v1/blocs", token: t, json: BlocInput(name: "Cụm thi đua số 5", organiser: "Bộ Công an"))
            let sector = try res.decoded(BlocDTO.self)
            res = try await api(app, .POST, "/api/v1/blocs/\(sector.id)/members", token: t, json: MemberInput(unitID: congan.id!.uuidString, year: 2018))
            #expect(res.status == .created)
            // Leader and deputy must be distinct members.
            res = try await api(app, .PUT, "/api/v1/blocs/\(sector.id)/leadership", token: t,
                                json: LeadershipInput(year: 2018, leaderUnitID: congan.id!.uuidString, deputyUnitID: congan.id!.uuidString))
            #expect(res.status == .unprocessableEntity)
        }
    }

    @Test("A unit or bloc with history cannot be deleted; an unused one can")
    func deleteWithHistory() async throws {
        try await withThiDua(demo: true) { app, _ in
            let t = try await token(app, "vanphong")
            let tand = try await Unit.query(on: app.db).filter(\.$shortName == "TAND tỉnh").first()!
            var res = try await api(app, .DELETE, "/api/v1/units/\(tand.id!)", token: t)
            #expect(res.status == .conflict)
            #expect(reason(res).contains("lịch sử"))
            #expect(try await Unit.find(tand.id, on: app.db) != nil)
            let bloc = try await Bloc.query(on: app.db).first()!
            res = try await api(app, .DELETE, "/api/v1/blocs/\(bloc.id!)", token: t)
            #expect(res.status == .conflict)
            res = try await api(app, .POST, "/api/v1/units", token: t, json: UnitInput(officialName: "Đơn vị tạm", shortName: "Tạm", kind: "other"))
            let temp = try res.decoded(UnitDTO.self)
            #expect(try await api(app, .DELETE, "/api/v1/units/\(temp.id)", token: t).status == .noContent)
            #expect(try await api(app, .GET, "/api/v1/units/\(temp.id)", token: t).status == .notFound)
        }
    }

    @Test("A unit officer edits only their own unit; a 2018 bloc lead cannot touch 2019")
    func scopes() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            _ = try await api(app, .POST, "/api/v1/years", token: office, json: YearInput(year: 2019, theme: "Năm 2019"))
            let officer = try await token(app, "canbo.congan")
            let congan = try await Unit.query(on: app.db).filter(\.$shortName == "Công an tỉnh").first()!
            let tuphap = try await Unit.query(on: app.db).filter(\.$shortName == "Sở Tư pháp").first()!
            var res = try await api(app, .PUT, "/api/v1/units/\(congan.id!)", token: officer,
                                    json: UnitInput(officialName: congan.officialName, shortName: "CA tỉnh", kind: congan.kind, sector: congan.sector))
            #expect(res.status == .ok)
            res = try await api(app, .PUT, "/api/v1/units/\(tuphap.id!)", token: officer,
                                json: UnitInput(officialName: "Sửa trái phép", shortName: "X", kind: "civil"))
            #expect(res.status == .forbidden)
            #expect(reason(res).contains("đơn vị mình"))
            #expect(try await Unit.find(tuphap.id, on: app.db)?.officialName == "Sở Tư pháp tỉnh Nghệ An")

            let lead = try await token(app, "truongkhoi")
            let bloc = try await Bloc.query(on: app.db).first()!
            res = try await api(app, .PUT, "/api/v1/blocs/\(bloc.id!)/years/2018/plan", token: lead, json: PlanInput(plan: "Kế hoạch thi đua năm 2018 của khối."))
            #expect(res.status == .ok)
            #expect(try res.decoded(BlocDTO.self).plan == "Kế hoạch thi đua năm 2018 của khối.")
            res = try await api(app, .PUT, "/api/v1/blocs/\(bloc.id!)/years/2019/plan", token: lead, json: PlanInput(plan: "Không được phép"))
            #expect(res.status == .forbidden)
            #expect(reason(res).contains("2019"))
            // The same through the page.
            let b = try Browser(app)
            try await b.login("truongkhoi")
            try await b.get("/blocs/\(bloc.id!)?year=2019")
            let page = try await b.post("/blocs/\(bloc.id!)/years/2019/plan", ["plan": "x"])
            #expect(page.status == .forbidden)
            #expect(page.body.string.contains("Không có quyền"))
        }
    }

    @Test("Search is diacritic-insensitive: “to an” finds “Tòa án”")
    func search() async throws {
        try await withThiDua(demo: true) { app, _ in
            let t = try await token(app, "khach")
            struct Hit: Decodable { var name: String }
            let hits = try await api(app, .GET, "/api/v1/search?q=to%20an", token: t).decoded([Hit].self)
            #expect(hits.map(\.name) == ["Tòa án nhân dân tỉnh Nghệ An"])
            let units = try await api(app, .GET, "/api/v1/units?q=THI%20HANH%20AN", token: t).decoded([UnitDTO].self)
            #expect(units.map(\.shortName) == ["Cục THADS tỉnh"])
        }
    }
}
