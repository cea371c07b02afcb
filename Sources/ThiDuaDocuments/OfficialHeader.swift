import Foundation
import ThiDuaCore

extension WordML {
    /// The top of an administrative document in the Decree 30/2020 layout (DOCUMENT-FORMAT.md §0): the issuing body
    /// under its parent agency, upper case, with a short rule (left); the national motto with its rule (right); the
    /// place and date line under the motto; and, for the demo's data, the notice that the document is illustrative.
    static func officialHeader(parentAgency: String, issuer: String, place: String, date: Day?, isDemo: Bool) -> String {
        let upper = { (s: String) in s.uppercased(with: Locale(identifier: "vi_VN")) }
        let left = text(upper(parentAgency), size: 12, align: .center, after: 0)
            + text(upper(issuer), bold: true, size: 12, align: .center, after: 0)
            + rule(width: 1200, within: 3700 - 160)
        let right = text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 12, align: .center, after: 0)
            + text("Độc lập - Tự do - Hạnh phúc", bold: true, size: 13, align: .center, after: 0)
            + rule(width: 3350, within: 5650 - 160)
        let dateLine = text(CovenantDocument.dateLine(place: place, date), italic: true, size: 13, align: .center, after: 0)
        var out = table(widths: [3700, 5650], rows: [[left, right], ["", dateLine]], borders: false)
        out += text("", after: 6)
        if isDemo { out += text("(Văn bản minh họa – dữ liệu demo của ThiDua)", italic: true, size: 12, align: .center) }
        return out
    }

    /// The document's kind and gist, centred and bold, with the short rule under them ("BIÊN BẢN" / "Về việc …").
    static func documentTitle(_ kind: String, _ gist: String) -> String {
        text(kind, bold: true, size: 14, align: .center, after: 0, keepNext: true)
            + text(gist, bold: true, size: 14, align: .center, after: 0, keepNext: true)
            + rule(width: 2800, within: 9355)
            + text("", size: 6, after: 6)
    }
}
