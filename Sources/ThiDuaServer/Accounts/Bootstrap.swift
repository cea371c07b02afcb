import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// On first start with an empty database, creates the `admin` office account with a random password
/// printed once. There is no default password.
enum Bootstrap {
    static func ensureAdmin(_ app: Application) async throws {
        guard try await User.query(on: app.db).count() == 0 else { return }
        let password = PasswordPolicy.random()
        let hash = try await AccountService.hash(password, app: app)
        let admin = User(username: "admin", fullName: "Quản trị hệ thống", email: nil, passwordHash: hash)
        // Printed once on the console: a one-time password, changed at the first login.
        admin.mustChangePassword = true
        try await AuditLog.write(on: app.db, actor: "hệ thống", now: app.clock.now(), key: app.auditKey) { db, audit in
            try await admin.create(on: db)
            let grant = RoleGrantModel(userID: try admin.requireID(), grant: RoleGrant(role: .office))
            try await grant.create(on: db)
            try await audit.created("user", admin.id, admin.snapshot)
            try await audit.created("role_grant", grant.id, GrantSnapshot(username: "admin", grant: grant.grant))
        }
        app.operatorConsole.announce("""
        ================================================================
         ThiDua: đã tạo tài khoản quản trị đầu tiên (vai trò văn phòng)
           Tên đăng nhập: admin
           Mật khẩu:      \(password)
         Mật khẩu này chỉ hiện MỘT lần. Hãy đăng nhập và đổi mật khẩu.
        ================================================================
        """)
    }
}
