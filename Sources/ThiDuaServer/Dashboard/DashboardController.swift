import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// The home page: what is due for each of the user's roles; search.
struct DashboardController {
    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.on(.GET, "", policy: .signedIn, use: dashboard)
        pages.on(.GET, "search", policy: .signedIn, use: search)
        api.on(.GET, "search", policy: .signedIn) { req in try await self.results(req) }
    }

    struct DueItem: Encodable, Sendable { var text: String; var href: String; var level: String }
    struct RoleCard: Encodable, Sendable { var role: String; var items: [DueItem]; var links: [NavItem] }
    struct Page: Encodable, Sendable { var cards: [RoleCard]; var year: Int }

    @Sendable func dashboard(_ req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let year = try await OrganisationService.selectedYear(req)
        let data = try await DashboardData.load(year: year, on: req.db)
        let memberships = data.memberships, units = data.units, blocName = data.blocName, unitName = data.unitName
        let blocYears = try await BlocYear.query(on: req.db).filter(\.$year == year).all()
        var cards: [RoleCard] = []
        let deadlines = try await DeadlineService.list(year: year, req: req)
        let registrationDue = deadlines.first { $0.phase == EmulationPhase.registration.rawValue }
        let registered = data.registered
        func dueText(_ d: DeadlineDTO?) -> String { d?.due.map { " (hạn \($0))" } ?? "" }
        func level(_ d: DeadlineDTO?) -> String { d?.state == "overdue" ? "overdue" : "due" }
        /// The bloc's covenant for the year and its signatures.
        func covenant(_ blocID: UUID) async throws -> (CovenantVersion, Set<UUID>)? {
            guard let v = try await CovenantService.current(blocID: blocID, year: year, on: req.db) else { return nil }
            return (v, Set(try await CovenantSignature.query(on: req.db).filter(\.$versionID == v.id!).all().map(\.unitID)))
        }
        for role in p.roles.sorted() {
            var items: [DueItem] = []
            var links: [NavItem] = []
            switch role {
            case .office:
                if try await EmulationYear.query(on: req.db).filter(\.$year == year).first() == nil {
                    items.append(DueItem(text: "Năm thi đua \(year) chưa được mở.", href: OrganisationPath.years.url, level: "due"))
                }
                let inProvinceBloc = Set(memberships.filter { $0.organiser == BlocOrganiser.province }.map(\.unitID))
                let loose = units.filter { !inProvinceBloc.contains($0.id) && $0.parentID == nil }
                if !loose.isEmpty {
                    items.append(DueItem(text: "\(loose.count) đơn vị chưa thuộc khối thi đua nào của tỉnh năm \(year).", href: OrganisationPath.units.url, level: "due"))
                }
                let blocsWithMembers = Set(memberships.map(\.blocID))
                for (id, name) in VietnameseText.sorted(Array(blocName), by: \.value) where blocsWithMembers.contains(id) {
                    let by = blocYears.first { $0.blocID == id }
                    if by?.leaderUnitID == nil || by?.deputyUnitID == nil {
                        items.append(DueItem(text: "“\(name)” chưa có đủ trưởng khối và phó khối năm \(year).", href: OrganisationPath.bloc(id).url([("year", String(year))]), level: "due"))
                    }
                }
                for d in deadlines where d.state == "overdue" || d.state == "due" {
                    var text = "\(d.label): hạn \(d.due ?? "")"
                    if d.phase == EmulationPhase.registration.rawValue {
                        let missing = Set(memberships.map(\.unitID)).subtracting(registered).count
                        if missing == 0 { continue }
                        text += " – còn \(missing) đơn vị chưa đăng ký"
                    }
                    items.append(DueItem(text: text, href: RegistrationPath.deadlines(year: year).url, level: d.state == "overdue" ? "overdue" : "due"))
                }
                links = [NavItem(href: RegistrationPath.deadlines(year: year).url, label: "Các mốc thời gian", active: false),
                         NavItem(href: AccountPath.newUser.url, label: "Tạo tài khoản", active: false), NavItem(href: OrganisationPath.newBloc.url, label: "Thêm khối", active: false),
                         NavItem(href: OrganisationPath.newUnit.url, label: "Thêm đơn vị", active: false), NavItem(href: AuditPath.audit.url, label: "Xem nhật ký", active: false)]
            case .blocLead:
                for g in p.grants where g.role == .blocLead {
                    guard let b = g.blocID, let y = g.year else { continue }
                    let plan = try await BlocYear.query(on: req.db).filter(\.$blocID == b).filter(\.$year == y).first()?.plan ?? ""
                    if plan.isEmpty {
                        items.append(DueItem(text: "Soạn kế hoạch thi đua năm \(y) của “\(blocName[b] ?? "?")”.", href: OrganisationPath.bloc(b).url([("year", String(y))]), level: "due"))
                    }
                    if y == year {
                        let signing = deadlines.first { $0.phase == EmulationPhase.covenantSigning.rawValue }
                        if let (v, signed) = try await covenant(b) {
                            if v.covenantStatus == .consultation {
                                let open = try await CovenantComment.query(on: req.db).filter(\.$versionID == v.id!).filter(\.$answer == nil).count()
                                if open > 0 { items.append(DueItem(text: "\(open) góp ý về dự thảo giao ước chưa trả lời.", href: CovenantPath.covenant(try v.requireID()).url, level: "due")) }
                            }
                            if v.covenantStatus == .openForSigning {
                                let n = memberships.filter { $0.blocID == b }.count
                                items.append(DueItem(text: "Giao ước đang chờ ký: \(signed.count)/\(n) đơn vị đã ký\(dueText(signing)).", href: CovenantPath.covenant(try v.requireID()).url, level: level(signing)))
                            }
                        } else {
                            items.append(DueItem(text: "Soạn dự thảo giao ước thi đua năm \(y)\(dueText(signing)).", href: CovenantPath.blocCovenant(bloc: b).url([("year", String(y))]), level: level(signing)))
                        }
                    }
                    links.append(NavItem(href: OrganisationPath.bloc(b).url([("year", String(y))]), label: "\(blocName[b] ?? "?") – \(y)", active: false))
                }
            case .unitOfficer, .unitHead:
                for u in p.units(as: role) {
                    if let m = memberships.first(where: { $0.unitID == u }) {
                        links.append(NavItem(href: OrganisationPath.bloc(m.blocID).url([("year", String(year))]), label: "Khối của đơn vị: \(blocName[m.blocID] ?? "?")", active: false))
                        if role == .unitOfficer && !registered.contains(u) {
                            items.append(DueItem(text: "Đăng ký thi đua năm \(year) của “\(unitName[u] ?? "?")” chưa nộp\(dueText(registrationDue)).",
                                                 href: RegistrationPath.unit(u).url([("year", String(year))]), level: level(registrationDue)))
                        }
                        if let (v, signed) = try await covenant(m.blocID) {
                            if role == .unitHead && v.covenantStatus == .openForSigning && !signed.contains(u) {
                                let signing = deadlines.first { $0.phase == EmulationPhase.covenantSigning.rawValue }
                                items.append(DueItem(text: "Ký giao ước thi đua năm \(year)\(dueText(signing)).", href: CovenantPath.covenant(try v.requireID()).url, level: level(signing)))
                            }
                            if role == .unitOfficer && v.covenantStatus == .consultation {
                                items.append(DueItem(text: "Dự thảo giao ước năm \(year) đang lấy ý kiến.", href: CovenantPath.covenant(try v.requireID()).url, level: "due"))
                            }
                            links.append(NavItem(href: CovenantPath.covenant(try v.requireID()).url, label: "Giao ước \(year)", active: false))
                        }
                        if role == .unitOfficer {
                            links.append(NavItem(href: RegistrationPath.unit(u).url([("year", String(year))]), label: "Đăng ký thi đua \(year)", active: false))
                        }
                    } else {
                        items.append(DueItem(text: "“\(unitName[u] ?? "?")” chưa được xếp vào khối thi đua năm \(year); liên hệ Ban Thi đua – Khen thưởng.", href: OrganisationPath.unit(u).url, level: "info"))
                    }
                    links.append(NavItem(href: OrganisationPath.unit(u).url, label: unitName[u] ?? "Đơn vị", active: false))
                }
            case .council, .viewer:
                links = [NavItem(href: OrganisationPath.blocs.url, label: "Các khối thi đua", active: false)]
            }
            if items.isEmpty { items.append(DueItem(text: "Không có việc đến hạn.", href: "", level: "ok")) }
            cards.append(RoleCard(role: role.label, items: items, links: links))
        }
        return try await Pages.render(req, "dashboard", title: "Tổng quan", Page(cards: cards, year: year))
    }

    struct Hit: Content, Sendable { var kind: String; var name: String; var detail: String; var href: String }

    /// Diacritic-insensitive search over units, blocs and (for the office) accounts: "to an" finds "Tòa án".
    func results(_ req: Request) async throws -> [Hit] {
        let q = (try? req.query.get(String.self, at: "q")) ?? ""
        if VietnameseText.searchKey(q).isEmpty { return [] }
        var hits: [Hit] = []
        for u in try await Unit.query(on: req.db).sort(\.$officialName).all() where VietnameseText.matches(query: q, in: u.searchText) {
            hits.append(Hit(kind: "Đơn vị", name: u.officialName, detail: u.shortName, href: OrganisationPath.unit(try u.requireID()).url))
        }
        for b in try await Bloc.query(on: req.db).sort(\.$name).all() where VietnameseText.matches(query: q, in: b.searchText) {
            hits.append(Hit(kind: "Khối thi đua", name: b.name, detail: BlocOrganiser.label(b.organiser), href: OrganisationPath.bloc(try b.requireID()).url))
        }
        if req.principal?.isOffice == true {
            for u in try await User.query(on: req.db).sort(\.$username).all() where VietnameseText.matches(query: q, in: u.searchText) {
                hits.append(Hit(kind: "Tài khoản", name: u.fullName, detail: u.username, href: AccountPath.user(try u.requireID()).url))
            }
        }
        return hits
    }

    struct SearchPage: Encodable, Sendable { var q: String; var hits: [Hit] }

    @Sendable func search(_ req: Request) async throws -> Response {
        try await Pages.render(req, "search", title: "Tìm kiếm", SearchPage(q: (try? req.query.get(String.self, at: "q")) ?? "", hits: try await results(req)))
    }
}
