import Foundation

/// The roles of PRODUCT.md. A user may hold several grants; each grant is scoped.
public enum RoleKind: String, Codable, Sendable, CaseIterable, Comparable {
    case office, blocLead, unitOfficer, unitHead, council, viewer

    /// The Vietnamese name shown on every screen.
    public var label: String {
        switch self {
        case .office: "Ban Thi đua – Khen thưởng (văn phòng)"
        case .blocLead: "Trưởng/Phó khối thi đua"
        case .unitOfficer: "Cán bộ thi đua đơn vị"
        case .unitHead: "Thủ trưởng đơn vị"
        case .council: "Thành viên Hội đồng TĐKT"
        case .viewer: "Người xem"
        }
    }

    /// What scope the grant must carry.
    public var scope: Scope {
        switch self {
        case .blocLead: .blocYear
        case .unitOfficer, .unitHead: .unit
        case .office, .council, .viewer: .none
        }
    }

    public enum Scope: Sendable { case none, unit, blocYear }

    public static func < (a: RoleKind, b: RoleKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One scoped role held by a user: `blocLead` for a bloc and year, `unitOfficer`/`unitHead` for a unit.
public struct RoleGrant: Codable, Sendable, Hashable {
    public var role: RoleKind
    public var unitID: UUID?
    public var blocID: UUID?
    public var year: Int?

    public init(role: RoleKind, unitID: UUID? = nil, blocID: UUID? = nil, year: Int? = nil) {
        self.role = role
        self.unitID = unitID
        self.blocID = blocID
        self.year = year
    }

    /// Checks that the grant carries exactly the scope its role needs.
    public func validated() throws -> RoleGrant {
        switch role.scope {
        case .none:
            return RoleGrant(role: role)
        case .unit:
            guard let unitID else { throw DomainError.invalid("Vai trò “\(role.label)” phải gắn với một đơn vị.", field: "unitID") }
            return RoleGrant(role: role, unitID: unitID)
        case .blocYear:
            guard let blocID else { throw DomainError.invalid("Vai trò “\(role.label)” phải gắn với một khối thi đua.", field: "blocID") }
            let y = try Validate.year(year)
            return RoleGrant(role: role, blocID: blocID, year: y)
        }
    }
}

/// Who is asking, with all their grants. Every permission decision goes through here.
public struct Principal: Sendable, Equatable {
    public var userID: UUID
    public var username: String
    public var grants: [RoleGrant]

    public init(userID: UUID, username: String, grants: [RoleGrant]) {
        self.userID = userID
        self.username = username
        self.grants = grants
    }

    public var roles: Set<RoleKind> { Set(grants.map(\.role)) }
    public func has(_ role: RoleKind) -> Bool { grants.contains { $0.role == role } }
    public var isOffice: Bool { has(.office) }

    /// Units this user acts for as officer or head.
    public func units(as role: RoleKind) -> [UUID] { grants.filter { $0.role == role }.compactMap(\.unitID) }

    /// May change the data that belongs to `unitID` (its register, registration, self-assessment …).
    public func canEditUnit(_ unitID: UUID) -> Bool {
        isOffice || grants.contains { $0.role == .unitOfficer && $0.unitID == unitID }
    }

    /// May act as leader of `blocID` in `year`.
    public func canLeadBloc(_ blocID: UUID, year: Int) -> Bool {
        isOffice || grants.contains { $0.role == .blocLead && $0.blocID == blocID && $0.year == year }
    }

    /// May read the award register (people, history, verdicts) of `unitID`. `blocUnits` are the units of the
    /// blocs this user leads in the years they lead them (computed by the caller from memberships).
    public func canViewRegister(of unitID: UUID, blocUnits: Set<UUID>) -> Bool {
        if isOffice || has(.council) { return true }
        if grants.contains(where: { ($0.role == .unitOfficer || $0.role == .unitHead) && $0.unitID == unitID }) { return true }
        return has(.blocLead) && blocUnits.contains(unitID)
    }

    /// Throws 403 with a Vietnamese reason unless the user may edit `unitID`.
    public func requireUnit(_ unitID: UUID, unitName: String? = nil) throws {
        guard canEditUnit(unitID) else {
            throw DomainError.forbidden("Bạn chỉ được thao tác trên dữ liệu của đơn vị mình\(unitName.map { "; “\($0)” không thuộc phạm vi của bạn" } ?? "").")
        }
    }

    /// Throws 403 unless the user leads `blocID` in `year` (or is the office).
    public func requireBloc(_ blocID: UUID, year: Int) throws {
        guard canLeadBloc(blocID, year: year) else {
            throw DomainError.forbidden("Bạn không phụ trách khối thi đua này trong năm \(year).")
        }
    }
}

/// Who may call a route. Every route declares one; a route without one cannot be registered.
public enum RoutePolicy: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, signed in or not (login page, health check, public results).
    case everyone
    /// Any signed-in user; scope checks happen in the handler through `Principal`.
    case signedIn
    /// Only users holding one of these roles (scope checked in the handler).
    case roles(Set<RoleKind>)
    /// The monitoring system (`/metrics`): a configured address range or the metrics token (`MetricsAccess`), never
    /// a user as such.
    case monitoring

    public func allows(_ principal: Principal?) -> Bool {
        switch self {
        case .monitoring: false
        case .everyone: true
        case .signedIn: principal != nil
        case .roles(let set): principal.map { !$0.roles.isDisjoint(with: set) } ?? false
        }
    }

    public var description: String {
        switch self {
        case .everyone: "everyone"
        case .monitoring: "monitoring"
        case .signedIn: "signedIn"
        case .roles(let s): s.sorted().map(\.rawValue).joined(separator: "|")
        }
    }
}
