import Fluent
import SQLKit
import Foundation
import ThiDuaCore
import Vapor

/// The award register: reading a subject's history as an `EligibilityCase`, validated and audited writes,
/// and scope checks. Shared by pages, API and the CLI.
enum RegisterService {
    // MARK: Scope

    /// Units whose register a bloc lead may read: the members of the blocs they lead, in those years.
    static func blocUnits(of p: Principal, on db: any Database) async throws -> Set<UUID> {
        var out = Set<UUID>()
        for g in p.grants where g.role == .blocLead {
            guard let b = g.blocID, let y = g.year else { continue }
            out.formUnion(try await Membership.query(on: db).filter(\.$blocID == b).filter(\.$year == y).all().map(\.unitID))
        }
        return out
    }

    static func requireView(_ unitID: UUID, req: Request) async throws {
        let p = try req.requirePrincipal()
        if p.isOffice || p.has(.council) { return }
        guard p.canViewRegister(of: unitID, blocUnits: try await blocUnits(of: p, on: req.db)) else {
            throw DomainError.forbidden("Bạn chỉ xem được sổ khen thưởng của đơn vị mình (hoặc của khối mình phụ trách).")
        }
    }

    static func requireEdit(_ unitID: UUID, req: Request) async throws {
        let name = try await Unit.find(unitID, on: req.db)?.officialName
        try req.requirePrincipal().requireUnit(unitID, unitName: name)
    }

    /// The unit's scope, and then who may make this change to this kind of fact (`Principal.canChange`).
    static func requireEdit(_ unitID: UUID, fact kind: String, _ change: FactChange, req: Request) async throws {
        try await requireEdit(unitID, req: req)
        guard let k = RegisterFactKind(rawValue: kind) else { throw DomainError.notFound() }
        if !(try req.requirePrincipal().canChange(k, change, unit: unitID)) {
            throw DomainError.forbidden(k == .disciplines
                ? "Chỉ Ban Thi đua – Khen thưởng được xóa hoặc sửa quyết định kỷ luật đã ghi vào sổ."
                : "Chỉ Ban Thi đua – Khen thưởng được xóa hoặc rút ngắn thời gian bị xem xét đã ghi vào sổ.")
        }
    }

    // MARK: Subjects

    static func person(_ req: Request) async throws -> Person {
        guard let id = req.parameters.get("personID", as: UUID.self), let p = try await Person.find(id, on: req.db) else {
            throw DomainError.notFound("Không tìm thấy người này trong sổ khen thưởng.")
        }
        return p
    }

    /// The subject addressed by the route (`/people/:personID` or `/units/:unitID`) and the unit it belongs to.
    static func subject(_ req: Request, kind: SubjectType) async throws -> (RegisterSubject, unitID: UUID, name: String) {
        if kind == .individual {
            let p = try await person(req)
            return (.person(p.id!), p.unitID, p.fullName)
        }
        let u = try await OrganisationService.unit(req)
        return (.unit(u.id!), u.id!, u.officialName)
    }

    // MARK: Reading

    static func currentYear(_ req: Request) -> Int { today(req).year }

    static func today(_ req: Request) -> Day { VietnameseFormat.day(req.now) }

    /// The history of a subject as the evaluator sees it.
    /// `unit` is the collective itself, or the person's unit (its kind chooses the civil or armed-forces titles).
    static func loadCase(_ subject: RegisterSubject, unit: Unit, type: SubjectType, name: String, gender: Gender?, evaluationYear: Int, asOf: Day,
                         on db: any Database) async throws -> EligibilityCase {
        try await loadCases([CaseSubject(subject: subject, unit: unit, type: type, name: name, gender: gender)],
                            evaluationYear: evaluationYear, asOf: asOf, on: db)[0]
    }

    /// One subject to judge: who, in which unit, under which name.
    struct CaseSubject: Sendable {
        var subject: RegisterSubject
        var unit: Unit
        var type: SubjectType
        var name: String
        var gender: Gender?
        /// A person's start of service, when recorded.
        var serviceStart: Day? = nil
    }

    /// The collectives and people of `units`, in order: each unit, then its people by name (`peopleByUnit`).
    static func subjects(of units: [Unit], on db: any Database) async throws -> [CaseSubject] {
        let people = try await peopleByUnit(units, on: try db.sql())
        var out: [CaseSubject] = []
        for unit in units {
            guard let id = unit.id else { continue }
            out.append(unitSubject(unit, id: id))
            out += people[id] ?? []
        }
        return out
    }

