import Fluent
import SQLKit
import Vapor

/// Every migration of ThiDua, in order. Each runs under its own name, and a failure names it.
enum ThiDuaMigrations {
    static var all: [any Migration] {
        [CreateUsers(), CreateOrganisation(), CreateAPITokens(), CreateRoleGrants(), CreateAudit(), SessionRecord.migration,
         CreateRegister(), CreateCovenants(), CreateDeadlines(), CreateRegistrations(), CreateSessions(), CreateLoginThrottle(),
         AddCovenantAuditAnchor(), AddMustChangePassword(), AddCovenantFrozenRoster(), AddAuditKeyID(), AddRegisterIndexes(), CreateScoring(), CreateScoringAppeals(), CreateScoreEvidence(), CreateBallots(), AddBallotQuorum(), AddAwardPeriod(), AddServiceStart()]
    }

    static func register(_ app: Application) {
        for m in all { app.migrations.add(NamedMigration(base: m)) }
    }

    /// The migrations this build has that the database has not run (all of them for an empty database).
    static func pending(_ app: Application) async throws -> [String] {
        let names = all.map(\.name)
        guard let sql = app.db as? any SQLDatabase else { return [] }
        let rows: [SQLRow]
        do {
            rows = try await sql.raw("SELECT name FROM _fluent_migrations").all()
        } catch {
            // No migration table: the schema was never created. (Other database errors were caught by the probe.)
            return names
        }
        let done = Set(rows.compactMap { try? $0.decode(column: "name", as: String.self) })
        return names.filter { !done.contains($0) }
    }

    /// A short name for messages: "CreateUsers" rather than "ThiDuaServer.CreateUsers".
    static func shortName(_ name: String) -> String {
        name.split(separator: ".").last.map(String.init) ?? name
    }
}

/// A migration whose failure says which migration failed.
struct MigrationFailure: Error, CustomStringConvertible {
    var name: String
    var underlying: any Error
    var description: String { "migration \(ThiDuaMigrations.shortName(name)): \(underlying)" }
}

/// Runs `base` under its own name; an error comes back as a `MigrationFailure` naming it.
struct NamedMigration: AsyncMigration {
    let base: any Migration
    var name: String { base.name }

    func prepare(on database: any Database) async throws {
        do { try await base.prepare(on: database).get() } catch { throw MigrationFailure(name: base.name, underlying: error) }
    }

    func revert(on database: any Database) async throws {
        do { try await base.revert(on: database).get() } catch { throw MigrationFailure(name: base.name, underlying: error) }
    }
}
