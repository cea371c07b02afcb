import Fluent
import Foundation
import SQLKit
import ThiDuaCore
import Vapor

/// Writes a generated province (`ProvinceGenerator`) into the database: blocs, units, memberships, people and their
/// ten years of history, in multi-row inserts of `rowsPerInsert` rows, in one transaction (a failed run leaves
/// nothing). One audit entry records what was generated (scale, seed, digest); the rows themselves are not audited
/// one by one. A database that already holds units, blocs or people is refused unless `force`: nothing of it is
/// overwritten either way, the generated names are new ones.
enum ProvinceLoader {
    struct Summary: Codable, Sendable {
        var scale: String
        var seed: UInt64
        var blocs: Int
        var units: Int
        var people: Int
        var facts: Int
        var seconds: Double
        var digest: String
    }

    static let rowsPerInsert = 500

    static func load(_ app: Application, scale: ProvinceGenerator.Scale, seed: UInt64, force: Bool,
                     progress: @escaping @Sendable (String) -> Void) async throws -> Summary {
        let started = Date()
        let gen = ProvinceGenerator(scale: scale, seed: seed)
        let db = app.db
        if !force {
            let units = try await Unit.query(on: db).count(), blocs = try await Bloc.query(on: db).count(), people = try await Person.query(on: db).count()
            if units + blocs + people > 0 {
                throw DomainError.conflict("Cơ sở dữ liệu đã có dữ liệu (\(units) đơn vị, \(blocs) khối, \(people) người): không tạo dữ liệu mô phỏng vào đây. Dùng một cơ sở dữ liệu trống, hoặc --force để thêm vào (không ghi đè gì).")
            }
        }
        let blocNames = gen.blocs().map(\.name)
        if try await Bloc.query(on: db).filter(\.$name ~~ blocNames).count() > 0 {
            throw DomainError.conflict("Dữ liệu mô phỏng với hạt \(seed) đã được tạo trong cơ sở dữ liệu này; chọn hạt khác (--seed).")
        }
        progress("Tạo dữ liệu mô phỏng “\(scale.name)”: \(scale.blocs) khối, \(scale.units) đơn vị, \(VietnameseFormat.number(scale.people)) người, 10 năm (\(gen.years.lowerBound)–\(gen.years.upperBound)), hạt \(seed).")
        let units = gen.units()
        let digest = gen.digest()
        let facts = try await AuditLog.write(on: db, actor: "hệ thống", now: app.clock.now(), key: app.auditKey) { tx, audit -> Int in
            var w = Writer(sql: try tx.sql())
            // Years, blocs, units, memberships and the bloc years.
            let existingYears = Set(try await EmulationYear.query(on: tx).all().map(\.year))
            for y in gen.years where !existingYears.contains(y) {
                try await w.add("emulation_years", ["id", "year", "theme"], [UUID(), y, "Phong trào thi đua yêu nước năm \(y)"])
            }
            let blocIDs = blocNames.map { _ in UUID() }
            for (i, name) in blocNames.enumerated() {
                try await w.add("blocs", ["id", "name", "organiser", "search_text", "created_at"],
                                [blocIDs[i], name, BlocOrganiser.province, VietnameseText.searchKey(name), Date()])
            }
            let unitIDs = units.map { _ in UUID() }
            for (i, u) in units.enumerated() {
                try await w.add("units", ["id", "official_name", "short_name", "parent_id", "kind", "sector", "search_text", "created_at"],
                                [unitIDs[i], u.officialName, u.shortName, Optional<UUID>.none, u.kind.rawValue, u.sector,
                                 VietnameseText.searchKey(u.officialName + " " + u.shortName), Date()])
            }
            for y in gen.years {
                for (i, u) in units.enumerated() {
                    try await w.add("memberships", ["id", "bloc_id", "unit_id", "year", "organiser"], [UUID(), blocIDs[u.bloc], unitIDs[i], y, BlocOrganiser.province])
                }
                for b in blocIDs.indices {
                    let leader = gen.leader(of: b, year: y, units: units).map { unitIDs[$0] }
                    try await w.add("bloc_years", ["id", "bloc_id", "year", "leader_unit_id", "deputy_unit_id", "leadership_is_demo", "plan"],
                                    [UUID(), blocIDs[b], y, leader, Optional<UUID>.none, true, ""])
                }
            }
            try await w.flush()
            // The collectives' and the people's histories.
            var done = 0
            for (i, u) in units.enumerated() {
                let unitHistory = gen.unitHistory(i, unit: u, leads: { gen.leader(of: u.bloc, year: $0, units: units) == i })
                try await w.history(unitHistory, subject: .unit(unitIDs[i]))
                for y in unitHistory.unitYears {
                    try await w.add("register_unit_years", ["id", "unit_id", "year", "members", "completed", "ldtt", "cstdcs", "disciplined", "led_bloc"],
                                    [UUID(), unitIDs[i], y.year, y.members, y.completed, y.ldtt, y.cstdcs, y.disciplined, y.ledBloc])
                }
                for p in u.people {
                    let person = gen.person(p, unit: i)
                    let id = UUID()
                    try await w.add("people", ["id", "full_name", "gender", "birth_year", "unit_id", "position", "search_text", "created_at"],
                                    [id, person.fullName, person.gender.rawValue, person.birthYear, unitIDs[i], person.position,
                                     VietnameseText.searchKey(person.fullName), Date()])
                    try await w.history(gen.history(person: p, armedForces: u.kind == .armedForces), subject: .person(id))
                    done += 1
                    if done % 10_000 == 0 {
                        progress("  \(VietnameseFormat.number(done))/\(VietnameseFormat.number(scale.people)) người (\(done * 100 / max(scale.people, 1)) %), \(VietnameseFormat.number(w.rows)) dòng")
                    }
                }
            }
            try await w.flush()
            struct Generated: Codable { var scale: String; var seed: UInt64; var people: Int; var digest: String }
            try await audit.created("generated_province", nil, Generated(scale: scale.name, seed: seed, people: scale.people, digest: digest))
            return w.rows
        }
        return Summary(scale: scale.name, seed: seed, blocs: scale.blocs, units: scale.units, people: scale.people, facts: facts,
                       seconds: Date().timeIntervalSince(started), digest: digest)
    }

