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
        res.headers.replaceOrAdd(name: .contentDisposition, value: disposition(filename))
        return res
    }

    /// `attachment` with an ASCII name for old clients (diacritics folded, anything unsafe as "_") and the exact
    /// name in UTF-8 (RFC 6266 / RFC 5987): a name with quotes, semicolons or line breaks cannot break the header.
    static func disposition(_ filename: String) -> String {
        var ascii = ""
        for ch in filename.decomposedStringWithCanonicalMapping.unicodeScalars {
            if ch.properties.generalCategory == .nonspacingMark { continue }
            if ch == "đ" { ascii += "d"; continue }
            if ch == "Đ" { ascii += "D"; continue }
            let safe = ("a"..."z").contains(ch) || ("A"..."Z").contains(ch) || ("0"..."9").contains(ch) || ch == "." || ch == "-" || ch == "_"
            ascii.unicodeScalars.append(safe ? ch : "_")
        }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~")
        let encoded = filename.precomposedStringWithCanonicalMapping.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii.isEmpty ? "tep" : ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// An eligibility report as the CLI prints it (sorted keys, `met: null` for missing data).
    static func report(_ report: EligibilityReport) throws -> Response {
        let res = Response(status: .ok, body: .init(data: try EligibilityRunner.encoder.encode(report)))
        res.headers.contentType = .json
        return res
    }
}
