import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Leaf
import LeafKit
import ThiDuaCore
import Vapor

/// Builds the whole application: database, migrations, sessions, views, middleware and routes.
/// Tests call it with their own `AppConfig` (in-memory SQLite, or a private PostgreSQL schema).
public func configure(_ app: Application, config: AppConfig, clock: (any AppClock)? = nil,
                      console: (any OperatorConsole)? = nil, migrate: Bool = true, readOnly: Bool = false) async throws {
    app.thiduaConfig = config
    // SQLite statements and bcrypt run on this pool and may block (a writer waiting its turn, a hash): with one
    // thread per core, two waiting writers could hold every thread while the transaction they wait for needs one
    // to finish. Before the first use of the databases, which keep the pool they are created with.
    app.threadPool = NIOThreadPool(numberOfThreads: max(16, System.coreCount * 4))
    app.decoyHash = try Bcrypt.hash([UInt8].random(count: 24).base64URLEncoded, cost: config.bcryptCost)
    if let file = config.auditKeyFile { app.auditKey = try AuditLog.loadKey(file) }
    app.fileStore = FileStore(root: config.resolvedFilesDirectory)
    if let clock { app.clock = clock }
    if let console { app.operatorConsole = console }

    // A catalogue that does not load stops the start with file, line and reason.
    app.catalogue = try EligibilityRunner.catalogue(extra: config.catalogueFiles.map { URL(fileURLWithPath: $0) })
    if let warning = app.catalogue.endWarning(today: VietnameseFormat.day(Date())) { app.logger.warning("\(warning)") }

    switch config.database {
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url, let searchPath):
        var pg: SQLPostgresConfiguration
        do { pg = try SQLPostgresConfiguration(url: url) } catch {
            throw DatabaseTrouble(message: "DATABASE_URL không đọc được (cần postgres://người-dùng:mật-khẩu@máy:cổng/cơ-sở-dữ-liệu): \(Redaction.urls(in: url))", transient: false)
        }
        pg.searchPath = searchPath
        // Each instance's connections carry a name of their own: /metrics counts them in pg_stat_activity.
        let name = "thidua-\(getpid())-\(UInt16.random(in: .min ... .max))"
        pg.coreConfiguration.options.additionalStartupParameters.append(("application_name", name))
        app.postgresApplicationName = name
        app.postgresConfiguration = pg
        app.databases.use(.postgres(configuration: pg, maxConnectionsPerEventLoop: ThiDuaDatabases.postgresConnectionsPerLoop), as: .psql)
    }

    ThiDuaMigrations.register(app)

    // Sessions live in the database so that several instances behind one load balancer share them.
    app.sessions.use { _ in ThiDuaSessions() }
    let secure = config.secureCookies
    app.sessions.configuration = SessionsConfiguration(cookieName: SessionCookie.name) { id in
        // Max-Age rather than Expires: Vapor formats an Expires date with a new DateFormatter on every response
        // (a measured cost on every signed-in page); the server enforces the idle and absolute expiry itself.
        HTTPCookies.Value(string: id.string, expires: nil, maxAge: 12 * 3600, domain: nil, path: "/",
                          isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    // Views and static files ship inside the module's resource bundle, so any working directory works.
    let bundleRoot = Bundle.module.bundleURL
    let resources = bundleRoot.appendingPathComponent("Resources")
    app.directory = DirectoryConfiguration(workingDirectory: bundleRoot.path + "/")
    app.views.use(.leaf)
    app.leaf.tags["path"] = PathTag()
    // The bundle may sit under a hidden folder (.build): allow it, but stay inside the bundle and only read .leaf files.
    app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .onlyLeafExtensions],
                                                  sandboxDirectory: resources.path,
                                                  viewDirectory: resources.appendingPathComponent("Views").path))
    app.leaf.cache.isEnabled = app.environment.isRelease

    app.routes.defaultMaxBodySize = ByteCount(value: BodyLimitMiddleware.largest)
    // API dates are ISO 8601 (UTC); pages show dd/MM/yyyy in Asia/Ho_Chi_Minh.
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(decoder: decoder, for: .json)
    app.middleware = Middlewares()
    // Outermost of all: a stopping server waits for the requests it is still answering (`Operations.stop`).
    app.middleware.use(InFlightMiddleware(requests: app.inFlight))
    // Every answer names its request (X-Request-Id), as the request's log lines do.
    app.middleware.use(RequestIDMiddleware())
    // Outermost: every answer, static files and error pages included, carries the security headers.
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(BodyLimitMiddleware())
    if app.environment == .testing {
        app.logger.logLevel = .warning
    } else if !app.environment.isRelease {
        // Development only: a line per request costs a write on every request.
        app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    }
    app.middleware.use(StaticFilesMiddleware(publicDirectory: resources.appendingPathComponent("Public").path + "/"))
    app.middleware.use(SessionCookieMiddleware())
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(ThiDuaErrorMiddleware())
    app.middleware.use(PrincipalMiddleware())
    app.middleware.use(PasswordChangeGate())
    app.middleware.use(CSRFMiddleware())

    try routes(app)
    app.openAPIJSON = try OpenAPIDocument.encoded(app)

    ThiDuaMetrics.start()

    // Read-only commands (audit verify, checkpoint) change nothing, not even the file's journal mode.
    if config.database.kind == "sqlite", !readOnly { try await SQLiteTuning.apply(app) }
    if migrate {
        try await DatabaseProbe.ready(app, wait: nil)
        try await prepareDatabase(app)
    }
}

/// The start's changes to the database, once however many instances start together (`StartLock`): the migrations,
/// the first account, the audit key's mark; then `then` (the demo), inside the same lock.
public func prepareDatabase(_ app: Application, then: (@Sendable (Application) async throws -> Void)? = nil) async throws {
    try await StartLock.around(app) {
        try await app.autoMigrate()
        try await Bootstrap.ensureAdmin(app)
        try await AuditLog.ensureKeyed(app)
        if let then { try await then(app) }
    }
}

/// Every route of ThiDua, each with its policy.
func routes(_ app: Application) throws {
    let api = app.grouped("api", "v1")
    HealthController().register(root: app)
    DashboardController().register(pages: app, api: api)
    AuthController().register(pages: app, api: api)
    UserController().register(pages: app, api: api)
    OrganisationController().register(pages: app, api: api)
    AuditController().register(pages: app, api: api)
    RegisterController().register(pages: app, api: api)
    CovenantController().register(pages: app, api: api)
    RegistrationController().register(pages: app, api: api)
    ScoringController().register(pages: app, api: api)
    BallotController().register(pages: app, api: api)
    ImportController().register(pages: app, api: api)
    OpenAPIController().register(api: api)
}
