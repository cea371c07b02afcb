import Fluent
import Foundation
import ThiDuaCore
import Vapor

struct PrincipalKey: StorageKey { typealias Value = Principal }
struct CurrentUserKey: StorageKey { typealias Value = UserSnapshot }
struct TokenFailureKey: StorageKey { typealias Value = String }

extension Request {
    /// The signed-in user, if any (set by `PrincipalMiddleware`).
    var principal: Principal? { storage[PrincipalKey.self] }
    var currentUser: UserSnapshot? { storage[CurrentUserKey.self] }

    /// The signed-in user, or 401.
    func requirePrincipal() throws -> Principal {
        guard let p = principal else { throw DomainError(.unauthenticated, "Bạn cần đăng nhập.") }
        return p
    }

    /// The actor name written to the audit log.
    var actorName: String { principal?.username ?? "ẩn danh" }

    /// Runs `body` in a transaction that also appends the audit entries it records.
    func audited<T: Sendable>(_ body: @Sendable @escaping (any Database, AuditLog) async throws -> T) async throws -> T {
        try await AuditLog.write(on: db, actor: actorName, now: now, key: application.auditKey, body)
    }

    var isAPI: Bool { url.path.hasPrefix("/api/") }
}

/// The SHA-256 of a bearer token, as stored.
func tokenDigest(_ token: String) -> String {
    SHA256Digest.hex(token)
}

/// Finds who is asking: the session cookie for pages, `Authorization: Bearer` for `/api/`.
struct PrincipalMiddleware: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if req.isAPI {
            // No bearer token: nobody to look up, no task, no query.
            guard let bearer = req.headers.bearerAuthorization else { return next.respond(to: req) }
            return req.eventLoop.makeFutureWithTask { try await Self.identify(bearer: bearer.token, req) }.flatMap { next.respond(to: req) }
        }
        // Only a request that carries the session cookie opens its session: touching it otherwise makes a new
        // (empty) session and its cookie work on every cookie-less request.
        guard req.cookies[SessionCookie.name] != nil, let raw = req.session.data["uid"], let uid = UUID(uuidString: raw) else {
            return next.respond(to: req)
        }
        // The session's read found its user (the same query); one whose user changed since is looked up again.
        if let loaded = req.storage[SessionPrincipalKey.self], loaded.principal.userID == uid {
            Self.set(loaded, on: req)
            return next.respond(to: req)
        }
        return req.eventLoop.makeFutureWithTask {
            if let loaded = try await PrincipalLoader.load(userID: uid, on: req.db) {
                Self.set(loaded, on: req)
            } else {
                req.session.data["uid"] = nil
            }
        }.flatMap { next.respond(to: req) }
    }

    static func set(_ loaded: PrincipalLoader.Loaded, on req: Request) {
        req.storage[PrincipalKey.self] = loaded.principal
        req.storage[CurrentUserKey.self] = loaded.user
    }

    /// Sets the request's principal from its bearer token, or notes why not (the 401's reason).
    static func identify(bearer: String, _ req: Request) async throws {
        guard let token = try await PrincipalLoader.token(digest: tokenDigest(bearer), on: req.db) else {
            req.storage[TokenFailureKey.self] = "Mã truy cập không hợp lệ."
            return
        }
        if token.revoked {
            req.storage[TokenFailureKey.self] = "Mã truy cập đã bị thu hồi."
        } else if token.expiresAt <= req.now {
            req.storage[TokenFailureKey.self] = "Mã truy cập đã hết hạn; hãy xin mã mới tại /api/v1/auth/token."
        } else if let loaded = token.principal {
            set(loaded, on: req)
        } else {
            req.storage[TokenFailureKey.self] = "Tài khoản đã bị vô hiệu hóa."
        }
    }
}

/// Enforces a route's `RoutePolicy` before its handler runs.
struct PolicyMiddleware: Middleware {
    let policy: RoutePolicy

    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        do {
            switch try decide(req) {
            case .pass: return next.respond(to: req)
            case .answer(let res): return req.eventLoop.makeSucceededFuture(res)
            }
        } catch {
            return req.eventLoop.makeFailedFuture(error)
        }
    }

    enum Decision { case pass, answer(Response) }

    /// Whether the request may reach the route; a sign-in redirect for a visitor to a page; throws 401/403 otherwise.
    func decide(_ req: Request) throws -> Decision {
        if policy == .monitoring {
            let decision = req.application.thiduaConfig.metricsAccess.decide(
                peer: req.remoteAddress?.ipAddress, forwardedFor: req.headers.first(name: .xForwardedFor),
                bearer: req.headers.bearerAuthorization?.token)
            guard decision != .refused else {
                throw DomainError.forbidden("Chỉ hệ thống giám sát được đọc địa chỉ này (THIDUA_METRICS_ALLOW hoặc THIDUA_METRICS_TOKEN).")
            }
            return .pass
        }
        let principal = req.principal
        if policy.allows(principal) { return .pass }
        if principal == nil {
            if req.isAPI {
                throw DomainError(.unauthenticated, req.storage[TokenFailureKey.self] ?? "Cần gửi kèm mã truy cập (Authorization: Bearer …).")
            }
            let next = req.url.path + (req.url.query.map { "?" + $0 } ?? "")
            return .answer(req.redirect(to: CommonPath.login.url([("next", LocalPath.safe(next))])))
        }
        throw DomainError.forbidden("Vai trò của bạn không được phép dùng chức năng này.")
    }
}

/// The policy every route carries in its `userInfo`; the route matrix test reads it.
let routePolicyKey = "thidua.policy"

extension RoutesBuilder {
    /// Registers a route with the roles allowed to call it. Every route of ThiDua goes through here.
    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., policy: RoutePolicy,
        body: HTTPBodyStreamStrategy = .collect,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(method, path, policy: policy, body: body, use: handler)
    }

    /// The same, with the path as an array (routes built in a loop).
    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: [PathComponent], policy: RoutePolicy,
        body: HTTPBodyStreamStrategy = .collect,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = self.grouped(PolicyMiddleware(policy: policy)).on(method, path, body: body, use: handler)
        route.userInfo[AnySendableHashable(routePolicyKey)] = policy
        return route
    }
}

extension Route {
    /// The policy declared for this route, if any.
    var policy: RoutePolicy? { userInfo[AnySendableHashable(routePolicyKey)] as? RoutePolicy }
}
