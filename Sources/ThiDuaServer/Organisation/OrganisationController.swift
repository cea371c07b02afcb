import Fluent
import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// Pages and API for units, blocs, memberships, leadership and years.
struct OrganisationController {
    let office: RoutePolicy = .roles([.office])

    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        // Units
        pages.on(.GET, "units", policy: .signedIn, use: unitsPage)
        pages.on(.GET, "blocs", policy: .signedIn, use: blocsPage)
        // The lists as files: .xlsx, .csv (UTF-8 with BOM), JSON; the same rows the pages show.
        ListExports.register(on: [pages, api], ["units"], name: "export", policy: .signedIn, make: exportUnits)
        ListExports.register(on: [pages, api], ["blocs"], name: "export", policy: .signedIn, make: exportBlocs)
        ListExports.register(on: [pages, api], ["years"], name: "export", policy: office) { req in
            let rows: [[SheetCell]] = try await OrganisationService.years(on: req.db).map { y in
                [.number(Double(y.year)), .text(y.theme), .number(Double(y.blocCount)), .number(Double(y.memberCount))]
            }
            return ListFile(filename: "nam-thi-dua", sheets: [Sheet(name: "Năm thi đua", title: "CÁC NĂM THI ĐUA",
                                                                    header: ["Năm", "Chủ đề", "Số khối", "Lượt đơn vị tham gia"], rows: rows, widths: [8, 60, 10, 18])])
        }
        pages.on(.GET, "units", "new", policy: office, use: newUnitPage)
        pages.on(.POST, "units", policy: office, use: createUnitForm)
        pages.on(.GET, "units", ":unitID", policy: .signedIn, use: unitPage)
        pages.on(.GET, "units", ":unitID", "edit", policy: .roles([.office, .unitOfficer]), use: editUnitPage)
        pages.on(.POST, "units", ":unitID", policy: .roles([.office, .unitOfficer]), use: updateUnitForm)
        pages.on(.POST, "units", ":unitID", "delete", policy: office, use: deleteUnitForm)
        api.on(.GET, "units", policy: .signedIn) { req in try await OrganisationService.unitDTOs(req) }
        api.on(.POST, "units", policy: office) { req in
            let u = try await OrganisationService.createUnit(try req.content.decode(UnitInput.self), req: req)
            return try await OrganisationService.unitDTO(u, on: req.db).encodeResponse(status: .created, for: req)
        }
        api.on(.GET, "units", ":unitID", policy: .signedIn) { req in try await OrganisationService.unitDTO(try await OrganisationService.unit(req), on: req.db) }
        api.on(.PUT, "units", ":unitID", policy: .roles([.office, .unitOfficer])) { req in
            let u = try await OrganisationService.unit(req)
            try await OrganisationService.updateUnit(u, try req.content.decode(UnitInput.self), req: req)
            return try await OrganisationService.unitDTO(u, on: req.db)
        }
        api.on(.DELETE, "units", ":unitID", policy: office) { req in
            try await OrganisationService.deleteUnit(try await OrganisationService.unit(req), req: req)
            return HTTPStatus.noContent
        }

