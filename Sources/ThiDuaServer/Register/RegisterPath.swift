import Foundation

/// Every link, form action and redirect of the award register.
enum RegisterPath: SitePath {
    case list, newPerson
    case subject(RegisterSubject)
    case facts(RegisterSubject, kind: String)
    case deleteFact(RegisterSubject, kind: String, id: UUID)
    case useInitiative(RegisterSubject, id: UUID)
    case report
    /// The register in the import template's layout.
    case export(format: String)

    private static func base(_ s: RegisterSubject) -> [String] {
        switch s {
        case .person(let p): ["register", "people", p.uuidString]
        case .unit(let u): ["register", "units", u.uuidString]
        }
    }

    var segments: [String] {
        switch self {
        case .list: ["register"]
        case .newPerson: ["register", "people", "new"]
        case .subject(let s): Self.base(s)
        case .facts(let s, let kind): Self.base(s) + ["facts", kind]
        case .deleteFact(let s, let kind, let id): Self.base(s) + ["facts", kind, id.uuidString, "delete"]
        case .useInitiative(let s, let id): Self.base(s) + ["initiatives", id.uuidString, "use"]
        case .report: ["register", "report"]
        case .export(let format): ["register", "export.\(format)"]
        }
    }
}
