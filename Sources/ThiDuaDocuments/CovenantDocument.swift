import Foundation
import ThiDuaCore

/// One cell of the covenant's signature grid.
public struct SignatureCell: Sendable {
    public var unitName: String
    /// e.g. "GIÁM ĐỐC", "VIỆN TRƯỞNG"; "THỦ TRƯỞNG ĐƠN VỊ" when not known.
    public var position: String
    public var signerName: String?
    public var signedAt: Date?
    public var absentReason: String?
    public init(unitName: String, position: String, signerName: String? = nil, signedAt: Date? = nil, absentReason: String? = nil) {
        self.unitName = unitName; self.position = position; self.signerName = signerName; self.signedAt = signedAt; self.absentReason = absentReason
    }
}

/// The covenant as an official document in the Decree 30/2020 layout (DOCUMENT-FORMAT.md §4.1).
public struct CovenantDocument: Sendable {
    /// "UBND TỈNH NGHỆ AN": the body above the bloc (not bold).
    public var parentAgency: String
    /// The bloc's name, printed in capitals, bold.
    public var blocName: String
    public var year: Int
    public var version: Int
    public var content: CovenantContent
    public var fingerprint: String?
    public var statusLabel: String
    public var cells: [SignatureCell]
    /// "nhật ký #123, 1A2B-3C4D-5E6F": the audit chain's head when the content was sealed.
    public var auditAnchor: String? = nil

    public init(parentAgency: String, blocName: String, year: Int, version: Int, content: CovenantContent, fingerprint: String?,
                statusLabel: String, cells: [SignatureCell]) {
        self.parentAgency = parentAgency; self.blocName = blocName; self.year = year; self.version = version; self.content = content
        self.fingerprint = fingerprint; self.statusLabel = statusLabel; self.cells = cells
    }

    /// "Nghệ An, ngày 07 tháng 3 năm 2018" (leading zero for days < 10 and months 1–2), or dots when not set.
    public static func dateLine(place: String, _ d: Day?) -> String {
        guard let d else { return "\(place), ngày … tháng … năm …" }
        let day = String(format: "%02d", d.day)
        let month = d.month <= 2 ? String(format: "%02d", d.month) : String(d.month)
        return "\(place), ngày \(day) tháng \(month) năm \(d.year)"
    }

    static func upper(_ s: String) -> String { s.uppercased(with: Locale(identifier: "vi_VN")) }

