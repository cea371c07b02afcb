import Fluent
import SQLKit
import Foundation
import ThiDuaCore
import Vapor

/// Units, blocs, years and memberships: validation, scope checks and audited writes, shared by pages and API.
enum OrganisationService {
    // MARK: Reading

    static func unit(_ req: Request, param: String = "unitID") async throws -> Unit {
        guard let id = req.parameters.get(param, as: UUID.self), let u = try await Unit.find(id, on: req.db) else {
            throw DomainError.notFound("Không tìm thấy đơn vị.")
        }
        return u
    }

    static func bloc(_ req: Request, param: String = "blocID") async throws -> Bloc {
        guard let id = req.parameters.get(param, as: UUID.self), let b = try await Bloc.find(id, on: req.db) else {
            throw DomainError.notFound("Không tìm thấy khối thi đua.")
        }
        return b
    }

    /// The year asked for (`?year=`), else the latest opened year, else the current calendar year.
    static func selectedYear(_ req: Request) async throws -> Int {
        if let y = try Bounded.emulationYear(text: try? req.query.get(String.self, at: "year")) { return y }
        if let latest = try await EmulationYear.query(on: req.db).sort(\.$year, .descending).first() { return latest.year }
        return Calendar(identifier: .gregorian).component(.year, from: req.now)
    }

    static func unitDTO(_ u: Unit, on db: any Database) async throws -> UnitDTO {
        let id = try u.requireID()
        let parent = try await u.parentID.asyncMap { try await Unit.find($0, on: db) } ?? nil
        let memberships = try await Membership.query(on: db).filter(\.$unitID == id).sort(\.$year, .descending).all()
        let blocs = Dictionary(uniqueKeysWithValues: try await Bloc.query(on: db).all().map { ($0.id!, $0.name) })
        let leadership = try await BlocYear.query(on: db).group(.or) { $0.filter(\.$leaderUnitID == id).filter(\.$deputyUnitID == id) }.all()
        let children = try await Unit.query(on: db).filter(\.$parentID == id).sort(\.$officialName).all()
        return UnitDTO(id: id, officialName: u.officialName, shortName: u.shortName, parentID: u.parentID, parentName: parent?.officialName,
                       kind: u.kind, kindLabel: u.unitKind.label, sector: u.sector,
                       memberships: memberships.map { m in
                           let by = leadership.first { $0.blocID == m.blocID && $0.year == m.year }
                           let role = by?.leaderUnitID == id ? "Trưởng khối" : by?.deputyUnitID == id ? "Phó khối" : nil
                           return UnitMembershipDTO(blocID: m.blocID, blocName: blocs[m.blocID] ?? "?", year: m.year, role: role)
                       },
                       children: children.map { UnitRef(id: $0.id!, officialName: $0.officialName, shortName: $0.shortName) })
    }

    static func unitDTOs(_ req: Request) async throws -> [UnitDTO] {
        var query = Unit.query(on: req.db).sort(\.$officialName)
        if let q = try? req.query.get(String.self, at: "q"), !q.isEmpty {
            query = query.filter(\.$searchText, .custom("LIKE"), "%" + VietnameseText.searchKey(q) + "%")
        }
        var out: [UnitDTO] = []
        for u in try await query.all() { out.append(try await unitDTO(u, on: req.db)) }
        return out
    }

    static func blocDTO(_ b: Bloc, year: Int?, on db: any Database) async throws -> BlocDTO {
        try await blocDTOs([b], year: year, on: db)[0]
    }

