import Foundation
import Testing
import ThiDuaCore

/// Who may see and change what, as tables: one row per (principal, fact), the expected answer beside it.
@Suite struct ScopeTests {
    static let unitA = UUID(), unitB = UUID(), blocX = UUID(), blocY = UUID()

    static func p(_ grants: RoleGrant...) -> Principal { Principal(userID: UUID(), username: "u", grants: grants) }
    static let office = p(RoleGrant(role: .office))
    static let council = p(RoleGrant(role: .council))
    static let viewer = p(RoleGrant(role: .viewer))
    static let officerA = p(RoleGrant(role: .unitOfficer, unitID: unitA))
    static let headA = p(RoleGrant(role: .unitHead, unitID: unitA))
    static let officerB = p(RoleGrant(role: .unitOfficer, unitID: unitB))
    static let leadX2018 = p(RoleGrant(role: .blocLead, blocID: blocX, year: 2018))
    static let leadY2018 = p(RoleGrant(role: .blocLead, blocID: blocY, year: 2018))
    static let leadX2019 = p(RoleGrant(role: .blocLead, blocID: blocX, year: 2019))

    @Test("A unit's registration: own unit, office, council, and the lead of the unit's bloc in that year only")
    func registrations() {
        // Unit A is in bloc X in 2018 and in bloc Y in 2019.
        let aBlocs: Set<BlocYearKey> = [BlocYearKey(blocID: Self.blocX, year: 2018), BlocYearKey(blocID: Self.blocY, year: 2019)]
        let table: [(Principal, String, Int, Bool)] = [
            (Self.office, "office", 2018, true), (Self.council, "council", 2018, true), (Self.viewer, "viewer", 2018, false),
            (Self.officerA, "officer A", 2018, true), (Self.headA, "head A", 2019, true), (Self.officerB, "officer B", 2018, false),
            (Self.leadX2018, "lead X 2018 reads 2018", 2018, true),
            (Self.leadX2018, "lead X 2018 reads 2019", 2019, false),
            (Self.leadY2018, "lead Y 2018 (A not in Y in 2018)", 2018, false),
            (Self.leadX2019, "lead X 2019 (A not in X in 2019)", 2019, false),
            (Self.leadX2019, "lead X 2019 reads 2018", 2018, false),
        ]
        for (principal, who, year, expected) in table {
            #expect(principal.canReadRegistration(unit: Self.unitA, year: year, unitBlocs: aBlocs) == expected, "\(who)")
        }
        #expect(Self.leadX2018.canReadBlocRegistrations(bloc: Self.blocX, year: 2018))
        #expect(!Self.leadX2018.canReadBlocRegistrations(bloc: Self.blocX, year: 2019))
        #expect(!Self.leadX2018.canReadBlocRegistrations(bloc: Self.blocY, year: 2018))
        #expect(Self.council.canReadBlocRegistrations(bloc: Self.blocY, year: 2030))
        #expect(!Self.officerA.canReadBlocRegistrations(bloc: Self.blocX, year: 2018))
    }

    @Test("Register facts: the unit's officer records, only the office deletes disciplines and freezes")
    func facts() {
        for kind in RegisterFactKind.allCases {
            for change in [FactChange.add, .delete] {
                #expect(Self.office.canChange(kind, change, unit: Self.unitA), "office \(kind) \(change)")
                #expect(!Self.officerB.canChange(kind, change, unit: Self.unitA), "other unit's officer \(kind) \(change)")
                #expect(!Self.headA.canChange(kind, change, unit: Self.unitA), "head \(kind) \(change)")
                #expect(!Self.leadX2018.canChange(kind, change, unit: Self.unitA), "bloc lead \(kind) \(change)")
                #expect(!Self.council.canChange(kind, change, unit: Self.unitA), "council \(kind) \(change)")
                let restricted = (kind == .disciplines || kind == .freezes) && change == .delete
                #expect(Self.officerA.canChange(kind, change, unit: Self.unitA) == !restricted, "own officer \(kind) \(change)")
            }
        }
    }

    @Test("Led the bloc, and a unit's kind, parent and sector: the office only")
    func officeFacts() {
        let table: [(Principal, Bool)] = [(Self.office, true), (Self.officerA, false), (Self.headA, false), (Self.leadX2018, false), (Self.council, false), (Self.viewer, false)]
        for (principal, expected) in table {
            #expect(principal.canMarkLedBloc == expected)
            #expect(principal.canChangeUnitPlacement == expected)
        }
    }
}
