import Foundation
import ThiDuaCore
import NIOConcurrencyHelpers
import Vapor

/// The time source. Tests swap in a clock they can move forward (token expiry, lockout).
public protocol AppClock: Sendable {
    func now() -> Date
}

public struct SystemClock: AppClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until told to move (tests).
public final class ManualClock: AppClock, @unchecked Sendable {
    private let lock = NIOLock()
    private var current: Date
    public init(_ start: Date) { current = start }
    public func now() -> Date { lock.withLock { current } }
    public func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// Where the server writes things an operator must read once (the first admin password, demo accounts).
public protocol OperatorConsole: Sendable {
    func announce(_ text: String)
}

public struct StandardOutputConsole: OperatorConsole {
    public init() {}
    public func announce(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

/// Collects announcements (tests).
public final class CapturingConsole: OperatorConsole, @unchecked Sendable {
    private let lock = NIOLock()
    private var lines: [String] = []
    public init() {}
    public func announce(_ text: String) { lock.withLock { lines.append(text) } }
    public var text: String { lock.withLock { lines.joined(separator: "\n") } }
}

struct AppConfigKey: StorageKey { typealias Value = AppConfig }
struct AuditKeyKey: StorageKey { typealias Value = AuditKey }
struct CatalogueKey: StorageKey { typealias Value = Catalogue }
struct EvaluatorKey: StorageKey { typealias Value = EligibilityEvaluator }
struct AppClockKey: StorageKey { typealias Value = any AppClock }
struct OperatorConsoleKey: StorageKey { typealias Value = any OperatorConsole }
struct LoginThrottleKey: StorageKey { typealias Value = LoginThrottle }
struct DecoyHashKey: StorageKey { typealias Value = String }

extension Application {
    public var thiduaConfig: AppConfig {
        get { storage[AppConfigKey.self]! }
        set { storage[AppConfigKey.self] = newValue }
    }
    /// The award catalogue in force: the shipped one plus the files named in `THIDUA_CATALOG`.
    public var catalogue: Catalogue {
        get { storage[CatalogueKey.self]! }
        set {
            storage[CatalogueKey.self] = newValue
            storage[EvaluatorKey.self] = EligibilityEvaluator(catalogue: newValue)
        }
    }
    public var evaluator: EligibilityEvaluator { storage[EvaluatorKey.self]! }

    public var clock: any AppClock {
        get { storage[AppClockKey.self] ?? SystemClock() }
        set { storage[AppClockKey.self] = newValue }
    }
    /// How failed logins slow the next attempt (tests may change it).
    public var loginThrottle: LoginThrottle {
        get { storage[LoginThrottleKey.self] ?? LoginThrottle() }
        set { storage[LoginThrottleKey.self] = newValue }
    }
    /// A bcrypt hash of a random secret, made at start with the configured cost: unknown user names are "verified"
    /// against it, so that they take as long as a known name with a wrong password.
    var decoyHash: String {
        get { storage[DecoyHashKey.self] ?? "" }
        set { storage[DecoyHashKey.self] = newValue }
    }
    /// The audit key loaded from `THIDUA_AUDIT_KEY_FILE`, if one is configured.
    var auditKey: AuditKey? {
        get { storage[AuditKeyKey.self] }
        set { storage[AuditKeyKey.self] = newValue }
    }
    public var operatorConsole: any OperatorConsole {
        get { storage[OperatorConsoleKey.self] ?? StandardOutputConsole() }
        set { storage[OperatorConsoleKey.self] = newValue }
    }
}

extension Request {
    var clock: any AppClock { application.clock }
    var now: Date { application.clock.now() }
}

extension Date {
    /// Milliseconds since 1970, as the audit log, sessions and login counters store time (an integer: both
    /// databases give back exactly what was written).
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
