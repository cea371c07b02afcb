import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import ThiDuaDocuments
import VaporTesting

/// The seal holds: content changed behind it is shown loudly and cannot be signed, and a signature racing a
/// withdrawal never leaves a withdrawn draft with a signature (or a signature on content no longer sealed).
@Suite struct CovenantSealTests {
    struct Sign: Codable, Sendable { var password: String; var fingerprint: String }

    /// The demo covenant amended and opened for signing again.
    static func sealedDraft(_ app: Application, lead: String) async throws -> CovenantController.CovenantDTO {
        // The demo's 2018 signing deadline has long passed: the office lifts it, so that heads may sign again.
        let office = try await token(app, "vanphong")
        let lifted = try await api(app, .PUT, "/api/v1/years/2018/deadlines/covenantSigning", token: office, json: DeadlineService.SetInput(due: nil))
        #expect(lifted.status == .ok)
        let bloc = try #require(try await Bloc.query(on: app.db).first())
        let signed = try #require(try await CovenantService.current(blocID: bloc.requireID(), year: 2018, on: app.db))
        let draft = try await api(app, .POST, "/api/v1/covenants/\(signed.requireID())/actions/amend", token: lead).decoded(CovenantController.CovenantDTO.self)
        return try await api(app, .POST, "/api/v1/covenants/\(draft.id)/actions/openForSigning", token: lead).decoded(CovenantController.CovenantDTO.self)
    }

