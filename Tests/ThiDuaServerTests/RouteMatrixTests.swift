import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

/// Every route declares who may call it. Adding a route without a policy, or changing a policy, fails here
/// until the table below is updated on purpose; then every role outside a policy is checked to be refused.
@Suite struct RouteMatrixTests {
    static let expected: [String] = [
        "DELETE /api/v1/auth/token signedIn",
        "DELETE /api/v1/blocs/:blocID office",
        "DELETE /api/v1/blocs/:blocID/members/:membershipID office",
        "DELETE /api/v1/register/people/:personID/facts/:factKind/:factID office|unitOfficer",
        "DELETE /api/v1/register/units/:unitID/facts/:factKind/:factID office|unitOfficer",
        "DELETE /api/v1/rounds/:roundID/evidence/:evidenceID unitOfficer",
        "DELETE /api/v1/units/:unitID office",
        "DELETE /api/v1/users/:userID/grants/:grantID office",
        "GET / signedIn",
        "GET /account/password signedIn",
        "GET /api/v1/audit office",
        "GET /api/v1/audit/export.csv office",
        "GET /api/v1/audit/export.json office",
        "GET /api/v1/audit/export.xlsx office",
        "GET /api/v1/audit/verify office",
        "GET /api/v1/ballots signedIn",
        "GET /api/v1/ballots/:sessionID signedIn",
        "GET /api/v1/ballots/:sessionID/minutes.docx signedIn",
        "GET /api/v1/ballots/:sessionID/questions/:questionID/minutes.docx signedIn",
        "GET /api/v1/ballots/:sessionID/record.json signedIn",
        "GET /api/v1/ballots/export.csv signedIn",
        "GET /api/v1/ballots/export.json signedIn",
        "GET /api/v1/ballots/export.xlsx signedIn",
        "GET /api/v1/blocs signedIn",
        "GET /api/v1/blocs/:blocID signedIn",
        "GET /api/v1/blocs/:blocID/registrations office|blocLead|council",
        "GET /api/v1/blocs/:blocID/registrations.csv office|blocLead|council",
        "GET /api/v1/blocs/:blocID/registrations.json office|blocLead|council",
        "GET /api/v1/blocs/:blocID/registrations.xlsx office|blocLead|council",
        "GET /api/v1/blocs/:blocID/rounds signedIn",
        "GET /api/v1/blocs/:blocID/rounds.csv signedIn",
        "GET /api/v1/blocs/:blocID/rounds.json signedIn",
        "GET /api/v1/blocs/:blocID/rounds.xlsx signedIn",
        "GET /api/v1/blocs/export.csv signedIn",
        "GET /api/v1/blocs/export.json signedIn",
        "GET /api/v1/blocs/export.xlsx signedIn",
        "GET /api/v1/catalogue signedIn",
        "GET /api/v1/covenants signedIn",
        "GET /api/v1/covenants/:versionID signedIn",
        "GET /api/v1/covenants/:versionID/docx signedIn",
        "GET /api/v1/import/template.xlsx office|unitOfficer",
        "GET /api/v1/me signedIn",
        "GET /api/v1/openapi.json everyone",
        "GET /api/v1/register/export.csv office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/export.json office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/export.xlsx office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/people office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/people/:personID office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/people/:personID/eligibility office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/report office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/report.csv office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/report.json office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/report.xlsx office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/units/:unitID office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/register/units/:unitID/eligibility office|blocLead|unitOfficer|unitHead|council",
        "GET /api/v1/rounds/:roundID signedIn",
        "GET /api/v1/rounds/:roundID/evidence/:evidenceID signedIn",
        "GET /api/v1/rounds/:roundID/results signedIn",
        "GET /api/v1/rounds/:roundID/results.csv signedIn",
        "GET /api/v1/rounds/:roundID/results.docx signedIn",
        "GET /api/v1/rounds/:roundID/results.json signedIn",
        "GET /api/v1/rounds/:roundID/results.xlsx signedIn",
        "GET /api/v1/rounds/:roundID/tasks/:task signedIn",
        "GET /api/v1/rounds/:roundID/units/:unitID/evidence signedIn",
        "GET /api/v1/rounds/:roundID/units/:unitID/sheets/:scorer signedIn",
        "GET /api/v1/search signedIn",
        "GET /api/v1/units signedIn",
        "GET /api/v1/units/:unitID signedIn",
        "GET /api/v1/units/:unitID/registrations/:year signedIn",
        "GET /api/v1/units/export.csv signedIn",
        "GET /api/v1/units/export.json signedIn",
        "GET /api/v1/units/export.xlsx signedIn",
        "GET /api/v1/users office",
        "GET /api/v1/users/:userID office",
        "GET /api/v1/users/export.csv office",
        "GET /api/v1/users/export.json office",
        "GET /api/v1/users/export.xlsx office",
        "GET /api/v1/years signedIn",
        "GET /api/v1/years/:year/deadlines signedIn",
        "GET /api/v1/years/:year/deadlines.csv office",
        "GET /api/v1/years/:year/deadlines.json office",
        "GET /api/v1/years/:year/deadlines.xlsx office",
        "GET /api/v1/years/export.csv office",
        "GET /api/v1/years/export.json office",
        "GET /api/v1/years/export.xlsx office",
        "GET /audit office",
        "GET /audit/export.csv office",
        "GET /audit/export.json office",
        "GET /audit/export.xlsx office",
        "GET /ballots signedIn",
        "GET /ballots/:sessionID signedIn",
        "GET /ballots/:sessionID/minutes.docx signedIn",
        "GET /ballots/:sessionID/questions/:questionID/minutes.docx signedIn",
        "GET /ballots/:sessionID/record.json signedIn",
        "GET /ballots/export.csv signedIn",
        "GET /ballots/export.json signedIn",
        "GET /ballots/export.xlsx signedIn",
        "GET /blocs signedIn",
        "GET /blocs/:blocID signedIn",
        "GET /blocs/:blocID/covenant signedIn",
        "GET /blocs/:blocID/edit office",
        "GET /blocs/:blocID/registrations office|blocLead|council",
        "GET /blocs/:blocID/registrations.csv office|blocLead|council",
        "GET /blocs/:blocID/registrations.json office|blocLead|council",
        "GET /blocs/:blocID/registrations.xlsx office|blocLead|council",
        "GET /blocs/:blocID/rounds signedIn",
        "GET /blocs/:blocID/rounds.csv signedIn",
        "GET /blocs/:blocID/rounds.json signedIn",
        "GET /blocs/:blocID/rounds.xlsx signedIn",
        "GET /blocs/export.csv signedIn",
        "GET /blocs/export.json signedIn",
        "GET /blocs/export.xlsx signedIn",
        "GET /blocs/new office",
        "GET /covenants/:versionID signedIn",
        "GET /covenants/:versionID/docx signedIn",
        "GET /covenants/:versionID/print signedIn",
        "GET /healthz everyone",
        "GET /import office|unitOfficer",
        "GET /import/template.xlsx office|unitOfficer",
        "GET /login everyone",
        "GET /metrics monitoring",
        "GET /readyz everyone",
        "GET /register office|blocLead|unitOfficer|unitHead|council",
        "GET /register/export.csv office|blocLead|unitOfficer|unitHead|council",
        "GET /register/export.json office|blocLead|unitOfficer|unitHead|council",
        "GET /register/export.xlsx office|blocLead|unitOfficer|unitHead|council",
        "GET /register/people/:personID office|blocLead|unitOfficer|unitHead|council",
        "GET /register/people/new office|unitOfficer",
        "GET /register/report office|blocLead|unitOfficer|unitHead|council",
        "GET /register/report.csv office|blocLead|unitOfficer|unitHead|council",
        "GET /register/report.json office|blocLead|unitOfficer|unitHead|council",
        "GET /register/report.xlsx office|blocLead|unitOfficer|unitHead|council",
        "GET /register/units/:unitID office|blocLead|unitOfficer|unitHead|council",
        "GET /rounds/:roundID signedIn",
        "GET /rounds/:roundID/evidence/:evidenceID signedIn",
        "GET /rounds/:roundID/matrix signedIn",
        "GET /rounds/:roundID/results signedIn",
        "GET /rounds/:roundID/results.csv signedIn",
        "GET /rounds/:roundID/results.docx signedIn",
        "GET /rounds/:roundID/results.json signedIn",
        "GET /rounds/:roundID/results.xlsx signedIn",
        "GET /rounds/:roundID/tasks/:task signedIn",
        "GET /rounds/:roundID/units/:unitID/sheets/:scorer signedIn",
        "GET /search signedIn",
        "GET /units signedIn",
        "GET /units/:unitID signedIn",
        "GET /units/:unitID/edit office|unitOfficer",
        "GET /units/:unitID/registration signedIn",
        "GET /units/export.csv signedIn",
        "GET /units/export.json signedIn",
        "GET /units/export.xlsx signedIn",
        "GET /units/new office",
        "GET /users office",
        "GET /users/:userID office",
        "GET /users/export.csv office",
        "GET /users/export.json office",
        "GET /users/export.xlsx office",
        "GET /users/new office",
        "GET /years office",
        "GET /years/:year/deadlines office",
        "GET /years/:year/deadlines.csv office",
        "GET /years/:year/deadlines.json office",
        "GET /years/:year/deadlines.xlsx office",
        "GET /years/export.csv office",
        "GET /years/export.json office",
        "GET /years/export.xlsx office",
        "POST /account/password signedIn",
        "POST /api/v1/auth/token everyone",
        "POST /api/v1/ballots office|blocLead",
        "POST /api/v1/ballots/:sessionID/close office|blocLead",
        "POST /api/v1/ballots/:sessionID/presence office|blocLead",
        "POST /api/v1/ballots/:sessionID/questions office|blocLead",
        "POST /api/v1/ballots/:sessionID/questions/:questionID/close office|blocLead",
        "POST /api/v1/ballots/:sessionID/questions/:questionID/open office|blocLead",
        "POST /api/v1/ballots/:sessionID/questions/:questionID/paper office|blocLead",
        "POST /api/v1/ballots/:sessionID/questions/:questionID/referral office|blocLead",
        "POST /api/v1/ballots/:sessionID/questions/:questionID/vote unitHead|council",
        "POST /api/v1/ballots/:sessionID/questions/:questionID/written office|blocLead",
        "POST /api/v1/ballots/:sessionID/receipts/check signedIn",
        "POST /api/v1/blocs office",
        "POST /api/v1/blocs/:blocID/members office",
        "POST /api/v1/blocs/:blocID/rounds office|blocLead",
        "POST /api/v1/covenants office|blocLead",
        "POST /api/v1/covenants/:versionID/absent office",
        "POST /api/v1/covenants/:versionID/actions/:action office|blocLead",
        "POST /api/v1/covenants/:versionID/comments unitOfficer|unitHead",
        "POST /api/v1/covenants/:versionID/comments/:commentID/answer office|blocLead",
        "POST /api/v1/covenants/:versionID/sign unitHead",
        "POST /api/v1/eligibility/check signedIn",
        "POST /api/v1/import office|unitOfficer",
        "POST /api/v1/me/password signedIn",
        "POST /api/v1/register/people office|unitOfficer",
        "POST /api/v1/register/people/:personID/facts/:factKind office|unitOfficer",
        "POST /api/v1/register/people/:personID/initiatives/:factID/use office|unitOfficer",
        "POST /api/v1/register/units/:unitID/facts/:factKind office|unitOfficer",
        "POST /api/v1/register/units/:unitID/initiatives/:factID/use office|unitOfficer",
        "POST /api/v1/rounds/:roundID/actions/:action office|blocLead",
        "POST /api/v1/rounds/:roundID/appeals/:appealID/answer office|blocLead",
        "POST /api/v1/rounds/:roundID/conflicts unitOfficer",
        "POST /api/v1/rounds/:roundID/corrections office|blocLead",
        "POST /api/v1/rounds/:roundID/units/:unitID/appeals unitOfficer",
        "POST /api/v1/rounds/:roundID/units/:unitID/evidence unitOfficer",
        "POST /api/v1/rounds/:roundID/units/:unitID/reopen office|blocLead",
        "POST /api/v1/rounds/:roundID/units/:unitID/submit unitOfficer",
        "POST /api/v1/units office",
        "POST /api/v1/users office",
        "POST /api/v1/users/:userID/disable office",
        "POST /api/v1/users/:userID/enable office",
        "POST /api/v1/users/:userID/grants office",
        "POST /api/v1/users/:userID/password office",
        "POST /api/v1/users/:userID/unlock office",
        "POST /api/v1/years office",
        "POST /api/v1/years/:year/deadlines/:phase/reopen office",
        "POST /ballots office|blocLead",
        "POST /ballots/:sessionID/close office|blocLead",
        "POST /ballots/:sessionID/presence office|blocLead",
        "POST /ballots/:sessionID/questions office|blocLead",
        "POST /ballots/:sessionID/questions/:questionID/close office|blocLead",
        "POST /ballots/:sessionID/questions/:questionID/open office|blocLead",
        "POST /ballots/:sessionID/questions/:questionID/paper office|blocLead",
        "POST /ballots/:sessionID/questions/:questionID/referral office|blocLead",
        "POST /ballots/:sessionID/questions/:questionID/vote unitHead|council",
        "POST /ballots/:sessionID/questions/:questionID/written office|blocLead",
        "POST /ballots/:sessionID/receipts/check signedIn",
        "POST /blocs office",
        "POST /blocs/:blocID office",
        "POST /blocs/:blocID/covenant office|blocLead",
        "POST /blocs/:blocID/delete office",
        "POST /blocs/:blocID/leadership office",
        "POST /blocs/:blocID/members office",
        "POST /blocs/:blocID/members/:membershipID/delete office",
        "POST /blocs/:blocID/rounds office|blocLead",
        "POST /blocs/:blocID/years/:year/plan office|blocLead",
        "POST /covenants/:versionID office|blocLead",
        "POST /covenants/:versionID/absent office",
        "POST /covenants/:versionID/actions/:action office|blocLead",
        "POST /covenants/:versionID/comments unitOfficer|unitHead",
        "POST /covenants/:versionID/comments/:commentID/answer office|blocLead",
        "POST /covenants/:versionID/criteria office|blocLead",
        "POST /covenants/:versionID/criteria/:code/delete office|blocLead",
        "POST /covenants/:versionID/sign unitHead",
        "POST /import office|unitOfficer",
        "POST /import/apply office|unitOfficer",
        "POST /login everyone",
        "POST /logout signedIn",
        "POST /register/people office|unitOfficer",
        "POST /register/people/:personID office|unitOfficer",
        "POST /register/people/:personID/facts/:factKind office|unitOfficer",
        "POST /register/people/:personID/facts/:factKind/:factID/delete office|unitOfficer",
        "POST /register/people/:personID/initiatives/:factID/use office|unitOfficer",
        "POST /register/units/:unitID/facts/:factKind office|unitOfficer",
        "POST /register/units/:unitID/facts/:factKind/:factID/delete office|unitOfficer",
        "POST /register/units/:unitID/initiatives/:factID/use office|unitOfficer",
        "POST /rounds/:roundID/actions/:action office|blocLead",
        "POST /rounds/:roundID/appeals/:appealID/answer office|blocLead",
        "POST /rounds/:roundID/conflicts unitOfficer",
        "POST /rounds/:roundID/corrections office|blocLead",
        "POST /rounds/:roundID/evidence/:evidenceID/delete unitOfficer",
        "POST /rounds/:roundID/settings office|blocLead",
        "POST /rounds/:roundID/units/:unitID/appeals unitOfficer",
        "POST /rounds/:roundID/units/:unitID/evidence unitOfficer",
        "POST /rounds/:roundID/units/:unitID/reopen office|blocLead",
        "POST /rounds/:roundID/units/:unitID/sheets/:scorer office|blocLead|unitOfficer",
        "POST /rounds/:roundID/units/:unitID/submit unitOfficer",
        "POST /units office",
        "POST /units/:unitID office|unitOfficer",
        "POST /units/:unitID/delete office",
        "POST /units/:unitID/registration office|unitOfficer",
        "POST /users office",
        "POST /users/:userID/disable office",
        "POST /users/:userID/enable office",
        "POST /users/:userID/grants office",
        "POST /users/:userID/grants/:grantID/delete office",
        "POST /users/:userID/password office",
        "POST /users/:userID/unlock office",
        "POST /years office",
        "POST /years/:year/deadlines/:phase office",
        "POST /years/:year/deadlines/:phase/reopen office",
        "PUT /api/v1/blocs/:blocID office",
        "PUT /api/v1/blocs/:blocID/leadership office",
        "PUT /api/v1/blocs/:blocID/years/:year/plan office|blocLead",
        "PUT /api/v1/covenants/:versionID office|blocLead",
        "PUT /api/v1/register/people/:personID office|unitOfficer",
        "PUT /api/v1/rounds/:roundID/settings office|blocLead",
        "PUT /api/v1/rounds/:roundID/units/:unitID/sheets/:scorer office|blocLead|unitOfficer",
        "PUT /api/v1/units/:unitID office|unitOfficer",
        "PUT /api/v1/units/:unitID/registrations/:year office|unitOfficer",
        "PUT /api/v1/years/:year/deadlines/:phase office",
    ]

