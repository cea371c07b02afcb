import Fluent
import Foundation
import ThiDuaCore
import Vapor

struct RatingDTO: Content, Sendable { var id: UUID; var year: Int; var rating: String; var label: String }
struct AwardDTO: Content, Sendable {
    var id: UUID; var kind: String; var name: String; var year: Int; var type: String; var typeLabel: String
    var decision: String?; var date: String?; var issuer: String?; var revoked: Bool
    /// The first year of the achievement period the decision names (it ends at `year`).
    var periodFrom: Int?
}
struct InitiativeDTO: Content, Sendable {
    var id: UUID; var title: String; var year: Int; var scope: String; var scopeLabel: String
    var recognisedBy: String?; var date: String?; var usedBy: String?
}
struct RestrictionDTO: Content, Sendable { var id: UUID; var from: String; var to: String?; var detail: String }
struct UnitYearDTO: Content, Sendable {
    var id: UUID; var year: Int; var members: Int; var completed: Int; var ldtt: Int; var cstdcs: Int; var disciplined: Int?; var ledBloc: Bool
}

/// Everything recorded for one subject.
struct HistoryDTO: Content, Sendable {
    var ratings: [RatingDTO]
    var awards: [AwardDTO]
    var initiatives: [InitiativeDTO]
    var disciplines: [RestrictionDTO]
    var freezes: [RestrictionDTO]
    var years: [UnitYearDTO]
}

struct PersonDTO: Content, Sendable {
    var id: UUID
    var fullName: String
    var gender: String?
    var birthYear: Int?
    var unitID: UUID
    var unitName: String
    var position: String?
    /// Start of service, yyyy-MM-dd; as the pages show it, dd/MM/yyyy.
    var serviceStart: String?
    var serviceStartText: String?
    var history: HistoryDTO?
}

/// One line of an explanation, ready for the page.
struct TraceRow: Encodable, Sendable {
    var text: String
    var data: String
    var cites: String
    var confidence: String
    var unconfirmed: Bool
    /// "yes", "no" or "unknown".
    var met: String
    var indent: Int
}

struct ResultView: Encodable, Sendable {
    var award: String
    var awardName: String
    var verdict: String
    var verdictLabel: String
    var conditions: [TraceRow]
    var unmet: [String]
    var missing: [String]
    var note: String?
    var unconfirmed: Bool
    var consumes: [String]
}

struct EligibilityView: Encodable, Sendable {
    var year: Int
    var asOf: String
    var asOfISO: String
    var regime: String
    var regimeName: String
    var eligible: [ResultView]
    var needsData: [ResultView]
    var ineligible: [ResultView]
    /// The ineligible award with the fewest unmet conditions: "closest next award and what is missing".
    var closest: ResultView?
    /// Facts recorded after the date of consideration, left out of these verdicts.
    var leftOut: [String] = []
}

/// A year of a subject's timeline.
struct TimelineYear: Encodable, Sendable {
    var year: Int
    var rating: String?
    var items: [TimelineItem]
}
struct TimelineItem: Encodable, Sendable {
    var kind: String
    var id: UUID
    /// The delete button's action, for those who may delete this fact (set by the page).
    var deleteURL: String?
    var text: String
    var detail: String
    var warn: Bool
}

enum RegisterViews {
    static func history(_ subject: RegisterSubject, catalogue: Catalogue, on db: any Database) async throws -> HistoryDTO {
        history(try await RegisterService.loadFacts([subject], on: db)[subject.key] ?? .init(), catalogue: catalogue)
    }

    /// The history from facts already loaded (the subject's page loads them once for its case and its history).
    static func history(_ facts: RegisterService.SubjectFacts, catalogue: Catalogue) -> HistoryDTO {
        // Newest first; within a year, as stored.
        func newestFirst<T>(_ list: [T], _ key: (T) -> String) -> [T] {
            list.enumerated().sorted { a, b in key(a.element) != key(b.element) ? key(a.element) > key(b.element) : a.offset < b.offset }.map(\.element)
        }
        func yearKey(_ y: Int) -> String { String(format: "%06d", y) }
        let ratings = newestFirst(facts.ratings) { yearKey($0.year) }
        let awards = newestFirst(facts.awards) { yearKey($0.year) }
        let initiatives = newestFirst(facts.initiatives) { yearKey($0.year) }
        let restrictions = newestFirst(facts.restrictions) { $0.startsOn }
        let years = newestFirst(facts.unitYears) { yearKey($0.year) }
        func vn(_ iso: String?) -> String? { iso.flatMap(Day.init(iso:))?.vietnamese }
        return HistoryDTO(
            ratings: ratings.map { RatingDTO(id: $0.id!, year: $0.year, rating: $0.rating, label: TaskRating(rawValue: $0.rating)?.label ?? $0.rating) },
            awards: awards.map { a in
                AwardDTO(id: a.id!, kind: a.kind, name: catalogue.awards[a.kind]?.name ?? a.kind, year: a.year, type: a.awardType,
                         typeLabel: AwardType(rawValue: a.awardType)?.label ?? a.awardType, decision: a.decision, date: vn(a.decidedOn),
                         issuer: a.issuer, revoked: a.revoked, periodFrom: a.periodFrom)
            },
            initiatives: initiatives.map { i in
                InitiativeDTO(id: i.id!, title: i.title, year: i.year, scope: i.scope, scopeLabel: InitiativeScope(rawValue: i.scope)?.label ?? i.scope,
                              recognisedBy: i.recognisedBy, date: vn(i.recognisedOn), usedBy: i.usedBy)
            },
            disciplines: restrictions.filter { $0.kind == "discipline" }.map { RestrictionDTO(id: $0.id!, from: vn($0.startsOn) ?? $0.startsOn, to: vn($0.endsOn), detail: $0.detail) },
            freezes: restrictions.filter { $0.kind == "freeze" }.map { RestrictionDTO(id: $0.id!, from: vn($0.startsOn) ?? $0.startsOn, to: vn($0.endsOn), detail: $0.detail) },
            years: years.map { UnitYearDTO(id: $0.id!, year: $0.year, members: $0.members, completed: $0.completed, ldtt: $0.ldtt, cstdcs: $0.cstdcs,
                                           disciplined: $0.disciplined, ledBloc: $0.ledBloc) })
    }

