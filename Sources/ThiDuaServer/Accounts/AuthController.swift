import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// Login and logout pages, and the API token endpoints.
struct AuthController {
    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.on(.GET, "login", policy: .everyone, use: loginPage)
        // Credentials are small: 16 KB is plenty, and a large body is refused before any password hashing.
        pages.on(.POST, "login", policy: .everyone, body: .collect(maxSize: "16kb"), use: login)
        pages.on(.POST, "logout", policy: .signedIn, use: logout)
        api.on(.POST, "auth", "token", policy: .everyone, body: .collect(maxSize: "16kb"), use: issueToken)
        api.on(.DELETE, "auth", "token", policy: .signedIn, use: revokeToken)
        api.on(.GET, "me", policy: .signedIn, use: me)
        pages.on(.GET, "account", "password", policy: .signedIn) { req in try await self.passwordPage(req, error: nil) }
        pages.on(.POST, "account", "password", policy: .signedIn, body: .collect(maxSize: "16kb")) { req -> Response in
            let f = try req.content.decode(OwnPasswordInput.self)
            do {
                try await AccountService.changeOwnPassword(current: f.currentPassword, new: f.newPassword, confirm: f.confirmPassword,
                                                           keepSession: req.session.id, req: req)
            } catch let e as DomainError where e.kind == .invalid {
                return try await self.passwordPage(req, error: e.reason, status: .unprocessableEntity)
            }
            // A new session id with the new password.
            if let old = req.session.id { try await req.application.sessions.driver.deleteSession(old, for: req).get(); req.session.id = nil }
            Pages.flash(req, "Đã đổi mật khẩu. Các phiên đăng nhập khác và mã truy cập API đã kết thúc.")
            return req.redirect(to: CommonPath.home.url)
        }
        api.on(.POST, "me", "password", policy: .signedIn, body: .collect(maxSize: "16kb")) { req -> HTTPStatus in
            let f = try req.content.decode(OwnPasswordInput.self)
            try await AccountService.changeOwnPassword(current: f.currentPassword, new: f.newPassword, confirm: f.confirmPassword, keepSession: nil, req: req)
            return .noContent
        }
    }

    struct LoginPage: Encodable, Sendable {
        var username: String
        var next: String
        var error: String?
    }

    /// GET /login
    @Sendable func loginPage(_ req: Request) async throws -> Response {
        if req.principal != nil { return req.redirect(to: CommonPath.home.url) }
        let next = (try? req.query.get(String.self, at: "next")) ?? "/"
        return try await loginForm(req, LoginPage(username: "", next: safeNext(next), error: nil))
    }

    /// POST /login: on failure the form comes back with the reason and the status of the failure.
    @Sendable func login(_ req: Request) async throws -> Response {
        struct Form: Content { var username: String?; var password: String?; var next: String? }
        let form = try req.content.decode(Form.self)
        let next = safeNext(form.next ?? "/")
        do {
            let user = try await AccountService.authenticate(username: form.username ?? "", password: form.password ?? "", req: req)
            // A new session id at login: an id planted before login (session fixation) never becomes signed in.
            if let old = req.session.id {
                try await req.application.sessions.driver.deleteSession(old, for: req).get()
                req.session.id = nil
            }
            req.session.data["uid"] = user.id?.uuidString
            req.session.data["csrf"] = nil
            return req.redirect(to: next)
        } catch let e as DomainError {
            let status = ThiDuaErrorMiddleware.describe(e, req: req).0
            return try await loginForm(req, LoginPage(username: String((form.username ?? "").prefix(80)), next: next, error: e.reason), status: status)
        }
    }

    /// The login page with its CSRF token (in a cookie of its own: no session row for an anonymous visitor).
    private func loginForm(_ req: Request, _ page: LoginPage, status: HTTPResponseStatus = .ok) async throws -> Response {
        let token = CSRF.loginToken(for: req)
        req.storage[LoginTokenKey.self] = token
        let res = try await Pages.render(req, "login", title: "Đăng nhập", page, status: status)
        CSRF.setLoginCookie(token, on: res, secure: SecurityHeadersMiddleware.isHTTPS(req))
        return res
    }

    /// POST /logout
    @Sendable func logout(_ req: Request) async throws -> Response {
        req.session.destroy()
        return req.redirect(to: CommonPath.login.url)
    }

    /// Only same-site paths are followed after login (`LocalPath`: no "//host", no "/\\host", no scheme).
    private func safeNext(_ next: String) -> String { LocalPath.safe(next) }

    /// A user's own password change (the current one is required).
    struct OwnPasswordInput: Content, Sendable { var currentPassword: String?; var newPassword: String?; var confirmPassword: String? }

    struct PasswordPage: Encodable, Sendable { var error: String?; var mustChange: Bool; var action: String }

    func passwordPage(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await Pages.render(req, "account/password", title: "Đổi mật khẩu",
                               PasswordPage(error: error, mustChange: req.currentUser?.mustChangePassword == true, action: AccountPath.ownPassword.url), status: status)
    }

    struct TokenRequest: Content { var username: String?; var password: String? }
    struct TokenResponse: Content { var token: String; var expiresAt: Date; var user: UserDTO }

    /// POST /api/v1/auth/token {username, password} → {token, expiresAt}
    @Sendable func issueToken(_ req: Request) async throws -> TokenResponse {
        let body = try req.content.decode(TokenRequest.self)
        let user = try await AccountService.authenticate(username: body.username ?? "", password: body.password ?? "", req: req)
        let (token, expires) = try await AccountService.issueToken(for: user, req: req)
        return TokenResponse(token: token, expiresAt: expires, user: try await AccountViews.one(user, req: req))
    }

    /// DELETE /api/v1/auth/token: revokes the token used for this request.
    @Sendable func revokeToken(_ req: Request) async throws -> HTTPStatus {
        guard let bearer = req.headers.bearerAuthorization,
              let token = try await APIToken.query(on: req.db).filter(\.$tokenHash == tokenDigest(bearer.token)).first()
        else { throw DomainError(.badRequest, "Yêu cầu này cần mã truy cập (Bearer).") }
        token.revokedAt = req.now
        let username = req.actorName
        try await req.audited { db, audit in
            try await token.save(on: db)
            try await audit.record("api_token", token.id, "revoke", old: Optional<TokenRevocation>.none, new: TokenRevocation(user: username, revoked: true))
        }
        return .noContent
    }

    /// GET /api/v1/me
    @Sendable func me(_ req: Request) async throws -> UserDTO {
        let p = try req.requirePrincipal()
        guard let user = try await User.find(p.userID, on: req.db) else { throw DomainError.notFound() }
        return try await AccountViews.one(user, req: req)
    }
}
