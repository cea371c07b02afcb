import Foundation

/// Who signs a covenant and under which names, in signature order (the bloc's leader, its deputy, then the
/// others by official name). Taken from the bloc's membership while the covenant is a draft; frozen when it is
/// sealed, and covered by the seal from then on, so that renaming a unit or changing the bloc's membership later
/// never alters a sealed or signed document.
public struct CovenantRoster: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable {
        case leader, deputy
        public var label: String { self == .leader ? "Trưởng khối" : "Phó khối" }
    }

    public struct Member: Codable, Sendable, Equatable {
        public var unitID: UUID
        public var officialName: String
        public var shortName: String
        public var role: Role?
        public init(unitID: UUID, officialName: String, shortName: String, role: Role? = nil) {
            self.unitID = unitID; self.officialName = officialName; self.shortName = shortName; self.role = role
        }
    }

    public var blocName: String
    public var members: [Member]

    public init(blocName: String, members: [Member]) { self.blocName = blocName; self.members = members }

    /// The roster of a bloc's current membership in signature order; the roles come from the year's leader and deputy.
    public static func ordered(blocName: String, units: [Member], leader: UUID?, deputy: UUID?) -> CovenantRoster {
        let withRoles = units.map { u -> Member in
            var m = u
            m.role = u.unitID == leader ? .leader : u.unitID == deputy ? .deputy : nil
            return m
        }
        func rank(_ m: Member) -> Int { m.role == .leader ? 0 : m.role == .deputy ? 1 : 2 }
        let sorted = withRoles.sorted { a, b in
            (rank(a), a.officialName, a.unitID.uuidString) < (rank(b), b.officialName, b.unitID.uuidString)
        }
        return CovenantRoster(blocName: blocName, members: sorted)
    }

    public func member(_ unitID: UUID) -> Member? { members.first { $0.unitID == unitID } }
    public var unitIDs: Set<UUID> { Set(members.map(\.unitID)) }

    /// What differs between this frozen roster and today's (units that joined, left or were renamed), for a notice
    /// beside a sealed covenant. Empty when nothing changed.
    public func changes(comparedWith today: CovenantRoster) -> [String] {
        var out: [String] = []
        for m in today.members where member(m.unitID) == nil { out.append("“\(m.officialName)” vào khối sau khi niêm phong") }
        for m in members {
            guard let now = today.member(m.unitID) else { out.append("“\(m.officialName)” không còn trong khối"); continue }
            if now.officialName != m.officialName { out.append("“\(m.officialName)” nay mang tên “\(now.officialName)”") }
        }
        if today.blocName != blocName { out.append("khối nay mang tên “\(today.blocName)”") }
        return out
    }
}