    /// A collective as a subject.
    static func unitSubject(_ unit: Unit, id: UUID) -> CaseSubject {
        CaseSubject(subject: .unit(id), unit: unit, type: .collective, name: unit.officialName, gender: nil)
    }

    /// A person read as a row (`personColumns`) as a subject of `unit`.
    static func personSubject(_ r: any SQLRow, unit: Unit) throws -> CaseSubject {
        CaseSubject(subject: .person(try r.decode(column: "id", as: UUID.self)), unit: unit, type: .individual,
                    name: try r.decode(column: "full_name", as: String.self),
                    gender: try r.decode(column: "gender", as: String?.self).flatMap(Gender.init(rawValue:)),
                    serviceStart: try r.decode(column: "service_start", as: String?.self).flatMap(Day.init(iso:)))
    }

    /// The columns `personSubject` reads.
    static let personColumns = ["id", "full_name", "gender", "service_start"].map { SQLIdentifier($0) }

    /// The people of `units`, each unit's by name, as plain rows (four columns), not models, in one query per 500
    /// units: a province's 50.000 cost one light query.
    static func peopleByUnit(_ units: [Unit], on sql: any SQLDatabase) async throws -> [UUID: [CaseSubject]] {
        let byID = Dictionary(units.compactMap { u in u.id.map { ($0, u) } }, uniquingKeysWith: { a, _ in a })
        let ids = Array(byID.keys)
        var people: [UUID: [CaseSubject]] = [:]
        for start in stride(from: 0, to: ids.count, by: batchSize) {
            let chunk = Array(ids[start..<min(start + batchSize, ids.count)])
            let rows = try await sql.select().columns(personColumns + [SQLIdentifier("unit_id")]).from(Person.schema)
                .where(SQLIdentifier("unit_id"), .in, chunk).orderBy("full_name").orderBy("id").all()
            for r in rows {
                let unitID = try r.decode(column: "unit_id", as: UUID.self)
                if let unit = byID[unitID] { people[unitID, default: []].append(try personSubject(r, unit: unit)) }
            }
        }
        return people
    }

    /// The subjects in `range` of the order `subjects(of:)` gives (each unit, then its people by name), and how many
    /// there are in all, without listing them all: people counted per unit (one query per 500 units), then only the
    /// units the page covers are read: a unit covered in part through LIMIT/OFFSET, the others whole (at most three
    /// queries for the people whatever the size of the register).
    static func subjectPage(of units: [Unit], range: Range<Int>, on db: any Database) async throws -> (total: Int, subjects: [CaseSubject]) {
        let sql = try db.sql()
        let ids = units.compactMap(\.id)
        var counts: [UUID: Int] = [:]
        for start in stride(from: 0, to: ids.count, by: batchSize) {
            let chunk = Array(ids[start..<min(start + batchSize, ids.count)])
            let rows = try await sql.select().column("unit_id").column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(Person.schema)
                .where(SQLIdentifier("unit_id"), .in, chunk).groupBy("unit_id").all()
            for r in rows { counts[try r.decode(column: "unit_id", as: UUID.self)] = try r.decode(column: "n", as: Int.self) }
        }
        // The units the range covers, and which of their people (offsets among them, by name).
        var covered: [(unit: Unit, id: UUID, withUnit: Bool, people: Range<Int>, whole: Bool)] = []
        var slot = 0
        for unit in units {
            guard let id = unit.id else { continue }
            let people = counts[id] ?? 0
            let span = slot..<(slot + 1 + people)
            slot = span.upperBound
            guard span.overlaps(range) else { continue }
            let from = max(range.lowerBound, span.lowerBound + 1) - (span.lowerBound + 1)
            let to = max(min(range.upperBound, span.upperBound) - (span.lowerBound + 1), from)
            covered.append((unit, id, range.contains(span.lowerBound), from..<to, from == 0 && to == people))
        }
        // Units covered whole: in one query (per 500). Units covered in part (the first and the last): LIMIT/OFFSET.
        var people = try await peopleByUnit(covered.filter { $0.whole && !$0.people.isEmpty }.map(\.unit), on: sql)
        for c in covered where !c.whole && !c.people.isEmpty {
            let rows = try await sql.select().columns(personColumns).from(Person.schema)
                .where(SQLIdentifier("unit_id"), .equal, c.id).orderBy("full_name").orderBy("id").limit(c.people.count).offset(c.people.lowerBound).all()
            people[c.id] = try rows.map { try personSubject($0, unit: c.unit) }
        }
        var out: [CaseSubject] = []
        for c in covered {
            if c.withUnit { out.append(unitSubject(c.unit, id: c.id)) }
            out += people[c.id] ?? []
        }
        return (slot, out)
    }

