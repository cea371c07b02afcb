import Foundation

/// Values written to the audit log for events that have no model snapshot of their own.
struct YearSnapshot: Codable, Sendable { var year: Int; var theme: String }
struct TokenIssue: Codable, Sendable { var user: String; var expiresAt: Date }
struct TokenRevocation: Codable, Sendable { var user: String; var revoked: Bool }
struct PasswordReset: Codable, Sendable { var username: String; var passwordReset: Bool }
