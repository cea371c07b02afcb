import Foundation

/// The kind of an agency: it decides which award track (civil or armed forces) applies.
public enum UnitKind: String, Codable, Sendable, CaseIterable {
    case civil, armedForces, judicial, other

    public var label: String {
        switch self {
        case .civil: "Dân sự"
        case .armedForces: "Lực lượng vũ trang"
        case .judicial: "Tư pháp"
        case .other: "Khác"
        }
    }
}

/// Who organises a bloc: the province, or a vertical sector (e.g. "Bộ Công an").
public enum BlocOrganiser {
    public static let province = "province"

    /// The label shown for an organiser key.
    public static func label(_ key: String) -> String { key == province ? "UBND tỉnh" : key }

    /// The key stored for what a user typed ("" or "tỉnh" means the province).
    public static func key(_ raw: String?) throws -> String {
        let v = VietnameseText.clean(raw ?? "")
        if v.isEmpty || v == province || VietnameseText.searchKey(v) == "ubnd tinh" { return province }
        return try Validate.name(v, field: "organiser", label: "Cơ quan tổ chức khối", maxLength: 120)
    }
}

/// A unit's membership of a bloc in a year, as needed to check the one-bloc-per-organiser rule.
public struct MembershipFact: Sendable, Equatable {
    public var unitID: UUID
    public var blocID: UUID
    public var organiser: String
    public var year: Int
    public init(unitID: UUID, blocID: UUID, organiser: String, year: Int) {
        self.unitID = unitID; self.blocID = blocID; self.organiser = organiser; self.year = year
    }
}

public enum MembershipRules {
    /// A unit is in at most one bloc of a given organiser in a given year.
    /// Throws 409 naming the bloc the unit is already in.
    public static func checkAdd(_ new: MembershipFact, existing: [MembershipFact], blocName: (UUID) -> String, unitName: String) throws {
        if let clash = existing.first(where: { $0.unitID == new.unitID && $0.year == new.year && $0.organiser == new.organiser }) {
            if clash.blocID == new.blocID {
                throw DomainError.conflict("“\(unitName)” đã là thành viên của khối này trong năm \(new.year).")
            }
            throw DomainError.conflict("“\(unitName)” đã thuộc “\(blocName(clash.blocID))” năm \(new.year); một đơn vị chỉ thuộc một khối của cùng cơ quan tổ chức trong một năm.")
        }
    }

    /// Leader and deputy must be two different member units of the bloc that year.
    public static func checkLeadership(leader: UUID?, deputy: UUID?, members: Set<UUID>) throws {
        if let l = leader, !members.contains(l) { throw DomainError.invalid("Đơn vị trưởng khối phải là thành viên của khối trong năm đó.", field: "leaderUnitID") }
        if let d = deputy, !members.contains(d) { throw DomainError.invalid("Đơn vị phó khối phải là thành viên của khối trong năm đó.", field: "deputyUnitID") }
        if let l = leader, let d = deputy, l == d { throw DomainError.invalid("Trưởng khối và phó khối phải là hai đơn vị khác nhau.", field: "deputyUnitID") }
    }
}
