import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// A browser session as stored: its data, whose it is, when it began and was last seen.
final class SessionRow: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    /// The session's data as JSON (`{"uid": …, "csrf": …}`).
    @Field(key: "data") var data: String
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "created_millis") var createdMillis: Int64
    @Field(key: "last_seen_millis") var lastSeenMillis: Int64
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $key, $data, $userID, $createdMillis, $lastSeenMillis] }
}

struct CreateSessions: AsyncMigration {
    var name: String { "0011_create_sessions" }
    func prepare(on db: any Database) async throws {
        try await db.schema(SessionRow.schema)
            .id()
            .field("key", .string, .required)
            .field("data", .string, .required)
            .field("user_id", .uuid)
            .field("created_millis", .int64, .required)
            .field("last_seen_millis", .int64, .required)
            .unique(on: "key")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(SessionRow.schema).delete() }
}

/// Sessions in the database, written only when something happened: no row for a request that stores nothing
/// (a health check, an anonymous page, an API call), no write when the data did not change (the last-seen time is
/// refreshed at most every few minutes), and idle and absolute expiry enforced when a session is read, with ended
/// rows purged whenever a new session is stored. Several instances share them through the database.
struct ThiDuaSessions: SessionDriver {
    /// What the request's session held when it was read, to tell whether it changed.
    struct Loaded: StorageKey { typealias Value = SessionData }

    static func encode(_ data: SessionData) -> String {
        (try? String(decoding: JSONEncoder().encode(data.snapshot), as: UTF8.self)) ?? "{}"
    }

    static func decode(_ text: String) -> SessionData {
        SessionData(initialData: (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:])
    }

    func policy(_ req: Request) -> SessionPolicy { req.application.sessionPolicy }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        let id = SessionID(string: [UInt8].random(count: 32).base64URLEncoded)
        // Nothing to keep: no row (the cookie is dropped again by `SessionCookieMiddleware`).
        guard !data.snapshot.isEmpty else { return request.eventLoop.makeSucceededFuture(id) }
        let now = request.now
        let row = SessionRow()
        row.key = id.string; row.data = Self.encode(data); row.userID = data["uid"].flatMap(UUID.init(uuidString:))
        row.createdMillis = now.millis; row.lastSeenMillis = now.millis
        let cut = policy(request).purgeBefore(now: now)
        let db = request.db
        return request.eventLoop.makeFutureWithTask {
            try await row.create(on: db)
            // Ended sessions go whenever a new one starts, so the table holds live sessions only.
            try await SessionRow.query(on: db).group(.or) {
                $0.filter(\.$lastSeenMillis < cut.lastSeen.millis).filter(\.$createdMillis < cut.created.millis)
            }.delete()
            return id
        }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        let db = request.db, now = request.now, policy = policy(request)
        return request.eventLoop.makeFutureWithTask {
            // The row with its user and grants, in one query (`PrincipalMiddleware` then needs none).
            guard let row = try await PrincipalLoader.session(key: sessionID.string, on: db) else { return nil }
            let data = Self.decode(row.data)
            if policy.isExpired(createdAt: Date(millis: row.createdMillis), lastSeenAt: Date(millis: row.lastSeenMillis),
                                signedIn: row.signedIn, now: now) {
                try await SessionRow.query(on: db).filter(\.$key == sessionID.string).delete()
                return nil
            }
            if let principal = row.principal { request.storage[SessionPrincipalKey.self] = principal }
            if policy.needsTouch(lastSeenAt: Date(millis: row.lastSeenMillis), now: now) {
                try await SessionRow.query(on: db).filter(\.$key == sessionID.string).set(\.$lastSeenMillis, to: now.millis).update()
            }
            request.storage[Loaded.self] = data
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if let loaded = request.storage[Loaded.self], loaded == data { return request.eventLoop.makeSucceededFuture(sessionID) }
        let db = request.db, now = request.now
        return request.eventLoop.makeFutureWithTask {
            try await SessionRow.query(on: db).filter(\.$key == sessionID.string)
                .set(\.$data, to: Self.encode(data)).set(\.$userID, to: data["uid"].flatMap(UUID.init(uuidString:)))
                .set(\.$lastSeenMillis, to: now.millis).update()
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        let db = request.db
        return request.eventLoop.makeFutureWithTask {
            try await SessionRow.query(on: db).filter(\.$key == sessionID.string).delete()
        }
    }

    /// Ends every session of a user at once (disabled, password reset, a role revoked).
    static func end(userID: UUID, on db: any Database) async throws {
        try await SessionRow.query(on: db).filter(\.$userID == userID).delete()
    }
}

/// Keeps cookies honest around Vapor's sessions middleware: a response whose session holds nothing carries no
/// session cookie (and clears one the browser sent, whose session has ended).
struct SessionCookieMiddleware: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: req).map { res in
            if !req.hasSession || req.session.data.snapshot.isEmpty {
                if req.cookies[SessionCookie.name] != nil {
                    res.cookies[SessionCookie.name] = .expired
                } else {
                    res.cookies[SessionCookie.name] = nil
                }
            }
            return res
        }.flatMapError { error in
            // Reading or writing the session failed (the database away): the same Vietnamese answer as elsewhere,
            // an error page for a browser, never Vapor's English one.
            ThiDuaErrorMiddleware.answerFuture(error, req: req)
        }
    }
}

struct SessionPolicyKey: StorageKey { typealias Value = SessionPolicy }

extension Application {
    /// Session lifetimes (tests shorten them).
    var sessionPolicy: SessionPolicy {
        get { storage[SessionPolicyKey.self] ?? SessionPolicy() }
        set { storage[SessionPolicyKey.self] = newValue }
    }
}
