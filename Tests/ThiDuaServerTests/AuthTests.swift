import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

@Suite struct AuthTests {
    @Test("First start creates an admin with a printed random password, once")
    func bootstrap() async throws {
        try await withThiDua { app, console in
            #expect(console.text.contains("Tên đăng nhập: admin"))
            let line = console.text.split(separator: "\n").first { $0.contains("Mật khẩu:") }!
            let password = line.split(separator: " ").last.map(String.init)!
            #expect(password.count == 16)
            let browser = try Browser(app)
            let res = try await browser.login("admin", password)
            #expect(res.status == .seeOther)
            // A one-time password: every page leads to choosing one's own first.
            let first = try await browser.get("/")
            #expect(first.status == .seeOther && first.headers.first(name: .location) == "/account/password")
            try await browser.get("/account/password")
            let changed = try await browser.post("/account/password", ["currentPassword": password, "newPassword": "mat-khau-rieng-9", "confirmPassword": "mat-khau-rieng-9"])
            #expect(changed.status == .seeOther)
            #expect(try await browser.get("/").status == .ok)
            try await Bootstrap.ensureAdmin(app)
            #expect(try await count(User.self, app) == 1)
        }
    }

    @Test("Login: wrong password, unknown user, disabled user, success, logout")
    func loginFlows() async throws {
        try await withThiDua(demo: true) { app, _ in
            let b = try Browser(app)
            var res = try await b.login("vanphong", "sai-mat-khau")
            #expect(res.status == .unauthorized)
            #expect(res.body.string.contains("Tên đăng nhập hoặc mật khẩu không đúng"))
            res = try await b.login("khong-co-ai", "whatever1")
            #expect(res.status == .unauthorized)
            try await b.get("/login")
            let before = b.cookie
            res = try await b.login("vanphong")
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location) == "/")
            // Session fixation: the session id changes at login, and the old one is not signed in.
            #expect(b.cookie != nil && b.cookie != before)
            let planted = try Browser(app)
            planted.cookie = before
            #expect(try await planted.get("/").status == .seeOther)
            let cookie = res.headers[.setCookie].joined()
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(try await b.get("/").body.string.contains("Tổng quan"))
            res = try await b.post("/logout")
            #expect(res.status == .seeOther)
            res = try await b.get("/")
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location)?.hasPrefix("/login") == true)

            let user = try await User.query(on: app.db).filter(\.$username == "khach").first()!
            user.disabled = true
            try await user.save(on: app.db)
            res = try await try Browser(app).login("khach")
            #expect(res.status == .forbidden)
            #expect(res.body.string.contains("vô hiệu hóa"))
        }
    }

    @Test("A form without a CSRF token, or with a stale one, is refused and nothing changes")
    func csrf() async throws {
        try await withThiDua(demo: true) { app, _ in
            let b = try Browser(app)
            try await b.get("/login")
            var res = try await b.post("/login", ["username": "vanphong", "password": TestAccounts.demoPassword], csrf: "")
            #expect(res.status == .forbidden)
            #expect(res.body.string.contains("CSRF"))
            try await b.login("vanphong")
            let units = try await count(Unit.self, app)
            res = try await b.post("/units", ["officialName": "Đơn vị giả mạo", "shortName": "GM", "kind": "civil"], csrf: "")
            #expect(res.status == .forbidden)
            res = try await b.post("/units", ["officialName": "Đơn vị giả mạo", "shortName": "GM", "kind": "civil"], csrf: "stale-token")
            #expect(res.status == .forbidden)
            #expect(try await count(Unit.self, app) == units)
            res = try await b.post("/units", ["officialName": "Đơn vị thật", "shortName": "ĐVT", "kind": "civil"])
            #expect(res.status == .seeOther)
            // A large form, whose body reaches the server in several chunks, still carries its token (real HTTP).
            // (signed in through the in-memory browser: the live client follows the login redirect and would drop its cookie)
            let live = try Browser(app, live: true)
            live.cookie = b.cookie
            try await live.get("/blocs/new")
            res = try await live.post("/blocs", ["name": "Khối lớn", "organiser": "", "padding": String(repeating: "Nội dung dài ", count: 4000)])
            // (the live client follows the redirect to the new bloc's page)
            #expect(res.status == .ok)
            #expect(try await Bloc.query(on: app.db).filter(\.$name == "Khối lớn").count() == 1)
            #expect(try await count(Unit.self, app) == units + 1)
        }
    }

    @Test("Failed logins slow the next attempt (no lock); unknown names behave the same; the office lifts the wait")
    func throttle() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withThiDua(clock: clock, demo: true) { app, _ in
            for name in ["canbo.congan", "khong-co-ai"] {
                for _ in 1...4 {
                    let res = try await try Browser(app).login(name, "sai-mat-khau")
                    #expect(res.status == .unauthorized)
                    #expect(res.body.string.contains("Tên đăng nhập hoặc mật khẩu không đúng"))
                }
                // The fourth failure makes the name wait 2 seconds: even the right password.
                var res = try await try Browser(app).login(name, TestAccounts.demoPassword)
                #expect(res.status == .tooManyRequests, "\(name)")
                #expect(res.body.string.contains("thử lại sau 2 giây"))
                let apiRes = try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: name, password: TestAccounts.demoPassword))
                #expect(apiRes.status == .tooManyRequests)
                #expect(apiRes.headers.first(name: .retryAfter) == "2")
                clock.advance(by: 3)
                res = try await try Browser(app).login(name, TestAccounts.demoPassword)
                #expect(res.status == (name == "canbo.congan" ? .seeOther : .unauthorized), "\(name) after the wait")
            }
            // The right password starts the count afresh; the office lifts a wait at once.
            for k in 1...6 {
                _ = try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: "canbo.congan", password: "sai"))
                if k < 6 { clock.advance(by: 40) }
            }
            #expect(try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: "canbo.congan", password: TestAccounts.demoPassword)).status == .tooManyRequests)
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "canbo.congan").first())
            let office = try await token(app, "vanphong")
            let shown = try await api(app, .GET, "/api/v1/users/\(user.requireID())", token: office).decoded(UserDTO.self)
            #expect(shown.lockedUntil != nil)
            #expect(try await api(app, .POST, "/api/v1/users/\(user.requireID())/unlock", token: office).status == .ok)
            #expect(try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: "canbo.congan", password: TestAccounts.demoPassword)).status == .ok)
            // A disabled account is told so only after the right password.
            user.disabled = true
            try await user.save(on: app.db)
            #expect(reason(try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: "canbo.congan", password: "sai"))) == "Tên đăng nhập hoặc mật khẩu không đúng.")
            clock.advance(by: 60)
            #expect(try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: "canbo.congan", password: TestAccounts.demoPassword)).status == .forbidden)
        }
    }

    @Test("100 parallel wrong passwords for one account: checked one at a time, every one counted, the wait applies to the rest")
    func parallel() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withThiDua(clock: clock, demo: true) { app, _ in
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<100 {
                    group.addTask { try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: "hoidong", password: "sai-mat-khau")).status }
                }
                var out: [HTTPStatus] = []
                for try await s in group { out.append(s) }
                return out
            }
            // Attempts are checked one at a time; each checked one is counted; once the free failures are used up the
            // wait applies to every attempt still queued (the clock stands still, so none gets through after that).
            let checked = statuses.filter { $0 == .unauthorized }.count
            #expect(checked >= 1 && checked <= app.loginThrottle.freeFailures + 1, "\(statuses.map(\.code))")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 100 - checked)
            let row = try #require(try await ThrottleRow.query(on: app.db).filter(\.$key == LoginThrottleStore.nameKey("hoidong")).first())
            #expect(row.failures == checked, "every checked attempt is counted")
        }
    }

    @Test("One client address failing too often waits, whatever names it tries")
    func perAddress() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withThiDua(clock: clock, demo: true) { app, _ in
            app.loginThrottle = LoginThrottle(freeFailures: 100, addressLimit: 5, addressWindow: 600)
            for i in 0..<5 {
                let res = try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: "ten-\(i)", password: "sai"))
                #expect(res.status == .unauthorized)
            }
            let right = Credentials(username: "vanphong", password: TestAccounts.demoPassword)
            var res = try await api(app, .POST, "/api/v1/auth/token", json: right)
            #expect(res.status == .tooManyRequests)
            clock.advance(by: 601)
            res = try await api(app, .POST, "/api/v1/auth/token", json: right)
            #expect(res.status == .ok)
        }
    }

    @Test("API tokens: bearer access, expiry and revocation")
    func tokens() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withThiDua(clock: clock, demo: true) { app, _ in
            var res = try await api(app, .GET, "/api/v1/me")
            #expect(res.status == .unauthorized)
            #expect(reason(res).contains("Bearer"))
            let t = try await token(app, "vanphong")
            res = try await api(app, .GET, "/api/v1/me", token: t)
            #expect(res.status == .ok)
            #expect(res.body.string.contains("\"username\":\"vanphong\""))
            #expect(try await APIToken.query(on: app.db).all().allSatisfy { $0.tokenHash != t && $0.tokenHash.count == 64 })
            res = try await api(app, .GET, "/api/v1/me", token: "khong-phai-ma")
            #expect(res.status == .unauthorized)

            res = try await api(app, .DELETE, "/api/v1/auth/token", token: t)
            #expect(res.status == .noContent)
            res = try await api(app, .GET, "/api/v1/me", token: t)
            #expect(res.status == .unauthorized)
            #expect(reason(res).contains("thu hồi"))

            let t2 = try await token(app, "vanphong")
            clock.advance(by: app.thiduaConfig.tokenLifetime + 1)
            res = try await api(app, .GET, "/api/v1/me", token: t2)
            #expect(res.status == .unauthorized)
            #expect(reason(res).contains("hết hạn"))
        }
    }

    @Test("Office manages accounts: create, grant, disable (revoking tokens), reset password")
    func accountManagement() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            struct NewUser: Codable, Sendable { var username: String; var fullName: String; var password: String? }
            var res = try await api(app, .POST, "/api/v1/users", token: office, json: NewUser(username: "nguyen.van.a", fullName: "Nguyễn Văn A", password: "mat-khau-dai-1"))
            #expect(res.status == .created)
            struct Created: Decodable { var user: UserDTO; var password: String }
            let created = try res.decoded(Created.self)
            res = try await api(app, .POST, "/api/v1/users", token: office, json: NewUser(username: "nguyen.van.a", fullName: "Trùng", password: nil))
            #expect(res.status == .conflict)
            res = try await api(app, .POST, "/api/v1/users", token: office, json: NewUser(username: "x", fullName: "", password: nil))
            #expect(res.status == .unprocessableEntity)
            res = try await api(app, .POST, "/api/v1/users", token: office, json: NewUser(username: "dai.qua", fullName: "A", password: String(repeating: "ệ", count: 30)))
            #expect(res.status == .unprocessableEntity)
            #expect(reason(res).contains("72"))

            let unit = try await Unit.query(on: app.db).filter(\.$shortName == "Sở Tư pháp").first()!
            res = try await api(app, .POST, "/api/v1/users/\(created.user.id!)/grants", token: office,
                                json: AccountService.GrantInput(role: "unitOfficer", unitID: unit.id!.uuidString))
            #expect(res.status == .created)
            res = try await api(app, .POST, "/api/v1/users/\(created.user.id!)/grants", token: office, json: AccountService.GrantInput(role: "unitOfficer"))
            #expect(res.status == .unprocessableEntity)

            let userToken = try await token(app, "nguyen.van.a", "mat-khau-dai-1")
            #expect(try await api(app, .GET, "/api/v1/me", token: userToken).status == .ok)
            res = try await api(app, .POST, "/api/v1/users/\(created.user.id!)/disable", token: office)
            #expect(res.status == .ok)
            #expect(try await api(app, .GET, "/api/v1/me", token: userToken).status == .unauthorized)
            res = try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: "nguyen.van.a", password: "mat-khau-dai-1"))
            #expect(res.status == .forbidden)

            res = try await api(app, .POST, "/api/v1/users/\(created.user.id!)/enable", token: office)
            struct PW: Codable, Sendable { var password: String }
            res = try await api(app, .POST, "/api/v1/users/\(created.user.id!)/password", token: office, json: PW(password: "mat-khau-moi-2"))
            #expect(res.status == .ok)
            _ = try await token(app, "nguyen.van.a", "mat-khau-moi-2")

            // The office cannot disable itself.
            let me = try await api(app, .GET, "/api/v1/me", token: office).decoded(UserDTO.self)
            #expect(try await api(app, .POST, "/api/v1/users/\(me.id!)/disable", token: office).status == .conflict)
        }
    }

    @Test("A user changes their own password (current one required); an office-given password is one-time; other sessions and tokens end")
    func ownPassword() async throws {
        try await withThiDua(demo: true) { app, _ in
            typealias In = AuthController.OwnPasswordInput
            let tok = try await token(app, "khach")
            let other = try Browser(app)
            try await other.login("khach")
            let b = try Browser(app)
            try await b.login("khach")
            try await b.get("/account/password")
            var res = try await b.post("/account/password", ["currentPassword": "sai-mat-khau", "newPassword": "mat-khau-moi-8", "confirmPassword": "mat-khau-moi-8"])
            #expect(res.status == .unprocessableEntity && res.body.string.contains("Mật khẩu hiện tại không đúng"))
            res = try await b.post("/account/password", ["currentPassword": TestAccounts.demoPassword, "newPassword": "ngan", "confirmPassword": "ngan"])
            #expect(res.status == .unprocessableEntity && res.body.string.contains("ít nhất 8"))
            res = try await b.post("/account/password", ["currentPassword": TestAccounts.demoPassword, "newPassword": "mat-khau-moi-8", "confirmPassword": "khac-hẳn-nhau"])
            #expect(res.status == .unprocessableEntity && res.body.string.contains("không khớp"))
            res = try await b.post("/account/password", ["currentPassword": TestAccounts.demoPassword, "newPassword": "mat-khau-moi-8", "confirmPassword": "mat-khau-moi-8"])
            #expect(res.status == .seeOther)
            #expect(try await b.get("/").status == .ok, "this browser stays signed in")
            #expect(try await other.get("/").status == .seeOther, "the other session ended")
            #expect(try await api(app, .GET, "/api/v1/me", token: tok).status == .unauthorized, "tokens were revoked")
            #expect(try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: "khach", password: TestAccounts.demoPassword)).status == .unauthorized)
            let fresh = try await token(app, "khach", "mat-khau-moi-8")
            // The API too.
            #expect(try await api(app, .POST, "/api/v1/me/password", token: fresh, json: In(currentPassword: "mat-khau-moi-8", newPassword: "mat-khau-moi-9")).status == .noContent)
            _ = try await token(app, "khach", "mat-khau-moi-9")

            // The office resets: the value works once, for choosing one's own; until then pages lead there, the API refuses.
            let office = try await token(app, "vanphong")
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "khach").first())
            struct Reset: Decodable { var password: String }
            let given = try await api(app, .POST, "/api/v1/users/\(user.requireID())/password", token: office, json: UserController.PasswordInput(password: nil)).decoded(Reset.self).password
            let oneTime = try await token(app, "khach", given)
            #expect(try await api(app, .GET, "/api/v1/me", token: oneTime).status == .ok)
            res = try await api(app, .GET, "/api/v1/blocs", token: oneTime)
            #expect(res.status == .forbidden && reason(res).contains("đổi mật khẩu"))
            let c = try Browser(app)
            try await c.login("khach", given)
            #expect(try await c.get("/blocs").headers.first(name: .location) == "/account/password")
            #expect(try await c.get("/account/password").body.string.contains("chỉ dùng một lần"))
            #expect(try await c.post("/logout").status == .seeOther)
            #expect(try await api(app, .POST, "/api/v1/me/password", token: oneTime, json: In(currentPassword: given, newPassword: "cua-rieng-toi-1")).status == .noContent)
            let mine = try await token(app, "khach", "cua-rieng-toi-1")
            #expect(try await api(app, .GET, "/api/v1/blocs", token: mine).status == .ok)
        }
    }
}