        // Blocs
        pages.on(.GET, "blocs", "new", policy: office, use: newBlocPage)
        pages.on(.POST, "blocs", policy: office, use: createBlocForm)
        pages.on(.GET, "blocs", ":blocID", policy: .signedIn, use: blocPage)
        pages.on(.GET, "blocs", ":blocID", "edit", policy: office, use: editBlocPage)
        pages.on(.POST, "blocs", ":blocID", policy: office, use: updateBlocForm)
        pages.on(.POST, "blocs", ":blocID", "delete", policy: office, use: deleteBlocForm)
        pages.on(.POST, "blocs", ":blocID", "members", policy: office, use: addMemberForm)
        pages.on(.POST, "blocs", ":blocID", "members", ":membershipID", "delete", policy: office, use: removeMemberForm)
        pages.on(.POST, "blocs", ":blocID", "leadership", policy: office, use: leadershipForm)
        pages.on(.POST, "blocs", ":blocID", "years", ":year", "plan", policy: .roles([.office, .blocLead]), use: planForm)
        api.on(.GET, "blocs", policy: .signedIn) { req in
            try await OrganisationService.blocDTOs(req, year: try await OrganisationService.selectedYear(req))
        }
        api.on(.POST, "blocs", policy: office) { req in
            let b = try await OrganisationService.createBloc(try req.content.decode(BlocInput.self), req: req)
            return try await OrganisationService.blocDTO(b, year: nil, on: req.db).encodeResponse(status: .created, for: req)
        }
        api.on(.GET, "blocs", ":blocID", policy: .signedIn) { req in
            try await OrganisationService.blocDTO(try await OrganisationService.bloc(req), year: try await OrganisationService.selectedYear(req), on: req.db)
        }
        api.on(.PUT, "blocs", ":blocID", policy: office) { req in
            let b = try await OrganisationService.bloc(req)
            try await OrganisationService.updateBloc(b, try req.content.decode(BlocInput.self), req: req)
            return try await OrganisationService.blocDTO(b, year: nil, on: req.db)
        }
        api.on(.DELETE, "blocs", ":blocID", policy: office) { req in
            try await OrganisationService.deleteBloc(try await OrganisationService.bloc(req), req: req)
            return HTTPStatus.noContent
        }
        api.on(.POST, "blocs", ":blocID", "members", policy: office) { req in
            let b = try await OrganisationService.bloc(req)
            let m = try await OrganisationService.addMember(b, try req.content.decode(MemberInput.self), req: req)
            return try await OrganisationService.blocDTO(b, year: m.year, on: req.db).encodeResponse(status: .created, for: req)
        }
        api.on(.DELETE, "blocs", ":blocID", "members", ":membershipID", policy: office) { req in
            try await OrganisationService.removeMember(try await OrganisationService.bloc(req), membershipID: req.parameters.get("membershipID", as: UUID.self), req: req)
            return HTTPStatus.noContent
        }
        api.on(.PUT, "blocs", ":blocID", "leadership", policy: office) { req in
            let b = try await OrganisationService.bloc(req)
            let input = try req.content.decode(LeadershipInput.self)
            try await OrganisationService.setLeadership(b, input, req: req)
            return try await OrganisationService.blocDTO(b, year: input.year, on: req.db)
        }
        api.on(.PUT, "blocs", ":blocID", "years", ":year", "plan", policy: .roles([.office, .blocLead])) { req in
            let b = try await OrganisationService.bloc(req)
            let year = try Validate.year(req.parameters.get("year", as: Int.self))
            try await OrganisationService.setPlan(b, year: year, try req.content.decode(PlanInput.self), req: req)
            return try await OrganisationService.blocDTO(b, year: year, on: req.db)
        }

