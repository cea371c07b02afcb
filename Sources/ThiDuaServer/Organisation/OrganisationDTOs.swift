import Foundation
import ThiDuaCore
import Vapor

struct UnitRef: Content, Sendable {
    var id: UUID
    var officialName: String
    var shortName: String
    var membershipID: UUID?
}

struct UnitMembershipDTO: Content, Sendable {
    var blocID: UUID
    var blocName: String
    var year: Int
    var role: String?
}

struct UnitDTO: Content, Sendable {
    var id: UUID
    var officialName: String
    var shortName: String
    var parentID: UUID?
    var parentName: String?
    var kind: String
    var kindLabel: String
    var sector: String?
    var memberships: [UnitMembershipDTO]
    var children: [UnitRef]
}

struct BlocDTO: Content, Sendable {
    var id: UUID
    var name: String
    var organiser: String
    var organiserLabel: String
    var year: Int?
    var members: [UnitRef]
    var leader: UnitRef?
    var deputy: UnitRef?
    /// Leader and deputy were chosen by the demo loader, not taken from a source.
    var leadershipIsDemo: Bool
    var plan: String
}

struct YearDTO: Content, Sendable {
    var year: Int
    var theme: String
    var blocCount: Int
    var memberCount: Int
}

struct UnitInput: Content, Sendable {
    var officialName: String?
    var shortName: String?
    var parentID: String?
    var kind: String?
    var sector: String?
}

struct BlocInput: Content, Sendable {
    var name: String?
    var organiser: String?
}

struct MemberInput: Content, Sendable {
    var unitID: String?
    var year: Int?
}

struct LeadershipInput: Content, Sendable {
    var year: Int?
    var leaderUnitID: String?
    var deputyUnitID: String?
}

struct PlanInput: Content, Sendable {
    var plan: String?
}

struct YearInput: Content, Sendable {
    var year: Int?
    var theme: String?
}

func parseUUID(_ raw: String?, field: String, label: String) throws -> UUID? {
    guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
    guard let id = UUID(uuidString: raw) else { throw DomainError.invalid("\(label) không hợp lệ.", field: field) }
    return id
}
