import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import PostgresNIO
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import SQLiteKit
import ThiDuaCore

/// One batch of cases read as plain rows (only the columns the engine needs), not as Fluent models: decoding models
/// through reflection cost the bulk run twenty times the engine's own time. On SQLite the rows are read straight from
/// the driver (no `Decodable` per cell); elsewhere through SQLKit. The same cases as `RegisterService.makeCase` on the
/// models (tested on the demo and on a generated province).
enum CaseBatchLoader {
    static func load(_ batch: [RegisterService.CaseSubject], evaluationYear: Int, asOf: Day, on db: any Database) async throws -> [EligibilityCase] {
        let keys = batch.map(\.subject.key)
        var cases: [String: EligibilityCase] = Dictionary(minimumCapacity: batch.count)
        for (s, key) in zip(batch, keys) where cases[key] == nil {
            cases[key] = RegisterService.makeCase(s, facts: .init(), evaluationYear: evaluationYear, asOf: asOf)
        }
        let unitIDs = batch.compactMap(\.subject.unitID)
        if let sqlite = db as? any SQLiteDatabase {
            func rows(_ table: String, _ columns: String, _ column: String, _ values: [SQLiteData]) async throws -> [SQLiteCells] {
                let marks = Array(repeating: "?", count: values.count).joined(separator: ",")
                let statement = "SELECT \(columns) FROM \(table) WHERE \(column) IN (\(marks))"
                // Logged as SQLKit logs every other query (LOG_LEVEL=debug shows them all).
                db.logger.debug("Executing query", metadata: ["sql": .string(statement)])
                // The connection's async query hands over rows on the thread that steps the statement; the future-based
                // one hops to the event loop once per row (a million hops for a province).
                let out = NIOLockedValueBox<[SQLiteCells]>([])
                try await sqlite.withConnection { conn in
                    try await conn.query(statement, values) { row in
                        let cells = SQLiteCells(row)
                        out.withLockedValue { $0.append(cells) }
                    }
                }
                return out.withLockedValue { $0 }
            }
            let k = keys.map { SQLiteData.text($0) }
            let u = try unitIDs.map { try SQLiteDataEncoder().encode($0) }
            try await read(&cases, hasUnits: !unitIDs.isEmpty,
                           bySubject: { try await rows($0, $1, "subject_key", k) }, byUnit: { try await rows($0, $1, "unit_id", u) })
        } else if let pg = db as? any PostgresDatabase {
            // PostgreSQL: an array bind (`= ANY($1)`) and cells decoded by PostgresNIO's own decoders, not Codable.
            func rows<V: PostgresArrayEncodable>(_ table: String, _ columns: String, _ column: String, _ values: [V]) async throws -> [PostgresCells] {
                var binds = PostgresBindings(capacity: 1)
                try binds.append(values, context: .default)
                let query = PostgresQuery(unsafeSQL: "SELECT \(columns) FROM \(table) WHERE \(column) = ANY($1)", binds: binds)
                db.logger.debug("Executing query", metadata: ["sql": .string(query.sql)])
                let logger = db.logger
                return try await pg.withConnection { conn in
                    conn.eventLoop.makeFutureWithTask {
                        var out: [PostgresCells] = []
                        for try await row in try await conn.query(query, logger: logger) { out.append(PostgresCells(row: row.makeRandomAccess())) }
                        return out
                    }
                }.get()
            }
            try await read(&cases, hasUnits: !unitIDs.isEmpty,
                           bySubject: { try await rows($0, $1, "subject_key", keys) }, byUnit: { try await rows($0, $1, "unit_id", unitIDs) })
        } else if let sql = db as? any SQLDatabase {
            func rows<V: Encodable & Sendable>(_ table: String, _ columns: String, _ column: String, _ values: [V]) async throws -> [SQLCells] {
                try await sql.select().columns(columns.split(separator: ",").map { SQLIdentifier(String($0)) }).from(table)
                    .where(SQLIdentifier(column), .in, values).all().map(SQLCells.init)
            }
            try await read(&cases, hasUnits: !unitIDs.isEmpty,
                           bySubject: { try await rows($0, $1, "subject_key", keys) }, byUnit: { try await rows($0, $1, "unit_id", unitIDs) })
        } else {
            let facts = try await RegisterService.loadFacts(batch.map(\.subject), on: db)
            return batch.map { RegisterService.makeCase($0, facts: facts[$0.subject.key] ?? .init(), evaluationYear: evaluationYear, asOf: asOf) }
        }
        return keys.compactMap { cases[$0] }
    }