    /// Whether any rating of `year` is recorded (stops at the first): without one, every verdict of the year is
    /// "needs data", and the report and bulk say so.
    static func hasRatings(year: Int, on db: any Database) async throws -> Bool {
        try await RatingRecord.query(on: db).filter(\.$year == year).first() != nil
    }

    /// The notice shown when nothing of `year` is recorded.
    static func noRatingsNotice(_ year: Int) -> String {
        "Sổ khen thưởng chưa có đánh giá, xếp loại nào của năm \(year): mọi kết quả dưới đây là “thiếu dữ liệu”. Hãy nhập xếp loại năm \(year) (hoặc chọn năm khác)."
    }

    /// How many subjects one batch of queries covers (an IN list well under both databases' limits on bound values).
    static let batchSize = 500

    /// The stored facts of one subject, as loaded for its case and its history.
    struct SubjectFacts: Sendable {
        var ratings: [RatingRecord] = []
        var awards: [AwardRecordModel] = []
        var initiatives: [InitiativeRecord] = []
        var restrictions: [RestrictionRecord] = []
        var unitYears: [UnitYearRecord] = []
    }

    /// The facts of up to `batchSize` subjects in one query per kind of fact, by subject key.
    static func loadFacts(_ subjects: [RegisterSubject], on db: any Database) async throws -> [String: SubjectFacts] {
        let keys = subjects.map(\.key)
        var out: [String: SubjectFacts] = [:]
        for r in try await RatingRecord.query(on: db).filter(\.$subjectKey ~~ keys).all() { out[r.subjectKey, default: .init()].ratings.append(r) }
        for r in try await AwardRecordModel.query(on: db).filter(\.$subjectKey ~~ keys).all() { out[r.subjectKey, default: .init()].awards.append(r) }
        for r in try await InitiativeRecord.query(on: db).filter(\.$subjectKey ~~ keys).all() { out[r.subjectKey, default: .init()].initiatives.append(r) }
        for r in try await RestrictionRecord.query(on: db).filter(\.$subjectKey ~~ keys).all() { out[r.subjectKey, default: .init()].restrictions.append(r) }
        let unitIDs = subjects.compactMap { s -> UUID? in if case .unit(let id) = s { return id } else { return nil } }
        if !unitIDs.isEmpty {
            for r in try await UnitYearRecord.query(on: db).filter(\.$unitID ~~ unitIDs).all() {
                out[RegisterSubject.unit(r.unitID).key, default: .init()].unitYears.append(r)
            }
        }
        return out
    }

    /// The cases of many subjects, in their order, loaded in a few queries per batch of `batchSize` subjects (one per
    /// kind of fact) rather than several per subject: the report and bulk judging of a whole province stay bounded.
    static func loadCases(_ subjects: [CaseSubject], evaluationYear: Int, asOf: Day, on db: any Database) async throws -> [EligibilityCase] {
        var out: [EligibilityCase] = []
        out.reserveCapacity(subjects.count)
        for start in stride(from: 0, to: subjects.count, by: batchSize) {
            let batch = Array(subjects[start..<min(start + batchSize, subjects.count)])
            out += try await CaseBatchLoader.load(batch, evaluationYear: evaluationYear, asOf: asOf, on: db)
        }
        return out
    }

