import Foundation

/// When a browser session ends, decided on the server (a cookie's own expiry is only a hint to the browser).
/// Pure: the store keeps `createdAt` and `lastSeenAt` and asks this type.
public struct SessionPolicy: Sendable, Equatable {
    /// A signed-in session unused this long ends.
    public var idle: TimeInterval
    /// Any session ends this long after it began, used or not.
    public var absolute: TimeInterval
    /// A session without a signed-in user (a login form's CSRF token) ends sooner.
    public var anonymousIdle: TimeInterval
    /// `lastSeenAt` is written at most this often: a session is not written on every request.
    public var touchInterval: TimeInterval

    public init(idle: TimeInterval = 12 * 3600, absolute: TimeInterval = 7 * 24 * 3600,
                anonymousIdle: TimeInterval = 3600, touchInterval: TimeInterval = 300) {
        self.idle = idle; self.absolute = absolute; self.anonymousIdle = anonymousIdle; self.touchInterval = touchInterval
    }

    /// Whether a session begun at `createdAt` and last seen at `lastSeenAt` has ended at `now`.
    public func isExpired(createdAt: Date, lastSeenAt: Date, signedIn: Bool, now: Date) -> Bool {
        if now.timeIntervalSince(createdAt) >= absolute { return true }
        return now.timeIntervalSince(lastSeenAt) >= (signedIn ? idle : anonymousIdle)
    }

    /// Whether this request should record that the session was seen (at most once per `touchInterval`).
    public func needsTouch(lastSeenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) >= touchInterval
    }

    /// Rows last seen before this moment have ended whoever they belong to (the purge's cut-off).
    public func purgeBefore(now: Date) -> (lastSeen: Date, created: Date) {
        (now.addingTimeInterval(-idle), now.addingTimeInterval(-absolute))
    }
}
