import Fluent
import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// Emulation registration pages and API, and the office's deadlines.
struct RegistrationController {
    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.on(.GET, "units", ":unitID", "registration", policy: .signedIn, use: unitPage)
        pages.on(.POST, "units", ":unitID", "registration", policy: .roles([.office, .unitOfficer]), use: saveForm)
        pages.on(.GET, "blocs", ":blocID", "registrations", policy: .roles([.office, .blocLead, .council]), use: blocPage)
        ListExports.register(on: [pages, api], ["blocs", ":blocID"], name: "registrations", policy: .roles([.office, .blocLead, .council]), make: blocFile)
        api.on(.GET, "units", ":unitID", "registrations", ":year", policy: .signedIn) { req in
            let unit = try await OrganisationService.unit(req)
            let year = try self.year(req)
            try await self.requireRead(unit: unit, year: year, req: req)
            return try await RegistrationService.dto(unit: unit, year: year, catalogue: req.application.catalogue, on: req.db)
        }
        api.on(.PUT, "units", ":unitID", "registrations", ":year", policy: .roles([.office, .unitOfficer])) { req in
            let unit = try await OrganisationService.unit(req)
            let year = try self.year(req)
            try await RegistrationService.save(unit: unit, year: year, try req.content.decode(RegistrationService.Input.self), req: req)
            return try await RegistrationService.dto(unit: unit, year: year, catalogue: req.application.catalogue, on: req.db)
        }
        api.on(.GET, "blocs", ":blocID", "registrations", policy: .roles([.office, .blocLead, .council])) { req in try await self.blocRegistrations(req).1 }

