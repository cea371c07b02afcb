import Crypto
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
    SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
}

enum PrincipalLoader {
    /// The principal of an enabled user, with all their grants.
    static func load(userID: UUID, on db: any Database) async throws -> (Principal, UserSnapshot)? {
        guard let user = try await User.find(userID, on: db), !user.disabled else { return nil }
        let grants = try await RoleGrantModel.query(on: db).filter(\.$userID == userID).all().compactMap(\.grant)
        return (Principal(userID: userID, username: user.username, grants: grants), user.snapshot)
    }
}

/// Finds who is asking: the session cookie for pages, `Authorization: Bearer` for `/api/`.
struct PrincipalMiddleware: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // Nobody to look up (no bearer token on the API, no session cookie on a page): no task, no query.
        let asks = req.isAPI ? req.headers.bearerAuthorization != nil : req.cookies[SessionCookie.name] != nil
        guard asks else { return next.respond(to: req) }
        return req.eventLoop.makeFutureWithTask { try await Self.identify(req) }.flatMap { next.respond(to: req) }
    }

    /// Sets the request's principal from its bearer token (API) or its session (pages), or notes why not.
    static func identify(_ req: Request) async throws {
        if req.isAPI {
            if let bearer = req.headers.bearerAuthorization {
                let now = req.now
                if let token = try await APIToken.query(on: req.db).filter(\.$tokenHash == tokenDigest(bearer.token)).first() {
                    if token.revokedAt != nil {
                        req.storage[TokenFailureKey.self] = "Mã truy cập đã bị thu hồi."
                    } else if token.expiresAt <= now {
                        req.storage[TokenFailureKey.self] = "Mã truy cập đã hết hạn; hãy xin mã mới tại /api/v1/auth/token."
                    } else if let (p, u) = try await PrincipalLoader.load(userID: token.userID, on: req.db) {
                        req.storage[PrincipalKey.self] = p
                        req.storage[CurrentUserKey.self] = u
                    } else {
                        req.storage[TokenFailureKey.self] = "Tài khoản đã bị vô hiệu hóa."
                    }
                } else {
                    req.storage[TokenFailureKey.self] = "Mã truy cập không hợp lệ."
                }
            }
        } else if req.cookies[SessionCookie.name] != nil, let raw = req.session.data["uid"], let uid = UUID(uuidString: raw) {
            // Only a request that carries the session cookie opens its session: touching it otherwise makes a new
            // (empty) session and its cookie work on every cookie-less request.
            if let (p, u) = try await PrincipalLoader.load(userID: uid, on: req.db) {
                req.storage[PrincipalKey.self] = p
                req.storage[CurrentUserKey.self] = u
            } else {
                req.session.data["uid"] = nil
            }
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
        let route = self.grouped(PolicyMiddleware(policy: policy)).on(method, path, body: body, use: handler)
        route.userInfo[AnySendableHashable(routePolicyKey)] = policy
        return route
    }
}

extension Route {
    /// The policy declared for this route, if any.
    var policy: RoutePolicy? { userInfo[AnySendableHashable(routePolicyKey)] as? RoutePolicy }
}
