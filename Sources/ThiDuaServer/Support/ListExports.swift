import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// A list page as a file: the sheets it shows (the same rows, for the same user) and the name the browser saves it
/// under, without the extension.
struct ListFile: Sendable {
    var filename: String
    var sheets: [Sheet]
}

/// The routes of a list's files, one place for all three formats: `<path…>/<name>.xlsx|.csv|.json` on the pages
/// and on the API, under one policy. The .xlsx holds every sheet; .csv and JSON one, `?sheet=N` (from 1) choosing
/// among several.
enum ListExports {
    typealias Format = ListExportDocument.Format

    static func register(on roots: [any RoutesBuilder], _ path: [PathComponent], name: String, policy: RoutePolicy,
                         formats: [Format] = Format.allCases, make: @escaping @Sendable (Request) async throws -> ListFile) {
        for format in formats {
            for root in roots {
                root.on(.GET, path + [.constant("\(name).\(format.rawValue)")], policy: policy) { req in
                    try response(try await make(req), format, req: req)
                }
            }
        }
    }

    static func response(_ file: ListFile, _ format: Format, req: Request) throws -> Response {
        let index: Int
        if format == .xlsx || file.sheets.count < 2 {
            index = 0
        } else {
            index = (try Bounded.int(text: req.query[String.self, at: "sheet"], field: "sheet", label: "Trang", in: 1...file.sheets.count) ?? 1) - 1
        }
        let data: Data
        do { data = try ListExportDocument.render(format, file.sheets, index: index) } catch let e as ListExportDocument.Failure {
            throw DomainError.invalid(e.description, field: "sheet")
        }
        let suffix = format != .xlsx && file.sheets.count > 1 ? "-\(index + 1)" : ""
        return Downloads.file(data, type: HTTPMediaType(type: format.mediaType.type, subType: format.mediaType.subType),
                              filename: "\(file.filename)\(suffix).\(format.rawValue)")
    }
}

/// A list page's links to its files, the page's filter kept (built by `SiteURL`, every value encoded).
struct ExportLinks: Encodable, Sendable {
    var xlsx: String
    var csv: String
    var json: String

    init(_ segments: [String], name: String = "export", query: [(String, String?)] = []) {
        func link(_ f: ListExportDocument.Format) -> String { SiteURL.build(segments + ["\(name).\(f.rawValue)"], query: query) }
        xlsx = link(.xlsx); csv = link(.csv); json = link(.json)
    }
}
