import Foundation
import ThiDuaCore

/// Settings read once from the environment, with defaults that work on a laptop.
public struct AppConfig: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        /// An SQLite file, created and migrated on start.
        case sqliteFile(String)
        /// A private in-memory SQLite database (tests).
        case sqliteMemory
        /// PostgreSQL at `url`; `searchPath` isolates a test's schema.
        case postgres(url: String, searchPath: [String]?)

        /// "sqlite" or "postgres", as reported by /healthz.
        public var kind: String {
            if case .postgres = self { return "postgres" }
            return "sqlite"
        }
    }

    public var database: DatabaseChoice
    /// bcrypt cost: 12 in production; tests lower it to stay quick.
    public var bcryptCost: Int
    /// `THIDUA_DEMO_PASSWORD`: the password of every demo account, when set.
    public var demoPassword: String?
    /// Lifetime of API tokens.
    public var tokenLifetime: TimeInterval
    /// Set the session cookie's Secure flag (behind HTTPS).
    public var secureCookies: Bool
    /// `THIDUA_CATALOG`: extra catalogue files (comma-separated) of the province or ministry.
    public var catalogueFiles: [String] = []
    /// `THIDUA_PROVINCE`: the place name on documents' date line ("Nghệ An, ngày …").
    public var province: String = "Nghệ An"
    /// `THIDUA_TRUSTED_PROXIES`: addresses of reverse proxies (comma-separated) whose `X-Forwarded-Proto: https`
    /// marks a request as HTTPS (the session cookie is then `Secure`).
    public var trustedProxies: [String] = [] {
        didSet { metricsAccess.trustedProxies = trustedProxies.compactMap(AddressRange.init) }
    }
    /// `THIDUA_AUDIT_KEY_FILE`: a file holding the audit key (at least 32 bytes, e.g. `openssl rand -hex 32`); every
    /// audit entry is then an HMAC-SHA-256 under it. Kept outside the database and its backups.
    public var auditKeyFile: String?
    /// `THIDUA_FILES`: the folder of uploaded files (evidence), by content hash. Default: beside the SQLite file
    /// (`./thidua-files` for `./thidua.sqlite`), `./thidua-files` with PostgreSQL, a temporary folder in memory.
    public var filesDirectory: String?
    /// Who may read `/metrics`: `THIDUA_METRICS_ALLOW` (address ranges, comma-separated; default loopback; `none`
    /// for none) and `THIDUA_METRICS_TOKEN` (a bearer token); forwarded requests count only through the trusted proxies.
    public var metricsAccess = MetricsAccess()
    /// Settings that could not be read (the start refuses them, each with its reason).
    public var problems: [String] = []

    public init(database: DatabaseChoice, bcryptCost: Int = 12, demoPassword: String? = nil,
                tokenLifetime: TimeInterval = 30 * 24 * 3600, secureCookies: Bool = false) {
        self.database = database
        self.bcryptCost = bcryptCost
        self.demoPassword = demoPassword
        self.tokenLifetime = tokenLifetime
        self.secureCookies = secureCookies
    }

    /// `DATABASE_URL` (postgres://…) or else the SQLite file `THIDUA_DB` (default `./thidua.sqlite`).
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> AppConfig {
        let database: DatabaseChoice
        if let url = env["DATABASE_URL"], !url.isEmpty {
            database = .postgres(url: url, searchPath: nil)
        } else {
            database = .sqliteFile(env["THIDUA_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "./thidua.sqlite")
        }
        let demo = env["THIDUA_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let lifetimeDays = env["THIDUA_TOKEN_DAYS"].flatMap(Double.init) ?? 30
        var config = AppConfig(database: database, demoPassword: demo, tokenLifetime: lifetimeDays * 24 * 3600,
                               secureCookies: env["THIDUA_SECURE_COOKIES"] == "1")
        if let p = env["THIDUA_PROVINCE"], !p.isEmpty { config.province = p }
        config.trustedProxies = (env["THIDUA_TRUSTED_PROXIES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        config.auditKeyFile = env["THIDUA_AUDIT_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        config.filesDirectory = env["THIDUA_FILES"].flatMap { $0.isEmpty ? nil : $0 }
        if let allow = env["THIDUA_METRICS_ALLOW"] {
            let (ranges, invalid) = MetricsAccess.ranges(allow)
            config.metricsAccess.allowed = ranges
            for item in invalid { config.problems.append("THIDUA_METRICS_ALLOW: “\(item)” không phải địa chỉ hay dải địa chỉ (ví dụ 127.0.0.1/32, 10.0.0.0/8, ::1/128).") }
        }
        config.metricsAccess.token = env["THIDUA_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let token = config.metricsAccess.token, token.utf8.count < 16 {
            config.problems.append("THIDUA_METRICS_TOKEN: cần ít nhất 16 ký tự (ví dụ: openssl rand -hex 16).")
        }
        for item in config.trustedProxies where AddressRange(item) == nil {
            config.problems.append("THIDUA_TRUSTED_PROXIES: “\(item)” không phải địa chỉ IP.")
        }
        config.catalogueFiles = (env["THIDUA_CATALOG"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return config
    }
}

extension AppConfig {
    /// Where uploaded files are kept (`filesDirectory`, else its default for the database).
    public var resolvedFilesDirectory: String {
        if let d = filesDirectory { return d }
        switch database {
        case .sqliteFile(let path):
            let url = URL(fileURLWithPath: path)
            let base = url.deletingPathExtension().lastPathComponent
            return url.deletingLastPathComponent().appendingPathComponent(base + "-files").path
        case .sqliteMemory:
            return FileManager.default.temporaryDirectory.appendingPathComponent("thidua-files-\(UUID().uuidString)").path
        default:
            return "./thidua-files"
        }
    }
}