    /// The history grouped by year, newest first.
    static func timeline(_ h: HistoryDTO) -> [TimelineYear] {
        var byYear: [Int: TimelineYear] = [:]
        func year(_ y: Int) -> TimelineYear { byYear[y] ?? TimelineYear(year: y, rating: nil, items: []) }
        for r in h.ratings { var t = year(r.year); t.rating = r.label; byYear[r.year] = t }
        for a in h.awards {
            var t = year(a.year)
            let detail = [a.periodFrom.flatMap { $0 < a.year ? "thành tích \($0)–\(a.year)" : nil }, a.decision.map { "QĐ \($0)" }, a.date, a.issuer, a.type == "merit" ? nil : a.typeLabel, a.revoked ? "ĐÃ HỦY" : nil].compactMap { $0 }.joined(separator: " · ")
            t.items.append(TimelineItem(kind: "awards", id: a.id, text: "\(a.name) (\(a.kind))", detail: detail, warn: a.revoked || a.type != "merit"))
            byYear[a.year] = t
        }
        for i in h.initiatives {
            var t = year(i.year)
            let detail = [i.scopeLabel, i.recognisedBy, i.usedBy.map { "đã dùng cho \($0)" }].compactMap { $0 }.joined(separator: " · ")
            t.items.append(TimelineItem(kind: "initiatives", id: i.id, text: "Sáng kiến: \(i.title)", detail: detail, warn: false))
            byYear[i.year] = t
        }
        for (list, kind, label) in [(h.disciplines, "disciplines", "Kỷ luật"), (h.freezes, "freezes", "Đang bị xem xét")] {
            for d in list {
                let y = Int(d.from.suffix(4)) ?? 0
                var t = year(y)
                t.items.append(TimelineItem(kind: kind, id: d.id, text: "\(label): \(d.detail)", detail: "từ \(d.from) đến \(d.to ?? "nay")", warn: true))
                byYear[y] = t
            }
        }
        for s in h.years {
            var t = year(s.year)
            let disc = s.disciplined.map { ", \($0) bị kỷ luật" } ?? ""
            t.items.append(TimelineItem(kind: "years", id: s.id, text: "Thành viên: \(s.members); hoàn thành nhiệm vụ \(s.completed); LĐTT/CSTT \(s.ldtt); CSTĐCS \(s.cstdcs)\(disc)",
                                        detail: s.ledBloc ? "Dẫn đầu khối thi đua" : "", warn: false))
            byYear[s.year] = t
        }
        return byYear.values.sorted { $0.year > $1.year }
    }

    static func eligibility(_ report: EligibilityReport, initiativeTitles: [String: String]) -> EligibilityView {
        func view(_ r: AwardResult) -> ResultView {
            ResultView(award: r.award, awardName: r.awardName, verdict: r.verdict.rawValue, verdictLabel: r.verdict.label,
                       conditions: r.conditions.map { c in
                           TraceRow(text: c.text, data: c.data, cites: c.cites ?? "", confidence: c.confidence?.label ?? "",
                                    unconfirmed: c.confidence == .unconfirmed, met: c.met == true ? "yes" : c.met == false ? "no" : "unknown", indent: c.depth)
                       },
                       unmet: r.unmet, missing: r.missing, note: r.note, unconfirmed: r.usesUnconfirmedRule,
                       consumes: r.consumes.map { initiativeTitles[$0] ?? $0 })
        }
        let ineligible = report.results.filter { $0.verdict == .ineligible }
        let closest = ineligible.min { ($0.unmet.count, $0.award) < ($1.unmet.count, $1.award) }
        let asOf = Day(iso: report.asOf)
        return EligibilityView(year: report.evaluationYear, asOf: asOf?.vietnamese ?? report.asOf, asOfISO: report.asOf, regime: report.regime,
                               regimeName: report.regimeName,
                               eligible: report.results.filter { $0.verdict == .eligible }.map(view),
                               needsData: report.results.filter { $0.verdict == .needsData }.map(view),
                               ineligible: ineligible.map(view), closest: closest.map(view), leftOut: report.leftOut ?? [])
    }
}
