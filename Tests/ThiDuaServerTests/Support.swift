import Fluent
import NIOConcurrencyHelpers
import Foundation
import SQLKit
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

/// Builds the real app through `configure` on a private database: in-memory SQLite by default, or a
/// fresh schema of the PostgreSQL server at `TEST_DATABASE_URL` (dropped afterwards).
/// `demoRound`: with the demo, also its scored year-end round (about 80 audited transactions; only the tests that read it).
func withThiDua(clock: ManualClock? = nil, demo: Bool = false, demoRound: Bool = false, sqliteFile: Bool = false, auditKeyFile: String? = nil,
                _ body: (Application, CapturingConsole) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    let console = CapturingConsole()
    let pgURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("thidua-test-\(UUID()).sqlite").path
    defer { if sqliteFile { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: file + suffix) } } }
    let sqlite: AppConfig.DatabaseChoice = sqliteFile ? .sqliteFile(file) : .sqliteMemory
    var config = AppConfig(database: pgURL.map { .postgres(url: $0, searchPath: [String(schema)]) } ?? sqlite, bcryptCost: 4)
    config.demoPassword = TestAccounts.demoPassword
    config.auditKeyFile = auditKeyFile
    // Uploaded files in a folder of this test's own, removed afterwards (never the working directory's).
    let files = FileManager.default.temporaryDirectory.appendingPathComponent("thidua-test-files-\(UUID())").path
    config.filesDirectory = files
    defer { try? FileManager.default.removeItem(atPath: files) }
    // Set once the schema exists: a start that fails earlier (e.g. a bad key file) has no database to clean.
    var schemaCreated = false
    do {
        try await configure(app, config: config, clock: clock, console: console, migrate: false)
        if pgURL != nil {
            try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA \(unsafeRaw: String(schema))").run()
            schemaCreated = true
        }
        try await prepareDatabase(app, then: demo ? { @Sendable a in try await DemoLoader.load(a, scoringRound: demoRound) } : nil)
        try await body(app, console)
    } catch {
        if schemaCreated { try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE").run() }
        try? await app.asyncShutdown()
        throw error
    }
    if pgURL != nil { try await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE").run() }
    try await app.asyncShutdown()
}

enum TestAccounts {
    static let demoPassword = "mat-khau-demo-1"
}

/// A browser: keeps the session cookie and the page's CSRF token.
final class Browser: @unchecked Sendable {
    let app: Application
    /// Every cookie the server set (session, login form token), as a browser keeps them.
    var cookies: [String: String] = [:]
    /// The `Cookie` header this browser sends.
    var cookie: String? {
        get { cookies.isEmpty ? nil : cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        set {
            cookies = [:]
            for part in (newValue ?? "").split(separator: ";") {
                let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if kv.count == 2 { cookies[String(kv[0])] = String(kv[1]) }
            }
        }
    }
    var csrf: String?
    /// In memory by default; a live HTTP server when the test needs real streaming of request bodies.
    let tester: any TestingApplicationTester

    init(_ app: Application, live: Bool = false) throws {
        self.app = app
        self.tester = live ? try app.testing(method: .running(hostname: "127.0.0.1", port: 0)) : try app.testing()
    }

    private func remember(_ res: TestingHTTPResponse) {
        for value in res.headers[.setCookie] {
            guard let part = value.split(separator: ";").first else { continue }
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            let expired = value.contains("Max-Age=0") || value.contains("1970")
            if expired { cookies[String(kv[0])] = nil } else { cookies[String(kv[0])] = String(kv[1]) }
        }
        let html = res.body.string
        if let r = html.range(of: "name=\"csrf\" value=\"") {
            let rest = html[r.upperBound...]
            if let end = rest.firstIndex(of: "\"") { csrf = String(rest[..<end]) }
        }
    }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        var out: TestingHTTPResponse!
        try await tester.test(.GET, path, beforeRequest: { req in
            if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
            req.headers.replaceOrAdd(name: .accept, value: "text/html")
        }, afterResponse: { res in out = res })
        remember(out)
        return out
    }

    /// Posts a form; the CSRF token of the last page is added unless `csrf` is given (use "" to leave it out).
    @discardableResult
    func post(_ path: String, _ form: [String: String] = [:], csrf explicit: String? = nil, headers: [(String, String)] = []) async throws -> TestingHTTPResponse {
        var fields = form
        let token = explicit ?? csrf
        if let token, !token.isEmpty { fields["csrf"] = token }
        var out: TestingHTTPResponse!
        try await tester.test(.POST, path, beforeRequest: { req in
            if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
            req.headers.replaceOrAdd(name: .accept, value: "text/html")
            for (k, v) in headers { req.headers.replaceOrAdd(name: k, value: v) }
            try req.content.encode(fields, as: .urlEncodedForm)
        }, afterResponse: { res in out = res })
        remember(out)
        return out
    }

    /// Posts a multipart form with one file (and the page's CSRF token), as a browser's file upload does.
    @discardableResult
    func postFile(_ path: String, _ form: [String: String], field: String, filename: String, data: Data, type: String, headers: [(String, String)] = []) async throws -> TestingHTTPResponse {
        let boundary = "----thidua\(UUID().uuidString)"
        var body = Data()
        var fields = form
        if let csrf { fields["csrf"] = csrf }
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n".utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var out: TestingHTTPResponse!
        try await tester.test(.POST, path, beforeRequest: { req in
            if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
            req.headers.replaceOrAdd(name: .accept, value: "text/html")
            req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            for (k, v) in headers { req.headers.replaceOrAdd(name: k, value: v) }
            req.body = ByteBuffer(data: body)
        }, afterResponse: { res in out = res })
        remember(out)
        return out
    }

    /// Opens the login page and signs in.
    @discardableResult
    func login(_ username: String, _ password: String = TestAccounts.demoPassword) async throws -> TestingHTTPResponse {
        try await get("/login")
        return try await post("/login", ["username": username, "password": password, "next": "/"])
    }
}

/// Calls the JSON API with an optional bearer token.
@discardableResult
func api(_ app: Application, _ method: HTTPMethod, _ path: String, token: String? = nil, json: (any Encodable & Sendable)? = nil) async throws -> TestingHTTPResponse {
    var out: TestingHTTPResponse!
    try await app.testing().test(method, path, beforeRequest: { req in
        if let token { req.headers.bearerAuthorization = .init(token: token) }
        if let json {
            req.headers.contentType = .json
            req.body = ByteBuffer(data: try JSONEncoder().encode(json))
        }
    }, afterResponse: { res in out = res })
    return out
}

struct Credentials: Codable, Sendable { var username: String; var password: String }

/// A bearer token for `username` (demo password by default).
func token(_ app: Application, _ username: String, _ password: String = TestAccounts.demoPassword) async throws -> String {
    let res = try await api(app, .POST, "/api/v1/auth/token", json: Credentials(username: username, password: password))
    #expect(res.status == .ok, "token for \(username): \(res.body.string)")
    struct T: Decodable { var token: String }
    return try JSONDecoder().decode(T.self, from: res.body).token
}

/// The JSON `reason` of an error answer.
func reason(_ res: TestingHTTPResponse) -> String {
    struct E: Decodable { var reason: String }
    return (try? JSONDecoder().decode(E.self, from: res.body))?.reason ?? ""
}

extension TestingHTTPResponse {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .deferredToDate
        return try d.decode(T.self, from: body)
    }
}

