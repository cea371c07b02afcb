import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// The register of the units a caller may read, in the import template's layout (`RegisterExport`).
enum RegisterExportService {
    static func sheets(units visible: [Unit], on db: any Database) async throws -> [(ImportSheetKind, [String], [[ImportCell]])] {
        let ids = visible.compactMap(\.id)
        let units = visible.map { RegisterExport.UnitRow(id: $0.id!, officialName: $0.officialName, shortName: $0.shortName == $0.officialName ? nil : $0.shortName,
                                                         kind: $0.unitKind, sector: $0.sector) }
        var people: [RegisterExport.PersonRow] = []
        var i = 0
        while i < ids.count {
            let chunk = Array(ids[i..<min(i + 500, ids.count)]); i += chunk.count
            people += try await Person.query(on: db).filter(\.$unitID ~~ chunk).all().map {
                .init(id: $0.id!, unitID: $0.unitID, fullName: $0.fullName, gender: $0.gender.flatMap(Gender.init(rawValue:)), birthYear: $0.birthYear, position: $0.position,
                      serviceStart: $0.serviceStartDay)
            }
        }
        let keys = ids.map { RegisterSubject.unit($0).key } + people.map { RegisterSubject.person($0.id).key }
        var facts: [ImportSheetKind: [RegisterExport.Fact]] = [:]
        func day(_ iso: String?) -> ImportCell { iso.flatMap(Day.init(iso:)).map { .text($0.vietnamese) } ?? .empty }
        func text(_ s: String?) -> ImportCell { s.map { .text($0) } ?? .empty }
        i = 0
        while i < keys.count {
            let chunk = Array(keys[i..<min(i + 500, keys.count)]); i += chunk.count
            for r in try await RatingRecord.query(on: db).filter(\.$subjectKey ~~ chunk).all() {
                facts[.ratings, default: []].append(.init(subjectKey: r.subjectKey, values: [.year: .number(Double(r.year)), .rating: .text(r.rating)]))
            }
            for a in try await AwardRecordModel.query(on: db).filter(\.$subjectKey ~~ chunk).all() where !a.revoked {
                facts[.awards, default: []].append(.init(subjectKey: a.subjectKey, values: [
                    .award: .text(a.kind), .year: .number(Double(a.year)), .awardType: text(AwardType(rawValue: a.awardType)?.label ?? a.awardType),
                    .decision: text(a.decision), .date: day(a.decidedOn), .issuer: text(a.issuer),
                    .periodFrom: a.periodFrom.map { .number(Double($0)) } ?? .empty]))
            }
            for n in try await InitiativeRecord.query(on: db).filter(\.$subjectKey ~~ chunk).all() {
                facts[.initiatives, default: []].append(.init(subjectKey: n.subjectKey, values: [
                    .title: .text(n.title), .year: .number(Double(n.year)), .scope: text(InitiativeScope(rawValue: n.scope)?.label ?? n.scope),
                    .recognisedBy: text(n.recognisedBy), .date: day(n.recognisedOn)]))
            }
            for d in try await RestrictionRecord.query(on: db).filter(\.$subjectKey ~~ chunk).filter(\.$kind == "discipline").all() {
                facts[.disciplines, default: []].append(.init(subjectKey: d.subjectKey, values: [.detail: .text(d.detail), .from: day(d.startsOn), .to: day(d.endsOn)]))
            }
        }
        return RegisterExport.sheets(units: units, people: people, facts: facts)
    }
}
