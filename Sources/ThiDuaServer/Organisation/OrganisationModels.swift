import Fluent
import Foundation
import ThiDuaCore

/// An agency (cơ quan, đơn vị). Units nest through `parentID`.
final class Unit: Model, @unchecked Sendable {
    static let schema = "units"
    @ID(key: .id) var id: UUID?
    @Field(key: "official_name") var officialName: String
    @Field(key: "short_name") var shortName: String
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "kind") var kind: String
    @OptionalField(key: "sector") var sector: String?
    @Field(key: "search_text") var searchText: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $officialName, $shortName, $parentID, $kind, $sector, $searchText, $createdAt]
    }
    init(officialName: String, shortName: String, parentID: UUID?, kind: UnitKind, sector: String?) {
        self.officialName = officialName
        self.shortName = shortName
        self.parentID = parentID
        self.kind = kind.rawValue
        self.sector = sector
        self.searchText = Unit.searchKey(officialName, shortName)
    }

    static func searchKey(_ official: String, _ short: String) -> String {
        VietnameseText.searchKey(official + " " + short)
    }

    var unitKind: UnitKind { UnitKind(rawValue: kind) ?? .other }
}

/// An emulation bloc (khối thi đua), organised by the province or a vertical sector.
final class Bloc: Model, @unchecked Sendable {
    static let schema = "blocs"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "organiser") var organiser: String
    @Field(key: "search_text") var searchText: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $name, $organiser, $searchText, $createdAt] }
    init(name: String, organiser: String) {
        self.name = name
        self.organiser = organiser
        self.searchText = VietnameseText.searchKey(name)
    }
}

/// An emulation year opened by the office.
final class EmulationYear: Model, @unchecked Sendable {
    static let schema = "emulation_years"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "theme") var theme: String

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $year, $theme] }
    init(year: Int, theme: String) {
        self.year = year
        self.theme = theme
    }
}

/// A unit's membership of a bloc for one year. The unique key (unit, organiser, year) makes
/// "at most one bloc of a given organiser per year" hold even under concurrent writes.
final class Membership: Model, @unchecked Sendable {
    static let schema = "memberships"
    @ID(key: .id) var id: UUID?
    @Field(key: "bloc_id") var blocID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "organiser") var organiser: String

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $blocID, $unitID, $year, $organiser] }
    init(blocID: UUID, unitID: UUID, year: Int, organiser: String) {
        self.blocID = blocID
        self.unitID = unitID
        self.year = year
        self.organiser = organiser
    }
}

/// The bloc's leader and deputy unit for a year, and the bloc's plan text drafted by the leader.
final class BlocYear: Model, @unchecked Sendable {
    static let schema = "bloc_years"
    @ID(key: .id) var id: UUID?
    @Field(key: "bloc_id") var blocID: UUID
    @Field(key: "year") var year: Int
    @OptionalField(key: "leader_unit_id") var leaderUnitID: UUID?
    @OptionalField(key: "deputy_unit_id") var deputyUnitID: UUID?
    /// True when leader and deputy were chosen by the demo loader, not taken from a source.
    @Field(key: "leadership_is_demo") var leadershipIsDemo: Bool
    @Field(key: "plan") var plan: String

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $blocID, $year, $leaderUnitID, $deputyUnitID, $leadershipIsDemo, $plan] }
    init(blocID: UUID, year: Int) {
        self.blocID = blocID
        self.year = year
        self.leadershipIsDemo = false
        self.plan = ""
    }
}

struct CreateOrganisation: AsyncMigration {
    var name: String { "0002_create_organisation" }
    func prepare(on db: any Database) async throws {
        try await db.schema(EmulationYear.schema)
            .id()
            .field("year", .int, .required)
            .field("theme", .string, .required)
            .unique(on: "year")
            .create()
        try await db.schema(Unit.schema)
            .id()
            .field("official_name", .string, .required)
            .field("short_name", .string, .required)
            .field("parent_id", .uuid, .references(Unit.schema, .id, onDelete: .restrict))
            .field("kind", .string, .required)
            .field("sector", .string)
            .field("search_text", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "official_name")
            .create()
        try await db.schema(Bloc.schema)
            .id()
            .field("name", .string, .required)
            .field("organiser", .string, .required)
            .field("search_text", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
        try await db.schema(Membership.schema)
            .id()
            .field("bloc_id", .uuid, .required, .references(Bloc.schema, .id, onDelete: .restrict))
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("year", .int, .required)
            .field("organiser", .string, .required)
            .unique(on: "unit_id", "organiser", "year")
            .create()
        try await db.schema(BlocYear.schema)
            .id()
            .field("bloc_id", .uuid, .required, .references(Bloc.schema, .id, onDelete: .restrict))
            .field("year", .int, .required)
            .field("leader_unit_id", .uuid, .references(Unit.schema, .id, onDelete: .restrict))
            .field("deputy_unit_id", .uuid, .references(Unit.schema, .id, onDelete: .restrict))
            .field("leadership_is_demo", .bool, .required)
            .field("plan", .string, .required)
            .unique(on: "bloc_id", "year")
            .create()
    }
    func revert(on db: any Database) async throws {
        for s in [BlocYear.schema, Membership.schema, Bloc.schema, Unit.schema, EmulationYear.schema] {
            try await db.schema(s).delete()
        }
    }
}

struct CreateRoleGrants: AsyncMigration {
    var name: String { "0004_create_role_grants" }
    func prepare(on db: any Database) async throws {
        try await db.schema(RoleGrantModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("role", .string, .required)
            .field("unit_id", .uuid, .references(Unit.schema, .id, onDelete: .restrict))
            .field("bloc_id", .uuid, .references(Bloc.schema, .id, onDelete: .restrict))
            .field("year", .int)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(RoleGrantModel.schema).delete() }
}
