import Foundation
import ThiDuaCore

/// Every link, form action and redirect of registrations and deadlines.
enum RegistrationPath: SitePath {
    case unit(UUID), bloc(UUID), blocXLSX(UUID)
    case deadlines(year: Int), setDeadline(year: Int, phase: String), reopen(year: Int, phase: String)

    var segments: [String] {
        switch self {
        case .unit(let u): ["units", u.uuidString, "registration"]
        case .bloc(let b): ["blocs", b.uuidString, "registrations"]
        case .blocXLSX(let b): ["blocs", b.uuidString, "registrations.xlsx"]
        case .deadlines(let y): ["years", String(y), "deadlines"]
        case .setDeadline(let y, let p): ["years", String(y), "deadlines", p]
        case .reopen(let y, let p): ["years", String(y), "deadlines", p, "reopen"]
        }
    }
}
