import Fluent
import Foundation
import SQLKit

/// What the home page needs of the organisation for a year, read as plain columns (a province holds hundreds of units
/// and memberships a year: decoding them as models was most of the page's time).
struct DashboardData: Sendable {
    struct Member: Sendable { var blocID: UUID; var unitID: UUID; var organiser: String }
    struct UnitRow: Sendable { var id: UUID; var name: String; var parentID: UUID? }

    var memberships: [Member]
    var blocName: [UUID: String]
    var units: [UnitRow]
    var registered: Set<UUID>

    var unitName: [UUID: String] { Dictionary(units.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }) }

    static func load(year: Int, on db: any Database) async throws -> DashboardData {
        let sql = try db.sql()
        let members = try await sql.raw("SELECT bloc_id, unit_id, organiser FROM memberships WHERE year = \(bind: year)").all().map {
            Member(blocID: try $0.decode(column: "bloc_id", as: UUID.self), unitID: try $0.decode(column: "unit_id", as: UUID.self),
                   organiser: try $0.decode(column: "organiser", as: String.self))
        }
        var blocName: [UUID: String] = [:]
        for r in try await sql.raw("SELECT id, name FROM blocs").all() {
            blocName[try r.decode(column: "id", as: UUID.self)] = try r.decode(column: "name", as: String.self)
        }
        let units = try await sql.raw("SELECT id, official_name, parent_id FROM units").all().map {
            UnitRow(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "official_name", as: String.self),
                    parentID: try $0.decode(column: "parent_id", as: UUID?.self))
        }
        let registered = Set(try await sql.raw("SELECT unit_id FROM registrations WHERE year = \(bind: year)").all().map {
            try $0.decode(column: "unit_id", as: UUID.self)
        })
        return DashboardData(memberships: members, blocName: blocName, units: units, registered: registered)
    }
}
