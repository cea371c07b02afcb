import Fluent
import Foundation
import SQLKit
import ThiDuaCore
import Vapor

/// Failed-login counters, one row per key ("name:<user name>" for every name tried, known or not, and
/// "addr:<client address>"). Every change is one conditional statement, so parallel attempts are all counted
/// and only one of them at a time may verify a password for a name.
final class ThrottleRow: Model, @unchecked Sendable {
    static let schema = "login_throttle"
    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "failures") var failures: Int
    @Field(key: "next_allowed_millis") var nextAllowedMillis: Int64
    @Field(key: "window_start_millis") var windowStartMillis: Int64
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $key, $failures, $nextAllowedMillis, $windowStartMillis] }
}

struct CreateLoginThrottle: AsyncMigration {
    var name: String { "0012_create_login_throttle" }
    func prepare(on db: any Database) async throws {
        try await db.schema(ThrottleRow.schema)
            .id()
            .field("key", .string, .required)
            .field("failures", .int, .required)
            .field("next_allowed_millis", .int64, .required)
            .field("window_start_millis", .int64, .required)
            .unique(on: "key")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(ThrottleRow.schema).delete() }
}

enum LoginThrottleStore {
    static func nameKey(_ username: String) -> String { "name:" + String(username.prefix(80)) }
    static func addressKey(_ req: Request) -> String { "addr:" + ClientAddress.of(req) }

    private static func sql(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        return sql
    }

    /// The row exists afterwards (created with no failures if it did not).
    private static func ensure(_ key: String, now: Date, on db: any Database) async throws {
        try await sql(db).insert(into: ThrottleRow.schema)
            .columns("id", "key", "failures", "next_allowed_millis", "window_start_millis")
            .values(SQLBind(UUID()), SQLBind(key), SQLBind(0), SQLBind(Int64(0)), SQLBind(now.millis))
            .ignoringConflicts(with: "key")
            .run()
    }

    /// Takes the name's turn: succeeds only if its wait has passed (one statement), holding it for `hold` while the
    /// password is checked. Otherwise throws 429 with the moment it may try again.
    static func acquire(_ key: String, throttle: LoginThrottle, now: Date, on db: any Database) async throws {
        try await ensure(key, now: now, on: db)
        let taken = try await sql(db).update(ThrottleRow.schema)
            .set("next_allowed_millis", to: SQLBind(now.addingTimeInterval(throttle.hold).millis))
            .where("key", .equal, SQLBind(key))
            .where("next_allowed_millis", .lessThanOrEqual, SQLBind(now.millis))
            .returning("key").all()
        if taken.isEmpty { try await refuse(key, now: now, on: db) }
    }

    /// An address that has failed too often waits out its window (checked before any password is verified).
    static func checkAddress(_ key: String, now: Date, on db: any Database) async throws {
        guard let row = try await ThrottleRow.query(on: db).filter(\.$key == key).first(), row.nextAllowedMillis > now.millis else { return }
        try await refuse(key, now: now, on: db)
    }

    private static func refuse(_ key: String, now: Date, on db: any Database) async throws -> Never {
        let until = try await ThrottleRow.query(on: db).filter(\.$key == key).first().map { Date(millis: $0.nextAllowedMillis) } ?? now
        throw DomainError(.throttled, LoginThrottle.waitMessage(until: until, now: now),
                          retryAfter: LoginThrottle.seconds(until: until, now: now))
    }

    /// Counts a failure for the name (atomically) and sets its next turn after the throttle's delay.
    static func nameFailed(_ key: String, throttle: LoginThrottle, now: Date, on db: any Database) async throws {
        let rows = try await sql(db).update(ThrottleRow.schema)
            .set(SQLIdentifier("failures"), to: SQLBinaryExpression(SQLIdentifier("failures"), .add, SQLLiteral.numeric("1")))
            .where("key", .equal, SQLBind(key))
            .returning("failures").all()
        let failures = try rows.first?.decode(column: "failures", as: Int.self) ?? 1
        let next = now.addingTimeInterval(throttle.delay(afterFailures: failures))
        try await sql(db).update(ThrottleRow.schema)
            .set("next_allowed_millis", to: SQLBind(next.millis))
            .where("key", .equal, SQLBind(key))
            .run()
        // Counters nobody has touched for a day go: guessing random names cannot grow the table for long.
        let old = now.addingTimeInterval(-86_400).millis
        try await ThrottleRow.query(on: db).filter(\.$nextAllowedMillis < old).filter(\.$windowStartMillis < old).delete()
    }

    /// Counts a failure for the address in its window; at the limit it must wait the window out.
    static func addressFailed(_ key: String, throttle: LoginThrottle, now: Date, on db: any Database) async throws {
        try await ensure(key, now: now, on: db)
        // A window that has passed starts again.
        try await sql(db).update(ThrottleRow.schema)
            .set("failures", to: SQLBind(0)).set("window_start_millis", to: SQLBind(now.millis))
            .where("key", .equal, SQLBind(key))
            .where("window_start_millis", .lessThan, SQLBind(now.addingTimeInterval(-throttle.addressWindow).millis))
            .run()
        let rows = try await sql(db).update(ThrottleRow.schema)
            .set(SQLIdentifier("failures"), to: SQLBinaryExpression(SQLIdentifier("failures"), .add, SQLLiteral.numeric("1")))
            .where("key", .equal, SQLBind(key))
            .returning("failures", "window_start_millis").all()
        guard let row = rows.first else { return }
        let failures = try row.decode(column: "failures", as: Int.self)
        let start = Date(millis: try row.decode(column: "window_start_millis", as: Int64.self))
        if let until = throttle.addressWait(failures: failures, windowStart: start) {
            try await sql(db).update(ThrottleRow.schema)
                .set("next_allowed_millis", to: SQLBind(until.millis))
                .where("key", .equal, SQLBind(key))
                .run()
        }
    }

    /// The name starts afresh: after a correct password, or when the office lifts its wait.
    static func reset(_ key: String, on db: any Database) async throws {
        try await ThrottleRow.query(on: db).filter(\.$key == key).delete()
    }
}
