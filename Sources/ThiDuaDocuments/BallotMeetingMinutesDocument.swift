import Foundation
import ThiDuaCore

/// The minutes of a ballot session's meeting (biên bản họp) in the Decree 30/2020 layout: the body's header and the
/// national motto, the date line, "BIÊN BẢN" and the meeting, who was present and absent, who chaired, and for each
/// question put to the vote its rule and article, the counts and the outcome, then the chair's and the secretary's
/// signature blocks. Each question's own count is in its vote-count minutes (`BallotMinutesDocument`).
public struct BallotMeetingMinutesDocument: Sendable {
    public struct Item: Sendable {
        public var question: Question
        public var result: QuestionResult?
        public var referral: String?
        public init(question: Question, result: QuestionResult?, referral: String?) { self.question = question; self.result = result; self.referral = referral }
    }

    public var parentAgency: String
    public var bodyName: String
    public var place: String
    public var date: Day?
    public var sessionTitle: String
    public var present: [String]
    public var absent: [String]
    /// "Đơn vị trưởng khối: …", "Ban Thi đua – Khen thưởng tỉnh".
    public var chair: String
    public var items: [Item]
    public var recordLine: String
    public var isDemo: Bool

    public init(parentAgency: String, bodyName: String, place: String, date: Day?, sessionTitle: String, present: [String], absent: [String],
                chair: String, items: [Item], recordLine: String, isDemo: Bool) {
        self.parentAgency = parentAgency; self.bodyName = bodyName; self.place = place; self.date = date; self.sessionTitle = sessionTitle
        self.present = present; self.absent = absent; self.chair = chair; self.items = items; self.recordLine = recordLine; self.isDemo = isDemo
    }

    public func docx() throws -> Data {
        typealias W = WordML
        var body = W.officialHeader(parentAgency: parentAgency, issuer: bodyName, place: place, date: date, isDemo: isDemo)
        body += W.documentTitle("BIÊN BẢN", sessionTitle)
        body += W.text("I. THÀNH PHẦN", bold: true, size: 14, after: 6, keepNext: true)
        body += W.text("Chủ trì: \(chair).", size: 14, firstLine: 720)
        body += W.text("Có mặt \(present.count)/\(present.count + absent.count): " + (present.isEmpty ? "không có." : present.joined(separator: "; ") + "."), size: 14, firstLine: 720)
        if !absent.isEmpty { body += W.text("Vắng mặt \(absent.count): " + absent.joined(separator: "; ") + ".", size: 14, firstLine: 720) }
        body += W.text("II. NỘI DUNG BIỂU QUYẾT", bold: true, size: 14, after: 6, keepNext: true)
        for (i, item) in items.enumerated() {
            let q = item.question
            body += W.text("\(i + 1). \(q.title)" + (q.round > 1 ? " (bỏ phiếu lần \(q.round))" : ""), bold: true, size: 14, firstLine: 720, keepNext: true)
            body += W.text("Hình thức: \(q.secret ? "bỏ phiếu kín" : "biểu quyết công khai"), \(q.form.label.lowercased(with: Locale(identifier: "vi_VN"))). Điều kiện: \(q.rule.text) (\(q.rule.cites)).",
                           size: 14, firstLine: 720)
            guard let r = item.result else {
                body += W.text("Chưa biểu quyết.", italic: true, size: 14, firstLine: 720)
                continue
            }
            if q.secret {
                body += W.text("Phiếu phát ra \(r.counts.issued), thu về \(r.counts.received), hợp lệ \(r.counts.valid), không hợp lệ \(r.counts.invalid); ý kiến bằng văn bản \(r.counts.written).",
                               size: 14, firstLine: 720)
            }
            for c in r.candidates { body += W.text("– \(c.name): \(c.arithmetic).", size: 14, firstLine: 720) }
            let names = r.elected.compactMap { id in r.candidates.first { $0.id == id }?.name }
            switch r.outcome {
            case .decided: body += W.text(names.isEmpty ? "Kết quả: không ứng viên nào đạt." : "Kết quả: \(names.joined(separator: "; ")).", bold: true, size: 14, firstLine: 720)
            case .tie(_, let seats): body += W.text("Kết quả: bằng phiếu cho \(seats) suất còn lại; bỏ phiếu lần 2.", bold: true, size: 14, firstLine: 720)
            case .referral: body += W.text("Kết quả: vẫn bằng phiếu sau lần 2; chuyển người có thẩm quyền quyết định" + (item.referral.map { ": \($0)." } ?? "."), bold: true, size: 14, firstLine: 720)
            }
        }
        body += W.text(recordLine + ". Biên bản được lập từ dữ liệu lưu trữ trên hệ thống ThiDua./.", italic: true, size: 13, firstLine: 720, after: 12)
        let secretary = W.text("THƯ KÝ", bold: true, size: 13, align: .center, after: 60)
        let chairBlock = W.text("CHỦ TRÌ", bold: true, size: 13, align: .center, after: 60)
        body += W.table(widths: [4677, 4678], rows: [[secretary, chairBlock]], borders: false)
        return try W.document(body: body, title: "Biên bản – \(sessionTitle)")
    }
}
