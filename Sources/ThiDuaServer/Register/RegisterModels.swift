import Fluent
import SQLKit
import Foundation
import ThiDuaCore

/// A person of the register (cán bộ, công chức, chiến sĩ).
final class Person: Model, @unchecked Sendable {
    static let schema = "people"
    @ID(key: .id) var id: UUID?
    @Field(key: "full_name") var fullName: String
    @OptionalField(key: "gender") var gender: String?
    @OptionalField(key: "birth_year") var birthYear: Int?
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "position") var position: String?
    @Field(key: "search_text") var searchText: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// When the person started service (recruitment), "yyyy-MM-dd": people recruited late in a year are not
    /// considered for LĐTT/CSTT (`Condition.inServiceMonths`).
    @OptionalField(key: "service_start") var serviceStart: String?
    var serviceStartDay: Day? { serviceStart.flatMap(Day.init(iso:)) }

    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $fullName, $gender, $birthYear, $unitID, $position, $searchText, $createdAt, $serviceStart]
    }
    init(fullName: String, gender: String?, birthYear: Int?, unitID: UUID, position: String?) {
        self.fullName = fullName
        self.gender = gender
        self.birthYear = birthYear
        self.unitID = unitID
        self.position = position
        self.searchText = VietnameseText.searchKey(fullName)
    }

    var subjectKey: String { "p:\(id!.uuidString)" }
}

/// Whose fact a register row is: a person or a collective (unit).
enum RegisterSubject: Sendable, Equatable {
    case person(UUID)
    case unit(UUID)

    var key: String {
        switch self {
        case .person(let id): "p:\(id.uuidString)"
        case .unit(let id): "u:\(id.uuidString)"
        }
    }
    var personID: UUID? { if case .person(let id) = self { return id }; return nil }
    var unitID: UUID? { if case .unit(let id) = self { return id }; return nil }
}

/// A register row that belongs to a person or a collective.
protocol SubjectFact: AnyObject {
    var subjectKey: String { get set }
    var personID: UUID? { get set }
    var unitID: UUID? { get set }
}

extension SubjectFact {
    /// Binds the row to `subject` (its key and the matching foreign key).
    func assign(_ subject: RegisterSubject) {
        subjectKey = subject.key
        personID = subject.personID
        unitID = subject.unitID
    }
}

/// A yearly task rating.
final class RatingRecord: Model, SubjectFact, @unchecked Sendable {
    static let schema = "register_ratings"
    @ID(key: .id) var id: UUID?
    @Field(key: "subject_key") var subjectKey: String
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "rating") var rating: String
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $subjectKey, $personID, $unitID, $year, $rating] }
    init(_ s: RegisterSubject, year: Int, rating: TaskRating) {
        self.year = year
        self.rating = rating.rawValue
        assign(s)
    }
}

/// An award received (title or form), with its decision.
final class AwardRecordModel: Model, SubjectFact, @unchecked Sendable {
    static let schema = "register_awards"
    @ID(key: .id) var id: UUID?
    @Field(key: "subject_key") var subjectKey: String
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "year") var year: Int
    @Field(key: "award_type") var awardType: String
    @OptionalField(key: "decision") var decision: String?
    @OptionalField(key: "decided_on") var decidedOn: String?
    @OptionalField(key: "issuer") var issuer: String?
    @Field(key: "revoked") var revoked: Bool
    /// The first year of the achievement period the decision names (it ends at `year`); nil when it names none.
    @OptionalField(key: "period_from") var periodFrom: Int?
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $subjectKey, $personID, $unitID, $kind, $year, $awardType, $decision, $decidedOn, $issuer, $revoked, $periodFrom]
    }
}

/// An initiative or research work, and the award that consumed it.
final class InitiativeRecord: Model, SubjectFact, @unchecked Sendable {
    static let schema = "register_initiatives"
    @ID(key: .id) var id: UUID?
    @Field(key: "subject_key") var subjectKey: String
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "year") var year: Int
    @Field(key: "scope") var scope: String
    @OptionalField(key: "recognised_by") var recognisedBy: String?
    @OptionalField(key: "recognised_on") var recognisedOn: String?
    /// "CODE:YEAR" of the award that consumed it.
    @OptionalField(key: "used_by") var usedBy: String?
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $subjectKey, $personID, $unitID, $title, $year, $scope, $recognisedBy, $recognisedOn, $usedBy]
    }
}

