import Foundation

/// How failed logins slow down the next attempt, without ever locking an account an attacker could then keep
/// locked. Pure: the store counts failures atomically per key (a user name, known or not, and a client address)
/// and asks this type how long the next attempt must wait.
///
/// Per name: the first `freeFailures` cost nothing; then the wait doubles from `baseDelay` up to `maxDelay`.
/// One attempt at a time per name (`hold`): a hundred parallel guesses get one verification, the rest wait.
/// Per address: `addressLimit` failures within `addressWindow` and that address waits out the window (an office's
/// NAT shares one address: the limit is generous; behind a proxy the forwarded address counts).
public struct LoginThrottle: Sendable, Equatable {
    public var freeFailures: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    public var hold: TimeInterval
    public var addressLimit: Int
    public var addressWindow: TimeInterval

    public init(freeFailures: Int = 3, baseDelay: TimeInterval = 2, maxDelay: TimeInterval = 15 * 60, hold: TimeInterval = 2,
                addressLimit: Int = 100, addressWindow: TimeInterval = 15 * 60) {
        self.freeFailures = freeFailures; self.baseDelay = baseDelay; self.maxDelay = maxDelay; self.hold = hold
        self.addressLimit = addressLimit; self.addressWindow = addressWindow
    }

    /// The wait after `failures` consecutive failures for one name (0 while they are free).
    public func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures > freeFailures else { return 0 }
        // Bounded exponent: 2^20 × base already passes any sensible maximum, and no shift or power overflows.
        let exponent = min(failures - freeFailures - 1, 20)
        return min(baseDelay * Double(1 << exponent), maxDelay)
    }

    /// After the address's `failures` within its window: the moment it may try again, if it must wait.
    public func addressWait(failures: Int, windowStart: Date) -> Date? {
        failures >= addressLimit ? windowStart.addingTimeInterval(addressWindow) : nil
    }

    /// The one answer for every refused attempt: unknown name, wrong password and disabled account look alike.
    public static let wrongCredentials = "Tên đăng nhập hoặc mật khẩu không đúng."

    /// Whole seconds to wait (1 s to a day: a `Retry-After` value; no conversion of an unbounded Double).
    public static func seconds(until: Date, now: Date) -> Int {
        let t = until.timeIntervalSince(now)
        guard t.isFinite else { return 1 }
        return Int(t.rounded(.up).clamped(to: 1...86_400))
    }

    /// "Vui lòng thử lại sau 8 giây." / "… sau 4 phút."
    public static func waitMessage(until: Date, now: Date) -> String {
        let seconds = seconds(until: until, now: now)
        let wait = seconds < 120 ? "\(seconds) giây" : "\(Int((Double(seconds) / 60).rounded(.up))) phút"
        return "Đăng nhập sai nhiều lần: vui lòng thử lại sau \(wait) (lúc \(VietnameseFormat.dateTime(until)))."
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
