import Fluent
import Foundation
import SQLKit
import ThiDuaCore

extension ImportService {
    /// What an import plan changes in the register, row by row against what is stored, on natural keys: a unit by
    /// its name; a person by unit, name and birth year; a rating by subject and year; an award by subject, kind and
    /// year; an initiative by subject, title and year; a discipline by subject and start date. A cell left empty
    /// leaves the stored value as it is; a row equal to what is stored is left alone.
    struct Changes: Sendable {
        var counts: [String: Count] = [:]
        var newUnits: [Unit] = []
        var unitUpdates: [(UUID, String?, UnitKind, String?)] = []
        var newPeople: [Person] = []
        var personUpdates: [(UUID, Gender?, Int?, String?, Day?)] = []
        var newRatings: [RatingRecord] = []
        var ratingUpdates: [(UUID, TaskRating)] = []
        var newAwards: [AwardRecordModel] = []
        var awardUpdates: [(UUID, AwardType, String?, String?, String?, Int?)] = []
        var newInitiatives: [InitiativeRecord] = []
        var initiativeUpdates: [(UUID, InitiativeScope, String?, String?)] = []
        var newDisciplines: [RestrictionRecord] = []
        var disciplineUpdates: [(UUID, String, String?)] = []

        mutating func count(_ kind: ImportSheetKind, _ what: WritableKeyPath<Count, Int>) {
            counts[kind.title, default: Count()][keyPath: what] += 1
        }

