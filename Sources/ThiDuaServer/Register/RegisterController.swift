import Fluent
import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// The award register (people, collectives and their history) and where users meet the eligibility engine:
/// a person's or unit's page, the "who is eligible for what" report (page and .xlsx), and the API.
struct RegisterController {
    /// Who may read the register; scope (own unit, own bloc) is checked per subject.
    let readers: RoutePolicy = .roles([.office, .council, .unitOfficer, .unitHead, .blocLead])
    /// Who may write it; scope (own unit) is checked per subject.
    let writers: RoutePolicy = .roles([.office, .unitOfficer])

    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.on(.GET, "register", policy: readers, use: listPage)
        pages.on(.GET, "register", "people", "new", policy: writers, use: newPersonPage)
        pages.on(.POST, "register", "people", policy: writers, use: createPersonForm)
        pages.on(.GET, "register", "people", ":personID", policy: readers) { req in try await self.subjectPage(req, .individual) }
        pages.on(.GET, "register", "units", ":unitID", policy: readers) { req in try await self.subjectPage(req, .collective) }
        pages.on(.POST, "register", "people", ":personID", policy: writers) { req in
            let p = try await RegisterService.person(req)
            try await RegisterService.updatePerson(p, try self.formInput(req, as: RegisterService.PersonInput.self), req: req)
            Pages.flash(req, "Đã lưu thông tin của “\(p.fullName)”.")
            return req.redirect(to: RegisterPath.subject(.person(try p.requireID())).url)
        }
        api.on(.PUT, "register", "people", ":personID", policy: writers) { req in
            let p = try await RegisterService.person(req)
            try await RegisterService.updatePerson(p, try req.content.decode(RegisterService.PersonInput.self), req: req)
            return try await self.personDTO(p, history: true, req: req)
        }
        for (segment, kind) in [("people", SubjectType.individual), ("units", .collective)] {
            let param: PathComponent = kind == .individual ? ":personID" : ":unitID"
            pages.on(.POST, "register", .constant(segment), param, "facts", ":factKind", policy: writers) { req in try await self.addFactForm(req, kind) }
            pages.on(.POST, "register", .constant(segment), param, "facts", ":factKind", ":factID", "delete", policy: writers) { req in try await self.deleteFactForm(req, kind) }
            pages.on(.POST, "register", .constant(segment), param, "initiatives", ":factID", "use", policy: writers) { req in try await self.useInitiativeForm(req, kind) }
            api.on(.GET, "register", .constant(segment), param, policy: readers) { req in try await self.historyAPI(req, kind) }
            api.on(.POST, "register", .constant(segment), param, "facts", ":factKind", policy: writers) { req in
                let (subject, unitID, _) = try await RegisterService.subject(req, kind: kind)
                try await RegisterService.requireEdit(unitID, fact: try self.factKind(req), .add, req: req)
                _ = try await RegisterService.addFact(try self.factKind(req), try req.content.decode(RegisterService.FactInput.self), subject: subject, type: kind, req: req)
                return try await RegisterViews.history(subject, catalogue: req.application.catalogue, on: req.db).encodeResponse(status: .created, for: req)
            }
            api.on(.DELETE, "register", .constant(segment), param, "facts", ":factKind", ":factID", policy: writers) { req in
                let (subject, unitID, _) = try await RegisterService.subject(req, kind: kind)
                try await RegisterService.requireEdit(unitID, fact: try self.factKind(req), .delete, req: req)
                try await RegisterService.deleteFact(try self.factKind(req), id: req.parameters.get("factID", as: UUID.self), subject: subject, req: req)
                return HTTPStatus.noContent
            }
            api.on(.POST, "register", .constant(segment), param, "initiatives", ":factID", "use", policy: writers) { req in
                let (subject, unitID, _) = try await RegisterService.subject(req, kind: kind)
                try await RegisterService.requireEdit(unitID, req: req)
                try await RegisterService.consumeInitiative(req.parameters.get("factID", as: UUID.self), subject: subject,
                                                            usedBy: try req.content.decode(RegisterService.UseInput.self).usedBy, req: req)
                return try await RegisterViews.history(subject, catalogue: req.application.catalogue, on: req.db)
            }
            api.on(.GET, "register", .constant(segment), param, "eligibility", policy: readers) { req in
                return try Downloads.report(try await self.evaluate(req, kind).0)
            }
        }
        pages.on(.GET, "register", "report", policy: readers, use: reportPage)
        ListExports.register(on: [pages, api], ["register"], name: "report", policy: readers, make: reportFile)
        for format in ["xlsx", "csv", "json"] {
            pages.on(.GET, "register", .constant("export.\(format)"), policy: readers) { req in try await self.export(req, format) }
            api.on(.GET, "register", .constant("export.\(format)"), policy: readers) { req in try await self.export(req, format) }
        }
        api.on(.GET, "register", "people", policy: readers) { req in try await self.people(req) }
        api.on(.POST, "register", "people", policy: writers) { req in
            let p = try await RegisterService.createPerson(try req.content.decode(RegisterService.PersonInput.self), req: req)
            return try await self.personDTO(p, history: true, req: req).encodeResponse(status: .created, for: req)
        }
        api.on(.GET, "register", "report", policy: readers) { req in try await self.reportRows(req).rows }
        api.on(.POST, "eligibility", "check", policy: .signedIn, use: checkAPI)
        api.on(.GET, "catalogue", policy: .signedIn, use: catalogueAPI)
    }

    func factKind(_ req: Request) throws -> String {
        let k = req.parameters.get("factKind") ?? ""
        guard RegisterService.factKinds.contains(k) else { throw DomainError.notFound("Loại dữ liệu “\(k)” không có trong sổ khen thưởng.") }
        return k
    }

    // MARK: Lists

    /// The units whose register the user may read.
    func viewableUnits(_ req: Request) async throws -> [Unit] {
        let p = try req.requirePrincipal()
        let units = try await Unit.query(on: req.db).sort(\.$officialName).all()
        if p.isOffice || p.has(.council) { return units }
        let blocUnits = try await RegisterService.blocUnits(of: p, on: req.db)
        return units.filter { p.canViewRegister(of: $0.id!, blocUnits: blocUnits) }
    }

    func personDTO(_ p: Person, history: Bool, req: Request, unitName: String? = nil) async throws -> PersonDTO {
        let name: String
        if let unitName { name = unitName } else { name = try await Unit.find(p.unitID, on: req.db)?.officialName ?? "?" }
        return PersonDTO(id: p.id!, fullName: p.fullName, gender: p.gender, birthYear: p.birthYear, unitID: p.unitID, unitName: name,
                         position: p.position, serviceStart: p.serviceStart, serviceStartText: p.serviceStartDay?.vietnamese,
                         history: history ? try await RegisterViews.history(.person(p.id!), catalogue: req.application.catalogue, on: req.db) : nil)
    }

    func people(_ req: Request) async throws -> [PersonDTO] {
        let units = try await viewableUnits(req)
        var ids = Set(units.map { $0.id! })
        if let raw = try? req.query.get(String.self, at: "unit"), !raw.isEmpty {
            guard let u = UUID(uuidString: raw) else { throw DomainError.invalid("Đơn vị không hợp lệ.", field: "unit") }
            guard ids.contains(u) else { throw DomainError.forbidden("Bạn không xem được sổ khen thưởng của đơn vị này.") }
            ids = [u]
        }
        var q = Person.query(on: req.db).filter(\.$unitID ~~ Array(ids)).sort(\.$fullName)
        if let text = try? req.query.get(String.self, at: "q"), !text.isEmpty {
            q = q.filter(\.$searchText, .custom("LIKE"), "%" + VietnameseText.searchKey(text) + "%")
        }
        let names = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.officialName) })
        var out: [PersonDTO] = []
        for p in try await q.all() { out.append(try await personDTO(p, history: false, req: req, unitName: names[p.unitID])) }
        return out
    }

    struct ListPage: Encodable, Sendable {
        var people: [PersonDTO]
        var units: [UserController.Option]
        var unit: String
        var q: String
        var canCreate: Bool
        var year: Int
        var newPersonURL: String
        /// The register of these units in the import template's layout.
        var exportXLSX: String; var exportCSV: String; var exportJSON: String
    }

    @Sendable func listPage(_ req: Request) async throws -> Response {
        let units = try await viewableUnits(req)
        let p = try req.requirePrincipal()
        return try await Pages.render(req, "register/list", title: "Sổ khen thưởng",
                                      ListPage(people: try await people(req), units: units.map { .init(value: $0.id!.uuidString, label: $0.officialName) },
                                               unit: (try? req.query.get(String.self, at: "unit")) ?? "", q: (try? req.query.get(String.self, at: "q")) ?? "",
                                               canCreate: p.isOffice || p.has(.unitOfficer), year: try await OrganisationService.selectedYear(req),
                                               newPersonURL: RegisterPath.newPerson.url([("unit", try? req.query.get(String.self, at: "unit"))]),
                                               exportXLSX: RegisterPath.export(format: "xlsx").url, exportCSV: RegisterPath.export(format: "csv").url([("sheet", "awards")]),
                                               exportJSON: RegisterPath.export(format: "json").url))
    }

    /// The register of the units the caller may read, as the import template lays it out: .xlsx (every sheet), .csv
    /// (`sheet`: units, people, ratings, awards, initiatives or disciplines; UTF-8 with BOM) or JSON.
    func export(_ req: Request, _ format: String) async throws -> Response {
        let sheets = try await RegisterExportService.sheets(units: try await viewableUnits(req), on: req.db)
        switch format {
        case "xlsx":
            return Downloads.file(try RegisterExportDocument.xlsx(sheets, title: "SỔ KHEN THƯỞNG"), type: Downloads.xlsx, filename: "so-khen-thuong.xlsx")
        case "csv":
            let raw = (try? req.query.get(String.self, at: "sheet")) ?? "awards"
            guard let kind = ImportSheetKind(rawValue: raw), let sheet = sheets.first(where: { $0.0 == kind }) else {
                throw DomainError.invalid("Trang phải là một trong: \(ImportSheetKind.allCases.map(\.rawValue).joined(separator: ", ")).", field: "sheet")
            }
            return Downloads.file(try RegisterExportDocument.csv(sheet), type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
                                  filename: "\(kind.title).csv")
        default:
            let res = Response(status: .ok, body: .init(data: try RegisterExportDocument.json(sheets)))
            res.headers.contentType = .json
            return res
        }
    }

    // MARK: People

    struct PersonForm: Encodable, Sendable { var input: RegisterService.PersonInput; var units: [UserController.Option]; var error: String? }

    func editableUnits(_ req: Request) async throws -> [UserController.Option] {
        let p = try req.requirePrincipal()
        return try await Unit.query(on: req.db).sort(\.$officialName).all().filter { p.canEditUnit($0.id!) }
            .map { .init(value: $0.id!.uuidString, label: $0.officialName) }
    }

    @Sendable func newPersonPage(_ req: Request) async throws -> Response {
        let unit = (try? req.query.get(String.self, at: "unit")) ?? ""
        return try await Pages.render(req, "register/person-form", title: "Thêm người vào sổ khen thưởng",
                                      PersonForm(input: .init(unitID: unit), units: try await editableUnits(req), error: nil))
    }

    @Sendable func createPersonForm(_ req: Request) async throws -> Response {
        let input = try formInput(req, as: RegisterService.PersonInput.self)
        do {
            let p = try await RegisterService.createPerson(input, req: req)
            Pages.flash(req, "Đã thêm “\(p.fullName)” vào sổ khen thưởng.")
            return req.redirect(to: RegisterPath.subject(.person(try p.requireID())).url)
        } catch let e as DomainError where e.kind != .forbidden {
            return try await Pages.render(req, "register/person-form", title: "Thêm người vào sổ khen thưởng",
                                          PersonForm(input: input, units: try await editableUnits(req), error: e.reason),
                                          status: ThiDuaErrorMiddleware.describe(e, req: req).0)
        }
    }

    // MARK: A subject's page

    /// Evaluates the subject for `?year=` (default: the current emulation year) as of `?asOf=` (default: 31/01 of the next year).
    /// The subject's report, and the facts it was judged on (the page shows them as the history without a second load).
    func evaluate(_ req: Request, _ kind: SubjectType) async throws -> (EligibilityReport, RegisterSubject, RegisterService.SubjectFacts) {
        let (subject, unitID, name) = try await RegisterService.subject(req, kind: kind)
        try await RegisterService.requireView(unitID, req: req)
        guard let unit = try await Unit.find(unitID, on: req.db) else { throw DomainError.notFound("Không tìm thấy đơn vị.") }
        let year = try await OrganisationService.selectedYear(req)
        let today = RegisterService.today(req)
        var asOf = RegisterService.defaultAsOf(for: year, today: today)
        if let raw = try? req.query.get(String.self, at: "asOf"), !raw.isEmpty {
            guard let d = try RegisterService.day(raw, field: "asOf", label: "Ngày xét", required: true, notAfter: Day(9999, 12, 31)) else { throw DomainError.invalid("Ngày xét không hợp lệ.") }
            asOf = d
        }
        if year > asOf.year { throw DomainError.invalid("Năm xét \(year) ở sau ngày xét \(asOf.vietnamese).", field: "year") }
        var gender: Gender?, serviceStart: Day?
        if case .person(let id) = subject, let p = try await Person.find(id, on: req.db) {
            gender = p.gender.flatMap(Gender.init(rawValue:))
            serviceStart = p.serviceStartDay
        }
        let facts = try await RegisterService.loadFacts([subject], on: req.db)[subject.key] ?? .init()
        let c = RegisterService.makeCase(.init(subject: subject, unit: unit, type: kind, name: name, gender: gender, serviceStart: serviceStart),
                                         facts: facts, evaluationYear: year, asOf: asOf)
        return (try req.application.evaluator.evaluate(c), subject, facts)
    }

    /// Form actions of a subject's page, built by `RegisterPath`.
    struct SubjectLinks: Encodable, Sendable {
        var update: String, ratings: String, awards: String, initiatives: String, disciplines: String, freezes: String, years: String, unit: String
        init(_ s: RegisterSubject, unitID: UUID) {
            update = RegisterPath.subject(s).url
            ratings = RegisterPath.facts(s, kind: "ratings").url; awards = RegisterPath.facts(s, kind: "awards").url
            initiatives = RegisterPath.facts(s, kind: "initiatives").url; disciplines = RegisterPath.facts(s, kind: "disciplines").url
            freezes = RegisterPath.facts(s, kind: "freezes").url; years = RegisterPath.facts(s, kind: "years").url
            unit = OrganisationPath.unit(unitID).url
        }
    }

    struct SubjectPage: Encodable, Sendable {
        var kind: String
        var links: SubjectLinks
        var canMarkLedBloc: Bool
        var name: String
        var person: PersonDTO?
        var unitID: UUID
        var unitName: String
        var timeline: [TimelineYear]
        var history: HistoryDTO
        var eligibility: EligibilityView
        var canEdit: Bool
        var awardOptions: [UserController.Option]
        var ratingOptions: [UserController.Option]
        var typeOptions: [UserController.Option]
        var scopeOptions: [UserController.Option]
        var years: [Int]
    }

    @Sendable func subjectPage(_ req: Request, _ kind: SubjectType) async throws -> Response {
        let (report, subject, facts) = try await evaluate(req, kind)
        let catalogue = req.application.catalogue
        let history = RegisterViews.history(facts, catalogue: catalogue)
        var person: PersonDTO?
        let unitID: UUID
        if case .person(let id) = subject, let p = try await Person.find(id, on: req.db) {
            person = try await personDTO(p, history: false, req: req)
            unitID = p.unitID
        } else {
            unitID = subject.unitID!
        }
        let unitName = try await Unit.find(unitID, on: req.db)?.officialName ?? "?"
        let titles = Dictionary(uniqueKeysWithValues: history.initiatives.map { ($0.id.uuidString, $0.title) })
        let name = person?.fullName ?? unitName
        let currentYear = RegisterService.currentYear(req)
        let principal = try req.requirePrincipal()
        var timeline = RegisterViews.timeline(history)
        for y in timeline.indices {
            for i in timeline[y].items.indices {
                let item = timeline[y].items[i]
                if let k = RegisterFactKind(rawValue: item.kind), principal.canChange(k, .delete, unit: unitID) {
                    timeline[y].items[i].deleteURL = RegisterPath.deleteFact(subject, kind: item.kind, id: item.id).url
                }
            }
        }
        return try await Pages.render(req, "register/subject", title: name, SubjectPage(
            kind: kind.rawValue, links: SubjectLinks(subject, unitID: unitID), canMarkLedBloc: principal.canMarkLedBloc,
            name: name, person: person, unitID: unitID, unitName: unitName,
            timeline: timeline, history: history,
            eligibility: RegisterViews.eligibility(report, initiativeTitles: titles),
            canEdit: req.principal?.canEditUnit(unitID) ?? false,
            awardOptions: catalogue.registerCodes.compactMap { c in catalogue.awards[c].flatMap { $0.subjects.contains(kind) ? .init(value: c, label: "\($0.name) (\(c))") : nil } },
            ratingOptions: TaskRating.allCases.reversed().map { .init(value: $0.rawValue, label: $0.label) },
            typeOptions: AwardType.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            scopeOptions: InitiativeScope.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            years: Array((max(2000, currentYear - 15)...currentYear).reversed())))
    }

    func back(_ req: Request, _ kind: SubjectType, _ subject: RegisterSubject) -> String {
        // The page's own filters come back; nothing else of the request's query is echoed.
        RegisterPath.subject(subject).url([("year", try? req.query.get(String.self, at: "year")), ("asOf", try? req.query.get(String.self, at: "asOf"))])
    }

    /// A form's fields as `T`: a field left empty is no value (an empty number field would not decode as a number).
    func formInput<T: Decodable>(_ req: Request, as type: T.Type) throws -> T {
        let fields = try req.content.decode([String: String].self).filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        return try URLEncodedFormDecoder().decode(T.self, from: try URLEncodedFormEncoder().encode(fields))
    }

    @Sendable func addFactForm(_ req: Request, _ kind: SubjectType) async throws -> Response {
        let (subject, unitID, _) = try await RegisterService.subject(req, kind: kind)
        try await RegisterService.requireEdit(unitID, fact: try factKind(req), .add, req: req)
        let input = try formInput(req, as: RegisterService.FactInput.self)
        let what = try await RegisterService.addFact(try factKind(req), input, subject: subject, type: kind, req: req)
        Pages.flash(req, "Đã ghi \(what).")
        return req.redirect(to: back(req, kind, subject))
    }

    @Sendable func deleteFactForm(_ req: Request, _ kind: SubjectType) async throws -> Response {
        let (subject, unitID, _) = try await RegisterService.subject(req, kind: kind)
        try await RegisterService.requireEdit(unitID, fact: try factKind(req), .delete, req: req)
        try await RegisterService.deleteFact(try factKind(req), id: req.parameters.get("factID", as: UUID.self), subject: subject, req: req)
        Pages.flash(req, "Đã xóa.")
        return req.redirect(to: back(req, kind, subject))
    }

    @Sendable func useInitiativeForm(_ req: Request, _ kind: SubjectType) async throws -> Response {
        let (subject, unitID, _) = try await RegisterService.subject(req, kind: kind)
        try await RegisterService.requireEdit(unitID, req: req)
        try await RegisterService.consumeInitiative(req.parameters.get("factID", as: UUID.self), subject: subject,
                                                    usedBy: try req.content.decode(RegisterService.UseInput.self).usedBy, req: req)
        Pages.flash(req, "Đã ghi sáng kiến được dùng để xét khen thưởng.")
        return req.redirect(to: back(req, kind, subject))
    }

    @Sendable func historyAPI(_ req: Request, _ kind: SubjectType) async throws -> Response {
        let (subject, unitID, _) = try await RegisterService.subject(req, kind: kind)
        try await RegisterService.requireView(unitID, req: req)
        if case .person(let id) = subject, let p = try await Person.find(id, on: req.db) {
            return try await personDTO(p, history: true, req: req).encodeResponse(for: req)
        }
        return try await RegisterViews.history(subject, catalogue: req.application.catalogue, on: req.db).encodeResponse(for: req)
    }

    // MARK: Report: who is eligible for what this year

    struct ReportRow: Content, Sendable {
        var subject: String
        var kind: String
        var href: String
        var unit: String
        var eligible: [String]
        var needsData: [String]
        var closest: String?
        var closestMissing: [String]
        var unconfirmed: Bool
    }

    struct ReportData: Sendable {
        var rows: [ReportRow]; var year: Int; var asOf: Day; var scope: String
        /// The subjects in scope (all pages).
        var total: Int = 0
        /// The page shown (1-based) when paged.
        var page: Int?
    }

    /// Rows per page of the report page (the .xlsx and the API have every row).
    static let reportPageSize = 200

    /// One row per collective and person of the chosen unit (`?unit=`) or bloc (`?bloc=`), or of every unit the user may
    /// read; with `paged`, only the rows of `?page=` (the others are neither loaded nor judged).
    func reportRows(_ req: Request, paged: Bool = false) async throws -> ReportData {
        let page = paged ? try Bounded.page(text: try? req.query.get(String.self, at: "page")) : nil
        var units = try await viewableUnits(req)
        let year = try await OrganisationService.selectedYear(req)
        var scope = "tất cả đơn vị được xem"
        if let raw = try? req.query.get(String.self, at: "unit"), !raw.isEmpty {
            guard let u = UUID(uuidString: raw), let unit = units.first(where: { $0.id == u }) else { throw DomainError.forbidden("Bạn không xem được sổ khen thưởng của đơn vị này.") }
            units = [unit]
            scope = unit.officialName
        } else if let raw = try? req.query.get(String.self, at: "bloc"), !raw.isEmpty {
            guard let b = UUID(uuidString: raw), let bloc = try await Bloc.find(b, on: req.db) else { throw DomainError.notFound("Không tìm thấy khối thi đua.") }
            let members = Set(try await Membership.query(on: req.db).filter(\.$blocID == b).filter(\.$year == year).all().map(\.unitID))
            units = units.filter { members.contains($0.id!) }
            scope = "\(bloc.name), năm \(year)"
        }
        let asOf = RegisterService.defaultAsOf(for: year, today: RegisterService.today(req))
        let evaluator = req.application.evaluator
        var rows: [ReportRow] = []
        func row(_ r: EligibilitySummary, name: String, kind: SubjectType, href: String, unit: String) -> ReportRow {
            ReportRow(subject: name, kind: kind.label, href: href, unit: unit, eligible: r.eligible, needsData: r.needsData,
                      closest: r.closest, closestMissing: r.closestMissing, unconfirmed: r.unconfirmed)
        }
        // Every subject's facts in a few queries (not several per subject): units, then each unit's people by name.
        let total: Int, subjects: [RegisterService.CaseSubject]
        if let page {
            (total, subjects) = try await RegisterService.subjectPage(of: units, range: Bounded.pageRange(page, size: Self.reportPageSize), on: req.db)
        } else {
            subjects = try await RegisterService.subjects(of: units, on: req.db)
            total = subjects.count
        }
        let cases = try await RegisterService.loadCases(subjects, evaluationYear: year, asOf: asOf, on: req.db)
        for (s, c) in zip(subjects, cases) {
            rows.append(row(try evaluator.summary(c), name: s.name, kind: s.type,
                            href: RegisterPath.subject(s.subject).url([("year", String(year))]), unit: s.unit.shortName))
        }
        return ReportData(rows: rows, year: year, asOf: asOf, scope: scope, total: total, page: page)
    }

    struct ReportPage: Encodable, Sendable {
        var rows: [ReportRow]
        var year: Int
        var asOf: String
        var scope: String
        var notice: String?
        /// The catalogue's newest regime ends soon (`Catalogue.endWarning`).
        var catalogueWarning: String?
        var paging: String
        var prevPage: String?
        var nextPage: String?
        var exports: ExportLinks
        var units: [UserController.Option]
        var unit: String
    }

    @Sendable func reportPage(_ req: Request) async throws -> Response {
        let data = try await reportRows(req, paged: true)
        let units = try await viewableUnits(req)
        let page = data.page ?? 1
        let pages = max(1, (data.total + Self.reportPageSize - 1) / Self.reportPageSize)
        func link(_ p: Int) -> String {
            RegisterPath.report.url([("year", String(data.year)), ("unit", try? req.query.get(String.self, at: "unit")),
                                     ("bloc", try? req.query.get(String.self, at: "bloc")), ("page", String(p))])
        }
        let first = data.rows.isEmpty ? 0 : (page - 1) * Self.reportPageSize + 1
        let last = data.rows.isEmpty ? 0 : first + data.rows.count - 1
        let notice = try await RegisterService.hasRatings(year: data.year, on: req.db) ? nil : RegisterService.noRatingsNotice(data.year)
        let paging = "\(VietnameseFormat.number(first))–\(VietnameseFormat.number(last)) / \(VietnameseFormat.number(data.total)) tập thể và cá nhân · trang \(page)/\(pages)"
        return try await Pages.render(req, "register/report", title: "Ai đủ điều kiện khen thưởng năm \(data.year)",
                                      ReportPage(rows: data.rows, year: data.year, asOf: data.asOf.vietnamese, scope: data.scope,
                                                 notice: notice, catalogueWarning: req.application.catalogue.endWarning(today: RegisterService.today(req)),
                                                 paging: paging, prevPage: page > 1 ? link(page - 1) : nil, nextPage: page < pages ? link(page + 1) : nil,
                                                 exports: ExportLinks(["register"], name: "report",
                                                                      query: [("year", String(data.year)), ("unit", try? req.query.get(String.self, at: "unit")),
                                                                              ("bloc", try? req.query.get(String.self, at: "bloc")), ("asOf", try? req.query.get(String.self, at: "asOf"))]),
                                                 units: units.map { .init(value: $0.id!.uuidString, label: $0.officialName) },
                                                 unit: (try? req.query.get(String.self, at: "unit")) ?? ""))
    }

    /// The whole report (every page of it) as a file.
    @Sendable func reportFile(_ req: Request) async throws -> ListFile {
        let data = try await reportRows(req)
        let catalogue = req.application.catalogue
        func names(_ codes: [String]) -> String { codes.map { catalogue.awards[$0]?.name ?? $0 }.joined(separator: "; ") }
        let sheet = Sheet(name: "Năm \(data.year)",
                          title: "DANH SÁCH ĐỦ ĐIỀU KIỆN KHEN THƯỞNG NĂM \(data.year) – \(data.scope.uppercased()) (ngày xét \(data.asOf.vietnamese))",
                          header: ["STT", "Tập thể / cá nhân", "Loại", "Đơn vị", "Đủ điều kiện", "Thiếu dữ liệu", "Gần đạt nhất", "Còn thiếu"],
                          rows: data.rows.enumerated().map { i, r in
                              [.number(Double(i + 1)), .text(r.subject), .text(r.kind), .text(r.unit), .text(names(r.eligible) + (r.unconfirmed ? " (có quy tắc chưa xác nhận)" : "")),
                               .text(names(r.needsData)), .text(r.closest.map { catalogue.awards[$0]?.name ?? $0 } ?? ""), .text(r.closestMissing.joined(separator: "; "))]
                          },
                          widths: [6, 32, 10, 18, 36, 30, 28, 50])
        return ListFile(filename: "du-dieu-kien-\(data.year)", sheets: [sheet])
    }

    // MARK: API: case files and the catalogue

    /// POST /api/v1/eligibility/check with a case file (docs/eligibility.md) → the explained verdicts.
    @Sendable func checkAPI(_ req: Request) async throws -> Response {
        guard let buffer = req.body.data else { throw DomainError(.badRequest, "Hãy gửi hồ sơ xét dạng JSON trong thân yêu cầu.") }
        let catalogue = req.application.catalogue
        do {
            let c = try CaseFileReader(catalogue: catalogue, file: "hồ sơ").read(Data(buffer.readableBytesView))
            return try Downloads.report(try req.application.evaluator.evaluate(c))
        } catch let e as DataFileError {
            throw DomainError.invalid(e.description)
        }
    }

    struct CatalogueDTO: Content, Sendable {
        struct RegimeDTO: Content, Sendable { var id: String; var name: String; var from: String; var to: String?; var note: String? }
        var name: String
        var version: String
        var regimes: [RegimeDTO]
        var awards: [AwardKind]
        var parameters: [CatalogueParameter]
    }

    @Sendable func catalogueAPI(_ req: Request) async throws -> CatalogueDTO {
        let c = req.application.catalogue
        return CatalogueDTO(name: c.name, version: c.version,
                            regimes: c.regimes.map { .init(id: $0.id, name: $0.name, from: $0.from.description, to: $0.to?.description, note: $0.note) },
                            awards: c.awardCodes.compactMap { c.awards[$0] }, parameters: c.parameters)
    }
}
