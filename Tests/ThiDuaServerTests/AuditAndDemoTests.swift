import Fluent
import Foundation
import SQLKit
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

@Suite struct AuditTests {
    @Test("Writes append chained entries with old and new values; verify catches an edited and a deleted row")
    func chain() async throws {
        try await withThiDua(demo: true) { app, _ in
            let t = try await token(app, "vanphong")
            let unit = try await Unit.query(on: app.db).filter(\.$shortName == "Thanh tra tỉnh").first()!
            _ = try await api(app, .PUT, "/api/v1/units/\(unit.id!)", token: t,
                              json: UnitInput(officialName: unit.officialName, shortName: "TT tỉnh", kind: unit.kind, sector: unit.sector))
            let last = try await AuditEntry.query(on: app.db).sort(\.$seq, .descending).first()!
            #expect(last.actor == "vanphong")
            #expect(last.entity == "unit" && last.action == "update")
            #expect(last.oldValue?.contains("\"shortName\":\"Thanh tra tỉnh\"") == true)
            #expect(last.newValue?.contains("\"shortName\":\"TT tỉnh\"") == true)
            #expect(try await Operations.verifyAudit(app).0)
            let entries = try await api(app, .GET, "/api/v1/audit?entity=unit&action=update", token: t).decoded([AuditController.EntryDTO].self)
            #expect(entries.count == 1)

            // Edit an entry in the database directly.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE audit_entries SET actor = 'ke-gian' WHERE seq = 5").run()
            var (ok, message) = try await Operations.verifyAudit(app)
            #expect(!ok)
            #expect(message.contains("số 5") && message.contains("sửa"))
            try await sql.raw("UPDATE audit_entries SET actor = 'demo' WHERE seq = 5").run()
            #expect(try await Operations.verifyAudit(app).0)

            try await sql.raw("DELETE FROM audit_entries WHERE seq = 7").run()
            (ok, message) = try await Operations.verifyAudit(app)
            #expect(!ok)
            #expect(message.contains("số 7") && message.contains("xóa"))
            let verify = try await api(app, .GET, "/api/v1/audit/verify", token: t)
            #expect(verify.body.string.contains("\"intact\":false"))
        }
    }

    @Test("Concurrent writers all succeed and keep one unbroken chain (SQLite file, or PostgreSQL)")
    func concurrentWriters() async throws {
        try await withThiDua(demo: true, sqliteFile: true) { app, _ in
            let t = try await token(app, "vanphong")
            let before = try await count(AuditEntry.self, app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<16 {
                    group.addTask {
                        try await api(app, .POST, "/api/v1/units", token: t, json: UnitInput(officialName: "Đơn vị song song \(i)", shortName: "SS\(i)", kind: "civil")).status
                    }
                }
                var out: [HTTPStatus] = []
                for try await s in group { out.append(s) }
                return out
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            #expect(try await count(AuditEntry.self, app) == before + 16)
            #expect(try await Operations.verifyAudit(app).0)
        }
    }

    @Test("A refused write leaves no audit entry")
    func refusedWrite() async throws {
        try await withThiDua(demo: true) { app, _ in
            let t = try await token(app, "vanphong")
            let before = try await count(AuditEntry.self, app)
            _ = try await api(app, .POST, "/api/v1/units", token: t, json: UnitInput(officialName: "", shortName: "", kind: "civil"))
            #expect(try await count(AuditEntry.self, app) == before)
        }
    }
}

@Suite struct DemoTests {
    @Test("Loading the demo twice changes nothing the second time")
    func idempotent() async throws {
        try await withThiDua(demo: true) { app, console in
            #expect(console.text.contains("canbo.congan"))
            #expect(console.text.contains(TestAccounts.demoPassword))
            let counts = [try await count(Unit.self, app), try await count(Bloc.self, app), try await count(Membership.self, app),
                          try await count(User.self, app), try await count(RoleGrantModel.self, app), try await count(AuditEntry.self, app)]
            #expect(counts[0] == 9 && counts[1] == 1 && counts[2] == 9)
            try await DemoLoader.load(app)
            let again = [try await count(Unit.self, app), try await count(Bloc.self, app), try await count(Membership.self, app),
                         try await count(User.self, app), try await count(RoleGrantModel.self, app), try await count(AuditEntry.self, app)]
            #expect(again == counts)
            // Every role has a demo account.
            let roles = Set(try await RoleGrantModel.query(on: app.db).all().compactMap(\.grant?.role))
            #expect(roles == Set(RoleKind.allCases))
        }
    }

    @Test("A restart with --demo leaves what users changed: a renamed unit, a lifted deadline, a removed membership; demo passwords work again")
    func loadedOnce() async throws {
        try await withThiDua(demo: true) { app, console in
            let office = try await token(app, "vanphong")
            let unit = try #require(try await Unit.query(on: app.db).filter(\.$shortName == "Thanh tra tỉnh").first())
            #expect(try await api(app, .PUT, "/api/v1/units/\(unit.requireID())", token: office,
                                  json: UnitInput(officialName: "Thanh tra tỉnh Nghệ An (đổi tên)", shortName: unit.shortName, kind: "civil")).status == .ok)
            #expect(try await api(app, .PUT, "/api/v1/years/2018/deadlines/covenantSigning", token: office, json: DeadlineService.SetInput(due: nil)).status == .ok)
            try await Membership.query(on: app.db).filter(\.$unitID == unit.requireID()).delete()
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "khach").first())
            user.passwordHash = try Bcrypt.hash("mat-khau-rieng-123", cost: 4)
            try await user.save(on: app.db)
            let before = try await count(AuditEntry.self, app)
            try await DemoLoader.load(app)
            #expect(try await count(Unit.self, app) == 9)
            #expect(try await Unit.find(unit.id, on: app.db)?.officialName == "Thanh tra tỉnh Nghệ An (đổi tên)")
            #expect(try await Deadline.query(on: app.db).filter(\.$year == 2018).filter(\.$phase == EmulationPhase.covenantSigning.rawValue).first() == nil)
            #expect(try await count(Membership.self, app) == 8)
            #expect(try await count(AuditEntry.self, app) == before)
            #expect(try await api(app, .POST, "/api/v1/auth/token", json: ["username": "khach", "password": TestAccounts.demoPassword]).status == .ok)
            #expect(console.text.contains("khach"))
        }
    }
}