/// Counts rows of a model.
func count<M: Model>(_ m: M.Type, _ app: Application) async throws -> Int {
    try await M.query(on: app.db).count()
}

/// Calls the JSON API with a raw body (malformed JSON, huge numbers, deep nesting) and optional extra headers.
@discardableResult
func apiRaw(_ app: Application, _ method: HTTPMethod, _ path: String, token: String? = nil, body: String,
            contentType: HTTPMediaType = .json, headers: [(String, String)] = []) async throws -> TestingHTTPResponse {
    var out: TestingHTTPResponse!
    try await app.testing().test(method, path, beforeRequest: { req in
        if let token { req.headers.bearerAuthorization = .init(token: token) }
        req.headers.contentType = contentType
        for (k, v) in headers { req.headers.replaceOrAdd(name: k, value: v) }
        req.body = ByteBuffer(string: body)
    }, afterResponse: { res in out = res })
    return out
}

/// The server still answers: no request before this one ended the process or wedged it.
func expectAlive(_ app: Application, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let res = try await api(app, .GET, "/healthz")
    #expect(res.status == .ok, "the server no longer answers /healthz", sourceLocation: sourceLocation)
}

/// A database handle that counts the SQL statements run through it (the drivers log each one as "Executing query").
final class QueryCounter: @unchecked Sendable {
    private let count = NIOLockedValueBox(0)
    var value: Int { count.withLockedValue { $0 } }
    func reset() { count.withLockedValue { $0 = 0 } }

    func database(_ app: Application) -> any Database {
        let box = count
        var logger = Logger(label: "thidua.test.queries") { _ in Handler(count: box) }
        logger.logLevel = .debug
        return app.databases.database(logger: logger, on: app.eventLoopGroup.any())!
    }

    struct Handler: LogHandler {
        let count: NIOLockedValueBox<Int>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            if message.description == "Executing query" { count.withLockedValue { $0 += 1 } }
        }
    }
}