    /// The columns read, in the order the readers below take them.
    enum Columns {
        static let ratings = "subject_key,year,rating"
        static let awards = "subject_key,kind,year,award_type,decision,decided_on,issuer,revoked,period_from"
        static let initiatives = "id,subject_key,year,scope,used_by,title"
        static let restrictions = "subject_key,kind,starts_on,ends_on,detail"
        static let unitYears = "unit_id,year,members,completed,ldtt,cstdcs,disciplined,led_bloc"
    }

    /// Reads the five kinds of fact, by subject key and (member counts) by unit, then adds them to the cases.
    static func read<R: Cells>(_ cases: inout [String: EligibilityCase], hasUnits: Bool,
                               bySubject: (String, String) async throws -> [R], byUnit: (String, String) async throws -> [R]) async throws {
        try assemble(&cases,
                     ratings: try await bySubject(RatingRecord.schema, Columns.ratings),
                     awards: try await bySubject(AwardRecordModel.schema, Columns.awards),
                     initiatives: try await bySubject(InitiativeRecord.schema, Columns.initiatives),
                     restrictions: try await bySubject(RestrictionRecord.schema, Columns.restrictions),
                     unitYears: hasUnits ? try await byUnit(UnitYearRecord.schema, Columns.unitYears) : [])
    }

    static func assemble<R: Cells>(_ cases: inout [String: EligibilityCase], ratings: [R], awards: [R], initiatives: [R], restrictions: [R], unitYears: [R]) throws {
        for r in ratings {
            if let v = TaskRating(rawValue: try r.string(2)) { cases[try r.string(0)]?.ratings[try r.int(1)] = v }
        }
        for r in awards {
            cases[try r.string(0)]?.awards.append(AwardFact(
                kind: try r.string(1), year: try r.int(2), type: AwardType(rawValue: try r.string(3)) ?? .merit, decision: r.optionalString(4),
                date: r.optionalString(5).flatMap(Day.init(iso:)), issuer: r.optionalString(6), revoked: try r.bool(7), periodFrom: r.optionalInt(8)))
        }
        for r in initiatives {
            cases[try r.string(1)]?.initiatives.append(InitiativeFact(
                id: try r.uuid(0).uuidString, year: try r.int(2), scope: InitiativeScope(rawValue: try r.string(3)) ?? .grassroots,
                usedBy: r.optionalString(4), title: try r.string(5)))
        }
        for r in restrictions {
            guard let from = Day(iso: try r.string(2)) else { continue }
            let to = r.optionalString(3).flatMap(Day.init(iso:))
            let key = try r.string(0), detail = try r.string(4)
            if try r.string(1) == "discipline" { cases[key]?.disciplines.append(DisciplineFact(from: from, to: to, form: detail)) }
            else { cases[key]?.freezes.append(FreezeFact(from: from, to: to, reason: detail)) }
        }
        for r in unitYears {
            let key = RegisterSubject.unit(try r.uuid(0)).key
            let y = try r.int(1)
            cases[key]?.memberStats[y] = MemberStats(year: y, members: try r.int(2), completed: try r.int(3), LDTT: try r.int(4), CSTDCS: try r.int(5),
                                                     disciplined: r.optionalInt(6))
            if try r.bool(7) {
                let led = cases[key]?.ledBloc ?? []
                cases[key]?.ledBloc = led.union([y])
            }
        }
    }
}