    /// A subject's case from its loaded facts.
    static func makeCase(_ s: CaseSubject, facts: SubjectFacts, evaluationYear: Int, asOf: Day) -> EligibilityCase {
        var c = EligibilityCase(evaluationYear: evaluationYear, asOf: asOf, subjectType: s.type, name: s.name, gender: s.gender)
        c.armedForces = s.unit.unitKind == .armedForces
        c.serviceStart = s.serviceStart
        for r in facts.ratings { if let v = TaskRating(rawValue: r.rating) { c.ratings[r.year] = v } }
        c.awards = facts.awards.map {
            AwardFact(kind: $0.kind, year: $0.year, type: AwardType(rawValue: $0.awardType) ?? .merit, decision: $0.decision,
                      date: $0.decidedOn.flatMap(Day.init(iso:)), issuer: $0.issuer, revoked: $0.revoked, periodFrom: $0.periodFrom)
        }
        c.initiatives = facts.initiatives.map {
            InitiativeFact(id: $0.id!.uuidString, year: $0.year, scope: InitiativeScope(rawValue: $0.scope) ?? .grassroots, usedBy: $0.usedBy, title: $0.title)
        }
        for r in facts.restrictions {
            guard let from = Day(iso: r.startsOn) else { continue }
            let to = r.endsOn.flatMap(Day.init(iso:))
            if r.kind == "discipline" { c.disciplines.append(DisciplineFact(from: from, to: to, form: r.detail)) }
            else { c.freezes.append(FreezeFact(from: from, to: to, reason: r.detail)) }
        }
        if case .unit = s.subject {
            for y in facts.unitYears {
                c.memberStats[y.year] = MemberStats(year: y.year, members: y.members, completed: y.completed, LDTT: y.ldtt, CSTDCS: y.cstdcs, disciplined: y.disciplined)
            }
            c.ledBloc = Set(facts.unitYears.filter(\.ledBloc).map(\.year))
        }
        return c
    }

    /// The default date of consideration for an evaluation year: 31/01 of the next year, or today if that is later than today.
    static func defaultAsOf(for year: Int, today: Day) -> Day {
        let usual = Day(year + 1, 1, 31)
        return usual < today ? usual : today
    }

    // MARK: Writing (validated, audited)

    struct PersonInput: Content, Sendable {
        var fullName: String?
        var gender: String?
        var birthYear: Int?
        var unitID: String?
        var position: String?
        /// "Ngày bắt đầu công tác": yyyy-MM-dd or dd/MM/yyyy; empty clears it.
        var serviceStart: String?
    }

    /// The start of service as typed: a real date, not before `ServiceStart.earliestYear` nor after today.
    static func serviceStart(_ raw: String?, req: Request) throws -> String? {
        guard let d = try day(raw, field: "serviceStart", label: "Ngày bắt đầu công tác", required: false, notAfter: today(req)) else { return nil }
        guard d.year >= ServiceStart.earliestYear else { throw DomainError.invalid(ServiceStart.tooEarly, field: "serviceStart") }
        return d.description
    }

    static func createPerson(_ input: PersonInput, req: Request) async throws -> Person {
        let name = try Validate.name(input.fullName, field: "fullName", label: "Họ và tên", maxLength: 120)
        guard let unitID = try parseUUID(input.unitID, field: "unitID", label: "Đơn vị"), try await Unit.find(unitID, on: req.db) != nil else {
            throw DomainError.invalid("Hãy chọn đơn vị của người này.", field: "unitID")
        }
        try await requireEdit(unitID, req: req)
        let gender = try gender(input.gender)
        let now = currentYear(req)
        if let b = input.birthYear, !(1930...(now - 15)).contains(b) {
            throw DomainError.invalid("Năm sinh phải từ 1930 đến \(now - 15).", field: "birthYear")
        }
        let p = Person(fullName: name, gender: gender?.rawValue, birthYear: input.birthYear, unitID: unitID,
                       position: try Validate.optional(input.position, field: "position", label: "Chức vụ", maxLength: 120))
        p.serviceStart = try serviceStart(input.serviceStart, req: req)
        try await req.audited { db, audit in
            try await p.create(on: db)
            try await audit.created("person", p.id, PersonSnapshot(p))
        }
        return p
    }

