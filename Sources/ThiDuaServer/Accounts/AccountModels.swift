import Fluent
import Foundation
import ThiDuaCore

/// A person who signs in. Passwords are bcrypt hashes; the account can be disabled, and it is locked
/// for a while after repeated failed logins.
final class User: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "full_name") var fullName: String
    @OptionalField(key: "email") var email: String?
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "disabled") var disabled: Bool
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "is_demo") var isDemo: Bool
    /// Set when the office gave the password (a new account, a reset): it works once, to choose one's own.
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Field(key: "search_text") var searchText: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $username, $fullName, $email, $passwordHash, $disabled, $failedLogins, $lockedUntil, $isDemo, $mustChangePassword, $searchText, $createdAt]
    }
    init(username: String, fullName: String, email: String?, passwordHash: String, isDemo: Bool = false) {
        self.username = username
        self.fullName = fullName
        self.email = email
        self.passwordHash = passwordHash
        self.disabled = false
        self.failedLogins = 0
        self.isDemo = isDemo
        self.mustChangePassword = false
        self.searchText = VietnameseText.searchKey(username + " " + fullName)
    }

    /// What the audit log and the API show of a user (never the hash).
    var snapshot: UserSnapshot {
        UserSnapshot(id: id, username: username, fullName: fullName, email: email, disabled: disabled, mustChangePassword: mustChangePassword ? true : nil)
    }
}

struct UserSnapshot: Codable, Sendable {
    var id: UUID?
    var username: String
    var fullName: String
    var email: String?
    var disabled: Bool
    /// Present (true) only while the account's password is a one-time one.
    var mustChangePassword: Bool?
}

/// One scoped role of a user.
final class RoleGrantModel: Model, @unchecked Sendable {
    static let schema = "role_grants"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "role") var role: String
    @OptionalField(key: "unit_id") var unitID: UUID?
    @OptionalField(key: "bloc_id") var blocID: UUID?
    @OptionalField(key: "year") var year: Int?

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $userID, $role, $unitID, $blocID, $year] }
    init(userID: UUID, grant: RoleGrant) {
        self.userID = userID
        self.role = grant.role.rawValue
        self.unitID = grant.unitID
        self.blocID = grant.blocID
        self.year = grant.year
    }

    var grant: RoleGrant? {
        RoleKind(rawValue: role).map { RoleGrant(role: $0, unitID: unitID, blocID: blocID, year: year) }
    }
}

/// A bearer token for the API. Only its SHA-256 is stored; it expires and can be revoked.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $userID, $tokenHash, $expiresAt, $revokedAt, $createdAt] }
    init(userID: UUID, tokenHash: String, expiresAt: Date) {
        self.userID = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}

struct CreateUsers: AsyncMigration {
    var name: String { "0001_create_users" }
    func prepare(on db: any Database) async throws {
        try await db.schema(User.schema)
            .id()
            .field("username", .string, .required)
            .field("full_name", .string, .required)
            .field("email", .string)
            .field("password_hash", .string, .required)
            .field("disabled", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("is_demo", .bool, .required)
            .field("search_text", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(User.schema).delete() }
}

struct CreateAPITokens: AsyncMigration {
    var name: String { "0003_create_api_tokens" }
    func prepare(on db: any Database) async throws {
        try await db.schema(APIToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(APIToken.schema).delete() }
}

/// Passwords the office gives are one-time: the account must choose its own at the next login.
struct AddMustChangePassword: AsyncMigration {
    var name: String { "0014_users_must_change_password" }
    func prepare(on db: any Database) async throws {
        try await db.schema(User.schema).field("must_change_password", .bool, .required, .sql(.default(false))).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(User.schema).deleteField("must_change_password").update()
    }
}
