import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

/// Sessions that do not grow: no row for a request that stores nothing, no write when nothing changed, server-side
/// idle and absolute expiry, and a user's access ended at once when disabled, reset or stripped of a role.
@Suite struct SessionTests {
    static let start = Date(timeIntervalSince1970: 1_543_622_400) // 01/12/2018

    @Test("1.000 cookie-less requests (health, login page, pages, API, 404) store no session row")
    func noGrowth() async throws {
        try await withThiDua(demo: true) { app, _ in
            #expect(try await count(SessionRow.self, app) == 0)
            for i in 0..<1_000 {
                let path = ["/healthz", "/login", "/", "/api/v1/me", "/no-such-page", "/blocs", "/css/app.css", "/login?next=/audit"][i % 8]
                let res = try await api(app, .GET, path)
                #expect(res.status.code < 500)
                #expect(!res.headers[.setCookie].contains { $0.hasPrefix(SessionCookie.name + "=") && !$0.contains("1970") }, "\(path) set a session cookie")
            }
            #expect(try await count(SessionRow.self, app) == 0)
            // The login form still works: its token rides in a cookie of its own.
            let b = try Browser(app)
            #expect(try await b.login("vanphong").status == .seeOther)
            #expect(try await count(SessionRow.self, app) == 1)
            // A POST to /login without the form's token is refused.
            let bare = try Browser(app)
            #expect(try await bare.post("/login", ["username": "vanphong", "password": TestAccounts.demoPassword], csrf: "x").status == .forbidden)
        }
    }

    @Test("A signed-in session is written only when its data changes; last seen at most every 5 minutes")
    func writesOnlyOnChange() async throws {
        let clock = ManualClock(Self.start)
        try await withThiDua(clock: clock, demo: true) { app, _ in
            let b = try Browser(app)
            try await b.login("vanphong")
            // The first page after login stores the session's CSRF token: a change, so one write.
            try await b.get("/")
            let row = try #require(try await SessionRow.query(on: app.db).first())
            #expect(ThiDuaSessions.decode(row.data)["csrf"] != nil)
            for _ in 0..<20 { #expect(try await b.get("/blocs").status == .ok) }
            let same = try #require(try await SessionRow.query(on: app.db).first())
            #expect(same.lastSeenMillis == row.lastSeenMillis && same.data == row.data, "a page view wrote the session")
            clock.advance(by: 301)
            try await b.get("/blocs")
            let touched = try #require(try await SessionRow.query(on: app.db).first())
            #expect(touched.lastSeenMillis == Self.start.addingTimeInterval(301).millis)
            #expect(try await count(SessionRow.self, app) == 1)
        }
    }

    @Test("Idle for 12 hours or older than 7 days: the session ends on the server and its row goes")
    func expiry() async throws {
        let clock = ManualClock(Self.start)
        try await withThiDua(clock: clock, demo: true) { app, _ in
            let b = try Browser(app)
            try await b.login("vanphong")
            clock.advance(by: 11 * 3600)
            #expect(try await b.get("/").status == .ok, "11 hours idle is still signed in")
            clock.advance(by: 12 * 3600 + 1)
            var res = try await b.get("/")
            #expect(res.status == .seeOther && res.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await count(SessionRow.self, app) == 0)
            // Absolute: used every 11 hours, it still ends after 7 days.
            try await b.login("vanphong")
            for _ in 0..<15 {
                clock.advance(by: 11 * 3600)
                res = try await b.get("/")
                #expect(res.status == .ok)
            }
            clock.advance(by: 11 * 3600)
            res = try await b.get("/")
            #expect(res.status == .seeOther, "past 7 days")
            // Ended rows of others are purged when a new session starts.
            let other = try Browser(app)
            try await other.login("khach")
            clock.advance(by: 13 * 3600)
            try await Browser(app).login("hoidong")
            #expect(try await count(SessionRow.self, app) == 1)
        }
    }

    @Test("Disabling a user, resetting their password or revoking a role ends their sessions and tokens at once")
    func endAccess() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            for action in ["disable", "grant", "password"] {
                let b = try Browser(app)
                try await b.login("canbo.congan")
                let tok = try await token(app, "canbo.congan")
                #expect(try await b.get("/").status == .ok)
                let user = try #require(try await User.query(on: app.db).filter(\.$username == "canbo.congan").first())
                let id = try user.requireID()
                #expect(try await SessionRow.query(on: app.db).filter(\.$userID == id).count() == 1)
                switch action {
                case "disable":
                    #expect(try await api(app, .POST, "/api/v1/users/\(id)/disable", token: office).status == .ok)
                case "password":
                    #expect(try await api(app, .POST, "/api/v1/users/\(id)/password", token: office,
                                          json: UserController.PasswordInput(password: TestAccounts.demoPassword)).status == .ok)
                default:
                    let grant = try #require(try await RoleGrantModel.query(on: app.db).filter(\.$userID == id).first())
                    #expect(try await api(app, .DELETE, "/api/v1/users/\(id)/grants/\(grant.requireID())", token: office).status == .ok)
                }
                #expect(try await SessionRow.query(on: app.db).filter(\.$userID == id).count() == 0, "\(action): session kept")
                #expect(try await api(app, .GET, "/api/v1/me", token: tok).status == .unauthorized, "\(action): token kept")
                #expect(try await b.get("/").status == .seeOther, "\(action): browser still signed in")
                if action == "disable" { _ = try await api(app, .POST, "/api/v1/users/\(id)/enable", token: office) }
            }
        }
    }

    @Test("SQLite runs with WAL, synchronous=NORMAL, a busy timeout and foreign keys on every connection")
    func pragmas() async throws {
        guard ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) == nil else { return }
        try await withThiDua(sqliteFile: true) { app, _ in
            for loop in app.eventLoopGroup.makeIterator() {
                let p = try await SQLiteTuning.read(app, on: loop)
                #expect(p["journal_mode"] == "wal", "\(p)")
                #expect(p["synchronous"] == "1", "\(p)")
                #expect(p["busy_timeout"] == "10000", "\(p)")
                #expect(p["foreign_keys"] == "1", "\(p)")
            }
        }
    }
}