/// A row's cells by position.
protocol Cells {
    func string(_ i: Int) throws -> String
    func optionalString(_ i: Int) -> String?
    func int(_ i: Int) throws -> Int
    func optionalInt(_ i: Int) -> Int?
    func bool(_ i: Int) throws -> Bool
    func uuid(_ i: Int) throws -> UUID
}

struct CellError: Error, CustomStringConvertible {
    var column: Int
    var description: String { "register row: column \(column) unreadable" }
}

/// SQLite's own values, read without `Decodable`.
struct SQLiteCells: Cells {
    let data: [SQLiteData]
    init(_ row: SQLiteRow) { data = row.columns.map(\.data) }

    private func cell(_ i: Int) -> SQLiteData { i < data.count ? data[i] : .null }
    func string(_ i: Int) throws -> String { guard case .text(let s) = cell(i) else { throw CellError(column: i) }; return s }
    func optionalString(_ i: Int) -> String? { if case .text(let s) = cell(i) { return s }; return nil }
    func int(_ i: Int) throws -> Int { guard case .integer(let n) = cell(i) else { throw CellError(column: i) }; return Int(n) }
    func optionalInt(_ i: Int) -> Int? { if case .integer(let n) = cell(i) { return Int(n) }; return nil }
    func bool(_ i: Int) throws -> Bool { guard let n = cell(i).integer else { throw CellError(column: i) }; return n != 0 }
    func uuid(_ i: Int) throws -> UUID {
        switch cell(i) {
        case .blob(let b) where b.readableBytes == 16:
            return b.withUnsafeReadableBytes { raw in
                UUID(uuid: (raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7], raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]))
            }
        case .text(let s):
            guard let u = UUID(uuidString: s) else { throw CellError(column: i) }
            return u
        default:
            throw CellError(column: i)
        }
    }
}

/// PostgreSQL's cells, decoded by PostgresNIO (no Codable).
struct PostgresCells: Cells {
    let row: PostgresRandomAccessRow

    private func cell(_ i: Int) throws -> PostgresCell { guard i < row.count else { throw CellError(column: i) }; return row[i] }
    func string(_ i: Int) throws -> String { try cell(i).decode(String.self) }
    func optionalString(_ i: Int) -> String? { (try? cell(i).decode(String?.self)) ?? nil }
    func int(_ i: Int) throws -> Int { try cell(i).decode(Int.self) }
    func optionalInt(_ i: Int) -> Int? { (try? cell(i).decode(Int?.self)) ?? nil }
    func bool(_ i: Int) throws -> Bool { try cell(i).decode(Bool.self) }
    func uuid(_ i: Int) throws -> UUID { try cell(i).decode(UUID.self) }
}

/// Any SQL database's row, through SQLKit (PostgreSQL decodes these types without `Codable`'s reflection).
struct SQLCells: Cells {
    let row: any SQLRow
    let names: [String]
    init(_ row: any SQLRow) { self.row = row; names = row.allColumns }

    private func name(_ i: Int) throws -> String { guard i < names.count else { throw CellError(column: i) }; return names[i] }
    func string(_ i: Int) throws -> String { try row.decode(column: try name(i), as: String.self) }
    func optionalString(_ i: Int) -> String? { (try? row.decode(column: try name(i), as: String?.self)) ?? nil }
    func int(_ i: Int) throws -> Int { try row.decode(column: try name(i), as: Int.self) }
    func optionalInt(_ i: Int) -> Int? { (try? row.decode(column: try name(i), as: Int?.self)) ?? nil }
    func bool(_ i: Int) throws -> Bool { try row.decode(column: try name(i), as: Bool.self) }
    func uuid(_ i: Int) throws -> UUID { try row.decode(column: try name(i), as: UUID.self) }
}
