import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// The office's date for a phase of a year.
final class Deadline: Model, @unchecked Sendable {
    static let schema = "deadlines"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "phase") var phase: String
    @Field(key: "due_on") var dueOn: String
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $year, $phase, $dueOn] }
}

/// A phase reopened for one unit after its deadline, until a date, with the reason.
final class DeadlineReopening: Model, @unchecked Sendable {
    static let schema = "deadline_reopenings"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "phase") var phase: String
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "until") var until: String
    @Field(key: "reason") var reason: String
    @Field(key: "recorded_by") var recordedBy: String
    init() {}
    /// Its properties without reflection (`ModelPropertiesTests`: what Fluent finds by reflecting).
    var properties: [any AnyProperty] { [$id, $year, $phase, $unitID, $until, $reason, $recordedBy] }
}

struct CreateDeadlines: AsyncMigration {
    var name: String { "0008_create_deadlines" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Deadline.schema)
            .id()
            .field("year", .int, .required)
            .field("phase", .string, .required)
            .field("due_on", .string, .required)
            .unique(on: "year", "phase")
            .create()
        try await db.schema(DeadlineReopening.schema)
            .id()
            .field("year", .int, .required)
            .field("phase", .string, .required)
            .field("unit_id", .uuid, .required, .references(Unit.schema, .id, onDelete: .restrict))
            .field("until", .string, .required)
            .field("reason", .string, .required)
            .field("recorded_by", .string, .required)
            .unique(on: "year", "phase", "unit_id")
            .create()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(DeadlineReopening.schema).delete()
        try await db.schema(Deadline.schema).delete()
    }
}

struct DeadlineDTO: Content, Sendable {
    var phase: String
    var label: String
    var due: String?
    var dueISO: String?
    var state: String?
    var reopenings: [ReopeningDTO]
}
struct ReopeningDTO: Content, Sendable { var unitID: UUID; var unitName: String; var until: String; var reason: String }

/// Deadlines per year and phase; units are held to them unless the office reopens the phase for them.
enum DeadlineService {
    /// Throws 409 when `phase` of `year` is closed for `unitID` today.
    static func requireOpen(_ phase: EmulationPhase, year: Int, unitID: UUID, req: Request) async throws {
        try await requireOpen(phase, year: year, unitID: unitID, today: RegisterService.today(req), on: req.db)
    }

    /// A 409 unless `unitID` may still act in `phase` of `year` on `today` (before the due date, or reopened for it).
    static func requireOpen(_ phase: EmulationPhase, year: Int, unitID: UUID, today: Day, on db: any Database) async throws {
        guard let d = try await Deadline.query(on: db).filter(\.$year == year).filter(\.$phase == phase.rawValue).first(),
              let due = Day(iso: d.dueOn) else { return }
        let reopening = try await DeadlineReopening.query(on: db).filter(\.$year == year).filter(\.$phase == phase.rawValue)
            .filter(\.$unitID == unitID).first()
        if !DeadlineRules.isOpen(due: due, reopenedUntil: reopening.flatMap { Day(iso: $0.until) }, today: today) {
            throw DeadlineRules.closedError(phase, due: due)
        }
    }

    static func list(year: Int, req: Request) async throws -> [DeadlineDTO] {
        let deadlines = try await Deadline.query(on: req.db).filter(\.$year == year).all()
        let reopenings = try await DeadlineReopening.query(on: req.db).filter(\.$year == year).all()
        let names = Dictionary(uniqueKeysWithValues: try await Unit.query(on: req.db).all().map { ($0.id!, $0.officialName) })
        let today = RegisterService.today(req)
        return EmulationPhase.allCases.map { phase in
            let d = deadlines.first { $0.phase == phase.rawValue }.flatMap { Day(iso: $0.dueOn) }
            return DeadlineDTO(phase: phase.rawValue, label: phase.label, due: d?.vietnamese, dueISO: d?.description,
                               state: d.map { DeadlineRules.state(due: $0, today: today) },
                               reopenings: reopenings.filter { $0.phase == phase.rawValue }.map {
                                   ReopeningDTO(unitID: $0.unitID, unitName: names[$0.unitID] ?? "?", until: Day(iso: $0.until)?.vietnamese ?? $0.until, reason: $0.reason)
                               })
        }
    }

    struct SetInput: Content, Sendable { var due: String? }
    struct ReopenInput: Content, Sendable { var unitID: String?; var until: String?; var reason: String? }

    static func phase(_ req: Request) throws -> EmulationPhase {
        guard let p = EmulationPhase(rawValue: req.parameters.get("phase") ?? "") else { throw DomainError.notFound("Không có giai đoạn này.") }
        return p
    }

    static func set(year: Int, phase: EmulationPhase, input: SetInput, req: Request) async throws {
        try await OrganisationService.requireYearOpen(year, on: req.db)
        let due = try RegisterService.day(input.due, field: "due", label: "Hạn", required: false, notAfter: Day(year + 2, 12, 31))
        let existing = try await Deadline.query(on: req.db).filter(\.$year == year).filter(\.$phase == phase.rawValue).first()
        struct S: Codable { var year: Int; var phase: String; var due: String? }
        try await req.audited { db, audit in
            if let due {
                let d = existing ?? Deadline()
                let old = existing.map { S(year: year, phase: phase.rawValue, due: $0.dueOn) }
                d.year = year; d.phase = phase.rawValue; d.dueOn = due.description
                try await d.save(on: db)
                try await audit.record("deadline", d.id, "set", old: old, new: S(year: year, phase: phase.rawValue, due: due.description))
            } else if let existing {
                try await existing.delete(on: db)
                try await audit.deleted("deadline", existing.id, S(year: year, phase: phase.rawValue, due: existing.dueOn))
            }
        }
    }

    static func reopen(year: Int, phase: EmulationPhase, input: ReopenInput, req: Request) async throws {
        guard let unitID = try parseUUID(input.unitID, field: "unitID", label: "Đơn vị"), try await Unit.find(unitID, on: req.db) != nil else {
            throw DomainError.invalid("Hãy chọn đơn vị được mở lại.", field: "unitID")
        }
        let today = RegisterService.today(req)
        guard let until = try RegisterService.day(input.until, field: "until", label: "Mở đến ngày", required: true, notAfter: Day(today.year + 1, 12, 31)) else { return }
        if until < today { throw DomainError.invalid("Ngày mở lại phải từ hôm nay trở đi.", field: "until") }
        let reason = try Validate.name(input.reason, field: "reason", label: "Lý do mở lại", maxLength: 500)
        let r = try await DeadlineReopening.query(on: req.db).filter(\.$year == year).filter(\.$phase == phase.rawValue).filter(\.$unitID == unitID).first() ?? DeadlineReopening()
        r.year = year; r.phase = phase.rawValue; r.unitID = unitID; r.until = until.description; r.reason = reason; r.recordedBy = req.actorName
        struct S: Codable { var year: Int; var phase: String; var unitID: UUID; var until: String; var reason: String }
        try await req.audited { db, audit in
            try await r.save(on: db)
            try await audit.record("deadline_reopening", r.id, "reopen", old: Optional<S>.none, new: S(year: year, phase: phase.rawValue, unitID: unitID, until: until.description, reason: reason))
        }
    }
}