    /// The .docx bytes.
    public func docx() throws -> Data {
        typealias W = WordML
        var body = ""
        // Header: agency block (left ≈ 6.5 cm) and Quốc hiệu / Tiêu ngữ (right ≈ 9.7 cm); date line under the right column.
        // Lines: 1/3 of the agency name's width; as long as the motto; 1/3 of the gist.
        let left = W.text(Self.upper(parentAgency), size: 12, align: .center, after: 0)
            + W.text(Self.upper(blocName), bold: true, size: 12, align: .center, after: 0)
            + W.rule(width: 1200, within: 3700 - 160)
        let right = W.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 12, align: .center, after: 0)
            + W.text("Độc lập - Tự do - Hạnh phúc", bold: true, size: 13, align: .center, after: 0)
            + W.rule(width: 3350, within: 5650 - 160)
        let date = W.text(Self.dateLine(place: content.place, content.signingDate), italic: true, size: 13, align: .center, after: 0)
        body += W.table(widths: [3700, 5650], rows: [[left, right], ["", date]], borders: false)
        body += W.text("", after: 6)
        if content.isDemo { body += W.text("(Văn bản minh họa – dữ liệu demo của ThiDua)", italic: true, size: 12, align: .center) }
        body += W.text("GIAO ƯỚC THI ĐUA", bold: true, size: 14, align: .center, after: 0, keepNext: true)
        body += W.text(content.title, bold: true, size: 14, align: .center, after: 0, keepNext: true)
        body += W.rule(width: 2800, within: 9355)
        body += W.text("", size: 6, after: 6)
        for (i, b) in content.bases.enumerated() {
            let text = b.hasPrefix("Căn cứ") ? b : "Căn cứ \(b)"
            body += W.text(text + (i == content.bases.count - 1 ? "." : ";"), italic: true, size: 14, firstLine: 720, after: 3)
        }
        if !content.preamble.isEmpty { body += W.text(content.preamble, size: 14, firstLine: 720) }
        body += W.text("I. NHIỆM VỤ TRỌNG TÂM", bold: true, size: 14, after: 6, keepNext: true)
        for (i, t) in content.keyTasks.enumerated() {
            let links = t.criteria.isEmpty ? "" : " (tiêu chí \(t.criteria.joined(separator: ", ")))"
            body += W.paragraph([W.Run("\(i + 1). ", bold: true), W.Run(t.text + links)], firstLine: 720)
        }
        body += W.text("II. THANG ĐIỂM BÌNH XÉT", bold: true, size: 14, after: 6, keepNext: true)
        let totalMax = ScoringScale.totalMax(content.scale)
        body += W.text("Tổng điểm tối đa: \(ScoringScale.points(totalMax)) điểm (chưa kể điểm thưởng, điểm trừ). Tiêu chí không áp dụng cho một đơn vị được loại khỏi điểm tối đa của đơn vị đó; tổng điểm được quy đổi về thang \(ScoringScale.points(totalMax)) điểm.",
                       size: 13, firstLine: 720)
        func cell(_ s: String, bold: Bool = false, align: W.Align = .left, indent: Int = 0) -> String {
            W.paragraph([W.Run(s, bold: bold, size: 12)], align: align, after: 0, indent: indent)
        }
        var rows: [[String]] = [[cell("Mã", bold: true, align: .center), cell("Tiêu chí", bold: true, align: .center),
                                 cell("Điểm tối đa", bold: true, align: .center), cell("Cách chấm", bold: true, align: .center)]]
        for (c, _, depth) in ScoringScale.flatten(content.scale) {
            let isGroup = depth == 1
            let points = c.kind == .adjustment ? "\(c.perEvent.map { $0 > 0 ? "+\(ScoringScale.points($0))" : ScoringScale.points($0) } ?? "")/lần, tối đa \(ScoringScale.points(c.maxPoints))" : ScoringScale.points(c.maxPoints)
            var how = c.kind.formula
            if !c.guidance.isEmpty { how = c.guidance + ". " + how }
            if let a = c.appliesTo, !a.isEmpty { how += " (chỉ áp dụng cho một số đơn vị)" }
            rows.append([cell(c.code, bold: isGroup), cell(c.name, bold: isGroup, indent: (depth - 1) * 200), cell(points, bold: isGroup, align: .center), cell(how)])
        }
        rows.append([cell(""), cell("Tổng cộng", bold: true), cell(ScoringScale.points(totalMax), bold: true, align: .center), cell("")])
        body += W.table(widths: [800, 4300, 1300, 2950], rows: rows, borders: true, headerRows: 1, cantSplit: true)
        body += W.text("", after: 6)
        if !content.closing.isEmpty {
            body += W.text("III. TỔ CHỨC THỰC HIỆN", bold: true, size: 14, after: 6, keepNext: true)
            body += W.text(content.closing, size: 14, firstLine: 720)
        }
        body += W.text("Giao ước này được các đơn vị thành viên của khối thống nhất ký kết./.", size: 14, firstLine: 720, after: 12)
        body += W.text("ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC", bold: true, size: 13, align: .center, after: 6, keepNext: true)
        // Signature grid: 3 columns; the leader first, then the deputy, then the others; each cell kept on one page.
        var gridRows: [[String]] = []
        var row: [String] = []
        for c in cells {
            var cellXML = W.text(Self.upper(c.unitName), bold: true, size: 12, align: .center, after: 0)
            cellXML += W.text(Self.upper(c.position), bold: true, size: 12, align: .center, after: 0)
            if let reason = c.absentReason {
                cellXML += W.text("(Vắng mặt: \(reason))", italic: true, size: 12, align: .center, after: 0)
            } else if let at = c.signedAt {
                cellXML += W.text("(Đã ký điện tử \(VietnameseFormat.dateTime(at)))", italic: true, size: 11, align: .center, after: 0)
            } else {
                cellXML += W.text("\n\n", size: 12, align: .center, after: 0)
            }
            cellXML += W.text(c.signerName ?? " ", bold: true, size: 13, align: .center, after: 12)
            row.append(cellXML)
            if row.count == 3 { gridRows.append(row); row = [] }
        }
        if !row.isEmpty { while row.count < 3 { row.append("") }; gridRows.append(row) }
        if !gridRows.isEmpty { body += W.table(widths: [3116, 3117, 3117], rows: gridRows, borders: false) }
        var footer = "Phiên bản \(version) – \(statusLabel)"
        if let fingerprint { footer += " – Mã niêm phong (SHA-256): \(fingerprint)" }
        if let auditAnchor { footer += " – Mốc \(auditAnchor)" }
        body += W.text(footer, italic: true, size: 10, align: .left, after: 0)
        return try W.document(body: body, title: "Giao ước thi đua \(year) – \(blocName)")
    }
}
