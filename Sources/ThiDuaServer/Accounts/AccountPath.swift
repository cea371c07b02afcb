import Foundation

/// Every link, form action and redirect of user accounts.
enum AccountPath: SitePath {
    case users, newUser, user(UUID), disable(UUID), enable(UUID), password(UUID), grants(UUID), deleteGrant(UUID, grant: UUID)
    /// The signed-in user's own password.
    case ownPassword

    var segments: [String] {
        switch self {
        case .users: ["users"]
        case .newUser: ["users", "new"]
        case .user(let u): ["users", u.uuidString]
        case .disable(let u): ["users", u.uuidString, "disable"]
        case .enable(let u): ["users", u.uuidString, "enable"]
        case .password(let u): ["users", u.uuidString, "password"]
        case .grants(let u): ["users", u.uuidString, "grants"]
        case .deleteGrant(let u, let g): ["users", u.uuidString, "grants", g.uuidString, "delete"]
        case .ownPassword: ["account", "password"]
        }
    }
}
