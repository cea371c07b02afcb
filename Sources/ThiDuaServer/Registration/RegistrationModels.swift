import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// A unit's emulation registration for a year: the collective titles it aims for and its people's targets.
final class RegistrationModel: Model, @unchecked Sendable {
    static let schema = "registrations"
    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "bloc_id") var blocID: UUID
    @Field(key: "year") var year: Int
    /// Award codes, comma-separated.
    @Field(key: "collective_targets") var collectiveTargets: String
    @Field(key: "note") var note: String
    @Field(key: "lock_version") var lockVersion: Int
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] {
        [$id, $unitID, $blocID, $year, $collectiveTargets, $note, $lockVersion, $updatedBy, $updatedAt]
    }
    var targets: [String] { collectiveTargets.split(separator: ",").map(String.init) }
}

final class RegistrationEntry: Model, @unchecked Sendable {
    static let schema = "registration_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "registration_id") var registrationID: UUID
    @Field(key: "position_no") var positionNo: Int
    @Field(key: "full_name") var fullName: String
    @OptionalField(key: "job_title") var jobTitle: String?
    @Field(key: "target") var target: String
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $registrationID, $positionNo, $fullName, $jobTitle, $target] }
}

struct CreateRegistrations: AsyncMigration {
    var name: String { "0009_create_registrations" }
    func prepare(on db: any Database) async throws {
        try await db.schema(RegistrationModel.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("bloc_id", .uuid, .required, .references(Bloc.schema, .id, onDelete: .restrict))
            .field("year", .int, .required)
            .field("collective_targets", .string, .required)
            .field("note", .string, .required)
            .field("lock_version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "unit_id", "year")
            .create()
        try await db.schema(RegistrationEntry.schema)
            .id()
            .field("registration_id", .uuid, .required, .references(RegistrationModel.schema, .id, onDelete: .cascade))
            .field("position_no", .int, .required)
            .field("full_name", .string, .required)
            .field("job_title", .string)
            .field("target", .string, .required)
            .create()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(RegistrationEntry.schema).delete()
        try await db.schema(RegistrationModel.schema).delete()
    }
}

struct RegistrationIndividual: Content, Sendable { var fullName: String; var position: String?; var target: String }

struct RegistrationDTO: Content, Sendable {
    var unitID: UUID
    var unitName: String
    var year: Int
    var registered: Bool
    var collectiveTargets: [String]
    var collectiveTargetNames: [String]
    var individuals: [RegistrationIndividual]
    var note: String
    var lockVersion: Int
    var updatedBy: String?
}

/// Saving and reading registrations: the unit's officer (or the office), before the registration deadline.
enum RegistrationService {
    struct Input: Content, Sendable {
        var lockVersion: Int?
        var collectiveTargets: [String]?
        var individuals: [RegistrationIndividual]?
        /// Forms: one person per line, "Họ và tên | Chức vụ | MÃ".
        var individualsText: String?
        var note: String?
    }

    static func bloc(of unitID: UUID, year: Int, on db: any Database) async throws -> Membership? {
        if let m = try await Membership.query(on: db).filter(\.$unitID == unitID).filter(\.$year == year).filter(\.$organiser == BlocOrganiser.province).first() {
            return m
        }
        return try await Membership.query(on: db).filter(\.$unitID == unitID).filter(\.$year == year).first()
    }

    static func dto(unit: Unit, year: Int, catalogue: Catalogue, on db: any Database) async throws -> RegistrationDTO {
        let r = try await RegistrationModel.query(on: db).filter(\.$unitID == unit.id!).filter(\.$year == year).first()
        let entries = r == nil ? [] : try await RegistrationEntry.query(on: db).filter(\.$registrationID == r!.id!).sort(\.$positionNo).all()
        let targets = r?.targets ?? []
        return RegistrationDTO(unitID: unit.id!, unitName: unit.officialName, year: year, registered: r != nil, collectiveTargets: targets,
                               collectiveTargetNames: targets.map { catalogue.awards[$0]?.name ?? $0 },
                               individuals: entries.map { RegistrationIndividual(fullName: $0.fullName, position: $0.jobTitle, target: $0.target) },
                               note: r?.note ?? "", lockVersion: r?.lockVersion ?? 0, updatedBy: r?.updatedBy)
    }

    static func parseIndividuals(_ text: String) throws -> [RegistrationIndividual] {
        try VietnameseText.lines(text).enumerated().compactMap { i, line in
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.allSatisfy(\.isEmpty) { return nil }
            guard parts.count == 3 else { throw DomainError.invalid("Dòng \(i + 1): hãy viết “Họ và tên | Chức vụ | MÃ danh hiệu”.", field: "individualsText") }
            return RegistrationIndividual(fullName: parts[0], position: parts[1].isEmpty ? nil : parts[1], target: parts[2].uppercased())
        }
    }

    static func save(unit: Unit, year: Int, _ input: Input, req: Request) async throws {
        try req.requirePrincipal().requireUnit(unit.id!, unitName: unit.officialName)
        guard let membership = try await bloc(of: unit.id!, year: year, on: req.db) else {
            throw DomainError.conflict("“\(unit.officialName)” chưa thuộc khối thi đua nào năm \(year); chưa đăng ký được.")
        }
        try await DeadlineService.requireOpen(.registration, year: year, unitID: unit.id!, req: req)
        let catalogue = req.application.catalogue
        // Bounded before any work on the elements: a unit registers a few titles and at most some thousand people.
        try Bounded.list(input.collectiveTargets, field: "collectiveTargets", label: "Danh hiệu tập thể đăng ký", max: 50)
        try Bounded.list(input.individuals, field: "individuals", label: "Cá nhân đăng ký", max: 5_000)
        let targets = try (input.collectiveTargets ?? []).filter { !$0.isEmpty }.map { code -> String in
            guard let a = catalogue.awards[code], a.subjects.contains(.collective) else {
                throw DomainError.invalid("“\(code)” không phải danh hiệu, hình thức khen thưởng tập thể trong danh mục.", field: "collectiveTargets")
            }
            return code
        }
        var people = input.individuals ?? []
        if let text = input.individualsText { people = try parseIndividuals(text) }
        try Bounded.list(people, field: "individuals", label: "Cá nhân đăng ký", max: 5_000)
        let checked = try people.enumerated().map { i, p in
            let name = try Validate.name(p.fullName, field: "individuals", label: "Họ và tên (dòng \(i + 1))", maxLength: 120)
            guard let a = catalogue.awards[p.target], a.subjects.contains(.individual) else {
                throw DomainError.invalid("Dòng \(i + 1): “\(p.target)” không phải danh hiệu cá nhân trong danh mục (ví dụ LDTT, CSTT, CSTDCS, CSTD_TINH).", field: "individuals")
            }
            return RegistrationIndividual(fullName: name, position: try Validate.optional(p.position, field: "individuals", label: "Chức vụ", maxLength: 120), target: p.target)
        }
        let note = try Bounded.text(input.note ?? "", field: "note", label: "Ghi chú", max: 4_000) ?? ""
        let existing = try await RegistrationModel.query(on: req.db).filter(\.$unitID == unit.id!).filter(\.$year == year).first()
        let before = try await dto(unit: unit, year: year, catalogue: catalogue, on: req.db)
        if let existing, input.lockVersion != existing.lockVersion {
            throw DomainError.conflict("Bản đăng ký vừa được \(existing.updatedBy) sửa; thay đổi của bạn chưa được lưu. Hãy tải lại trang.")
        }
        let r = existing ?? RegistrationModel()
        let expected = r.lockVersion
        r.unitID = unit.id!; r.blocID = membership.blocID; r.year = year; r.collectiveTargets = Set(targets).sorted().joined(separator: ",")
        r.note = note; r.lockVersion = (existing?.lockVersion ?? 0) + 1; r.updatedBy = req.actorName
        let actor = req.actorName
        try await req.audited { db, audit in
            if existing != nil {
                try await RegistrationModel.query(on: db).filter(\.$id == r.id!).filter(\.$lockVersion == expected)
                    .set(\.$collectiveTargets, to: r.collectiveTargets).set(\.$note, to: note).set(\.$lockVersion, to: expected + 1)
                    .set(\.$updatedBy, to: actor).update()
                guard try await RegistrationModel.find(r.id, on: db)?.lockVersion == expected + 1 else {
                    throw DomainError.conflict("Bản đăng ký vừa được người khác sửa; thay đổi của bạn chưa được lưu.")
                }
                try await RegistrationEntry.query(on: db).filter(\.$registrationID == r.id!).delete()
            } else {
                try await r.create(on: db)
            }
            for (i, p) in checked.enumerated() {
                let e = RegistrationEntry()
                e.registrationID = r.id!; e.positionNo = i + 1; e.fullName = p.fullName; e.jobTitle = p.position; e.target = p.target
                try await e.create(on: db)
            }
            struct S: Codable { var targets: [String]; var individuals: Int; var note: String }
            try await audit.record("registration", r.id, existing == nil ? "create" : "update",
                                   old: existing == nil ? nil : S(targets: before.collectiveTargets, individuals: before.individuals.count, note: before.note),
                                   new: S(targets: r.targets, individuals: checked.count, note: note))
        }
    }
}
