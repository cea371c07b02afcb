import Fluent
import Foundation
import SQLKit
import ThiDuaCore
import Vapor

/// Who is asking, read in one query a request: the session row (pages) or the API token, joined with its user and
/// the user's grants. Before, a signed-in page paid three Fluent queries for this (session, user, grants), each
/// decoding its models through reflection, before the page's own work began.
enum PrincipalLoader {
    /// A session as stored, with the principal of its user when that user exists and is enabled.
    struct SessionRead: Sendable {
        var data: String
        var createdMillis: Int64
        var lastSeenMillis: Int64
        var signedIn: Bool
        var principal: Loaded?
    }

    /// An API token as stored, with the principal of its user when that user exists and is enabled.
    struct TokenRead: Sendable {
        var revoked: Bool
        var expiresAt: Date
        var principal: Loaded?
    }

    struct Loaded: Sendable {
        var principal: Principal
        var user: UserSnapshot
    }

    /// The user's columns and grants every read below selects, after its own.
    private static let userColumns = """
        u.id AS u_id, u.username AS u_username, u.full_name AS u_full_name, u.email AS u_email, u.disabled AS u_disabled,
        u.must_change_password AS u_must_change, g.role AS g_role, g.unit_id AS g_unit, g.bloc_id AS g_bloc, g.year AS g_year
        """

    /// The session `key`, or nil when there is none.
    static func session(key: String, on db: any Database) async throws -> SessionRead? {
        let sql = try db.sql()
        let rows = try await sql.raw("""
            SELECT s.data AS s_data, s.created_millis AS s_created, s.last_seen_millis AS s_seen, s.user_id AS s_user, \(unsafeRaw: userColumns)
            FROM sessions s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN role_grants g ON g.user_id = u.id
            WHERE s."key" = \(bind: key)
            """).all()
        guard let first = rows.first else { return nil }
        return SessionRead(data: try first.decode(column: "s_data", as: String.self),
                           createdMillis: try first.decode(column: "s_created", as: Int64.self),
                           lastSeenMillis: try first.decode(column: "s_seen", as: Int64.self),
                           signedIn: try first.decode(column: "s_user", as: UUID?.self) != nil,
                           principal: try principal(rows))
    }

    /// The API token whose SHA-256 is `digest`, or nil when there is none.
    static func token(digest: String, on db: any Database) async throws -> TokenRead? {
        let sql = try db.sql()
        let rows = try await sql.raw("""
            SELECT t.revoked_at AS t_revoked, t.expires_at AS t_expires, \(unsafeRaw: userColumns)
            FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id LEFT JOIN role_grants g ON g.user_id = u.id
            WHERE t.token_hash = \(bind: digest)
            """).all()
        guard let first = rows.first else { return nil }
        return TokenRead(revoked: try first.decode(column: "t_revoked", as: Date?.self) != nil,
                         expiresAt: try first.decode(column: "t_expires", as: Date.self),
                         principal: try principal(rows))
    }

    /// The principal of an enabled user, with all their grants.
    static func load(userID: UUID, on db: any Database) async throws -> Loaded? {
        let sql = try db.sql()
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: userColumns) FROM users u LEFT JOIN role_grants g ON g.user_id = u.id WHERE u.id = \(bind: userID)
            """).all()
        return try principal(rows)
    }

    /// The user of `rows` (one row per grant, or one row without a grant), nil when missing or disabled.
    /// A grant whose role this version does not know is left out, as the model's `grant` does.
    private static func principal(_ rows: [any SQLRow]) throws -> Loaded? {
        guard let first = rows.first, let id = try first.decode(column: "u_id", as: UUID?.self),
              try !first.decode(column: "u_disabled", as: Bool.self) else { return nil }
        let username = try first.decode(column: "u_username", as: String.self)
        var grants: [RoleGrant] = []
        for r in rows {
            guard let role = try r.decode(column: "g_role", as: String?.self).flatMap(RoleKind.init(rawValue:)) else { continue }
            grants.append(RoleGrant(role: role, unitID: try r.decode(column: "g_unit", as: UUID?.self),
                                    blocID: try r.decode(column: "g_bloc", as: UUID?.self), year: try r.decode(column: "g_year", as: Int?.self)))
        }
        let mustChange = try first.decode(column: "u_must_change", as: Bool.self)
        let user = UserSnapshot(id: id, username: username, fullName: try first.decode(column: "u_full_name", as: String.self),
                                email: try first.decode(column: "u_email", as: String?.self), disabled: false,
                                mustChangePassword: mustChange ? true : nil)
        return Loaded(principal: Principal(userID: id, username: username, grants: grants), user: user)
    }
}

/// The principal the session's read found with it, for `PrincipalMiddleware` (no second query).
struct SessionPrincipalKey: StorageKey { typealias Value = PrincipalLoader.Loaded }