    /// The blocs with their members, leader and deputy of `year`, in two queries whatever the number of blocs: the
    /// members with their names in one (only the columns shown, no model decoded), the blocs' leadership in the other.
    static func blocDTOs(_ blocs: [Bloc], year: Int?, on db: any Database) async throws -> [BlocDTO] {
        let ids = try blocs.map { try $0.requireID() }
        var members: [UUID: [UnitRef]] = [:]
        var blocYears: [UUID: BlocYear] = [:]
        if let year, !ids.isEmpty {
            let rows = try await db.sql().raw("""
                SELECT m.id AS m_id, m.bloc_id AS m_bloc, m.unit_id AS m_unit, u.official_name AS u_name, u.short_name AS u_short
                FROM memberships m JOIN units u ON u.id = m.unit_id
                WHERE m.year = \(bind: year) AND m.bloc_id IN (\(binds: ids))
                """).all()
            for r in rows {
                members[try r.decode(column: "m_bloc", as: UUID.self), default: []].append(
                    UnitRef(id: try r.decode(column: "m_unit", as: UUID.self), officialName: try r.decode(column: "u_name", as: String.self),
                            shortName: try r.decode(column: "u_short", as: String.self), membershipID: try r.decode(column: "m_id", as: UUID.self)))
            }
            for by in try await BlocYear.query(on: db).filter(\.$blocID ~~ ids).filter(\.$year == year).all() { blocYears[by.blocID] = by }
        }
        return zip(blocs, ids).map { b, id in
            // Members in Vietnamese dictionary order of their official names.
            let members = VietnameseText.sorted(members[id] ?? [], by: \.officialName)
            let by = year == nil ? nil : blocYears[id]
            return BlocDTO(id: id, name: b.name, organiser: b.organiser, organiserLabel: BlocOrganiser.label(b.organiser), year: year,
                           members: members, leader: members.first { $0.id == by?.leaderUnitID && by?.leaderUnitID != nil },
                           deputy: members.first { $0.id == by?.deputyUnitID && by?.deputyUnitID != nil },
                           leadershipIsDemo: by?.leadershipIsDemo ?? false, plan: by?.plan ?? "")
        }
    }

    static func blocDTOs(_ req: Request, year: Int) async throws -> [BlocDTO] {
        var query = Bloc.query(on: req.db).sort(\.$name)
        if let q = try? req.query.get(String.self, at: "q"), !q.isEmpty {
            query = query.filter(\.$searchText, .custom("LIKE"), "%" + VietnameseText.searchKey(q) + "%")
        }
        return try await blocDTOs(try await query.all(), year: year, on: req.db)
    }

    static func years(on db: any Database) async throws -> [YearDTO] {
        let years = try await EmulationYear.query(on: db).sort(\.$year, .descending).all()
        // Counted by the database (a province holds tens of thousands of memberships over the years).
        var counts: [Int: (blocs: Int, members: Int)] = [:]
        if let sql = db as? any SQLDatabase {
            let rows = try await sql.raw("SELECT year, COUNT(DISTINCT bloc_id) AS blocs, COUNT(*) AS members FROM memberships GROUP BY year").all()
            for r in rows { counts[try r.decode(column: "year", as: Int.self)] = (try r.decode(column: "blocs", as: Int.self), try r.decode(column: "members", as: Int.self)) }
        }
        return years.map { y in
            YearDTO(year: y.year, theme: y.theme, blocCount: counts[y.year]?.blocs ?? 0, memberCount: counts[y.year]?.members ?? 0)
        }
    }

    // MARK: Units

    private static func validated(_ input: UnitInput, on db: any Database, excluding: UUID? = nil) async throws
        -> (official: String, short: String, parent: UUID?, kind: UnitKind, sector: String?) {
        let official = try Validate.name(input.officialName, field: "officialName", label: "Tên đầy đủ của đơn vị")
        let short = try Validate.name(input.shortName, field: "shortName", label: "Tên viết tắt", maxLength: 80)
        guard let kind = UnitKind(rawValue: input.kind ?? "") else { throw DomainError.invalid("Loại đơn vị không hợp lệ.", field: "kind") }
        let sector = try Validate.optional(input.sector, field: "sector", label: "Ngành dọc", maxLength: 120)
        let parent = try parseUUID(input.parentID, field: "parentID", label: "Đơn vị cấp trên")
        if let parent {
            guard try await Unit.find(parent, on: db) != nil else { throw DomainError.invalid("Không tìm thấy đơn vị cấp trên.", field: "parentID") }
            if parent == excluding { throw DomainError.invalid("Một đơn vị không thể là cấp trên của chính nó.", field: "parentID") }
            // Walk up from the new parent: reaching the unit itself would make a cycle.
            var cursor: UUID? = parent
            var seen = Set<UUID>()
            while let c = cursor, !seen.contains(c) {
                seen.insert(c)
                if c == excluding { throw DomainError.invalid("Không thể chọn đơn vị cấp dưới làm cấp trên (tạo vòng lặp).", field: "parentID") }
                cursor = try await Unit.find(c, on: db)?.parentID
            }
        }
        var clash = Unit.query(on: db).filter(\.$officialName == official)
        if let excluding { clash = clash.filter(\.$id != excluding) }
        if try await clash.first() != nil { throw DomainError.conflict("Đã có đơn vị tên “\(official)”.") }
        return (official, short, parent, kind, sector)
    }

