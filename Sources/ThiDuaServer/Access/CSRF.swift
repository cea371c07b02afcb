import Foundation
import ThiDuaCore
import Vapor

/// Every form carries the session's CSRF token in a hidden field `csrf`; a POST from a page without
/// it (or with a stale one) is refused with 403 and nothing is changed.
enum CSRF {
    static let field = "csrf"
    /// The login form's token lives in a cookie of its own (double submit), so that an anonymous visitor costs no
    /// session row: a client without cookies asking for the login page a thousand times stores nothing.
    static let loginCookie = "thidua-login-csrf"

    /// The login form's token: the one the browser already holds, or a new one (set on the response by `setLoginCookie`).
    static func loginToken(for req: Request) -> String {
        if let t = req.cookies[loginCookie]?.string, t.utf8.count == 32,
           t.unicodeScalars.allSatisfy({ s in ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "-" || s == "_" }) {
            return t
        }
        return [UInt8].random(count: 24).base64URLEncoded
    }

    static func setLoginCookie(_ token: String, on res: Response, secure: Bool) {
        res.cookies[loginCookie] = HTTPCookies.Value(string: token, maxAge: 3600, path: "/login", isSecure: secure, isHTTPOnly: true, sameSite: .strict)
    }

    /// The session's token, created on first use.
    static func token(for req: Request) -> String {
        if let t = req.session.data["csrf"] { return t }
        let t = [UInt8].random(count: 24).base64URLEncoded
        req.session.data["csrf"] = t
        return t
    }
}

extension Array where Element == UInt8 {
    var base64URLEncoded: String {
        Data(self).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

struct CSRFMiddleware: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // Forms of signed-in users, and the login form. A POST from nobody to any other form changes nothing:
        // its route sends the visitor to the login page (a session that ended shows the login, not a CSRF error).
        guard !req.isAPI, req.method == .POST, req.principal != nil || req.url.path == CommonPath.login.url else {
            return next.respond(to: req)
        }
        return req.eventLoop.makeFutureWithTask { try await Self.check(req) }.flatMap { next.respond(to: req) }
    }

    /// Refuses (403) a form whose token is missing or not the session's (the login form's: its cookie's).
    static func check(_ req: Request) async throws {
        // Larger forms arrive as a stream: collect them (up to the route size limit) before reading the token.
        _ = try await req.body.collect(max: BodyLimitMiddleware.limit(for: req.url.path)).get()
        struct Form: Decodable { var csrf: String? }
        let sent = (try? req.content.decode(Form.self))?.csrf
        // The login form: the token in its cookie; every other form: the session's.
        let expected = req.url.path == CommonPath.login.url ? req.cookies[CSRF.loginCookie]?.string : req.session.data["csrf"]
        guard let expected, let sent, !sent.isEmpty, constantTimeEquals(expected, sent) else {
            throw DomainError(.forbidden, "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã bảo vệ CSRF). Vui lòng tải lại trang và thử lại; dữ liệu chưa được lưu.")
        }
    }

    private static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
