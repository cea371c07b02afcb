import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

/// What a user (or an attacker) can send: every answer is a 4xx with a Vietnamese reason, nothing stored changes,
/// and the server still answers afterwards. In Swift a trap ends the process, so a regression here is an outage.
@Suite struct HostileInputTests {
    typealias In = CovenantService.ContentInput

    /// The unit an account acts for (its first unit grant).
    static func unitOf(_ username: String, _ app: Application) async throws -> UUID {
        let user = try #require(try await User.query(on: app.db).filter(\.$username == username).first())
        let grant = try #require(try await RoleGrantModel.query(on: app.db).filter(\.$userID == user.requireID()).all().first { $0.unitID != nil })
        return try #require(grant.unitID)
    }

    static func demoCovenant(_ app: Application) async throws -> CovenantVersion {
        let bloc = try #require(try await Bloc.query(on: app.db).first())
        return try #require(try await CovenantService.current(blocID: bloc.requireID(), year: 2018, on: app.db))
    }

    @Test("GET /audit?page=9223372036854775807 and other pages outside 1…100.000: 422 naming the field, page and API")
    func auditPages() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            let browser = try Browser(app)
            try await browser.login("vanphong")
            for page in ["9223372036854775807", "-1", "0", "99999999999999999999", "abc", "1e3", "100001"] {
                let res = try await api(app, .GET, "/api/v1/audit?page=\(page)", token: office)
                #expect(res.status == .unprocessableEntity, "page=\(page) → \(res.status)")
                #expect(reason(res).contains("Số trang"))
                #expect(try await browser.get("/audit?page=\(page)").status == .unprocessableEntity)
            }
            #expect(try await api(app, .GET, "/api/v1/audit?page=100000", token: office).status == .ok)
            let page2 = try await browser.get("/audit?page=2&actor=a%26b%3Dc")
            #expect(page2.status == .ok)
            // The pager's links are built: the filter's "&" and "=" stay inside their value.
            #expect(page2.body.string.contains("actor=a%26b%3Dc") || !page2.body.string.contains("Trang sau"))
            try await expectAlive(app)
        }
    }

    @Test("maxPoints of 0, -1, 1e19, \"NaN\" and \"abc\", perEvent 1e19 on an amended covenant: 422, nothing stored, tree and .docx still render")
    func covenantPoints() async throws {
        try await withThiDua(demo: true) { app, _ in
            let lead = try await token(app, "truongkhoi")
            let signed = try await Self.demoCovenant(app)
            let res = try await api(app, .POST, "/api/v1/covenants/\(signed.requireID())/actions/amend", token: lead)
            #expect(res.status == .ok)
            let draft = try res.decoded(CovenantController.CovenantDTO.self)
            let before = try #require(try await CovenantVersion.find(draft.id, on: app.db)).content
            func put(_ criterion: String) async throws -> TestingHTTPResponse {
                try await apiRaw(app, .PUT, "/api/v1/covenants/\(draft.id)", token: lead,
                                 body: #"{"lockVersion": \#(draft.lockVersion), "scale": [\#(criterion)]}"#)
            }
            for max in ["0", "-1", "1e19", "1e309", "10000.01", "12.345", "\"NaN\"", "\"abc\"", "null", "[]"] {
                let r = try await put(#"{"code": "A", "name": "Nhóm A", "maxPoints": \#(max)}"#)
                #expect(r.status == .unprocessableEntity, "maxPoints \(max) → \(r.status)")
                #expect(!reason(r).isEmpty && reason(r).unicodeScalars.contains { $0.value > 127 }, "a Vietnamese reason for \(max)")
            }
            let r = try await put(#"{"code": "A", "name": "Thưởng", "maxPoints": 5, "kind": "adjustment", "perEvent": 1e19}"#)
            #expect(r.status == .unprocessableEntity && reason(r).contains("mỗi sự việc"))
            // A JSON number too large for a Double is a decoding error, not a trap either.
            #expect(try await put(#"{"code": "A", "name": "N", "maxPoints": 1\#(String(repeating: "0", count: 400))}"#).status == .unprocessableEntity)
            #expect(try #require(try await CovenantVersion.find(draft.id, on: app.db)).content == before, "nothing stored")
            #expect(try await api(app, .GET, "/api/v1/covenants/\(draft.id)", token: lead).status == .ok)
            #expect(try await api(app, .GET, "/api/v1/covenants/\(draft.id)/docx", token: lead).status == .ok)

            // The same through the page's form, with the decree's comma.
            let browser = try Browser(app)
            try await browser.login("truongkhoi")
            try await browser.get("/covenants/\(draft.id)")
            for max in ["1e19", "1e309", "-1", "0", "abc", "NaN", "inf", "12,345", String(repeating: "9", count: 400)] {
                let f = try await browser.post("/covenants/\(draft.id)/criteria", ["lockVersion": String(draft.lockVersion), "code": "Z1", "name": "Mới", "maxPoints": max])
                #expect(f.status == .unprocessableEntity, "form maxPoints \(max) → \(f.status)")
            }
            #expect(try await browser.post("/covenants/\(draft.id)/criteria", ["lockVersion": String(draft.lockVersion), "code": "Z1", "name": "Mới", "maxPoints": "12,5"]).status == .seeOther)
            let page = try await browser.get("/covenants/\(draft.id)")
            #expect(page.status == .ok && page.body.string.contains("12,5"))
            try await expectAlive(app)
        }
    }

    @Test("A criterion code with '/', '?', '#', spaces or 200 characters is refused; delete links percent-encode the code")
    func criterionCodes() async throws {
        try await withThiDua(demo: true) { app, _ in
            let lead = try await token(app, "truongkhoi")
            let signed = try await Self.demoCovenant(app)
            let draft = try await api(app, .POST, "/api/v1/covenants/\(signed.requireID())/actions/amend", token: lead).decoded(CovenantController.CovenantDTO.self)
            var items = ScoringScale.inputs(draft.content.scale)
            for code in ["x/../../../../users/1/delete?", "A?", "A#", "A 1", String(repeating: "A", count: 200), "..", "Ă1"] {
                items.append(CriterionInput(code: code, name: "Xấu", maxPoints: 1))
                let res = try await api(app, .PUT, "/api/v1/covenants/\(draft.id)", token: lead, json: In(lockVersion: draft.lockVersion, scale: items))
                #expect(res.status == .unprocessableEntity, "code \(code) → \(res.status)")
                items.removeLast()
            }
            let browser = try Browser(app)
            try await browser.login("truongkhoi")
            try await browser.get("/covenants/\(draft.id)")
            let f = try await browser.post("/covenants/\(draft.id)/criteria", ["lockVersion": String(draft.lockVersion), "code": "x/../y", "name": "Xấu", "maxPoints": "1"])
            #expect(f.status == .unprocessableEntity)
            // A code from before the alphabet existed still cannot leave its segment.
            #expect(CovenantPath.deleteCriterion(draft.id, code: "x/../../users/1/delete?").url
                    == "/covenants/\(draft.id.uuidString)/criteria/x%2F..%2F..%2Fusers%2F1%2Fdelete%3F/delete")
            let url = CovenantPath.deleteCriterion(draft.id, code: "x/users?y#").url
            #expect(CovenantPath.deleteCriterion(draft.id, code: "..").url.hasSuffix("/criteria/%2E%2E/delete"))
            #expect(SiteURL.build(["a b", "č"], query: [("q", "x&y=z"), ("empty", ""), ("none", nil)]) == "/a%20b/%C4%8D?q=x%26y%3Dz")
            // Posted to, the encoded code reaches the delete route and is simply not found there.
            let del = try await browser.post(url, ["lockVersion": String(draft.lockVersion)])
            #expect(del.status == .notFound)
            try await expectAlive(app)
        }
    }

    @Test("A consultation comment on task:1 of a covenant without key tasks: 422, not a 1...0 trap")
    func commentOnNoTasks() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            _ = try await api(app, .POST, "/api/v1/years", token: office, json: YearInput(year: 2019, theme: "Năm 2019"))
            let bloc = try #require(try await Bloc.query(on: app.db).first())
            for m in try await Membership.query(on: app.db).filter(\.$year == 2018).all() {
                _ = try await api(app, .POST, "/api/v1/blocs/\(bloc.requireID())/members", token: office, json: MemberInput(unitID: m.unitID.uuidString, year: 2019))
            }
            struct Create: Codable, Sendable { var blocID: String; var year: Int }
            let c = try await api(app, .POST, "/api/v1/covenants", token: office, json: Create(blocID: try bloc.requireID().uuidString, year: 2019))
                .decoded(CovenantController.CovenantDTO.self)
            #expect(c.tasks.isEmpty)
            #expect(try await api(app, .POST, "/api/v1/covenants/\(c.id)/actions/startConsultation", token: office).status == .ok)
            let officer = try await token(app, "canbo.congan")
            for item in ["task:1", "task:0", "task:-1", "task:99999999999999999999", "task:", "x/../y"] {
                let res = try await api(app, .POST, "/api/v1/covenants/\(c.id)/comments", token: officer, json: CovenantService.CommentInput(item: item, text: "Góp ý"))
                #expect(res.status == .unprocessableEntity, "item \(item) → \(res.status)")
                #expect(reason(res).contains("Mục góp ý"))
            }
            #expect(try await count(CovenantComment.self, app) == 0)
            #expect(try await api(app, .POST, "/api/v1/covenants/\(c.id)/comments", token: officer, json: CovenantService.CommentInput(item: "general", text: "Góp ý chung")).status == .created)
            try await expectAlive(app)
        }
    }

    @Test("Years of 0 or 99999 in paths, queries and bodies: 422 naming the year")
    func years() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            let unit = try await Self.unitOf("canbo.congan", app)
            let bloc = try #require(try await Bloc.query(on: app.db).first())
            struct Create: Codable, Sendable { var blocID: String; var year: Int }
            for year in [0, 99_999, Int.max, -2018] {
                var res = try await api(app, .POST, "/api/v1/covenants", token: office, json: Create(blocID: try bloc.requireID().uuidString, year: year))
                #expect(res.status == .unprocessableEntity, "covenant year \(year)")
                res = try await api(app, .GET, "/api/v1/units/\(unit)/registrations/\(year)", token: office)
                #expect(res.status == .unprocessableEntity, "registration year \(year) → \(res.status)")
                res = try await api(app, .GET, "/api/v1/years/\(year)/deadlines", token: office)
                #expect(res.status == .unprocessableEntity, "deadline year \(year) → \(res.status)")
                res = try await api(app, .GET, "/api/v1/blocs?year=\(year)", token: office)
                #expect(res.status == .unprocessableEntity, "bloc list year \(year) → \(res.status)")
                res = try await api(app, .POST, "/api/v1/years", token: office, json: YearInput(year: year, theme: "x"))
                #expect(res.status == .unprocessableEntity, "opening year \(year) → \(res.status)")
            }
            #expect(try await api(app, .GET, "/api/v1/units/\(unit)/registrations/99999999999999999999", token: office).status == .unprocessableEntity)
            #expect(try await api(app, .GET, "/api/v1/covenants?year=99999", token: office).status == .unprocessableEntity)
            try await expectAlive(app)
        }
    }

    @Test("next=//evil.example and next=/\\evil.example after login go home")
    func openRedirect() async throws {
        try await withThiDua(demo: true) { app, _ in
            for next in ["//evil.example", "/\\evil.example", "https://evil.example", "/\t/evil.example", "javascript:alert(1)"] {
                let b = try Browser(app)
                try await b.get("/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                let res = try await b.post("/login", ["username": "vanphong", "password": TestAccounts.demoPassword, "next": next])
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/", "next=\(next.debugDescription) → \(res.headers.first(name: .location) ?? "")")
            }
            let b = try Browser(app)
            try await b.get("/login")
            let res = try await b.post("/login", ["username": "vanphong", "password": TestAccounts.demoPassword, "next": "/audit?page=2"])
            #expect(res.headers.first(name: .location) == "/audit?page=2")
            // An anonymous visit keeps where it was going, encoded.
            let anon = try Browser(app)
            let r = try await anon.get("/audit?page=2&actor=a%20b")
            #expect(r.headers.first(name: .location) == "/login?next=%2Faudit%3Fpage%3D2%26actor%3Da%2520b")
        }
    }

    @Test("JSON nested 10.000 levels and a 50 MB body: 422 and 413, the server still answers")
    func requestLimits() async throws {
        try await withThiDua(demo: true) { app, _ in
            let lead = try await token(app, "truongkhoi")
            let v = try await Self.demoCovenant(app)
            let deepArray = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            let deepObject = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
            for body in [deepArray, deepObject, #"{"scale": "#+deepArray+"}"] {
                let res = try await apiRaw(app, .PUT, "/api/v1/covenants/\(v.requireID())", token: lead, body: body)
                #expect(res.status == .unprocessableEntity, "deep JSON → \(res.status)")
            }
            let huge = String(repeating: "a", count: 50 * 1024 * 1024)
            let res = try await apiRaw(app, .PUT, "/api/v1/covenants/\(v.requireID())", token: lead, body: huge)
            #expect(res.status == .payloadTooLarge)
            #expect(reason(res) == "Dữ liệu gửi lên quá lớn.")
            // A login form is small: 64 KB is already too much (the limit applies while the body streams in: a live server).
            let live = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            try await live.test(.POST, "/api/v1/auth/token", beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(string: #"{"username":"\#(String(repeating: "a", count: 70_000))"}"#)
            }, afterResponse: { res in #expect(res.status == .payloadTooLarge, "login body → \(res.status)") })
            // Form bodies nested deep in brackets.
            let b = try Browser(app)
            try await b.login("vanphong")
            let form = try await b.post("/years", ["year" + String(repeating: "[a]", count: 5_000): "1"])
            #expect(form.status.code >= 400 && form.status.code < 500, "deep form → \(form.status)")
            try await expectAlive(app)
        }
    }

    @Test("Every answer carries the security headers; the cookie is Secure behind a trusted HTTPS proxy only")
    func securityHeaders() async throws {
        try await withThiDua(demo: true) { app, _ in
            func check(_ res: TestingHTTPResponse, _ what: String) {
                let csp = res.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline") && !csp.contains("http"), "\(what): \(csp)")
                #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(what)")
                #expect(res.headers.first(name: "X-Frame-Options") == "DENY", "\(what)")
                #expect(res.headers.first(name: "Referrer-Policy") == "same-origin", "\(what)")
            }
            let b = try Browser(app)
            check(try await b.get("/login"), "login page")
            check(try await b.get("/no-such-page"), "404 page")
            check(try await b.get("/css/app.css"), "static file")
            check(try await b.get("/js/app.js"), "script")
            check(try await api(app, .GET, "/healthz"), "health")
            check(try await api(app, .GET, "/api/v1/me"), "API 401")
        }
        try await withThiDua { app, _ in
            app.thiduaConfig.trustedProxies = ["10.0.0.5"]
            let req = Request(application: app, method: .GET, url: URI(path: "/"), on: app.eventLoopGroup.next())
            req.headers.replaceOrAdd(name: "X-Forwarded-Proto", value: "https")
            #expect(!SecurityHeadersMiddleware.isHTTPS(req), "no peer address: not trusted")
            app.thiduaConfig.secureCookies = true
            #expect(SecurityHeadersMiddleware.isHTTPS(req))
        }
    }

    @Test("Over HTTPS through a trusted proxy the session cookie is Secure; from anyone else it is not")
    func secureCookie() async throws {
        try await withThiDua(demo: true) { app, _ in
            // The live server sees the test client at 127.0.0.1.
            app.thiduaConfig.trustedProxies = ["127.0.0.1"]
            let tester = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            var cookies: [String] = []
            for proto in ["https", "http"] {
                try await tester.test(.GET, "/login", beforeRequest: { req in
                    req.headers.replaceOrAdd(name: "X-Forwarded-Proto", value: proto)
                }, afterResponse: { res in cookies.append(res.headers[.setCookie].joined(separator: "; ")) })
            }
            #expect(cookies[0].contains("Secure"), "https via trusted proxy: \(cookies[0])")
            #expect(!cookies[1].contains("Secure"), "http: \(cookies[1])")
        }
    }
}