    static func createUnit(_ input: UnitInput, req: Request) async throws -> Unit {
        let v = try await validated(input, on: req.db)
        let unit = Unit(officialName: v.official, shortName: v.short, parentID: v.parent, kind: v.kind, sector: v.sector)
        try await req.audited { db, audit in
            try await unit.create(on: db)
            try await audit.created("unit", unit.id, UnitSnapshot(unit))
        }
        return unit
    }

    /// Office, or the unit's own officer, may correct a unit's details.
    static func updateUnit(_ unit: Unit, _ input: UnitInput, req: Request) async throws {
        try req.requirePrincipal().requireUnit(try unit.requireID(), unitName: unit.officialName)
        let v = try await validated(input, on: req.db, excluding: unit.id)
        // Kind, parent and vertical sector decide the legal regime: only the office changes them.
        if try !req.requirePrincipal().canChangeUnitPlacement,
           v.parent != unit.parentID || v.kind.rawValue != unit.kind || v.sector != unit.sector {
            throw DomainError.forbidden("Loại đơn vị, đơn vị cấp trên và ngành dọc do Ban Thi đua – Khen thưởng cập nhật; bạn chỉ sửa được tên đơn vị.")
        }
        let old = UnitSnapshot(unit)
        unit.officialName = v.official
        unit.shortName = v.short
        unit.parentID = v.parent
        unit.kind = v.kind.rawValue
        unit.sector = v.sector
        unit.searchText = Unit.searchKey(v.official, v.short)
        try await req.audited { db, audit in
            try await unit.save(on: db)
            try await audit.record("unit", unit.id, "update", old: old, new: UnitSnapshot(unit))
        }
    }

    /// A unit with history (memberships, leadership, roles, sub-units) cannot be deleted.
    static func deleteUnit(_ unit: Unit, req: Request) async throws {
        let id = try unit.requireID()
        let memberships = try await Membership.query(on: req.db).filter(\.$unitID == id).count()
        let leaderships = try await BlocYear.query(on: req.db).group(.or) { $0.filter(\.$leaderUnitID == id).filter(\.$deputyUnitID == id) }.count()
        if memberships + leaderships > 0 {
            throw DomainError.conflict("Không thể xóa “\(unit.officialName)”: đơn vị đã có lịch sử tham gia khối thi đua. Dữ liệu lịch sử được giữ nguyên.")
        }
        if try await RoleGrantModel.query(on: req.db).filter(\.$unitID == id).count() > 0 {
            throw DomainError.conflict("Không thể xóa “\(unit.officialName)”: còn tài khoản được phân quyền cho đơn vị này.")
        }
        if try await Unit.query(on: req.db).filter(\.$parentID == id).count() > 0 {
            throw DomainError.conflict("Không thể xóa “\(unit.officialName)”: đơn vị còn đơn vị cấp dưới.")
        }
        let old = UnitSnapshot(unit)
        try await req.audited { db, audit in
            try await unit.delete(on: db)
            try await audit.deleted("unit", id, old)
        }
    }

    // MARK: Blocs

    static func createBloc(_ input: BlocInput, req: Request) async throws -> Bloc {
        let name = try Validate.name(input.name, field: "name", label: "Tên khối thi đua")
        let organiser = try BlocOrganiser.key(input.organiser)
        if try await Bloc.query(on: req.db).filter(\.$name == name).first() != nil {
            throw DomainError.conflict("Đã có khối thi đua tên “\(name)”.")
        }
        let bloc = Bloc(name: name, organiser: organiser)
        try await req.audited { db, audit in
            try await bloc.create(on: db)
            try await audit.created("bloc", bloc.id, BlocSnapshot(bloc))
        }
        return bloc
    }