        pages.on(.GET, "years", ":year", "deadlines", policy: .roles([.office]), use: deadlinesPage)
        ListExports.register(on: [pages, api], ["years", ":year"], name: "deadlines", policy: .roles([.office])) { req in
            let year = try self.year(req)
            let rows: [[SheetCell]] = try await DeadlineService.list(year: year, req: req).map { d in
                [.text(d.label), .text(d.due ?? ""), .text(d.state == "overdue" ? "Đã quá hạn" : d.state == "due" ? "Sắp đến hạn" : ""),
                 .text(d.reopenings.map { "\($0.unitName) đến \($0.until): \($0.reason)" }.joined(separator: "; "))]
            }
            return ListFile(filename: "cac-moc-thoi-gian-\(year)", sheets: [Sheet(name: "Mốc thời gian", title: "CÁC MỐC THỜI GIAN NĂM \(year)",
                                                                                  header: ["Giai đoạn", "Hạn", "Tình trạng", "Mở lại cho đơn vị"], rows: rows, widths: [40, 14, 14, 60])])
        }
        pages.on(.POST, "years", ":year", "deadlines", ":phase", policy: .roles([.office])) { req in
            let year = try self.year(req)
            try await DeadlineService.set(year: year, phase: try DeadlineService.phase(req), input: try req.content.decode(DeadlineService.SetInput.self), req: req)
            Pages.flash(req, "Đã lưu hạn.")
            return req.redirect(to: RegistrationPath.deadlines(year: year).url)
        }
        pages.on(.POST, "years", ":year", "deadlines", ":phase", "reopen", policy: .roles([.office])) { req in
            let year = try self.year(req)
            try await DeadlineService.reopen(year: year, phase: try DeadlineService.phase(req), input: try req.content.decode(DeadlineService.ReopenInput.self), req: req)
            Pages.flash(req, "Đã mở lại cho đơn vị.")
            return req.redirect(to: RegistrationPath.deadlines(year: year).url)
        }
        api.on(.GET, "years", ":year", "deadlines", policy: .signedIn) { req in try await DeadlineService.list(year: try self.year(req), req: req) }
        api.on(.PUT, "years", ":year", "deadlines", ":phase", policy: .roles([.office])) { req in
            let year = try self.year(req)
            try await DeadlineService.set(year: year, phase: try DeadlineService.phase(req), input: try req.content.decode(DeadlineService.SetInput.self), req: req)
            return try await DeadlineService.list(year: year, req: req)
        }
        api.on(.POST, "years", ":year", "deadlines", ":phase", "reopen", policy: .roles([.office])) { req in
            let year = try self.year(req)
            try await DeadlineService.reopen(year: year, phase: try DeadlineService.phase(req), input: try req.content.decode(DeadlineService.ReopenInput.self), req: req)
            return try await DeadlineService.list(year: year, req: req)
        }
    }

    func year(_ req: Request) throws -> Int {
        if let raw = req.parameters.get("year") { return try Bounded.emulationYear(text: raw) ?? Bounded.emulationYear(nil) }
        if let y = try Bounded.emulationYear(text: try? req.query.get(String.self, at: "year")) { return y }
        throw DomainError.invalid("Hãy chọn năm.", field: "year")
    }

    /// A unit's registration is read by its own officer and head, the office, the council and the leads of a bloc
    /// the unit belongs to in that year (`Principal.canReadRegistration`).
    func requireRead(unit: Unit, year: Int, req: Request) async throws {
        let p = try req.requirePrincipal()
        let memberships = try await Membership.query(on: req.db).filter(\.$unitID == unit.requireID()).all()
        guard p.canReadRegistration(unit: try unit.requireID(), year: year,
                                    unitBlocs: Set(memberships.map { BlocYearKey(blocID: $0.blocID, year: $0.year) })) else {
            throw DomainError.forbidden("Bạn chỉ xem được bản đăng ký thi đua của đơn vị mình, hoặc của các đơn vị trong khối bạn phụ trách năm \(year).")
        }
    }

    struct UnitPage: Encodable, Sendable {
        var r: RegistrationDTO
        var canEdit: Bool
        var collectiveOptions: [Option]
        var individualCodes: String
        var individualsText: String
        var deadline: String?
        struct Option: Encodable, Sendable { var value: String; var label: String; var checked: Bool }
    }

    @Sendable func unitPage(_ req: Request) async throws -> Response {
        let unit = try await OrganisationService.unit(req)
        let year = try await OrganisationService.selectedYear(req)
        try await requireRead(unit: unit, year: year, req: req)
        let catalogue = req.application.catalogue
        let r = try await RegistrationService.dto(unit: unit, year: year, catalogue: catalogue, on: req.db)
        let deadline = try await DeadlineService.list(year: year, req: req).first { $0.phase == EmulationPhase.registration.rawValue }?.due
        return try await Pages.render(req, "registration/unit", title: "Đăng ký thi đua \(year) – \(unit.shortName)", UnitPage(
            r: r, canEdit: req.principal?.canEditUnit(unit.id!) ?? false,
            collectiveOptions: catalogue.provincialCodes.compactMap { c in
                catalogue.awards[c].flatMap { $0.subjects.contains(.collective) ? .init(value: c, label: "\($0.name) (\(c))", checked: r.collectiveTargets.contains(c)) : nil }
            },
            individualCodes: catalogue.provincialCodes.filter { catalogue.awards[$0]?.subjects.contains(.individual) == true }.joined(separator: ", "),
            individualsText: r.individuals.map { "\($0.fullName) | \($0.position ?? "") | \($0.target)" }.joined(separator: "\n"),
            deadline: deadline))
    }

    @Sendable func saveForm(_ req: Request) async throws -> Response {
        let unit = try await OrganisationService.unit(req)
        let year = try self.year(req)
        try await RegistrationService.save(unit: unit, year: year, try req.content.decode(RegistrationService.Input.self), req: req)
        Pages.flash(req, "Đã lưu đăng ký thi đua năm \(year).")
        return req.redirect(to: RegistrationPath.unit(try unit.requireID()).url([("year", String(year))]))
    }

    func blocRegistrations(_ req: Request) async throws -> (Bloc, [RegistrationDTO], Int) {
        let bloc = try await OrganisationService.bloc(req)
        let year = try await OrganisationService.selectedYear(req)
        let p = try req.requirePrincipal()
        guard p.canReadBlocRegistrations(bloc: try bloc.requireID(), year: year) else {
            throw DomainError.forbidden("Bạn không phụ trách khối thi đua này trong năm \(year).")
        }
        let ms = try await Membership.query(on: req.db).filter(\.$blocID == bloc.id!).filter(\.$year == year).all()
        var out: [RegistrationDTO] = []
        for u in try await Unit.query(on: req.db).filter(\.$id ~~ ms.map(\.unitID)).sort(\.$officialName).all() {
            out.append(try await RegistrationService.dto(unit: u, year: year, catalogue: req.application.catalogue, on: req.db))
        }
        return (bloc, out, year)
    }

    struct BlocPage: Encodable, Sendable { var blocID: UUID; var blocName: String; var year: Int; var rows: [RegistrationDTO]; var registered: Int }

    @Sendable func blocPage(_ req: Request) async throws -> Response {
        let (bloc, rows, year) = try await blocRegistrations(req)
        return try await Pages.render(req, "registration/bloc", title: "Đăng ký thi đua \(year) – \(bloc.name)",
                                      BlocPage(blocID: bloc.id!, blocName: bloc.name, year: year, rows: rows, registered: rows.filter(\.registered).count))
    }

    /// The bloc's registrations: the collectives' sheet, then the individuals' (`?sheet=2` for .csv and JSON).
    @Sendable func blocFile(_ req: Request) async throws -> ListFile {
        let (bloc, rows, year) = try await blocRegistrations(req)
        let catalogue = req.application.catalogue
        let units = Sheet(name: "Tập thể", title: "ĐĂNG KÝ THI ĐUA NĂM \(year) – \(bloc.name.uppercased())",
                          header: ["STT", "Đơn vị", "Danh hiệu, hình thức đăng ký", "Số cá nhân đăng ký", "Ghi chú"],
                          rows: rows.enumerated().map { i, r in
                              [.number(Double(i + 1)), .text(r.unitName), .text(r.registered ? r.collectiveTargetNames.joined(separator: "; ") : "Chưa đăng ký"),
                               .number(Double(r.individuals.count)), .text(r.note)]
                          }, widths: [6, 40, 50, 14, 30])
        var people: [[SheetCell]] = []
        for r in rows { for p in r.individuals {
            people.append([.number(Double(people.count + 1)), .text(p.fullName), .text(p.position ?? ""), .text(r.unitName), .text(catalogue.awards[p.target]?.name ?? p.target)])
        } }
        let individuals = Sheet(name: "Cá nhân", title: "CÁ NHÂN ĐĂNG KÝ THI ĐUA NĂM \(year)", header: ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Danh hiệu đăng ký"],
                                rows: people, widths: [6, 30, 24, 40, 34])
        return ListFile(filename: "dang-ky-thi-dua-\(year)", sheets: [units, individuals])
    }

    struct DeadlinesPage: Encodable, Sendable { var year: Int; var deadlines: [DeadlineDTO]; var units: [UserController.Option] }

    @Sendable func deadlinesPage(_ req: Request) async throws -> Response {
        let year = try self.year(req)
        try await OrganisationService.requireYearOpen(year, on: req.db)
        let units = try await Unit.query(on: req.db).sort(\.$officialName).all().map { UserController.Option(value: $0.id!.uuidString, label: $0.officialName) }
        return try await Pages.render(req, "registration/deadlines", title: "Các mốc thời gian năm \(year)",
                                      DeadlinesPage(year: year, deadlines: try await DeadlineService.list(year: year, req: req), units: units))
    }
}