/// A discipline (from–to) or a freeze (under review, investigation) of a subject.
final class RestrictionRecord: Model, SubjectFact, @unchecked Sendable {
    static let schema = "register_restrictions"
    @ID(key: .id) var id: UUID?
    @Field(key: "subject_key") var subjectKey: String
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "unit_id") var unitID: UUID?
    /// "discipline" or "freeze".
    @Field(key: "kind") var kind: String
    @Field(key: "starts_on") var startsOn: String
    @OptionalField(key: "ends_on") var endsOn: String?
    /// The form of discipline, or the reason of a freeze.
    @Field(key: "detail") var detail: String
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $subjectKey, $personID, $unitID, $kind, $startsOn, $endsOn, $detail] }
}

/// A collective's member counts for a year, and whether it led its bloc.
final class UnitYearRecord: Model, @unchecked Sendable {
    static let schema = "register_unit_years"
    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "members") var members: Int
    @Field(key: "completed") var completed: Int
    @Field(key: "ldtt") var ldtt: Int
    @Field(key: "cstdcs") var cstdcs: Int
    @OptionalField(key: "disciplined") var disciplined: Int?
    @Field(key: "led_bloc") var ledBloc: Bool
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $unitID, $year, $members, $completed, $ldtt, $cstdcs, $disciplined, $ledBloc]
    }
}

struct CreateRegister: AsyncMigration {
    var name: String { "0006_create_register" }

    func subjectColumns(_ b: SchemaBuilder) -> SchemaBuilder {
        b.field("subject_key", .string, .required)
            .field("person_id", .uuid, .references(Person.schema, .id, onDelete: .cascade))
            .field("unit_id", .uuid, .references(Unit.schema, .id, onDelete: .restrict))
    }

    func prepare(on db: any Database) async throws {
        try await db.schema(Person.schema)
            .id()
            .field("full_name", .string, .required)
            .field("gender", .string)
            .field("birth_year", .int)
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("position", .string)
            .field("search_text", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await subjectColumns(db.schema(RatingRecord.schema).id())
            .field("year", .int, .required)
            .field("rating", .string, .required)
            .unique(on: "subject_key", "year")
            .create()
        try await subjectColumns(db.schema(AwardRecordModel.schema).id())
            .field("kind", .string, .required)
            .field("year", .int, .required)
            .field("award_type", .string, .required)
            .field("decision", .string)
            .field("decided_on", .string)
            .field("issuer", .string)
            .field("revoked", .bool, .required)
            .create()
        try await subjectColumns(db.schema(InitiativeRecord.schema).id())
            .field("title", .string, .required)
            .field("year", .int, .required)
            .field("scope", .string, .required)
            .field("recognised_by", .string)
            .field("recognised_on", .string)
            .field("used_by", .string)
            .create()
        try await subjectColumns(db.schema(RestrictionRecord.schema).id())
            .field("kind", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("detail", .string, .required)
            .create()
        try await db.schema(UnitYearRecord.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("year", .int, .required)
            .field("members", .int, .required)
            .field("completed", .int, .required)
            .field("ldtt", .int, .required)
            .field("cstdcs", .int, .required)
            .field("disciplined", .int)
            .field("led_bloc", .bool, .required)
            .unique(on: "unit_id", "year")
            .create()
    }

    func revert(on db: any Database) async throws {
        for s in [UnitYearRecord.schema, RestrictionRecord.schema, InitiativeRecord.schema, AwardRecordModel.schema, RatingRecord.schema, Person.schema] {
            try await db.schema(s).delete()
        }
    }
}

/// Indexes for reading the register in batches (`subject_key IN (…)`) and a unit's people: without them every batch
/// scans whole tables, which a province-size register (a million rows and more) cannot afford. (`register_ratings`
/// already has one through its unique key on subject and year.)
struct AddRegisterIndexes: AsyncMigration {
    var name: String { "0017_register_indexes" }
    static let indexes = [("idx_register_awards_subject", "register_awards", "subject_key"),
                          ("idx_register_initiatives_subject", "register_initiatives", "subject_key"),
                          ("idx_register_restrictions_subject", "register_restrictions", "subject_key"),
                          ("idx_people_unit", "people", "unit_id"),
                          ("idx_memberships_bloc_year", "memberships", "bloc_id")]

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for (name, table, column) in Self.indexes { try await sql.create(index: name).on(table).column(column).run() }
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for (name, _, _) in Self.indexes { try await sql.drop(index: name).run() }
    }
}

/// A person's start of service (LĐTT/CSTT are not considered for people recruited late in the year).
struct AddServiceStart: AsyncMigration {
    var name: String { "0024_register_service_start" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Person.schema).field("service_start", .string).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(Person.schema).deleteField("service_start").update()
    }
}

/// An award's achievement period (Decree 98/2023 Art. 30 cl. 9: the next award counts from it).
struct AddAwardPeriod: AsyncMigration {
    var name: String { "0023_register_award_period" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AwardRecordModel.schema).field("period_from", .int).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(AwardRecordModel.schema).deleteField("period_from").update()
    }
}
