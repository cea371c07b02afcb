import Foundation

/// Every link, form action and redirect of importing.
enum ImportPath: SitePath {
    case start, apply, template

    var segments: [String] {
        switch self {
        case .start: ["import"]
        case .apply: ["import", "apply"]
        case .template: ["import", "template.xlsx"]
        }
    }
}
