import Foundation

/// After `maxFailures` failed logins for one user name the account is locked for `lockDuration`.
/// Pure: the server stores `failures` and `lockedUntil` on the user and asks this type what to do.
public struct LoginLockout: Sendable {
    public var maxFailures: Int
    public var lockDuration: TimeInterval

    public init(maxFailures: Int = 5, lockDuration: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.lockDuration = lockDuration
    }

    /// The state of one account's login counter.
    public struct State: Sendable, Equatable {
        public var failures: Int
        public var lockedUntil: Date?
        public init(failures: Int, lockedUntil: Date?) {
            self.failures = failures
            self.lockedUntil = lockedUntil
        }
    }

    /// Whether the account is locked at `now`; nil when it is not.
    public func lockMessage(_ state: State, now: Date) -> String? {
        guard let until = state.lockedUntil, until > now else { return nil }
        let minutes = Int((until.timeIntervalSince(now) / 60).rounded(.up))
        return "Tài khoản tạm khóa do đăng nhập sai \(maxFailures) lần. Vui lòng thử lại sau \(minutes) phút (lúc \(VietnameseFormat.dateTime(until)))."
    }

    /// The state after a failed attempt.
    public func afterFailure(_ state: State, now: Date) -> State {
        // A lock that has expired starts a fresh count.
        var failures = state.failures
        if let until = state.lockedUntil, until <= now { failures = 0 }
        failures += 1
        if failures >= maxFailures {
            return State(failures: failures, lockedUntil: now.addingTimeInterval(lockDuration))
        }
        return State(failures: failures, lockedUntil: nil)
    }

    /// The state after a successful login.
    public func afterSuccess() -> State { State(failures: 0, lockedUntil: nil) }
}
