import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// Sign-in, tokens and account management, shared by the pages and the API.
enum AccountService {

    static func hash(_ password: String, app: Application) async throws -> String {
        let cost = app.thiduaConfig.bcryptCost
        return try await app.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    static func verify(_ password: String, hash: String, app: Application) async throws -> Bool {
        // bcrypt ignores bytes past 72: refuse such passwords instead of comparing a prefix.
        guard password.utf8.count <= PasswordPolicy.maximumBytes else { return false }
        return try await app.threadPool.runIfActive { (try? Bcrypt.verify(password, created: hash)) ?? false }
    }

    /// Checks a user name and password. Unknown name, wrong password and disabled account get one answer (the
    /// disabled state is told only after a correct password); failures slow the next attempt down per name and
    /// per client address (`LoginThrottle`), counted atomically; no lock that an attacker could hold.
    static func authenticate(username rawUsername: String, password: String, req: Request) async throws -> User {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        guard !username.isEmpty, !password.isEmpty else {
            throw DomainError(.unauthenticated, "Hãy nhập tên đăng nhập và mật khẩu.")
        }
        let throttle = req.application.loginThrottle
        let now = req.now
        let nameKey = LoginThrottleStore.nameKey(username), addressKey = LoginThrottleStore.addressKey(req)
        do {
            try await LoginThrottleStore.checkAddress(addressKey, now: now, on: req.db)
            try await LoginThrottleStore.acquire(nameKey, throttle: throttle, now: now, on: req.db)
        } catch let e as DomainError where e.kind == .throttled {
            ThiDuaMetrics.throttledLogins.increment()
            throw e
        }
        let user = try await User.query(on: req.db).filter(\.$username == username).first()
        let correct = try await verify(password, hash: user?.passwordHash ?? req.application.decoyHash, app: req.application)
        guard let user, correct else {
            try await LoginThrottleStore.nameFailed(nameKey, throttle: throttle, now: now, on: req.db)
            try await LoginThrottleStore.addressFailed(addressKey, throttle: throttle, now: now, on: req.db)
            ThiDuaMetrics.failedLogins.increment()
            throw DomainError(.unauthenticated, LoginThrottle.wrongCredentials)
        }
        try await LoginThrottleStore.reset(nameKey, on: req.db)
        if user.disabled {
            ThiDuaMetrics.failedLogins.increment()
            throw DomainError(.forbidden, "Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ Ban Thi đua – Khen thưởng.")
        }
        ThiDuaMetrics.logins.increment()
        return user
    }

    /// A signed-in user chooses a new password: the current one is required (and throttled like a login), the
    /// policy of the foundation applies, and every other session and every API token of the user ends.
    static func changeOwnPassword(current: String?, new: String?, confirm: String?, keepSession: SessionID?, req: Request) async throws {
        let p = try req.requirePrincipal()
        guard let user = try await User.find(p.userID, on: req.db) else { throw DomainError.notFound() }
        guard let new, !new.isEmpty else { throw DomainError.invalid("Hãy nhập mật khẩu mới.", field: "newPassword") }
        if let confirm, confirm != new { throw DomainError.invalid("Mật khẩu nhập lại không khớp.", field: "confirmPassword") }
        do {
            _ = try await authenticate(username: user.username, password: current ?? "", req: req)
        } catch let e as DomainError where e.kind == .unauthenticated {
            throw DomainError.invalid("Mật khẩu hiện tại không đúng.", field: "currentPassword")
        }
        if new == current { throw DomainError.invalid("Mật khẩu mới phải khác mật khẩu hiện tại.", field: "newPassword") }
        do { try PasswordPolicy.check(new) } catch let e as DomainError { throw DomainError.invalid(e.reason, field: "newPassword") }
        user.passwordHash = try await hash(new, app: req.application)
        user.mustChangePassword = false
        let now = req.now, userID = try user.requireID()
        try await req.audited { db, audit in
            try await user.save(on: db)
            var others = SessionRow.query(on: db).filter(\.$userID == userID)
            if let keep = keepSession { others = others.filter(\.$key != keep.string) }
            try await others.delete()
            try await APIToken.query(on: db).filter(\.$userID == userID).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
            try await audit.record("user", user.id, "change_password", old: Optional<PasswordReset>.none, new: PasswordReset(username: user.username, passwordReset: false))
        }
    }

    /// The office lifts the wait that failed logins put on a user name.
    static func liftThrottle(_ user: User, req: Request) async throws {
        let key = LoginThrottleStore.nameKey(user.username)
        try await req.audited { db, audit in
            try await LoginThrottleStore.reset(key, on: db)
            try await audit.record("user", user.id, "lift_login_wait", old: Optional<PasswordReset>.none, new: PasswordReset(username: user.username, passwordReset: false))
        }
    }

    /// A new bearer token for `user`; the clear token is returned once, only its hash is kept.
    static func issueToken(for user: User, req: Request) async throws -> (String, Date) {
        let token = [UInt8].random(count: 32).base64URLEncoded
        let expires = req.now.addingTimeInterval(req.application.thiduaConfig.tokenLifetime)
        let model = APIToken(userID: try user.requireID(), tokenHash: tokenDigest(token), expiresAt: expires)
        try await req.audited { db, audit in
            try await model.create(on: db)
            try await audit.created("api_token", model.id, TokenIssue(user: user.username, expiresAt: expires))
        }
        return (token, expires)
    }

    /// Input for a new account.
    struct NewUser: Content {
        var username: String?
        var fullName: String?
        var email: String?
        var password: String?
    }

    /// Creates an account; when no password is given a random one is made and returned.
    static func create(_ input: NewUser, req: Request) async throws -> (User, String) {
        let username = try Validate.username(input.username)
        let fullName = try Validate.name(input.fullName, field: "fullName", label: "Họ và tên", maxLength: 120)
        let email = try Validate.email(input.email)
        let password = (input.password ?? "").isEmpty ? PasswordPolicy.random() : input.password!
        try PasswordPolicy.check(password)
        if try await User.query(on: req.db).filter(\.$username == username).first() != nil {
            throw DomainError.conflict("Tên đăng nhập “\(username)” đã có người dùng.")
        }
        let user = User(username: username, fullName: fullName, email: email, passwordHash: try await hash(password, app: req.application))
        // The office knows this password: it works once, to choose one's own.
        user.mustChangePassword = true
        try await req.audited { db, audit in
            try await user.create(on: db)
            try await audit.created("user", user.id, user.snapshot)
        }
        return (user, password)
    }

    static func find(_ req: Request, param: String = "userID") async throws -> User {
        guard let id = req.parameters.get(param, as: UUID.self), let user = try await User.find(id, on: req.db) else {
            throw DomainError.notFound("Không tìm thấy tài khoản.")
        }
        return user
    }

    /// Disables or enables an account. Disabling also revokes its API tokens and ends its sessions' access.
    static func setDisabled(_ user: User, _ disabled: Bool, req: Request) async throws {
        let principal = try req.requirePrincipal()
        if disabled && user.id == principal.userID {
            throw DomainError.conflict("Bạn không thể tự vô hiệu hóa tài khoản của mình.")
        }
        guard user.disabled != disabled else { return }
        let old = user.snapshot
        user.disabled = disabled
        let now = req.now
        try await req.audited { db, audit in
            try await user.save(on: db)
            if disabled { try await endAccess(of: user.requireID(), now: now, on: db) }
            try await audit.record("user", user.id, disabled ? "disable" : "enable", old: old, new: user.snapshot)
        }
    }

    /// Ends a user's access at once: every browser session is deleted and every API token revoked.
    static func endAccess(of userID: UUID, now: Date, on db: any Database) async throws {
        try await ThiDuaSessions.end(userID: userID, on: db)
        try await APIToken.query(on: db).filter(\.$userID == userID).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
    }

    /// Sets a new password (given, or random) and clears the lock.
    static func resetPassword(_ user: User, newPassword: String?, req: Request) async throws -> String {
        let password = (newPassword ?? "").isEmpty ? PasswordPolicy.random() : newPassword!
        try PasswordPolicy.check(password)
        user.passwordHash = try await hash(password, app: req.application)
        user.failedLogins = 0
        user.lockedUntil = nil
        // A one-time password: the office never learns the one the user chooses next.
        user.mustChangePassword = true
        let now = req.now
        try await req.audited { db, audit in
            try await user.save(on: db)
            // Whoever knew the old password is signed out everywhere, browsers and API clients alike.
            try await endAccess(of: user.requireID(), now: now, on: db)
            try await audit.record("user", user.id, "reset_password", old: Optional<PasswordReset>.none, new: PasswordReset(username: user.username, passwordReset: true))
        }
        return password
    }

    /// Input for a role grant.
    struct GrantInput: Content {
        var role: String?
        var unitID: String?
        var blocID: String?
        var year: Int?
    }

    static func grant(_ input: GrantInput, to user: User, req: Request) async throws -> RoleGrantModel {
        guard let role = input.role.flatMap(RoleKind.init(rawValue:)) else {
            throw DomainError.invalid("Vai trò không hợp lệ.", field: "role")
        }
        let unitID = input.unitID.flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
        let blocID = input.blocID.flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
        let grant = try RoleGrant(role: role, unitID: unitID, blocID: blocID, year: input.year).validated()
        if let u = grant.unitID, try await Unit.find(u, on: req.db) == nil { throw DomainError.invalid("Không tìm thấy đơn vị.", field: "unitID") }
        if let b = grant.blocID, try await Bloc.find(b, on: req.db) == nil { throw DomainError.invalid("Không tìm thấy khối thi đua.", field: "blocID") }
        let userID = try user.requireID()
        let existing = try await RoleGrantModel.query(on: req.db).filter(\.$userID == userID).all().compactMap(\.grant)
        if existing.contains(grant) { throw DomainError.conflict("Tài khoản đã có vai trò này.") }
        let model = RoleGrantModel(userID: userID, grant: grant)
        try await req.audited { db, audit in
            try await model.create(on: db)
            try await audit.created("role_grant", model.id, GrantSnapshot(username: user.username, grant: grant))
        }
        return model
    }

    static func revoke(grantID: UUID?, of user: User, req: Request) async throws {
        guard let grantID, let model = try await RoleGrantModel.find(grantID, on: req.db), model.userID == user.id else {
            throw DomainError.notFound("Không tìm thấy vai trò cần thu hồi.")
        }
        let principal = try req.requirePrincipal()
        if model.role == RoleKind.office.rawValue, user.id == principal.userID {
            throw DomainError.conflict("Bạn không thể tự thu hồi vai trò văn phòng của mình.")
        }
        let snap = GrantSnapshot(username: user.username, grant: model.grant)
        let now = req.now
        try await req.audited { db, audit in
            try await model.delete(on: db)
            // A role taken away ends the sessions and tokens that carried it (one's own are kept: it is still signed in).
            if user.id != principal.userID { try await endAccess(of: user.requireID(), now: now, on: db) }
            try await audit.deleted("role_grant", grantID, snap)
        }
    }
}

struct GrantSnapshot: Codable, Sendable {
    var username: String
    var grant: RoleGrant?
}