    static func updateBloc(_ bloc: Bloc, _ input: BlocInput, req: Request) async throws {
        let name = try Validate.name(input.name, field: "name", label: "Tên khối thi đua")
        let organiser = try BlocOrganiser.key(input.organiser)
        if try await Bloc.query(on: req.db).filter(\.$name == name).filter(\.$id != bloc.requireID()).first() != nil {
            throw DomainError.conflict("Đã có khối thi đua tên “\(name)”.")
        }
        if organiser != bloc.organiser, try await Membership.query(on: req.db).filter(\.$blocID == bloc.requireID()).count() > 0 {
            throw DomainError.conflict("Không thể đổi cơ quan tổ chức của khối đã có thành viên.")
        }
        let old = BlocSnapshot(bloc)
        bloc.name = name
        bloc.organiser = organiser
        bloc.searchText = VietnameseText.searchKey(name)
        try await req.audited { db, audit in
            try await bloc.save(on: db)
            try await audit.record("bloc", bloc.id, "update", old: old, new: BlocSnapshot(bloc))
        }
    }

    static func deleteBloc(_ bloc: Bloc, req: Request) async throws {
        let id = try bloc.requireID()
        let memberships = try await Membership.query(on: req.db).filter(\.$blocID == id).count()
        let years = try await BlocYear.query(on: req.db).filter(\.$blocID == id).count()
        let grants = try await RoleGrantModel.query(on: req.db).filter(\.$blocID == id).count()
        if memberships + years + grants > 0 {
            throw DomainError.conflict("Không thể xóa “\(bloc.name)”: khối đã có thành viên, lãnh đạo khối hoặc tài khoản được phân quyền.")
        }
        let old = BlocSnapshot(bloc)
        try await req.audited { db, audit in
            try await bloc.delete(on: db)
            try await audit.deleted("bloc", id, old)
        }
    }

    static func requireYearOpen(_ year: Int, on db: any Database) async throws {
        if try await EmulationYear.query(on: db).filter(\.$year == year).first() == nil {
            throw DomainError.invalid("Năm thi đua \(year) chưa được mở; Ban Thi đua – Khen thưởng cần mở năm trước.", field: "year")
        }
    }

    static func addMember(_ bloc: Bloc, _ input: MemberInput, req: Request) async throws -> Membership {
        let year = try Validate.year(input.year)
        guard let unitID = try parseUUID(input.unitID, field: "unitID", label: "Đơn vị"), let unit = try await Unit.find(unitID, on: req.db) else {
            throw DomainError.invalid("Hãy chọn một đơn vị.", field: "unitID")
        }
        try await requireYearOpen(year, on: req.db)
        let existing = try await Membership.query(on: req.db).filter(\.$unitID == unitID).filter(\.$year == year).all()
        let blocNames = Dictionary(uniqueKeysWithValues: try await Bloc.query(on: req.db).all().map { ($0.id!, $0.name) })
        let new = MembershipFact(unitID: unitID, blocID: try bloc.requireID(), organiser: bloc.organiser, year: year)
        try MembershipRules.checkAdd(new, existing: existing.map { MembershipFact(unitID: $0.unitID, blocID: $0.blocID, organiser: $0.organiser, year: $0.year) },
                                     blocName: { blocNames[$0] ?? "khối khác" }, unitName: unit.officialName)
        let m = Membership(blocID: new.blocID, unitID: unitID, year: year, organiser: bloc.organiser)
        try await req.audited { db, audit in
            try await m.create(on: db)
            try await audit.created("membership", m.id, MembershipSnapshot(bloc: bloc.name, unit: unit.officialName, year: year))
        }
        return m
    }

    static func removeMember(_ bloc: Bloc, membershipID: UUID?, req: Request) async throws {
        guard let membershipID, let m = try await Membership.find(membershipID, on: req.db), m.blocID == bloc.id else {
            throw DomainError.notFound("Không tìm thấy thành viên này của khối.")
        }
        if try await BlocYear.query(on: req.db).filter(\.$blocID == m.blocID).filter(\.$year == m.year)
            .group(.or, { $0.filter(\.$leaderUnitID == m.unitID).filter(\.$deputyUnitID == m.unitID) }).count() > 0 {
            throw DomainError.conflict("Đơn vị đang là trưởng hoặc phó khối năm \(m.year); hãy đổi lãnh đạo khối trước khi rút đơn vị khỏi khối.")
        }
        let unitName = try await Unit.find(m.unitID, on: req.db)?.officialName ?? "?"
        try await req.audited { db, audit in
            try await m.delete(on: db)
            try await audit.deleted("membership", membershipID, MembershipSnapshot(bloc: bloc.name, unit: unitName, year: m.year))
        }
    }

