import ThiDuaCore
import Vapor

/// While a user's password is a one-time one (given by the office), every page leads to the password change and
/// the API answers 403, except what is needed to change it, sign out and see who one is.
struct PasswordChangeGate: Middleware {
    static let openPages: Set<String> = [AccountPath.ownPassword.url, CommonPath.logout.url, "/healthz", "/readyz", "/metrics"]
    static let openAPI: Set<String> = ["/api/v1/me", "/api/v1/me/password", "/api/v1/auth/token", "/api/v1/openapi.json"]

    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        do {
            if let answer = try gate(req) { return req.eventLoop.makeSucceededFuture(answer) }
            return next.respond(to: req)
        } catch {
            return req.eventLoop.makeFailedFuture(error)
        }
    }

    /// Nil when the request may go on; the redirect to the password change; throws 403 otherwise.
    func gate(_ req: Request) throws -> Response? {
        guard req.currentUser?.mustChangePassword == true else { return nil }
        let path = req.url.path
        if req.isAPI {
            guard Self.openAPI.contains(path) else {
                throw DomainError.forbidden("Mật khẩu của bạn do Ban Thi đua – Khen thưởng cấp, chỉ dùng một lần: hãy đổi mật khẩu (POST /api/v1/me/password) trước khi dùng hệ thống.")
            }
        } else if !Self.openPages.contains(path), req.method == .GET || req.method == .HEAD {
            return req.redirect(to: AccountPath.ownPassword.url)
        } else if !Self.openPages.contains(path) {
            throw DomainError.forbidden("Hãy đổi mật khẩu một lần trước khi dùng hệ thống.")
        }
        return nil
    }
}
