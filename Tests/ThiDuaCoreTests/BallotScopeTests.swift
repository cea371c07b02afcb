import Foundation
import Testing
import ThiDuaCore

/// Who may organise, chair, vote in and read a ballot session, as a table.
@Suite struct BallotScopeTests {
    static let bloc = UUID(), other = UUID()
    static let leaderUnit = UUID(), deputyUnit = UUID(), member = UUID(), outsider = UUID()
    static let councillor = UUID()
    static let blocScope = BallotScope(body: .bloc, blocID: bloc, year: 2018, voters: [leaderUnit, deputyUnit, member], leaderUnit: leaderUnit, deputyUnit: deputyUnit)
    static let councilScope = BallotScope(body: .council, blocID: nil, year: 2018, voters: [councillor])

    static func p(_ grants: [RoleGrant], id: UUID = UUID()) -> Principal { Principal(userID: id, username: "u", grants: grants) }
    static let office = p([RoleGrant(role: .office)])
    static let lead = p([RoleGrant(role: .blocLead, blocID: bloc, year: 2018)])
    static let leadOfLeaderUnit = p([RoleGrant(role: .blocLead, blocID: bloc, year: 2018), RoleGrant(role: .unitHead, unitID: leaderUnit)])
    static let otherYearLead = p([RoleGrant(role: .blocLead, blocID: bloc, year: 2019)])
    static let otherBlocLead = p([RoleGrant(role: .blocLead, blocID: other, year: 2018)])
    static let head = p([RoleGrant(role: .unitHead, unitID: member)])
    static let officer = p([RoleGrant(role: .unitOfficer, unitID: member)])
    static let outsiderHead = p([RoleGrant(role: .unitHead, unitID: outsider)])
    static let council = p([RoleGrant(role: .council)], id: councillor)
    static let otherCouncil = p([RoleGrant(role: .council)])
    static let viewer = p([RoleGrant(role: .viewer)])

    @Test("The bloc's session", arguments: [
        // principal, organise, chair a question on the leader's unit, voter keys, view
        ("office", office, true, true, 0, true),
        ("lead", lead, true, true, 0, true),
        ("lead whose unit is a candidate", leadOfLeaderUnit, true, false, 1, true),
        ("lead of another year", otherYearLead, false, false, 0, false),
        ("lead of another bloc", otherBlocLead, false, false, 0, false),
        ("member's head", head, false, false, 1, true),
        ("member's officer", officer, false, false, 0, true),
        ("head of a unit outside the bloc", outsiderHead, false, false, 0, false),
        ("council member", council, false, false, 0, true),
        ("viewer", viewer, false, false, 0, false),
    ])
    func blocSession(name: String, principal: Principal, organise: Bool, chair: Bool, keys: Int, view: Bool) {
        let s = Self.blocScope
        #expect(principal.canOrganise(s) == organise, "\(name)")
        #expect(principal.canChair(candidateUnits: [Self.leaderUnit], s) == chair, "\(name)")
        #expect(principal.voterKeys(s).count == keys, "\(name)")
        #expect(principal.canViewSession(s) == view, "\(name)")
    }

    @Test("The council's session: the office organises, its members vote")
    func councilSession() {
        let s = Self.councilScope
        #expect(Self.office.canOrganise(s) && !Self.lead.canOrganise(s) && !Self.council.canOrganise(s))
        #expect(Self.council.voterKeys(s) == [Self.councillor] && Self.otherCouncil.voterKeys(s).isEmpty && Self.head.voterKeys(s).isEmpty)
        #expect(Self.otherCouncil.canViewSession(s) && !Self.head.canViewSession(s) && !Self.viewer.canViewSession(s))
    }
}
