import CoreMetrics
import Fluent
import Foundation
import Prometheus
import SQLKit
import Vapor

/// The metrics of this process, in Prometheus's text format at `/metrics`.
///
/// Vapor counts every request through swift-metrics (`http_requests_total`, `http_request_errors_total` and the
/// `http_request_duration_seconds` histogram, by method, route pattern and status; unknown paths are one
/// `vapor_route_undefined` series, so a scan cannot blow up the series). swift-metrics can be set up once per process,
/// so the registry is the process's; the gauges are read from the application at each scrape.
enum ThiDuaMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Sets swift-metrics up and registers ThiDua's own series, so that they show from the first scrape, at 0
    /// (idempotent): before the first request.
    static func start() {
        _ = registry
        _ = (logins, failedLogins, throttledLogins, auditEntries, inFlight, databaseUp, poolSize, connections)
    }

    static let logins = registry.makeCounter(name: "thidua_logins_total", help: "Đăng nhập thành công (trang và API).")
    static let failedLogins = registry.makeCounter(name: "thidua_login_failures_total", help: "Đăng nhập thất bại (sai tên hoặc mật khẩu, tài khoản bị vô hiệu hóa).")
    static let throttledLogins = registry.makeCounter(name: "thidua_login_throttled_total", help: "Lần đăng nhập bị từ chối vì thử sai quá nhiều.")
    static let auditEntries = registry.makeCounter(name: "thidua_audit_entries_total", help: "Bản ghi nhật ký thay đổi đã ghi.")
    static let inFlight = registry.makeGauge(name: "thidua_requests_in_flight", help: "Yêu cầu đang được trả lời.")
    static let databaseUp = registry.makeGauge(name: "thidua_database_up", help: "1 nếu cơ sở dữ liệu trả lời trong 2 giây, 0 nếu không.")
    static let poolSize = registry.makeGauge(name: "thidua_db_pool_connections_max", help: "Số kết nối tối đa của nhóm kết nối cơ sở dữ liệu.")
    static let connections: [String: Prometheus.Gauge] = Dictionary(uniqueKeysWithValues: ["active", "idle", "idle in transaction", "other"].map {
        ($0, registry.makeGauge(name: "thidua_db_connections", labels: [("state", $0)], help: "Kết nối PostgreSQL đang mở của phiên bản này, theo trạng thái."))
    })

    /// Reads the gauges, then writes every metric.
    static func exposition(_ app: Application) async -> [UInt8] {
        inFlight.set(Int64(app.inFlight.current))
        poolSize.set(Int64(app.databasePoolSize))
        var up = true
        do {
            try await DatabaseProbe.ping(app.db, timeout: .seconds(2))
        } catch {
            up = false
        }
        databaseUp.set(Int64(up ? 1 : 0))
        if up, case .postgres = app.thiduaConfig.database, let sql = app.db as? any SQLDatabase, let name = app.postgresApplicationName {
            var counts = ["active": 0, "idle": 0, "idle in transaction": 0, "other": 0]
            if let rows = try? await sql.raw("SELECT coalesce(state, 'other') AS state, count(*)::int8 AS n FROM pg_stat_activity WHERE application_name = \(bind: name) GROUP BY 1").all() {
                for row in rows {
                    guard let state = try? row.decode(column: "state", as: String.self), let n = try? row.decode(column: "n", as: Int64.self) else { continue }
                    counts[counts[state] == nil ? "other" : state, default: 0] += Int(n)
                }
                for (state, n) in counts { connections[state]?.set(Int64(n)) }
            }
        }
        return registry.emitToBuffer()
    }
}

extension Application {
    private struct PostgresApplicationNameKey: StorageKey { typealias Value = String }
    /// The `application_name` this instance's PostgreSQL connections carry (`thidua-<pid>-<random>`), so that the
    /// metrics can count its own connections in `pg_stat_activity`.
    var postgresApplicationName: String? {
        get { storage[PostgresApplicationNameKey.self] }
        set { storage[PostgresApplicationNameKey.self] = newValue }
    }

    /// The most connections the databases' pools open: PostgreSQL 4 per event loop, SQLite one per event loop.
    var databasePoolSize: Int {
        let loops = Array(eventLoopGroup.makeIterator()).count
        if case .postgres = thiduaConfig.database { return loops * ThiDuaDatabases.postgresConnectionsPerLoop }
        return loops
    }
}

enum ThiDuaDatabases {
    static let postgresConnectionsPerLoop = 4
}