        // Years
        pages.on(.GET, "years", policy: office, use: yearsPage)
        pages.on(.POST, "years", policy: office, use: openYearForm)
        api.on(.GET, "years", policy: .signedIn) { req in try await OrganisationService.years(on: req.db) }
        api.on(.POST, "years", policy: office) { req in
            let y = try await OrganisationService.openYear(try req.content.decode(YearInput.self), req: req)
            return try await YearDTO(year: y.year, theme: y.theme, blocCount: 0, memberCount: 0).encodeResponse(status: .created, for: req)
        }
    }

    // MARK: Unit pages

    struct UnitsPage: Encodable, Sendable { var units: [UnitDTO]; var q: String; var canCreate: Bool }
    struct UnitForm: Encodable, Sendable {
        var unit: UnitInput
        var id: UUID?
        var kinds: [UserController.Option]
        var parents: [UserController.Option]
        var error: String?
        /// Kind, parent and sector are the office's (`Principal.canChangeUnitPlacement`); others see them read-only.
        var canPlace: Bool
        var action: String
        var kindLabel: String
        var parentName: String
    }
    struct UnitPage: Encodable, Sendable { var unit: UnitDTO; var canEdit: Bool; var canDelete: Bool }

    @Sendable func exportUnits(_ req: Request) async throws -> ListFile {
        let units = try await OrganisationService.unitDTOs(req)
        let header = ["Tên đơn vị", "Tên viết tắt", "Loại đơn vị", "Ngành", "Đơn vị cấp trên", "Khối thi đua"]
        let rows: [[SheetCell]] = units.map { u in
            [.text(u.officialName), .text(u.shortName), .text(u.kindLabel), .text(u.sector ?? ""), .text(u.parentName ?? ""),
             .text(u.memberships.map { "\($0.blocName) (\($0.year))" }.joined(separator: "; "))]
        }
        return ListFile(filename: "danh-sach-don-vi", sheets: [Sheet(name: "Đơn vị", title: "DANH SÁCH ĐƠN VỊ", header: header, rows: rows, widths: [44, 16, 20, 20, 36, 44])])
    }

    @Sendable func exportBlocs(_ req: Request) async throws -> ListFile {
        let year = try await OrganisationService.selectedYear(req)
        let blocs = try await OrganisationService.blocDTOs(req, year: year)
        let header = ["Tên khối", "Tổ chức", "Năm", "Số đơn vị", "Trưởng khối", "Phó khối", "Đơn vị thành viên"]
        let rows: [[SheetCell]] = blocs.map { b in
            [.text(b.name), .text(b.organiserLabel), .number(Double(year)), .number(Double(b.members.count)), .text(b.leader?.officialName ?? ""),
             .text(b.deputy?.officialName ?? ""), .text(b.members.map(\.officialName).joined(separator: "; "))]
        }
        return ListFile(filename: "danh-sach-khoi-\(year)",
                        sheets: [Sheet(name: "Khối thi đua", title: "DANH SÁCH KHỐI THI ĐUA NĂM \(year)", header: header, rows: rows, widths: [36, 20, 8, 10, 36, 36, 60])])
    }

    @Sendable func unitsPage(_ req: Request) async throws -> Response {
        try await Pages.render(req, "units/list", title: "Đơn vị",
                               UnitsPage(units: try await OrganisationService.unitDTOs(req), q: (try? req.query.get(String.self, at: "q")) ?? "",
                                         canCreate: req.principal?.isOffice ?? false))
    }

    private func unitForm(_ req: Request, input: UnitInput, id: UUID?, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let parents = try await Unit.query(on: req.db).sort(\.$officialName).all().filter { $0.id != id }
            .map { UserController.Option(value: $0.id!.uuidString, label: $0.officialName) }
        let kinds = UnitKind.allCases.map { UserController.Option(value: $0.rawValue, label: $0.label) }
        return try await Pages.render(req, "units/form", title: id == nil ? "Thêm đơn vị" : "Sửa đơn vị",
                                      UnitForm(unit: input, id: id, kinds: kinds, parents: parents, error: error,
                                               canPlace: req.principal?.canChangeUnitPlacement ?? false,
                                               action: id.map { OrganisationPath.unit($0).url } ?? OrganisationPath.units.url,
                                               kindLabel: kinds.first { $0.value == input.kind }?.label ?? "—",
                                               parentName: parents.first { $0.value == input.parentID }?.label ?? "—"), status: status)
    }

    @Sendable func newUnitPage(_ req: Request) async throws -> Response {
        try await unitForm(req, input: UnitInput(kind: UnitKind.civil.rawValue), id: nil, error: nil)
    }

    @Sendable func createUnitForm(_ req: Request) async throws -> Response {
        let input = try req.content.decode(UnitInput.self)
        do {
            let u = try await OrganisationService.createUnit(input, req: req)
            Pages.flash(req, "Đã thêm đơn vị “\(u.officialName)”.")
            return req.redirect(to: OrganisationPath.unit(try u.requireID()).url)
        } catch let e as DomainError {
            return try await unitForm(req, input: input, id: nil, error: e.reason, status: ThiDuaErrorMiddleware.describe(e, req: req).0)
        }
    }

    @Sendable func unitPage(_ req: Request) async throws -> Response {
        let u = try await OrganisationService.unit(req)
        let p = req.principal
        return try await Pages.render(req, "units/show", title: u.officialName,
                                      UnitPage(unit: try await OrganisationService.unitDTO(u, on: req.db),
                                               canEdit: p?.canEditUnit(u.id!) ?? false, canDelete: p?.isOffice ?? false))
    }

    @Sendable func editUnitPage(_ req: Request) async throws -> Response {
        let u = try await OrganisationService.unit(req)
        try req.requirePrincipal().requireUnit(u.id!, unitName: u.officialName)
        return try await unitForm(req, input: UnitInput(officialName: u.officialName, shortName: u.shortName, parentID: u.parentID?.uuidString,
                                                        kind: u.kind, sector: u.sector), id: u.id, error: nil)
    }

    @Sendable func updateUnitForm(_ req: Request) async throws -> Response {
        let u = try await OrganisationService.unit(req)
        let input = try req.content.decode(UnitInput.self)
        do {
            try await OrganisationService.updateUnit(u, input, req: req)
            Pages.flash(req, "Đã lưu thông tin đơn vị.")
            return req.redirect(to: OrganisationPath.unit(try u.requireID()).url)
        } catch let e as DomainError where e.kind != .forbidden {
            return try await unitForm(req, input: input, id: u.id, error: e.reason, status: ThiDuaErrorMiddleware.describe(e, req: req).0)
        }
    }

    @Sendable func deleteUnitForm(_ req: Request) async throws -> Response {
        let u = try await OrganisationService.unit(req)
        try await OrganisationService.deleteUnit(u, req: req)
        Pages.flash(req, "Đã xóa đơn vị “\(u.officialName)”.")
        return req.redirect(to: OrganisationPath.units.url)
    }

    // MARK: Bloc pages

    struct BlocsPage: Encodable, Sendable { var blocs: [BlocDTO]; var year: Int; var years: [Int]; var q: String; var canCreate: Bool }
    struct BlocForm: Encodable, Sendable { var bloc: BlocInput; var id: UUID?; var error: String? }
    struct BlocPage: Encodable, Sendable {
        var bloc: BlocDTO
        var year: Int
        var years: [Int]
        var isOffice: Bool
        var canEditPlan: Bool
        var candidates: [UserController.Option]
        /// Links shown only to those who may open them (nil: hidden).
        var covenantURL: String?
        var registrationsURL: String?
        var roundsURL: String?
    }

    private func yearList(_ req: Request) async throws -> [Int] {
        try await EmulationYear.query(on: req.db).sort(\.$year, .descending).all().map(\.year)
    }

    @Sendable func blocsPage(_ req: Request) async throws -> Response {
        let year = try await OrganisationService.selectedYear(req)
        return try await Pages.render(req, "blocs/list", title: "Khối thi đua",
                                      BlocsPage(blocs: try await OrganisationService.blocDTOs(req, year: year), year: year, years: try await yearList(req),
                                                q: (try? req.query.get(String.self, at: "q")) ?? "", canCreate: req.principal?.isOffice ?? false))
    }

    @Sendable func newBlocPage(_ req: Request) async throws -> Response {
        try await Pages.render(req, "blocs/form", title: "Thêm khối thi đua", BlocForm(bloc: BlocInput(organiser: ""), id: nil, error: nil))
    }

    @Sendable func createBlocForm(_ req: Request) async throws -> Response {
        let input = try req.content.decode(BlocInput.self)
        do {
            let b = try await OrganisationService.createBloc(input, req: req)
            Pages.flash(req, "Đã thêm khối “\(b.name)”.")
            return req.redirect(to: OrganisationPath.bloc(try b.requireID()).url)
        } catch let e as DomainError {
            return try await Pages.render(req, "blocs/form", title: "Thêm khối thi đua", BlocForm(bloc: input, id: nil, error: e.reason),
                                          status: ThiDuaErrorMiddleware.describe(e, req: req).0)
        }
    }

    @Sendable func blocPage(_ req: Request) async throws -> Response {
        let b = try await OrganisationService.bloc(req)
        let year = try await OrganisationService.selectedYear(req)
        let dto = try await OrganisationService.blocDTO(b, year: year, on: req.db)
        let memberIDs = Set(dto.members.map(\.id))
        let candidates = try await Unit.query(on: req.db).sort(\.$officialName).all().filter { !memberIDs.contains($0.id!) }
            .map { UserController.Option(value: $0.id!.uuidString, label: $0.officialName) }
        let p = try req.requirePrincipal()
        let blocID = try b.requireID()
        // The covenant link: a bloc without one shows its "none" page; a draft only to those who may read it.
        var covenantURL: String? = CovenantPath.blocCovenant(bloc: blocID).url([("year", String(year))])
        if let v = try await CovenantService.current(blocID: blocID, year: year, on: req.db),
           (try? CovenantService.requireView(try await CovenantService.context(v, on: req.db), req: req)) == nil {
            covenantURL = nil
        }
        return try await Pages.render(req, "blocs/show", title: b.name,
                                      BlocPage(bloc: dto, year: year, years: try await yearList(req), isOffice: p.isOffice,
                                               canEditPlan: p.canLeadBloc(blocID, year: year), candidates: candidates,
                                               covenantURL: covenantURL,
                                               registrationsURL: p.canReadBlocRegistrations(bloc: blocID, year: year)
                                                   ? RegistrationPath.bloc(blocID).url([("year", String(year))]) : nil,
                                               roundsURL: p.canLeadBloc(blocID, year: year) || p.has(.council)
                                                   || p.grants.contains { g in g.unitID.map(memberIDs.contains) == true }
                                                   ? ScoringPath.blocRounds(bloc: blocID).url([("year", String(year))]) : nil))
    }

    @Sendable func editBlocPage(_ req: Request) async throws -> Response {
        let b = try await OrganisationService.bloc(req)
        return try await Pages.render(req, "blocs/form", title: "Sửa khối thi đua",
                                      BlocForm(bloc: BlocInput(name: b.name, organiser: b.organiser == BlocOrganiser.province ? "" : b.organiser), id: b.id, error: nil))
    }

    @Sendable func updateBlocForm(_ req: Request) async throws -> Response {
        let b = try await OrganisationService.bloc(req)
        let input = try req.content.decode(BlocInput.self)
        do {
            try await OrganisationService.updateBloc(b, input, req: req)
            Pages.flash(req, "Đã lưu khối thi đua.")
            return req.redirect(to: OrganisationPath.bloc(try b.requireID()).url)
        } catch let e as DomainError {
            return try await Pages.render(req, "blocs/form", title: "Sửa khối thi đua", BlocForm(bloc: input, id: b.id, error: e.reason),
                                          status: ThiDuaErrorMiddleware.describe(e, req: req).0)
        }
    }

    @Sendable func deleteBlocForm(_ req: Request) async throws -> Response {
        let b = try await OrganisationService.bloc(req)
        try await OrganisationService.deleteBloc(b, req: req)
        Pages.flash(req, "Đã xóa khối “\(b.name)”.")
        return req.redirect(to: OrganisationPath.blocs.url)
    }

    @Sendable func addMemberForm(_ req: Request) async throws -> Response {
        let b = try await OrganisationService.bloc(req)
        let m = try await OrganisationService.addMember(b, try req.content.decode(MemberInput.self), req: req)
        Pages.flash(req, "Đã thêm đơn vị vào khối năm \(m.year).")
        return req.redirect(to: OrganisationPath.bloc(try b.requireID()).url([("year", String(m.year))]))
    }

    @Sendable func removeMemberForm(_ req: Request) async throws -> Response {
        let b = try await OrganisationService.bloc(req)
        let year = try await OrganisationService.selectedYear(req)
        try await OrganisationService.removeMember(b, membershipID: req.parameters.get("membershipID", as: UUID.self), req: req)
        Pages.flash(req, "Đã rút đơn vị khỏi khối.")
        return req.redirect(to: OrganisationPath.bloc(try b.requireID()).url([("year", String(year))]))
    }

    @Sendable func leadershipForm(_ req: Request) async throws -> Response {
        let b = try await OrganisationService.bloc(req)
        let input = try req.content.decode(LeadershipInput.self)
        try await OrganisationService.setLeadership(b, input, req: req)
        Pages.flash(req, "Đã cập nhật trưởng khối và phó khối năm \(input.year ?? 0).")
        return req.redirect(to: OrganisationPath.bloc(try b.requireID()).url([("year", input.year.map(String.init))]))
    }

    @Sendable func planForm(_ req: Request) async throws -> Response {
        let b = try await OrganisationService.bloc(req)
        let year = try Validate.year(req.parameters.get("year", as: Int.self))
        try await OrganisationService.setPlan(b, year: year, try req.content.decode(PlanInput.self), req: req)
        Pages.flash(req, "Đã lưu kế hoạch thi đua của khối năm \(year).")
        return req.redirect(to: OrganisationPath.bloc(try b.requireID()).url([("year", String(year))]))
    }

    // MARK: Year pages

    struct YearsPage: Encodable, Sendable { var years: [YearDTO] }

    @Sendable func yearsPage(_ req: Request) async throws -> Response {
        try await Pages.render(req, "years", title: "Năm thi đua", YearsPage(years: try await OrganisationService.years(on: req.db)))
    }

    @Sendable func openYearForm(_ req: Request) async throws -> Response {
        let y = try await OrganisationService.openYear(try req.content.decode(YearInput.self), req: req)
        Pages.flash(req, "Đã mở năm thi đua \(y.year).")
        return req.redirect(to: OrganisationPath.years.url)
    }
}
