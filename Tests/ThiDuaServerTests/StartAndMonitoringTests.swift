import Fluent
import Foundation
import SQLKit
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

/// Several instances on one database: the start's changes run once; an outdated schema is refused with
/// `--no-migrate`; database troubles are said so that an operator can act; health, readiness, metrics, request ids.
@Suite struct StartAndMonitoringTests {
    /// A database that several apps can share: a fresh schema of TEST_DATABASE_URL, or else a fresh SQLite file.
    struct SharedDatabase {
        let choice: AppConfig.DatabaseChoice
        let cleanup: @Sendable () async -> Void

        static func make() async throws -> SharedDatabase {
            if let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
                let schema = "s_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24)
                let admin = try await bareApp(.postgres(url: url, searchPath: nil))
                try await (admin.db as! any SQLDatabase).raw("CREATE SCHEMA \(unsafeRaw: String(schema))").run()
                try await admin.asyncShutdown()
                return SharedDatabase(choice: .postgres(url: url, searchPath: [String(schema)])) {
                    if let admin = try? await bareApp(.postgres(url: url, searchPath: nil)) {
                        try? await (admin.db as! any SQLDatabase).raw("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE").run()
                        try? await admin.asyncShutdown()
                    }
                }
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("thidua-shared-\(UUID()).sqlite").path
            return SharedDatabase(choice: .sqliteFile(file)) {
                for suffix in ["", "-wal", "-shm", "-journal", ".lock"] { try? FileManager.default.removeItem(atPath: file + suffix) }
            }
        }
    }

