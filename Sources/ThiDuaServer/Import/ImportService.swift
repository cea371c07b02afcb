import Fluent
import Foundation
import SQLKit
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// Importing a province's history from .xlsx or .csv: the file is read (`ImportFileReader`), checked row by row
/// against the register (`ImportPlanner`, ThiDuaCore), compared with what is stored (upsert on natural keys), and,
/// unless it is a dry run or has a problem, written in one transaction with one audit entry naming the file's
/// SHA-256 (the file itself is kept in the file store, so that the import can be redone and checked).
enum ImportService {
    /// The largest file accepted (refused from its declared length before it is read).
    static let maxBytes = 50 << 20

    struct Count: Content, Sendable, Equatable { var added = 0; var changed = 0; var unchanged = 0 }

    struct Report: Content, Sendable {
        var filename: String
        var sha256: String
        var dryRun: Bool
        /// Written to the register (false for a dry run or a file with problems).
        var applied: Bool
        var problems: [ImportProblem]
        var notes: [ImportProblem]
        /// Per sheet ("Đơn vị", "Cá nhân" …): rows added, changed and left alone.
        var sheets: [String: Count]
        var seconds: Double
    }

    /// Reads, checks and (unless `dryRun`) applies `data`. A file that cannot be read throws (422); a file with
    /// problems returns them and writes nothing.
    /// `progress` hears each step (for the progress display of a large file); it must not block.
    static func run(_ data: Data, filename: String, dryRun: Bool, caller: Caller, catalogue: Catalogue,
                    progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> Report {
        let started = Date()
        let permission = caller.principal.importPermission
        guard permission != .none else { throw DomainError.forbidden("Chỉ Ban Thi đua – Khen thưởng hoặc cán bộ thi đua của đơn vị nhập dữ liệu.") }
        guard data.count <= maxBytes else { throw DomainError.invalid("Tệp quá \(maxBytes >> 20) MB: chia thành nhiều tệp.", field: "file") }
        let name = String(VietnameseText.clean(filename).prefix(200))
        progress(ImportProgress(.reading))
        let tables: [ImportTable]
        do { tables = try ImportFileReader.tables(data, filename: name) } catch {
            throw DomainError.invalid("\(error)", field: "file")
        }
        let sha = Hex.lower(SHA256Digest.hash(Array(data)))
        let context = try await self.context(caller: caller, catalogue: catalogue, permission: permission)
        let plan = ImportPlanner(context, progress: { done, total in progress(ImportProgress(.checking, done: done, total: total)) }).plan(tables)
        var report = Report(filename: name, sha256: sha, dryRun: dryRun, applied: false, problems: plan.problems, notes: plan.notes, sheets: [:], seconds: 0)
        guard plan.isValid else {
            report.seconds = Date().timeIntervalSince(started)
            return report
        }
        progress(ImportProgress(.comparing))
        let changes = try await Changes.compute(plan, context: context, on: caller.db)
        report.sheets = changes.counts
        // Kept by its hash: a dry run's page applies the same bytes, and the audit entry names them.
        _ = try caller.files.put(data)
        if !dryRun {
            let counts = changes.counts, file = name
            try await caller.audited { db, audit in
                let total = changes.writes
                try await changes.apply(on: db) { written in progress(ImportProgress(.writing, done: written, total: total)) }
                struct Imported: Codable { var file: String; var sha256: String; var sheets: [String: Count] }
                try await audit.record("import", nil, "apply", old: Optional<Imported>.none, new: Imported(file: file, sha256: sha, sheets: counts))
            }
            report.applied = true
        }
        report.seconds = Date().timeIntervalSince(started)
        progress(ImportProgress(.done))
        return report
    }

    /// The register as the planner sees it: every unit, and the people of the units the file may touch.
    static func context(caller: Caller, catalogue: Catalogue, permission: ImportPermission) async throws -> ImportContext {
        guard let sql = caller.db as? any SQLDatabase else { throw DomainError.conflict("Cơ sở dữ liệu không hỗ trợ SQL.") }
        let units = try await Unit.query(on: caller.db).all().map {
            ImportContext.Unit(id: $0.id!, officialName: $0.officialName, shortName: $0.shortName, kind: $0.unitKind, sector: $0.sector)
        }
        var people: [ImportContext.Person] = []
        for row in try await sql.raw("SELECT id, unit_id, full_name, gender, birth_year, position, service_start FROM \(ident: Person.schema)").all() {
            people.append(.init(id: try row.decode(column: "id", as: UUID.self), unitID: try row.decode(column: "unit_id", as: UUID.self),
                                fullName: try row.decode(column: "full_name", as: String.self),
                                gender: try row.decode(column: "gender", as: String?.self).flatMap(Gender.init(rawValue:)),
                                birthYear: try row.decode(column: "birth_year", as: Int?.self), position: try row.decode(column: "position", as: String?.self),
                                serviceStart: try row.decode(column: "service_start", as: String?.self).flatMap(Day.init(iso:))))
        }
        return ImportContext(catalogue: catalogue, today: caller.today, units: units, people: people, editableUnits: permission.editableUnits)
    }
}
