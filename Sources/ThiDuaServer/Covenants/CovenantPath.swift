import Foundation
import ThiDuaCore

/// Every link, form action and redirect of the covenant area.
enum CovenantPath: SitePath {
    case blocCovenant(bloc: UUID)
    case covenant(UUID)
    case print(UUID)
    case docx(UUID)
    case criteria(UUID)
    case deleteCriterion(UUID, code: String)
    case action(UUID, CovenantAction)
    case comments(UUID)
    case answer(UUID, comment: UUID)
    case sign(UUID)
    case absent(UUID)

    var segments: [String] {
        switch self {
        case .blocCovenant(let b): ["blocs", b.uuidString, "covenant"]
        case .covenant(let v): ["covenants", v.uuidString]
        case .print(let v): ["covenants", v.uuidString, "print"]
        case .docx(let v): ["covenants", v.uuidString, "docx"]
        case .criteria(let v): ["covenants", v.uuidString, "criteria"]
        case .deleteCriterion(let v, let code): ["covenants", v.uuidString, "criteria", code, "delete"]
        case .action(let v, let a): ["covenants", v.uuidString, "actions", a.rawValue]
        case .comments(let v): ["covenants", v.uuidString, "comments"]
        case .answer(let v, let c): ["covenants", v.uuidString, "comments", c.uuidString, "answer"]
        case .sign(let v): ["covenants", v.uuidString, "sign"]
        case .absent(let v): ["covenants", v.uuidString, "absent"]
        }
    }
}