    /// An app on `database`, configured but not migrated.
    static func bareApp(_ database: AppConfig.DatabaseChoice) async throws -> Application {
        let app = try await Application.make(.testing)
        var config = AppConfig(database: database, bcryptCost: 4)
        config.demoPassword = TestAccounts.demoPassword
        do { try await configure(app, config: config, migrate: false) } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    /// One app on a fresh shared database, shut down and cleaned up however `body` ends.
    static func withFreshApp(_ body: (Application) async throws -> Void) async throws {
        let shared = try await SharedDatabase.make()
        let app = try await Self.bareApp(shared.choice)
        do { try await body(app) } catch {
            try? await app.asyncShutdown(); await shared.cleanup(); throw error
        }
        try await app.asyncShutdown()
        await shared.cleanup()
    }

    @Test("Four instances starting together on one database migrate and load the demo once, all of them cleanly")
    func concurrentStart() async throws {
        let shared = try await SharedDatabase.make()
        var apps: [Application] = []
        do {
            for _ in 0..<4 { apps.append(try await Self.bareApp(shared.choice)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for app in apps {
                    group.addTask { try await prepareDatabase(app, then: { @Sendable a in try await DemoLoader.load(a) }) }
                }
                try await group.waitForAll()
            }
            let first = apps[0]
            // Loaded once: one demo mark, one account of each name, and every migration recorded once.
            #expect(try await AuditEntry.query(on: first.db).filter(\.$entity == "demo").filter(\.$action == "load").count() == 1)
            let names = try await User.query(on: first.db).all().map(\.username)
            #expect(Set(names).count == names.count)
            #expect(names.contains("vanphong"))
            let rows = try await (first.db as! any SQLDatabase).raw("SELECT name FROM _fluent_migrations").all()
            #expect(rows.count == ThiDuaMigrations.all.count)
            #expect(try await ThiDuaMigrations.pending(first).isEmpty)
            // The audit chain the four wrote together is whole.
            let (verdict, _) = try await AuditLog.verify(on: first.db, key: nil)
            #expect(verdict.isIntact, "\(verdict.message)")
        } catch {
            for app in apps { try? await app.asyncShutdown() }
            await shared.cleanup()
            throw error
        }
        for app in apps { try await app.asyncShutdown() }
        await shared.cleanup()
    }

    @Test("serve --no-migrate: an empty or outdated database is refused with the steps missing; a current one passes")
    func outdatedSchema() async throws {
        try await Self.withFreshApp { app in
            do {
                try await Operations.requireCurrentSchema(app)
                Issue.record("an empty database passed")
            } catch {
                let message = Operations.explain(error, config: app.thiduaConfig)
                #expect(message.contains("còn \(ThiDuaMigrations.all.count) bước"), "\(message)")
                #expect(message.contains("thidua migrate"))
                #expect(message.contains("0001_create_users"))
            }
            try await prepareDatabase(app)
            try await Operations.requireCurrentSchema(app)
            // One step undone by hand: refused again, naming it.
            try await (app.db as! any SQLDatabase).raw("DELETE FROM _fluent_migrations WHERE name = \(bind: AddAuditKeyID().name)").run()
            do {
                try await Operations.requireCurrentSchema(app)
                Issue.record("an outdated database passed")
            } catch {
                #expect(Operations.explain(error, config: app.thiduaConfig).contains("còn 1 bước chưa chạy (\(AddAuditKeyID().name))"))
            }
        }
    }

    @Test("A failing migration is named in the error, with the database's own message")
    func migrationNamed() async throws {
        try await Self.withFreshApp { app in
            // A table in the way of the first migration.
            try await (app.db as! any SQLDatabase).raw("CREATE TABLE users (x integer)").run()
            do {
                try await prepareDatabase(app)
                Issue.record("the migration should have failed")
            } catch {
                let message = Operations.explain(error, config: app.thiduaConfig)
                #expect(message.hasPrefix("bước cập nhật cấu trúc “0001_create_users” thất bại"), "\(message)")
                #expect(message.contains("users"), "\(message)")
            }
            // An error that is not the database's is said in its own words, without the database's address.
            #expect(Operations.explain(DomainError.invalid("Không đọc được tệp khóa nhật ký."), config: app.thiduaConfig) == "Không đọc được tệp khóa nhật ký.")
        }
    }

    @Test("PostgreSQL down: the start says what failed without the password; /healthz answers, /readyz and the API say 503 in Vietnamese; nothing traps")
    func databaseDown() async throws {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let app = try await Self.bareApp(.postgres(url: "postgres://thidua:s3cret-pw@127.0.0.1:1/thidua?sslmode=disable", searchPath: nil))
        do {
            do {
                try await DatabaseProbe.ready(app, wait: nil)
                Issue.record("a database that is down answered")
            } catch {
                let message = Operations.explain(error, config: app.thiduaConfig)
                #expect(message.contains("không kết nối được PostgreSQL thidua@127.0.0.1:1/thidua"), "\(message)")
                #expect(message.contains("từ chối kết nối"), "\(message)")
                #expect(!message.contains("s3cret"))
            }
            // --wait-for-db: retried with a growing pause, then given up within the time allowed.
            let started = Date()
            var gaveUp = ""
            // 12 s: a try is at most 5 s (the probe's time limit) and the driver may spend all of it on a refused
            // connection, so a second try always fits after the 0.5 s pause, even on a loaded machine (6 s did not:
            // under the full suite the first try took over 5,5 s).
            do { try await DatabaseProbe.ready(app, wait: 12) } catch { gaveUp = Operations.explain(error, config: app.thiduaConfig) }
            let waited = Date().timeIntervalSince(started)
            // At least two tries (0.5 s apart, then 1 s), given up within the time allowed plus one try.
            #expect(waited < 30, "waited \(waited) s: \(gaveUp)")
            let tries = gaveUp.firstMatch(of: /(\d+) lần thử\)$/).flatMap { Int($0.1) } ?? 0
            #expect(tries >= 2, "\(gaveUp)")
            #expect(gaveUp.contains("từ chối kết nối"), "\(gaveUp)")

            let health = try await api(app, .GET, "/healthz")
            #expect(health.status == .ok)
            let ready = try await api(app, .GET, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.headers.first(name: .retryAfter) != nil)
            struct R: Decodable { var status: String; var reason: String? }
            #expect(try ready.content.decode(R.self).status == "unavailable")
            #expect(!ready.body.string.contains("s3cret") && !ready.body.string.contains("127.0.0.1"))

            let blocs = try await api(app, .GET, "/api/v1/blocs", token: "any-token")
            #expect(blocs.status == .serviceUnavailable)
            #expect(reason(blocs).hasPrefix("Cơ sở dữ liệu tạm thời không truy cập được"), "\(blocs.body.string)")
            #expect(blocs.headers.first(name: .retryAfter) == "10")
            // A page with a session cookie: the session cannot be read, and the answer is still Vietnamese.
            try await app.testing().test(.GET, "/", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: "\(SessionCookie.name)=abc")
            }, afterResponse: { res in
                #expect(res.status == .serviceUnavailable)
                #expect(res.body.string.contains("Cơ sở dữ liệu tạm thời không truy cập được"), "\(res.body.string)")
            })
        } catch {
            try? await app.asyncShutdown(); throw error
        }
        try await app.asyncShutdown()
    }

    @Test("/readyz answers ready when the database does")
    func ready() async throws {
        try await withThiDua { app, _ in
            let res = try await api(app, .GET, "/readyz")
            #expect(res.status == .ok)
            #expect(res.body.string.contains("\"status\":\"ready\""))
        }
    }

    @Test("Every answer carries X-Request-Id: a plain one sent by a proxy is kept, anything else replaced")
    func requestIDs() async throws {
        try await withThiDua { app, _ in
            func id(_ sent: String?) async throws -> String? {
                var out: String?
                try await app.testing().test(.GET, "/healthz", beforeRequest: { req in
                    if let sent { req.headers.replaceOrAdd(name: .xRequestId, value: sent) }
                }, afterResponse: { res in out = res.headers.first(name: .xRequestId) })
                return out
            }
            #expect(try await id("req-42.a_b:c") == "req-42.a_b:c")
            let fresh = try #require(try await id(nil))
            #expect(UUID(uuidString: fresh) != nil)
            for hostile in [String(repeating: "a", count: 65), "a b", "x\u{7f}y", "<script>", "ý"] {
                let got = try #require(try await id(hostile))
                #expect(got != hostile && UUID(uuidString: got) != nil, "\(hostile) → \(got)")
            }
            // Error pages and answers carry it too.
            let missing = try await api(app, .GET, "/api/v1/no-such-thing")
            #expect(missing.headers.first(name: .xRequestId) != nil)
        }
    }

    @Test("/metrics: Prometheus text with requests by route and status, logins, audit entries and the pool; loopback or the token only")
    func metrics() async throws {
        try await withThiDua(demo: true) { app, _ in
            _ = try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: "vanphong", password: "sai-mat-khau-1"))
            _ = try await token(app, "vanphong")
            // The in-memory tester has no address: refused without the token, read with it.
            #expect(try await api(app, .GET, "/metrics").status == .forbidden)
            app.thiduaConfig.metricsAccess.token = "metrics-token-0123456789"
            #expect(try await api(app, .GET, "/metrics", token: "metrics-token-0124456789").status == .forbidden)
            let res = try await api(app, .GET, "/metrics", token: "metrics-token-0123456789")
            #expect(res.status == .ok)
            #expect(res.headers.contentType?.description.hasPrefix("text/plain") == true)
            let text = res.body.string
            let series = Self.parse(text)
            #expect(series["http_requests_total{method=\"POST\",path=\"/api/v1/auth/token\",status=\"200\"}"].map { $0 >= 1 } == true, "\(text.prefix(600))")
            #expect(series["http_requests_total{method=\"POST\",path=\"/api/v1/auth/token\",status=\"401\"}"].map { $0 >= 1 } == true)
            #expect(series.keys.contains { $0.hasPrefix("http_request_duration_seconds_bucket{") })
            #expect(series["thidua_logins_total"].map { $0 >= 1 } == true)
            #expect(series["thidua_login_failures_total"].map { $0 >= 1 } == true)
            #expect(series["thidua_audit_entries_total"].map { $0 >= 1 } == true)
            #expect(series["thidua_database_up"] == 1)
            #expect(series["thidua_db_pool_connections_max"].map { $0 >= 1 } == true)
            if case .postgres = app.thiduaConfig.database {
                // This instance's own connections, counted in pg_stat_activity by its application_name.
                let open = ["active", "idle", "idle in transaction", "other"].compactMap { series["thidua_db_connections{state=\"\($0)\"}"] }.reduce(0, +)
                #expect(open >= 1, "\(text)")
            }
            // An unknown path is one series, whatever is asked.
            _ = try await api(app, .GET, "/no/such/\(UUID())")
            #expect(!(try await api(app, .GET, "/metrics", token: "metrics-token-0123456789")).body.string.contains("/no/such/"))
        }
    }

    @Test("/metrics from a live server: loopback reads it; a request forwarded by an untrusted proxy is refused")
    func metricsOverTheNetwork() async throws {
        try await withThiDua { app, _ in
            // Port 0: the system picks a free one for each request's server.
            let tester = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            try await tester.test(.GET, "/metrics", afterResponse: { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("# TYPE thidua_requests_in_flight gauge"))
            })
            try await tester.test(.GET, "/metrics", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .xForwardedFor, value: "203.0.113.9")
            }, afterResponse: { res in #expect(res.status == .forbidden) })
        }
    }

    /// The samples of a Prometheus text exposition, by series (name and labels); fails the test on a line that is
    /// neither a comment nor `series value`.
    static func parse(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...].replacingOccurrences(of: "+Inf", with: "inf")) else {
                Issue.record("not a Prometheus sample: \(line)")
                continue
            }
            out[String(line[..<space])] = value
        }
        return out
    }
}