    /// Corrects a person's details (name, gender, birth year, position; moving to another unit needs both units' rights).
    static func updatePerson(_ p: Person, _ input: PersonInput, req: Request) async throws {
        try await requireEdit(p.unitID, req: req)
        let name = try Validate.name(input.fullName, field: "fullName", label: "Họ và tên", maxLength: 120)
        let gender = try gender(input.gender)
        let now = currentYear(req)
        if let b = input.birthYear, !(1930...(now - 15)).contains(b) {
            throw DomainError.invalid("Năm sinh phải từ 1930 đến \(now - 15).", field: "birthYear")
        }
        var unitID = p.unitID
        if let raw = input.unitID, !raw.isEmpty {
            guard let u = try parseUUID(raw, field: "unitID", label: "Đơn vị"), try await Unit.find(u, on: req.db) != nil else {
                throw DomainError.invalid("Không tìm thấy đơn vị.", field: "unitID")
            }
            if u != p.unitID { try await requireEdit(u, req: req) }
            unitID = u
        }
        let old = PersonSnapshot(p)
        p.fullName = name; p.gender = gender?.rawValue; p.birthYear = input.birthYear; p.unitID = unitID
        p.position = try Validate.optional(input.position, field: "position", label: "Chức vụ", maxLength: 120)
        p.serviceStart = try serviceStart(input.serviceStart, req: req)
        p.searchText = VietnameseText.searchKey(name)
        try await req.audited { db, audit in
            try await p.save(on: db)
            try await audit.record("person", p.id, "update", old: old, new: PersonSnapshot(p))
        }
    }

