import Foundation

/// A bloc in one emulation year: the unit of a bloc lead's scope and of a unit's membership.
public struct BlocYearKey: Hashable, Sendable {
    public var blocID: UUID
    public var year: Int
    public init(blocID: UUID, year: Int) { self.blocID = blocID; self.year = year }
}

/// The kinds of fact of the award register, by who may record them.
public enum RegisterFactKind: String, Sendable, CaseIterable {
    case ratings, awards, initiatives, disciplines, freezes, years
}

public enum FactChange: Sendable { case add, delete }

/// Who may see and change what: one function per kind of fact, so that the server asks and never decides.
/// Every function is tested as a table (`ScopeTests`).
extension Principal {
    /// A unit's emulation registration for `year`: its own officers and heads, the office, the council, and the
    /// leads of a bloc the unit belongs to **in that year** (`unitBlocs`: the unit's memberships), for that year only.
    public func canReadRegistration(unit: UUID, year: Int, unitBlocs: Set<BlocYearKey>) -> Bool {
        if isOffice || has(.council) { return true }
        if grants.contains(where: { ($0.role == .unitOfficer || $0.role == .unitHead) && $0.unitID == unit }) { return true }
        return grants.contains { g in
            g.role == .blocLead && g.year == year && g.blocID.map { unitBlocs.contains(BlocYearKey(blocID: $0, year: year)) } == true
        }
    }

    /// The whole bloc's registrations for `year`: the office, the council and the bloc's own leads that year.
    public func canReadBlocRegistrations(bloc: UUID, year: Int) -> Bool {
        isOffice || has(.council) || canLeadBloc(bloc, year: year)
    }

    /// A change to a register fact of `unit` (its people or itself). The unit's officer records its ratings,
    /// awards, initiatives and member figures, and may report a discipline or a period under review; only the
    /// office deletes (or so shortens) a discipline or a freeze: those weigh against the unit, which must not be
    /// able to clear them.
    public func canChange(_ kind: RegisterFactKind, _ change: FactChange, unit: UUID) -> Bool {
        if isOffice { return true }
        guard grants.contains(where: { $0.role == .unitOfficer && $0.unitID == unit }) else { return false }
        switch (kind, change) {
        case (.disciplines, .delete), (.freezes, .delete): return false
        default: return true
        }
    }

    /// "The collective led its bloc" (đơn vị dẫn đầu khối) is the bloc's outcome, recorded by the office
    /// (and, with the ballots, by the bloc's vote), never by the unit itself.
    public var canMarkLedBloc: Bool { isOffice }

    /// A unit's kind (civil, armed forces …), parent and vertical sector decide which legal regime applies to it:
    /// the office sets them. The unit's officer may correct its names only.
    public var canChangeUnitPlacement: Bool { isOffice }
}