        static func compute(_ plan: ImportPlan, context: ImportContext, on db: any Database) async throws -> Changes {
            var c = Changes()
            let units = Dictionary(context.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var newUnitIDs: [String: UUID] = [:]
            for u in plan.newUnits {
                let unit = Unit(officialName: u.officialName, shortName: u.shortName ?? u.officialName, parentID: nil, kind: u.kind, sector: u.sector)
                unit.id = UUID()
                newUnitIDs[VietnameseText.searchKey(u.officialName)] = unit.id
                c.newUnits.append(unit)
                c.count(.units, \.added)
            }
            for u in plan.unitUpdates {
                guard let old = units[u.id] else { continue }
                let short = u.shortName ?? old.shortName, sector = u.sector ?? old.sector
                if short == old.shortName && u.kind == old.kind && sector == old.sector { c.count(.units, \.unchanged); continue }
                c.unitUpdates.append((u.id, short, u.kind, sector))
                c.count(.units, \.changed)
            }
            func unitID(_ r: ImportUnitRef) -> UUID? {
                switch r { case .existing(let id): id; case .new(let key): newUnitIDs[key] }
            }
            let people = Dictionary(context.people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var newPersonIDs: [Int: UUID] = [:]
            for (i, p) in plan.people.enumerated() {
                if let id = p.existing, let old = people[id] {
                    let gender = p.gender ?? old.gender, birth = p.birthYear ?? old.birthYear, position = p.position ?? old.position
                    let start = p.serviceStart ?? old.serviceStart
                    if gender == old.gender && birth == old.birthYear && position == old.position && start == old.serviceStart { c.count(.people, \.unchanged); continue }
                    c.personUpdates.append((id, gender, birth, position, start))
                    c.count(.people, \.changed)
                } else if let unit = unitID(p.unit) {
                    let person = Person(fullName: p.fullName, gender: p.gender?.rawValue, birthYear: p.birthYear, unitID: unit, position: p.position)
                    person.serviceStart = p.serviceStart?.description
                    person.id = UUID()
                    newPersonIDs[i] = person.id
                    c.newPeople.append(person)
                    c.count(.people, \.added)
                }
            }
            func subject(_ s: ImportSubjectRef) -> RegisterSubject? {
                switch s {
                case .unit(let r): unitID(r).map(RegisterSubject.unit)
                case .person(let id): .person(id)
                case .newPerson(let i): newPersonIDs[i].map(RegisterSubject.person)
                }
            }
            // What is stored for the subjects already in the register.
            var existingKeys = Set<String>()
            for s in plan.ratings.map(\.subject) + plan.awards.map(\.subject) + plan.initiatives.map(\.subject) + plan.disciplines.map(\.subject) {
                switch s {
                case .unit(.existing(let id)): existingKeys.insert(RegisterSubject.unit(id).key)
                case .person(let id): existingKeys.insert(RegisterSubject.person(id).key)
                default: break
                }
            }
            let stored = try await Stored.load(Array(existingKeys), on: db)

            for r in plan.ratings {
                guard let s = subject(r.subject) else { continue }
                if let old = stored.ratings["\(s.key)|\(r.year)"] {
                    if old.1 == r.rating.rawValue { c.count(.ratings, \.unchanged) } else { c.ratingUpdates.append((old.0, r.rating)); c.count(.ratings, \.changed) }
                } else {
                    let rec = RatingRecord(s, year: r.year, rating: r.rating)
                    rec.id = UUID()
                    c.newRatings.append(rec); c.count(.ratings, \.added)
                }
            }
            for a in plan.awards {
                guard let s = subject(a.subject) else { continue }
                let date = a.date?.description
                if let old = stored.awards["\(s.key)|\(a.kind)|\(a.year)"] {
                    let decision = a.decision ?? old.decision, when = date ?? old.date, issuer = a.issuer ?? old.issuer, from = a.periodFrom ?? old.periodFrom
                    if old.type == a.type.rawValue && decision == old.decision && when == old.date && issuer == old.issuer && from == old.periodFrom {
                        c.count(.awards, \.unchanged)
                    } else { c.awardUpdates.append((old.id, a.type, decision, when, issuer, from)); c.count(.awards, \.changed) }
                } else {
                    let rec = AwardRecordModel()
                    rec.id = UUID(); rec.assign(s)
                    rec.kind = a.kind; rec.year = a.year; rec.awardType = a.type.rawValue; rec.decision = a.decision; rec.decidedOn = date
                    rec.issuer = a.issuer; rec.revoked = false; rec.periodFrom = a.periodFrom
                    c.newAwards.append(rec); c.count(.awards, \.added)
                }
            }
            for i in plan.initiatives {
                guard let s = subject(i.subject) else { continue }
                let date = i.date?.description
                if let old = stored.initiatives["\(s.key)|\(VietnameseText.searchKey(i.title))|\(i.year)"] {
                    let by = i.recognisedBy ?? old.by, when = date ?? old.date
                    if old.scope == i.scope.rawValue && by == old.by && when == old.date { c.count(.initiatives, \.unchanged) }
                    else { c.initiativeUpdates.append((old.id, i.scope, by, when)); c.count(.initiatives, \.changed) }
                } else {
                    let rec = InitiativeRecord()
                    rec.id = UUID(); rec.assign(s)
                    rec.title = i.title; rec.year = i.year; rec.scope = i.scope.rawValue; rec.recognisedBy = i.recognisedBy; rec.recognisedOn = date
                    c.newInitiatives.append(rec); c.count(.initiatives, \.added)
                }
            }
            for d in plan.disciplines {
                guard let s = subject(d.subject) else { continue }
                let to = d.to?.description
                if let old = stored.disciplines["\(s.key)|\(d.from.description)"] {
                    let ends = to ?? old.ends
                    if old.detail == d.detail && ends == old.ends { c.count(.disciplines, \.unchanged) }
                    else { c.disciplineUpdates.append((old.id, d.detail, ends)); c.count(.disciplines, \.changed) }
                } else {
                    let rec = RestrictionRecord()
                    rec.id = UUID(); rec.assign(s)
                    rec.kind = "discipline"; rec.startsOn = d.from.description; rec.endsOn = to; rec.detail = d.detail
                    c.newDisciplines.append(rec); c.count(.disciplines, \.added)
                }
            }
            return c
        }

        /// How many records `apply` writes (new and changed).
        var writes: Int {
            newUnits.count + unitUpdates.count + newPeople.count + personUpdates.count + newRatings.count + ratingUpdates.count
                + newAwards.count + awardUpdates.count + newInitiatives.count + initiativeUpdates.count + newDisciplines.count + disciplineUpdates.count
        }

        /// Writes everything, in batches, inside the caller's transaction; `progress` hears how many records are written.
        func apply(on db: any Database, progress: @Sendable (_ written: Int) -> Void = { _ in }) async throws {
            var written = 0
            func batches<M: Model>(_ models: [M]) async throws {
                var i = 0
                while i < models.count {
                    let chunk = Array(models[i..<min(i + 200, models.count)])
                    try await chunk.create(on: db)
                    i += chunk.count
                    written += chunk.count
                    progress(written)
                }
            }
            func updated() { written += 1; if written % 200 == 0 { progress(written) } }
            try await batches(newUnits)
            for (id, short, kind, sector) in unitUpdates {
                guard let u = try await Unit.find(id, on: db) else { continue }
                u.shortName = short ?? u.shortName; u.kind = kind.rawValue; u.sector = sector
                u.searchText = Unit.searchKey(u.officialName, u.shortName)
                try await u.save(on: db)
                updated()
            }
            try await batches(newPeople)
            for (id, gender, birth, position, start) in personUpdates {
                try await Person.query(on: db).filter(\.$id == id).set(\.$gender, to: gender?.rawValue).set(\.$birthYear, to: birth).set(\.$position, to: position)
                    .set(\.$serviceStart, to: start?.description).update()
                updated()
            }
            try await batches(newRatings)
            for (id, rating) in ratingUpdates { try await RatingRecord.query(on: db).filter(\.$id == id).set(\.$rating, to: rating.rawValue).update(); updated() }
            try await batches(newAwards)
            for (id, type, decision, date, issuer, from) in awardUpdates {
                try await AwardRecordModel.query(on: db).filter(\.$id == id).set(\.$awardType, to: type.rawValue).set(\.$decision, to: decision)
                    .set(\.$decidedOn, to: date).set(\.$issuer, to: issuer).set(\.$periodFrom, to: from).update()
                updated()
            }
            try await batches(newInitiatives)
            for (id, scope, by, date) in initiativeUpdates {
                try await InitiativeRecord.query(on: db).filter(\.$id == id).set(\.$scope, to: scope.rawValue).set(\.$recognisedBy, to: by).set(\.$recognisedOn, to: date).update()
                updated()
            }
            try await batches(newDisciplines)
            for (id, detail, ends) in disciplineUpdates {
                try await RestrictionRecord.query(on: db).filter(\.$id == id).set(\.$detail, to: detail).set(\.$endsOn, to: ends).update()
                updated()
            }
            progress(written)
        }
    }

    /// The stored facts of some subjects, by natural key.
    struct Stored {
        var ratings: [String: (UUID, String)] = [:]
        var awards: [String: (id: UUID, type: String, decision: String?, date: String?, issuer: String?, periodFrom: Int?)] = [:]
        var initiatives: [String: (id: UUID, scope: String, by: String?, date: String?)] = [:]
        var disciplines: [String: (id: UUID, detail: String, ends: String?)] = [:]

        static func load(_ keys: [String], on db: any Database) async throws -> Stored {
            var s = Stored()
            var i = 0
            while i < keys.count {
                let chunk = Array(keys[i..<min(i + 500, keys.count)])
                i += chunk.count
                for r in try await RatingRecord.query(on: db).filter(\.$subjectKey ~~ chunk).all() { s.ratings["\(r.subjectKey)|\(r.year)"] = (r.id!, r.rating) }
                for a in try await AwardRecordModel.query(on: db).filter(\.$subjectKey ~~ chunk).all() {
                    s.awards["\(a.subjectKey)|\(a.kind)|\(a.year)"] = (a.id!, a.awardType, a.decision, a.decidedOn, a.issuer, a.periodFrom)
                }
                for n in try await InitiativeRecord.query(on: db).filter(\.$subjectKey ~~ chunk).all() {
                    s.initiatives["\(n.subjectKey)|\(VietnameseText.searchKey(n.title))|\(n.year)"] = (n.id!, n.scope, n.recognisedBy, n.recognisedOn)
                }
                for d in try await RestrictionRecord.query(on: db).filter(\.$subjectKey ~~ chunk).filter(\.$kind == "discipline").all() {
                    s.disciplines["\(d.subjectKey)|\(d.startsOn)"] = (d.id!, d.detail, d.endsOn)
                }
            }
            return s
        }
    }
}