    static func gender(_ raw: String?) throws -> Gender? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let g = Gender(rawValue: raw) else { throw DomainError.invalid("Giới tính phải là nữ (female) hoặc nam (male).", field: "gender") }
        return g
    }

    /// One fact to add, as typed in a form or sent to the API. Which fields matter depends on the kind.
    struct FactInput: Content, Sendable {
        var year: Int?
        var rating: String?
        var kind: String?
        var type: String?
        var decision: String?
        var date: String?
        var issuer: String?
        var revoked: Bool?
        /// Awards: the first year of the achievement period the decision names (it ends at `year`).
        var periodFrom: Int?
        var title: String?
        var scope: String?
        var recognisedBy: String?
        var usedBy: String?
        var from: String?
        var to: String?
        var form: String?
        var reason: String?
        var members: Int?
        var completed: Int?
        var ldtt: Int?
        var cstdcs: Int?
        var disciplined: Int?
        var ledBloc: Bool?
    }

    /// Which award an initiative was used for ("CSTDCS:2023").
    struct UseInput: Content, Sendable { var usedBy: String? }

    static let factKinds = ["ratings", "awards", "initiatives", "disciplines", "freezes", "years"]

    static func day(_ raw: String?, field: String, label: String, required: Bool, notAfter: Day) throws -> Day? {
        let t = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty {
            if required { throw DomainError.invalid("\(label): hãy nhập ngày (dd/MM/yyyy).", field: field) }
            return nil
        }
        var d = Day(iso: t)
        if d == nil {
            let p = t.split(separator: "/")
            if p.count == 3, let dd = Int(p[0]), let mm = Int(p[1]), let yy = Int(p[2]) {
                d = Day(iso: String(format: "%04d-%02d-%02d", yy, mm, dd))
            }
        }
        guard let d else { throw DomainError.invalid("\(label): ngày không hợp lệ, hãy nhập dạng dd/MM/yyyy.", field: field) }
        if d > notAfter { throw DomainError.invalid("\(label): ngày \(d.vietnamese) ở tương lai.", field: field) }
        return d
    }

    static func year(_ value: Int?, req: Request) throws -> Int {
        let now = currentYear(req)
        guard let y = value, (1945...now).contains(y) else {
            throw DomainError.invalid("Năm phải từ 1945 đến \(now) (không nhận năm ở tương lai).", field: "year")
        }
        return y
    }

    /// Adds a fact of `kind` for the subject; returns a short description for the flash message.
    static func addFact(_ kind: String, _ input: FactInput, subject: RegisterSubject, type: SubjectType, req: Request) async throws -> String {
        let catalogue = req.application.catalogue
        let today = today(req)
        switch kind {
        case "ratings":
            let y = try year(input.year, req: req)
            guard let r = TaskRating(rawValue: input.rating ?? "") else { throw DomainError.invalid("Hãy chọn xếp loại (HTXSNV, HTTNV, HTNV, KHTNV).", field: "rating") }
            let existing = try await RatingRecord.query(on: req.db).filter(\.$subjectKey == subject.key).filter(\.$year == y).first()
            try await req.audited { db, audit in
                if let existing {
                    let old = RatingSnapshot(year: existing.year, rating: existing.rating)
                    existing.rating = r.rawValue
                    try await existing.save(on: db)
                    try await audit.record("rating", existing.id, "update", old: old, new: RatingSnapshot(year: y, rating: r.rawValue))
                } else {
                    let rec = RatingRecord(subject, year: y, rating: r)
                    try await rec.create(on: db)
                    try await audit.created("rating", rec.id, RatingSnapshot(year: y, rating: r.rawValue))
                }
            }
            return "xếp loại năm \(y): \(r.label)"
        case "awards":
            let y = try year(input.year, req: req)
            guard let code = input.kind, let award = catalogue.awards[code] else { throw DomainError.invalid("Mã danh hiệu/hình thức không có trong danh mục.", field: "kind") }
            guard award.subjects.contains(type) else { throw DomainError.invalid("“\(award.name)” không xét cho \(type.label).", field: "kind") }
            let t = AwardType(rawValue: input.type ?? "merit")
            guard let t else { throw DomainError.invalid("Loại khen thưởng không hợp lệ.", field: "type") }
            let date = try day(input.date, field: "date", label: "Ngày quyết định", required: false, notAfter: today)
            if let date, date.year < y { throw DomainError.invalid("Quyết định không thể ký trước năm đạt thành tích \(y).", field: "date") }
            let rec = AwardRecordModel()
            rec.assign(subject)
            rec.kind = code; rec.year = y; rec.awardType = t.rawValue
            rec.decision = try Validate.optional(input.decision, field: "decision", label: "Số quyết định", maxLength: 80)
            rec.decidedOn = date?.description
            rec.issuer = try Validate.optional(input.issuer, field: "issuer", label: "Cấp quyết định", maxLength: 160)
            rec.revoked = input.revoked ?? false
            if let from = input.periodFrom {
                guard from <= y, y - from < 30 else {
                    throw DomainError.invalid("Thời gian lập thành tích bắt đầu từ năm \(y - 29) đến năm \(y) (năm thành tích).", field: "periodFrom")
                }
                rec.periodFrom = from
            }
            try await req.audited { db, audit in
                try await rec.create(on: db)
                try await audit.created("award_record", rec.id, AwardSnapshot(rec))
            }
            return "\(award.name) năm \(y)"
        case "initiatives":
            let y = try year(input.year, req: req)
            let title = try Validate.name(input.title, field: "title", label: "Tên sáng kiến", maxLength: 300)
            guard let scope = InitiativeScope(rawValue: input.scope ?? "") else { throw DomainError.invalid("Hãy chọn phạm vi công nhận.", field: "scope") }
            let usedBy = try usedBy(input.usedBy, initiativeYear: y, catalogue: catalogue)
            let rec = InitiativeRecord()
            rec.assign(subject)
            rec.title = title; rec.year = y; rec.scope = scope.rawValue; rec.usedBy = usedBy
            rec.recognisedBy = try Validate.optional(input.recognisedBy, field: "recognisedBy", label: "Cơ quan công nhận", maxLength: 160)
            rec.recognisedOn = try day(input.date, field: "date", label: "Ngày công nhận", required: false, notAfter: today)?.description
            try await req.audited { db, audit in
                try await rec.create(on: db)
                try await audit.created("initiative", rec.id, InitiativeSnapshot(rec))
            }
            return "sáng kiến “\(title)”"
        case "disciplines", "freezes":
            let isDiscipline = kind == "disciplines"
            let from = try day(input.from, field: "from", label: "Từ ngày", required: true, notAfter: today)!
            let to = try day(input.to, field: "to", label: "Đến ngày", required: false, notAfter: Day(9999, 12, 31))
            if let to, to < from { throw DomainError.invalid("Ngày kết thúc trước ngày bắt đầu.", field: "to") }
            let detail = try Validate.name(isDiscipline ? input.form : input.reason, field: isDiscipline ? "form" : "reason",
                                           label: isDiscipline ? "Hình thức kỷ luật" : "Lý do", maxLength: 300)
            if isDiscipline {
                let others = try await RestrictionRecord.query(on: req.db).filter(\.$subjectKey == subject.key).filter(\.$kind == "discipline").all()
                for o in others {
                    guard let oFrom = Day(iso: o.startsOn) else { continue }
                    let oTo = o.endsOn.flatMap(Day.init(iso:))
                    let overlaps = from <= (oTo ?? Day(9999, 12, 31)) && oFrom <= (to ?? Day(9999, 12, 31))
                    if overlaps { throw DomainError.conflict("Thời gian kỷ luật chồng lên kỷ luật “\(o.detail)” từ \(oFrom.vietnamese).") }
                }
            }
            let rec = RestrictionRecord()
            rec.assign(subject)
            rec.kind = isDiscipline ? "discipline" : "freeze"; rec.startsOn = from.description; rec.endsOn = to?.description; rec.detail = detail
            try await req.audited { db, audit in
                try await rec.create(on: db)
                try await audit.created(isDiscipline ? "discipline" : "freeze", rec.id, RestrictionSnapshot(rec))
            }
            return isDiscipline ? "kỷ luật “\(detail)”" : "thời gian bị xem xét: \(detail)"
        case "years":
            guard case .unit(let unitID) = subject else { throw DomainError.invalid("Số liệu thành viên chỉ dùng cho tập thể.") }
            let y = try year(input.year, req: req)
            guard let members = input.members, members > 0 else { throw DomainError.invalid("Số thành viên phải lớn hơn 0.", field: "members") }
            _ = try Bounded.int(members, field: "members", label: "Số thành viên", in: 1...Bounded.headcounts.upperBound)
            for (v, f, l) in [(input.completed, "completed", "Số hoàn thành nhiệm vụ"), (input.ldtt, "ldtt", "Số LĐTT/CSTT"), (input.cstdcs, "cstdcs", "Số CSTĐCS"), (input.disciplined, "disciplined", "Số bị kỷ luật")] {
                if let v, v < 0 || v > members { throw DomainError.invalid("\(l) phải từ 0 đến \(members).", field: f) }
                if v == nil && f != "disciplined" { throw DomainError.invalid("\(l): hãy nhập số.", field: f) }
            }
            if input.cstdcs! > input.ldtt! { throw DomainError.invalid("Số CSTĐCS không thể lớn hơn số LĐTT/CSTT.", field: "cstdcs") }
            let rec = try await UnitYearRecord.query(on: req.db).filter(\.$unitID == unitID).filter(\.$year == y).first() ?? UnitYearRecord()
            let old = rec.id == nil ? nil : UnitYearSnapshot(rec)
            rec.unitID = unitID; rec.year = y; rec.members = members; rec.completed = input.completed!; rec.ldtt = input.ldtt!
            rec.cstdcs = input.cstdcs!; rec.disciplined = input.disciplined
            // "Led the bloc" is the bloc's outcome: only the office records it; the unit's own value stays as it was.
            if try req.requirePrincipal().canMarkLedBloc {
                rec.ledBloc = input.ledBloc ?? false
            } else if old == nil {
                if input.ledBloc == true { throw DomainError.forbidden("Chỉ Ban Thi đua – Khen thưởng ghi nhận đơn vị dẫn đầu khối; số liệu chưa được lưu.") }
                rec.ledBloc = false
            } else if let wanted = input.ledBloc, wanted != (old?.ledBloc ?? false) {
                throw DomainError.forbidden("Chỉ Ban Thi đua – Khen thưởng ghi nhận đơn vị dẫn đầu khối; số liệu chưa được lưu.")
            }
            try await req.audited { db, audit in
                try await rec.save(on: db)
                try await audit.record("unit_year", rec.id, old == nil ? "create" : "update", old: old, new: UnitYearSnapshot(rec))
            }
            return "số liệu thành viên năm \(y)"
        default:
            throw DomainError.notFound()
        }
    }

    static func usedBy(_ raw: String?, initiativeYear: Int, catalogue: Catalogue) throws -> String? {
        let t = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        let p = t.split(separator: ":")
        guard p.count == 2, catalogue.awards[String(p[0])] != nil, let y = Int(p[1]) else {
            throw DomainError.invalid("“Đã dùng cho” phải có dạng MÃ:NĂM, ví dụ CSTDCS:2023.", field: "usedBy")
        }
        if y < initiativeYear { throw DomainError.invalid("Sáng kiến năm \(initiativeYear) không thể dùng cho khen thưởng năm \(y).", field: "usedBy") }
        return "\(p[0]):\(y)"
    }

    /// Marks an initiative as consumed by an award; an initiative already consumed by another award is refused.
    static func consumeInitiative(_ id: UUID?, subject: RegisterSubject, usedBy raw: String?, req: Request) async throws {
        guard let id, let rec = try await InitiativeRecord.find(id, on: req.db), rec.subjectKey == subject.key else {
            throw DomainError.notFound("Không tìm thấy sáng kiến.")
        }
        let usedBy = try usedBy(raw, initiativeYear: rec.year, catalogue: req.application.catalogue)
        if let current = rec.usedBy, current != usedBy {
            throw DomainError.conflict("Sáng kiến “\(rec.title)” đã được dùng để xét \(current); một sáng kiến không được dùng cho hai lần khen thưởng.")
        }
        let old = InitiativeSnapshot(rec)
        rec.usedBy = usedBy
        try await req.audited { db, audit in
            try await rec.save(on: db)
            try await audit.record("initiative", rec.id, "consume", old: old, new: InitiativeSnapshot(rec))
        }
    }

    /// Removes one fact of the subject (audited).
    static func deleteFact(_ kind: String, id: UUID?, subject: RegisterSubject, req: Request) async throws {
        guard let id else { throw DomainError.notFound() }
        let key = subject.key
        func gone() -> DomainError { DomainError.notFound("Không tìm thấy mục cần xóa.") }
        switch kind {
        case "ratings":
            guard let r = try await RatingRecord.find(id, on: req.db), r.subjectKey == key else { throw gone() }
            try await req.audited { db, audit in try await r.delete(on: db); try await audit.deleted("rating", id, RatingSnapshot(year: r.year, rating: r.rating)) }
        case "awards":
            guard let r = try await AwardRecordModel.find(id, on: req.db), r.subjectKey == key else { throw gone() }
            try await req.audited { db, audit in try await r.delete(on: db); try await audit.deleted("award_record", id, AwardSnapshot(r)) }
        case "initiatives":
            guard let r = try await InitiativeRecord.find(id, on: req.db), r.subjectKey == key else { throw gone() }
            try await req.audited { db, audit in try await r.delete(on: db); try await audit.deleted("initiative", id, InitiativeSnapshot(r)) }
        case "disciplines", "freezes":
            guard let r = try await RestrictionRecord.find(id, on: req.db), r.subjectKey == key, (r.kind == "discipline") == (kind == "disciplines") else { throw gone() }
            try await req.audited { db, audit in try await r.delete(on: db); try await audit.deleted(r.kind, id, RestrictionSnapshot(r)) }
        case "years":
            guard let r = try await UnitYearRecord.find(id, on: req.db), subject.unitID == r.unitID else { throw gone() }
            try await req.audited { db, audit in try await r.delete(on: db); try await audit.deleted("unit_year", id, UnitYearSnapshot(r)) }
        default:
            throw gone()
        }
    }
}