    static func setLeadership(_ bloc: Bloc, _ input: LeadershipInput, isDemo: Bool = false, req: Request) async throws {
        let year = try Validate.year(input.year)
        let leader = try parseUUID(input.leaderUnitID, field: "leaderUnitID", label: "Đơn vị trưởng khối")
        let deputy = try parseUUID(input.deputyUnitID, field: "deputyUnitID", label: "Đơn vị phó khối")
        let blocID = try bloc.requireID()
        let members = Set(try await Membership.query(on: req.db).filter(\.$blocID == blocID).filter(\.$year == year).all().map(\.unitID))
        try MembershipRules.checkLeadership(leader: leader, deputy: deputy, members: members)
        let by = try await BlocYear.query(on: req.db).filter(\.$blocID == blocID).filter(\.$year == year).first() ?? BlocYear(blocID: blocID, year: year)
        let old = by.id == nil ? nil : LeadershipSnapshot(by)
        by.leaderUnitID = leader
        by.deputyUnitID = deputy
        by.leadershipIsDemo = isDemo
        try await req.audited { db, audit in
            try await by.save(on: db)
            try await audit.record("bloc_year", by.id, "set_leadership", old: old, new: LeadershipSnapshot(by))
        }
    }

    /// The bloc's plan for a year: drafted by the leader unit's officer (blocLead of that bloc and year) or the office.
    static func setPlan(_ bloc: Bloc, year: Int, _ input: PlanInput, req: Request) async throws {
        let blocID = try bloc.requireID()
        try req.requirePrincipal().requireBloc(blocID, year: year)
        try await requireYearOpen(year, on: req.db)
        let plan = VietnameseText.clean(input.plan ?? "")
        if plan.count > 20_000 { throw DomainError.invalid("Kế hoạch dài quá 20.000 ký tự.", field: "plan") }
        let by = try await BlocYear.query(on: req.db).filter(\.$blocID == blocID).filter(\.$year == year).first() ?? BlocYear(blocID: blocID, year: year)
        let old = by.id == nil ? nil : LeadershipSnapshot(by)
        by.plan = plan
        try await req.audited { db, audit in
            try await by.save(on: db)
            try await audit.record("bloc_year", by.id, "set_plan", old: old, new: LeadershipSnapshot(by))
        }
    }

    // MARK: Years

    static func openYear(_ input: YearInput, req: Request) async throws -> EmulationYear {
        let year = try Validate.year(input.year)
        let theme = try Validate.optional(input.theme, field: "theme", label: "Chủ đề năm", maxLength: 500) ?? ""
        if try await EmulationYear.query(on: req.db).filter(\.$year == year).first() != nil {
            throw DomainError.conflict("Năm thi đua \(year) đã được mở.")
        }
        let y = EmulationYear(year: year, theme: theme)
        try await req.audited { db, audit in
            try await y.create(on: db)
            try await audit.created("emulation_year", y.id, YearSnapshot(year: year, theme: theme))
        }
        return y
    }
}

struct UnitSnapshot: Codable, Sendable {
    var officialName: String, shortName: String, parentID: UUID?, kind: String, sector: String?
    init(_ u: Unit) { officialName = u.officialName; shortName = u.shortName; parentID = u.parentID; kind = u.kind; sector = u.sector }
}

struct BlocSnapshot: Codable, Sendable {
    var name: String, organiser: String
    init(_ b: Bloc) { name = b.name; organiser = b.organiser }
}

struct MembershipSnapshot: Codable, Sendable { var bloc: String, unit: String, year: Int }

struct LeadershipSnapshot: Codable, Sendable {
    var blocID: UUID, year: Int, leaderUnitID: UUID?, deputyUnitID: UUID?, leadershipIsDemo: Bool, plan: String
    init(_ b: BlocYear) {
        blocID = b.blocID; year = b.year; leaderUnitID = b.leaderUnitID; deputyUnitID = b.deputyUnitID
        leadershipIsDemo = b.leadershipIsDemo; plan = b.plan
    }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let w): try await f(w)
        case .none: nil
        }
    }
}