    @Test("Content changed in the database after sealing: the page says so, signing is refused")
    func tampered() async throws {
        try await withThiDua(demo: true) { app, _ in
            let lead = try await token(app, "truongkhoi")
            let c = try await Self.sealedDraft(app, lead: lead)
            #expect(c.sealIntact == true)
            let v = try #require(try await CovenantVersion.find(c.id, on: app.db))
            var content = try v.decoded()
            content.closing += " (sửa lén)"
            try v.store(content)
            try await v.save(on: app.db)
            let head = try await token(app, "thutruong.congan")
            let shown = try await api(app, .GET, "/api/v1/covenants/\(c.id)", token: head).decoded(CovenantController.CovenantDTO.self)
            #expect(shown.sealIntact == false)
            let b = try Browser(app)
            try await b.login("thutruong.congan")
            let page = try await b.get("/covenants/\(c.id)")
            #expect(page.body.string.contains("seal-broken") && !page.body.string.contains("id=\"sign\""))
            let res = try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: head,
                                    json: Sign(password: TestAccounts.demoPassword, fingerprint: try #require(c.fingerprint)))
            #expect(res.status == .conflict && reason(res).contains("không còn khớp"))
            #expect(try await CovenantSignature.query(on: app.db).filter(\.$versionID == c.id).count() == 0)
        }
    }

    @Test("Sealing freezes the roster: renames and membership changes later never alter the sealed document; a changed roster breaks the seal")
    func frozenRoster() async throws {
        try await withThiDua(demo: true) { app, _ in
            let lead = try await token(app, "truongkhoi"), office = try await token(app, "vanphong")
            let c = try await Self.sealedDraft(app, lead: lead)
            #expect(c.rosterFrozen && c.rosterChanges.isEmpty && c.memberCount == 9 && c.sealIntact == true)
            let congan = try #require(try await Unit.query(on: app.db).filter(\.$shortName == "Công an tỉnh").first())
            let oldName = congan.officialName
            let leaving = try #require(c.signatures.last)
            // Later: a unit renamed, another taken out of the bloc for the year.
            let renamed = try await api(app, .PUT, "/api/v1/units/\(congan.requireID())", token: office,
                                        json: UnitInput(officialName: "Công an tỉnh Nghệ An (tên mới)", shortName: congan.shortName, kind: "armedForces"))
            #expect(renamed.status == .ok, "\(renamed.body.string)")
            try await Membership.query(on: app.db).filter(\.$unitID == leaving.unitID).filter(\.$year == 2018).delete()

            let shown = try await api(app, .GET, "/api/v1/covenants/\(c.id)", token: lead).decoded(CovenantController.CovenantDTO.self)
            #expect(shown.memberCount == 9 && shown.sealIntact == true)
            #expect(shown.signatures.map(\.unitName) == c.signatures.map(\.unitName))
            #expect(shown.signatures.contains { $0.unitName == oldName })
            #expect(shown.rosterChanges.count == 2, "\(shown.rosterChanges)")
            #expect(shown.rosterChanges.contains { $0.contains("tên mới") } && shown.rosterChanges.contains { $0.contains("không còn trong khối") })
            let b = try Browser(app)
            try await b.login("truongkhoi")
            #expect(try await b.get("/covenants/\(c.id)").body.string.contains("roster-changes"))

            // The head signs under the sealed name; the document prints the sealed names.
            let head = try await token(app, "thutruong.congan")
            let res = try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: head,
                                    json: Sign(password: TestAccounts.demoPassword, fingerprint: try #require(c.fingerprint)))
            #expect(res.status == .ok, "\(res.body.string)")
            let sig = try #require(try await CovenantSignature.query(on: app.db).filter(\.$versionID == c.id).first())
            #expect(sig.unitName == oldName)
            let docx = try await api(app, .GET, "/api/v1/covenants/\(c.id)/docx", token: lead)
            let text = String(decoding: try #require(try OOXMLPackage.parts(of: Data(buffer: docx.body))["word/document.xml"]), as: UTF8.self)
            #expect(text.contains(oldName.uppercased(with: Locale(identifier: "vi_VN"))) && !text.contains("TÊN MỚI"))
            #expect(text.contains(leaving.unitName.uppercased(with: Locale(identifier: "vi_VN"))))

            // The frozen roster is covered by the seal: changing it in the database is caught like changed content.
            let v = try #require(try await CovenantVersion.find(c.id, on: app.db))
            var roster = try #require(v.frozenRoster())
            roster.members[0].officialName += " (sửa lén)"
            v.sealedRoster = try CovenantVersion.json(roster)
            try await v.save(on: app.db)
            let tampered = try await api(app, .GET, "/api/v1/covenants/\(c.id)", token: lead).decoded(CovenantController.CovenantDTO.self)
            #expect(tampered.sealIntact == false)
            // Flipping the "covered by the seal" flag does not help: the digest was taken with the roster.
            v.rosterInSeal = false
            try await v.save(on: app.db)
            #expect(try await api(app, .GET, "/api/v1/covenants/\(c.id)", token: lead).decoded(CovenantController.CovenantDTO.self).sealIntact == false)
            // A roster changed into something unreadable: still a page, with the broken seal shown, not a 500.
            v.rosterInSeal = true; v.sealedRoster = "{\"members\": ["
            try await v.save(on: app.db)
            let unreadable = try await api(app, .GET, "/api/v1/covenants/\(c.id)", token: lead)
            #expect(unreadable.status == .ok)
            #expect(try unreadable.decoded(CovenantController.CovenantDTO.self).sealIntact == false)
        }
    }

    @Test("A version sealed before rosters were frozen gets today's roster, outside its seal, and its seal still holds")
    func legacyBackfill() async throws {
        try await withThiDua(demo: true) { app, _ in
            let bloc = try #require(try await Bloc.query(on: app.db).first())
            let v = try #require(try await CovenantService.current(blocID: bloc.requireID(), year: 2018, on: app.db))
            // As stored before the migration: a digest of the content alone, no roster, no names on signatures.
            v.digest = CovenantSeal.digest(blocID: bloc.id!, year: 2018, version: v.number, content: try v.decoded())
            v.sealedRoster = nil; v.rosterInSeal = nil
            try await v.save(on: app.db)
            for s in try await CovenantSignature.query(on: app.db).all() { s.unitName = nil; try await s.save(on: app.db) }
            try await AddCovenantFrozenRoster.backfill(on: app.db)
            let after = try #require(try await CovenantVersion.find(v.id, on: app.db))
            let backfilled = after.frozenRoster()
            #expect(after.rosterInSeal == false && backfilled?.members.count == 9)
            #expect(try await CovenantSignature.query(on: app.db).all().allSatisfy { $0.unitName != nil })
            let dto = try await api(app, .GET, "/api/v1/covenants/\(try v.requireID())", token: try await token(app, "khach")).decoded(CovenantController.CovenantDTO.self)
            #expect(dto.sealIntact == true && dto.rosterFrozen && dto.fingerprint == CovenantSeal.fingerprint(v.digest!))
        }
    }

    @Test("A signature racing a withdrawal: never a withdrawn draft with a signature, never a signature without its seal")
    func signVersusWithdraw() async throws {
        // Concurrent writers on a real SQLite file (WAL), as in production: the in-memory test database locks differently.
        try await withThiDua(demo: true, sqliteFile: true) { app, _ in
            let lead = try await token(app, "truongkhoi")
            let head = try await token(app, "thutruong.congan")
            var c = try await Self.sealedDraft(app, lead: lead)
            var signedRounds = 0, withdrawnRounds = 0
            defer { _ = (signedRounds, withdrawnRounds) }
            for round in 0..<6 {
                let fingerprint = try #require(c.fingerprint)
                let signPath = "/api/v1/covenants/\(c.id)/sign", withdrawPath = "/api/v1/covenants/\(c.id)/actions/withdrawFromSigning"
                async let signed = api(app, .POST, signPath, token: head, json: Sign(password: TestAccounts.demoPassword, fingerprint: fingerprint))
                async let withdrawn = api(app, .POST, withdrawPath, token: lead)
                let (s, w) = try await (signed.status, withdrawn.status)
                let v = try #require(try await CovenantVersion.find(c.id, on: app.db))
                let signatures = try await CovenantSignature.query(on: app.db).filter(\.$versionID == c.id).count()
                #expect(s == .ok || s == .conflict, "round \(round): sign → \(s)")
                #expect(w == .ok || w == .conflict, "round \(round): withdraw → \(w)")
                #expect(!(s == .ok && w == .ok), "round \(round): both succeeded")
                if s == .ok { signedRounds += 1 }
                if w == .ok { withdrawnRounds += 1 }
                if v.status == CovenantStatus.draft.rawValue {
                    #expect(signatures == 0 && v.digest == nil, "round \(round): a withdrawn draft kept a signature")
                } else {
                    #expect(v.status == CovenantStatus.openForSigning.rawValue && v.digest == c.digest)
                }
                // Back to a sealed version without signatures for the next round.
                if signatures > 0 {
                    try await CovenantSignature.query(on: app.db).filter(\.$versionID == c.id).delete()
                }
                if v.status == CovenantStatus.draft.rawValue {
                    c = try await api(app, .POST, "/api/v1/covenants/\(c.id)/actions/openForSigning", token: lead).decoded(CovenantController.CovenantDTO.self)
                } else {
                    c = try await api(app, .GET, "/api/v1/covenants/\(c.id)", token: lead).decoded(CovenantController.CovenantDTO.self)
                }
            }
        }
    }

    @Test("Heads signing at the same moment do not conflict with each other")
    func concurrentSigners() async throws {
        // Concurrent writers on a real SQLite file (WAL), as in production.
        try await withThiDua(demo: true, sqliteFile: true) { app, _ in
            let lead = try await token(app, "truongkhoi")
            let c = try await Self.sealedDraft(app, lead: lead)
            let fingerprint = try #require(c.fingerprint)
            let heads = ["thutruong.congan", "thutruong.vksnd", "thutruong.bchqs", "thutruong.bdbp"]
            var tokens: [String] = []
            for h in heads { tokens.append(try await token(app, h)) }
            let path = "/api/v1/covenants/\(c.id)/sign"
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for t in tokens {
                    group.addTask { try await api(app, .POST, path, token: t, json: Sign(password: TestAccounts.demoPassword, fingerprint: fingerprint)).status }
                }
                var out: [HTTPStatus] = []
                for try await s in group { out.append(s) }
                return out
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses.map(\.code))")
            #expect(try await CovenantSignature.query(on: app.db).filter(\.$versionID == c.id).count() == heads.count)
        }
    }
}