struct PersonSnapshot: Codable, Sendable {
    var fullName: String, gender: String?, birthYear: Int?, unitID: UUID, position: String?, serviceStart: String?
    init(_ p: Person) { fullName = p.fullName; gender = p.gender; birthYear = p.birthYear; unitID = p.unitID; position = p.position; serviceStart = p.serviceStart }
}
struct RatingSnapshot: Codable, Sendable { var year: Int; var rating: String }
struct AwardSnapshot: Codable, Sendable {
    var subject: String, kind: String, year: Int, type: String, decision: String?, date: String?, issuer: String?, revoked: Bool, periodFrom: Int?
    init(_ a: AwardRecordModel) {
        subject = a.subjectKey; kind = a.kind; year = a.year; type = a.awardType; decision = a.decision; date = a.decidedOn; issuer = a.issuer; revoked = a.revoked
        periodFrom = a.periodFrom
    }
}
struct InitiativeSnapshot: Codable, Sendable {
    var subject: String, title: String, year: Int, scope: String, usedBy: String?
    init(_ i: InitiativeRecord) { subject = i.subjectKey; title = i.title; year = i.year; scope = i.scope; usedBy = i.usedBy }
}
struct RestrictionSnapshot: Codable, Sendable {
    var subject: String, kind: String, from: String, to: String?, detail: String
    init(_ r: RestrictionRecord) { subject = r.subjectKey; kind = r.kind; from = r.startsOn; to = r.endsOn; detail = r.detail }
}
struct UnitYearSnapshot: Codable, Sendable {
    var unitID: UUID, year: Int, members: Int, completed: Int, ldtt: Int, cstdcs: Int, disciplined: Int?, ledBloc: Bool
    init(_ r: UnitYearRecord) {
        unitID = r.unitID; year = r.year; members = r.members; completed = r.completed; ldtt = r.ldtt; cstdcs = r.cstdcs; disciplined = r.disciplined; ledBloc = r.ledBloc
    }
}
