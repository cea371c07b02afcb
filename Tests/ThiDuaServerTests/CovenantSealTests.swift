import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
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
