import LeafKit
import Foundation

/// A link, redirect or form action of the site, built from typed parts: every segment and query value is
/// percent-encoded, so that a code such as `x/../../users/…/delete?` stays one segment and can never turn a
/// button into a request to another route. Views receive built strings; nothing concatenates paths.
/// One enum per area conforms (`CovenantPath`, `RegisterPath`, …), as SwiftPackageIndex-Server's `SiteURL` does.
protocol SitePath {
    /// The path's segments, unencoded.
    var segments: [String] { get }
}

extension SitePath {
    /// "/a/b%2Fc" with the query appended when there is one (empty values are left out).
    func url(_ query: [(String, String?)] = []) -> String {
        SiteURL.build(segments, query: query)
    }

    var url: String { url([]) }
}

enum SiteURL {
    /// Characters kept as they are in a segment or query value (RFC 3986 unreserved); everything else is encoded.
    private static let unreserved: CharacterSet = {
        var set = CharacterSet()
        set.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return set
    }()

    static func encode(_ part: String) -> String {
        // "." and ".." are path operators for a browser: encode their dots so that they stay data.
        if part == "." || part == ".." { return String(repeating: "%2E", count: part.count) }
        return part.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func build(_ segments: [String], query: [(String, String?)] = []) -> String {
        var out = "/" + segments.map(encode).joined(separator: "/")
        let pairs = query.compactMap { key, value in value.flatMap { $0.isEmpty ? nil : encode(key) + "=" + encode($0) } }
        if !pairs.isEmpty { out += "?" + pairs.joined(separator: "&") }
        return out
    }
}

/// Paths outside any one area.
enum CommonPath: SitePath {
    case home, login, logout, search

    var segments: [String] {
        switch self {
        case .home: []
        case .login: ["login"]
        case .logout: ["logout"]
        case .search: ["search"]
        }
    }
}

/// `#path("blocs", b.id, "?", "year", page.year)` in a view: the same builder for links that a template composes
/// from typed values (ids, years). Every segment and query value is percent-encoded; after a "?" the arguments are
/// key/value pairs. Views never write "/blocs/#(b.id)" themselves.
struct PathTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        let parts = ctx.parameters.map { $0.string ?? "" }
        let split = parts.firstIndex(of: "?") ?? parts.endIndex
        let segments = Array(parts[..<split])
        var query: [(String, String?)] = []
        var rest = parts[split...].dropFirst()
        while let key = rest.popFirst() { query.append((key, rest.popFirst())) }
        return .string(SiteURL.build(segments, query: query))
    }
}
