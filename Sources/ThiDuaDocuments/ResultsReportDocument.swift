import Foundation
import ThiDuaCore

/// The report of a round's results (báo cáo kết quả chấm điểm) in the Decree 30/2020 layout: the bloc's header block
/// and the national motto, the date line, "BÁO CÁO" and its gist, how the round was scored, the ranking as a table,
/// the appeals in numbers, the lead's signature block and the recipients (DOCUMENT-FORMAT.md §0, §4.5: headings
/// "I./II./III." bold upper case; fonts and margins as every ThiDua document). It carries the ranking only, never a
/// unit's detail: whoever may read the ranking may have it.
public struct ResultsReportDocument: Sendable {
    public struct Row: Sendable {
        public var rank: Int; public var unit: String; public var total: String; public var band: String?; public var note: String
        public init(rank: Int, unit: String, total: String, band: String?, note: String) {
            self.rank = rank; self.unit = unit; self.total = total; self.band = band; self.note = note
        }
    }

    /// "UBND TỈNH NGHỆ AN".
    public var parentAgency: String
    public var blocName: String
    public var place: String
    public var date: Day?
    /// "tổng kết năm 2018", "sơ kết 6 tháng năm 2018".
    public var roundName: String
    /// One sentence each: the method, the aggregator, the disagreement rule, the bands, the tie-breaks.
    public var method: [String]
    public var rows: [Row]
    public var appealsFiled: Int
    public var appealsChanged: Int
    /// "Bản công bố số 1, mã kết quả 9341-08AE-5C01, mốc nhật ký #196", or "Kết quả sơ bộ, chưa công bố".
    public var status: String
    /// The leader unit's name and its head's name if known.
    public var leaderUnit: String?
    public var isDemo: Bool

    public init(parentAgency: String, blocName: String, place: String, date: Day?, roundName: String, method: [String], rows: [Row],
                appealsFiled: Int, appealsChanged: Int, status: String, leaderUnit: String?, isDemo: Bool) {
        self.parentAgency = parentAgency; self.blocName = blocName; self.place = place; self.date = date; self.roundName = roundName
        self.method = method; self.rows = rows; self.appealsFiled = appealsFiled; self.appealsChanged = appealsChanged; self.status = status
        self.leaderUnit = leaderUnit; self.isDemo = isDemo
    }

    public func docx() throws -> Data {
        typealias W = WordML
        let upper = { (s: String) in s.uppercased(with: Locale(identifier: "vi_VN")) }
        var body = W.officialHeader(parentAgency: parentAgency, issuer: blocName, place: place, date: date, isDemo: isDemo)
        body += W.documentTitle("BÁO CÁO", "Kết quả chấm điểm thi đua \(roundName) của \(blocName)")
        body += W.text("I. CÁCH CHẤM ĐIỂM", bold: true, size: 14, after: 6, keepNext: true)
        for line in method { body += W.text(line, size: 14, firstLine: 720) }
        body += W.text("II. KẾT QUẢ XẾP HẠNG", bold: true, size: 14, after: 6, keepNext: true)
        func cell(_ s: String, bold: Bool = false, align: W.Align = .left) -> String {
            W.paragraph([W.Run(s, bold: bold, size: 12)], align: align, after: 0)
        }
        var table: [[String]] = [["Hạng", "Đơn vị", "Tổng điểm", "Xếp loại", "Ghi chú"].map { cell($0, bold: true, align: .center) }]
        for r in rows {
            table.append([cell(String(r.rank), align: .center), cell(r.unit), cell(r.total, align: .center), cell(r.band ?? "", align: .center), cell(r.note)])
        }
        body += W.table(widths: [800, 3900, 1300, 1300, 2055], rows: table, borders: true, headerRows: 1, cantSplit: true)
        body += W.text("", after: 6)
        body += W.text("III. GIẢI TRÌNH, KHIẾU NẠI", bold: true, size: 14, after: 6, keepNext: true)
        body += W.text(appealsFiled == 0
            ? "Không có đơn vị nào giải trình, khiếu nại về kết quả sơ bộ."
            : "Các đơn vị đã gửi \(appealsFiled) giải trình, khiếu nại về kết quả sơ bộ; trưởng khối đã trả lời tất cả, \(appealsChanged) trường hợp được sửa điểm. Nội dung và lý do từng trường hợp được lưu trong hệ thống.",
            size: 14, firstLine: 720)
        body += W.text(status + ". Kết quả được tính lại được từ dữ liệu lưu trữ trên hệ thống ThiDua./.", italic: true, size: 13, firstLine: 720, after: 12)
        let recipients = W.text("Nơi nhận:", bold: true, italic: true, size: 12, align: .left, after: 0)
            + W.text("- Ban Thi đua – Khen thưởng tỉnh;", size: 11, align: .left, after: 0)
            + W.text("- Các đơn vị trong khối;", size: 11, align: .left, after: 0)
            + W.text("- Lưu: VT.", size: 11, align: .left, after: 0)
        let signature = W.text("TM. KHỐI THI ĐUA", bold: true, size: 14, align: .center, after: 0)
            + W.text("ĐƠN VỊ TRƯỞNG KHỐI", bold: true, size: 14, align: .center, after: 0)
            + W.text(upper(leaderUnit ?? ""), bold: true, size: 13, align: .center, after: 60)
        body += W.table(widths: [4500, 4855], rows: [[recipients, signature]], borders: false)
        return try W.document(body: body, title: "Báo cáo kết quả chấm điểm \(roundName) – \(blocName)")
    }
}
