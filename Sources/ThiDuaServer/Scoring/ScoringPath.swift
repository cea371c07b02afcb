import Foundation
import ThiDuaCore

/// Every link, form action and redirect of scoring rounds.
enum ScoringPath: SitePath {
    case blocRounds(bloc: UUID)
    case round(UUID)
    case settings(UUID)
    case action(UUID, RoundAction)
    case sheet(UUID, unit: UUID, scorer: Scorer)
    case submit(UUID, unit: UUID)
    case reopen(UUID, unit: UUID)
    case conflicts(UUID)
    case results(UUID)
    case appeals(UUID, unit: UUID)
    case answer(UUID, appeal: UUID)
    case corrections(UUID)
    case attach(UUID, unit: UUID)
    case matrix(UUID)
    case xlsx(UUID)
    /// The summary sheet as .csv.
    case csv(UUID)
    case docx(UUID)
    case trace(UUID, task: Int)
    case evidence(UUID, file: UUID)
    case deleteEvidence(UUID, file: UUID)

    /// The sheet's scorer as a path segment: "self", "leader", "third" or the peer unit's id.
    static func segment(_ s: Scorer) -> String { s.peerUnit?.uuidString ?? s.key }

    var segments: [String] {
        switch self {
        case .blocRounds(let b): ["blocs", b.uuidString, "rounds"]
        case .round(let r): ["rounds", r.uuidString]
        case .settings(let r): ["rounds", r.uuidString, "settings"]
        case .action(let r, let a): ["rounds", r.uuidString, "actions", a.rawValue]
        case .sheet(let r, let u, let s): ["rounds", r.uuidString, "units", u.uuidString, "sheets", Self.segment(s)]
        case .submit(let r, let u): ["rounds", r.uuidString, "units", u.uuidString, "submit"]
        case .reopen(let r, let u): ["rounds", r.uuidString, "units", u.uuidString, "reopen"]
        case .conflicts(let r): ["rounds", r.uuidString, "conflicts"]
        case .results(let r): ["rounds", r.uuidString, "results"]
        case .appeals(let r, let u): ["rounds", r.uuidString, "units", u.uuidString, "appeals"]
        case .answer(let r, let a): ["rounds", r.uuidString, "appeals", a.uuidString, "answer"]
        case .corrections(let r): ["rounds", r.uuidString, "corrections"]
        case .matrix(let r): ["rounds", r.uuidString, "matrix"]
        case .xlsx(let r): ["rounds", r.uuidString, "results.xlsx"]
        case .csv(let r): ["rounds", r.uuidString, "results.csv"]
        case .docx(let r): ["rounds", r.uuidString, "results.docx"]
        case .trace(let r, let t): ["rounds", r.uuidString, "tasks", String(t)]
        case .attach(let r, let u): ["rounds", r.uuidString, "units", u.uuidString, "evidence"]
        case .evidence(let r, let f): ["rounds", r.uuidString, "evidence", f.uuidString]
        case .deleteEvidence(let r, let f): ["rounds", r.uuidString, "evidence", f.uuidString, "delete"]
        }
    }
}
