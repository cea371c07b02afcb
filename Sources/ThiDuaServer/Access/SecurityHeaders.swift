import Foundation
import Vapor

/// Headers every response carries (pages, API, static files and error pages alike), and the session cookie's
/// `Secure` flag when the request came over HTTPS.
///
/// The policy allows scripts, styles, images, fonts and form targets from this site only: no inline script or
/// style, no external origin, no framing.
struct SecurityHeadersMiddleware: Middleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
        "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
    ].joined(separator: "; ")

    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: req)
            // Only what fails outside the routes' own error handling reaches here (static files, the session store):
            // answer it without touching the session.
            .recover { error in ThiDuaErrorMiddleware.plain(error, req: req) }
            .map { res in Self.decorate(res, req: req) }
    }

    static func decorate(_ res: Response, req: Request) -> Response {
        if !res.headers.contains(name: "Content-Security-Policy") { res.headers.add(name: "Content-Security-Policy", value: contentSecurityPolicy) }
        res.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        res.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        res.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if isHTTPS(req), var cookie = res.cookies[SessionCookie.name] {
            cookie.isSecure = true
            res.cookies[SessionCookie.name] = cookie
        }
        return res
    }

    /// Over HTTPS: the server terminates TLS itself, `THIDUA_SECURE_COOKIES=1` says it always is, or the direct
    /// peer is one of `THIDUA_TRUSTED_PROXIES` and its `X-Forwarded-Proto` says `https` (from anyone else the
    /// header is ignored: a client could send it).
    static func isHTTPS(_ req: Request) -> Bool {
        if req.application.thiduaConfig.secureCookies || req.application.http.server.configuration.tlsConfiguration != nil { return true }
        guard ClientAddress.peerIsTrustedProxy(req) else { return false }
        return req.headers.first(name: "X-Forwarded-Proto")?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }
}

/// The client's address: the direct peer, or, when the peer is a trusted proxy, the address it forwarded
/// (the last `X-Forwarded-For` entry, the one that proxy added). Without this every user behind nginx would share
/// the proxy's address and its login limit.
enum ClientAddress {
    /// Whether the direct peer is one of `THIDUA_TRUSTED_PROXIES` (addresses or ranges; only then are its forwarded headers believed).
    static func peerIsTrustedProxy(_ req: Request) -> Bool {
        guard let peer = req.remoteAddress?.ipAddress else { return false }
        return req.application.thiduaConfig.metricsAccess.trustedProxies.contains { $0.contains(peer) }
    }

    static func of(_ req: Request) -> String {
        let peer = req.remoteAddress?.ipAddress ?? "unknown"
        guard peerIsTrustedProxy(req),
              let forwarded = req.headers.first(name: .xForwardedFor)?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
              !forwarded.isEmpty, forwarded.count <= 64 else { return peer }
        return forwarded
    }
}

enum SessionCookie {
    static let name = "thidua-session"
}
