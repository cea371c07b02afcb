import Foundation

/// Every link, form action and redirect of units, blocs and emulation years.
enum OrganisationPath: SitePath {
    case units, newUnit, unit(UUID), editUnit(UUID), deleteUnit(UUID)
    case blocs, newBloc, bloc(UUID), editBloc(UUID), deleteBloc(UUID)
    case members(bloc: UUID), deleteMember(bloc: UUID, membership: UUID), leadership(bloc: UUID), plan(bloc: UUID, year: Int)
    case years

    var segments: [String] {
        switch self {
        case .units: ["units"]
        case .newUnit: ["units", "new"]
        case .unit(let u): ["units", u.uuidString]
        case .editUnit(let u): ["units", u.uuidString, "edit"]
        case .deleteUnit(let u): ["units", u.uuidString, "delete"]
        case .blocs: ["blocs"]
        case .newBloc: ["blocs", "new"]
        case .bloc(let b): ["blocs", b.uuidString]
        case .editBloc(let b): ["blocs", b.uuidString, "edit"]
        case .deleteBloc(let b): ["blocs", b.uuidString, "delete"]
        case .members(let b): ["blocs", b.uuidString, "members"]
        case .deleteMember(let b, let m): ["blocs", b.uuidString, "members", m.uuidString, "delete"]
        case .leadership(let b): ["blocs", b.uuidString, "leadership"]
        case .plan(let b, let y): ["blocs", b.uuidString, "years", String(y), "plan"]
        case .years: ["years"]
        }
    }
}