    /// Buffers rows per table and writes them `rowsPerInsert` at a time.
    struct Writer {
        let sql: any SQLDatabase
        var pending: [String: (columns: [String], rows: [[any Encodable & Sendable]])] = [:]
        /// Parents before children: a table's buffered rows are written only after those of the tables before it.
        static let order = ["emulation_years", "blocs", "units", "memberships", "bloc_years", "people", "register_ratings",
                            "register_awards", "register_initiatives", "register_restrictions", "register_unit_years"]
        var rows = 0

        init(sql: any SQLDatabase) { self.sql = sql }

        mutating func add(_ table: String, _ columns: [String], _ values: [any Encodable & Sendable]) async throws {
            guard Self.order.contains(table) else { throw DomainError.invalid("ProvinceLoader: bảng \(table) không có trong thứ tự ghi.") }
            pending[table, default: (columns, [])].rows.append(values)
            rows += 1
            if (pending[table]?.rows.count ?? 0) >= ProvinceLoader.rowsPerInsert { try await write(table) }
        }

        mutating func flush() async throws {
            for table in Self.order { try await write(table) }
        }

        private mutating func write(_ table: String) async throws {
            guard let batch = pending[table], !batch.rows.isEmpty else { return }
            // Rows of a child table may point at parents still buffered: write those first.
            for parent in Self.order.prefix(while: { $0 != table }) where !(pending[parent]?.rows.isEmpty ?? true) { try await write(parent) }
            var insert = sql.insert(into: table).columns(batch.columns)
            for row in batch.rows { insert = insert.values(row) }
            try await insert.run()
            pending[table]?.rows.removeAll(keepingCapacity: true)
        }

        mutating func history(_ h: ProvinceGenerator.History, subject: RegisterSubject) async throws {
            let (key, person, unit) = (subject.key, subject.personID, subject.unitID)
            for r in h.ratings {
                try await add("register_ratings", ["id", "subject_key", "person_id", "unit_id", "year", "rating"], [UUID(), key, person, unit, r.year, r.rating.rawValue])
            }
            for a in h.awards {
                let grassroots = ["LDTT", "CSTT", "CSTDCS", "TTLDTT", "DVTT"].contains(a.kind)
                try await add("register_awards", ["id", "subject_key", "person_id", "unit_id", "kind", "year", "award_type", "decision", "decided_on", "issuer", "revoked"],
                              [UUID(), key, person, unit, a.kind, a.year, a.type.rawValue, "\(10 + a.year % 50)/QĐ-\(grassroots ? "ĐV" : "UBND")",
                               Day(a.year + 1, 1, 15).description, grassroots ? "Thủ trưởng đơn vị" : "Chủ tịch UBND tỉnh", false])
            }
            for i in h.initiatives {
                try await add("register_initiatives", ["id", "subject_key", "person_id", "unit_id", "title", "year", "scope", "recognised_by", "recognised_on", "used_by"],
                              [UUID(), key, person, unit, i.title, i.year, i.scope.rawValue,
                               i.scope == .grassroots ? "Hội đồng sáng kiến đơn vị" : "Hội đồng sáng kiến tỉnh", Day(i.year, 12, 1).description, i.usedBy])
            }
            for r in h.restrictions {
                try await add("register_restrictions", ["id", "subject_key", "person_id", "unit_id", "kind", "starts_on", "ends_on", "detail"],
                              [UUID(), key, person, unit, r.kind, r.from.description, r.to?.description, r.detail])
            }
        }
    }
}