    @Test("Every route has a policy, and the table of policies is the reviewed one")
    func table() async throws {
        try await withThiDua { app, _ in
            #expect(app.routes.all.allSatisfy { $0.policy != nil }, "a route was registered without a policy")
            let actual = Operations.routeTable(app).map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            #expect(actual == Self.expected)
        }
    }

    /// One demo account per role.
    static let accounts: [(RoleKind, String)] = [
        (.office, "vanphong"), (.blocLead, "truongkhoi"), (.council, "hoidong"),
        (.viewer, "khach"), (.unitOfficer, "canbo.congan"), (.unitHead, "thutruong.congan"),
    ]

    @Test("Each role outside a route's policy is refused; anonymous callers must sign in")
    func matrix() async throws {
        try await withThiDua(demo: true) { app, _ in
            var tokens: [RoleKind: String] = [:]
            var browsers: [RoleKind: Browser] = [:]
            for (role, user) in Self.accounts {
                tokens[role] = try await token(app, user)
                let b = try Browser(app)
                try await b.login(user)
                browsers[role] = b
            }
            let anonymous = try Browser(app)
            try await anonymous.get("/login")
            for route in app.routes.all {
                guard let policy = route.policy else { continue }
                let path = "/" + route.path.map { c -> String in
                    if case .parameter(let name) = c { return name == "year" ? "2018" : UUID().uuidString }
                    return c.description
                }.joined(separator: "/")
                let isAPI = path.hasPrefix("/api/")
                func call(_ role: RoleKind?) async throws -> HTTPStatus {
                    if isAPI {
                        return try await api(app, route.method, path, token: role.flatMap { tokens[$0] }).status
                    }
                    let b = role.flatMap { browsers[$0] } ?? anonymous
                    return route.method == .GET ? try await b.get(path).status : try await b.post(path).status
                }
                if policy == .monitoring {
                    // No user opens the metrics, signed in or not: only an allowed address or the metrics token
                    // (the in-memory tester has no address).
                    for role in [nil] + Self.accounts.map(\.0) {
                        let status = try await call(role)
                        #expect(status == .forbidden, "\(route.method) \(path) as \(role.map(\.rawValue) ?? "anonymous") → \(status)")
                    }
                    continue
                }
                if policy != .everyone {
                    let status = try await call(nil)
                    #expect(status == (isAPI ? .unauthorized : .seeOther), "\(route.method) \(path) anonymous → \(status)")
                }
                if case .roles(let allowed) = policy {
                    for (role, _) in Self.accounts where !allowed.contains(role) {
                        let status = try await call(role)
                        #expect(status == .forbidden, "\(route.method) \(path) as \(role) → \(status)")
                    }
                }
            }
        }
    }
}
