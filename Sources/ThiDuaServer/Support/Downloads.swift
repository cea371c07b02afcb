import Foundation
import ThiDuaCore
import Vapor

/// Responses that carry a file or a pre-encoded JSON body.
enum Downloads {
    static let xlsx = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    static let docx = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.wordprocessingml.document")

    /// A file the browser saves as `filename`.
    static func file(_ data: Data, type: HTTPMediaType, filename: String) -> Response {
        let res = Response(status: .ok, body: .init(data: data))
        res.headers.contentType = type
        res.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return res
    }

    /// An eligibility report as the CLI prints it (sorted keys, `met: null` for missing data).
    static func report(_ report: EligibilityReport) throws -> Response {
        let res = Response(status: .ok, body: .init(data: try EligibilityRunner.encoder.encode(report)))
        res.headers.contentType = .json
        return res
    }
}
