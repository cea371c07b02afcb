import Foundation
import ThiDuaCore

/// The vote-count minutes (biên bản kiểm phiếu) of one question in the Decree 30/2020 layout: the body's header block
/// and the national motto, the date line, "BIÊN BẢN" and its gist, the vote-count committee, the counts (members,
/// present, absent with written opinions, ballots issued, received, valid and invalid), per candidate the votes for
/// and against and the share of all members, the rule and its article, who was chosen (or the tie, or the
/// referral), and the committee's signatures. There is no national form for these minutes (DOCUMENT-FORMAT.md
/// §2.6); the content follows what the council rules ask them to show.
public struct BallotMinutesDocument: Sendable {
    /// "UBND TỈNH NGHỆ AN".
    public var parentAgency: String
    /// The bloc's name, or "Hội đồng Thi đua – Khen thưởng tỉnh".
    public var bodyName: String
    public var place: String
    public var date: Day?
    public var sessionTitle: String
    public var question: Question
    public var result: QuestionResult
    public var members: Int
    public var present: Int
    public var committee: [String]
    public var committeeNote: String?
    public var referral: String?
    /// "Nhật ký phiên: 22 sự kiện, đầu chuỗi 9341-08AE" (so that the minutes can be checked against the record).
    public var recordLine: String
    public var isDemo: Bool

    public init(parentAgency: String, bodyName: String, place: String, date: Day?, sessionTitle: String, question: Question, result: QuestionResult,
                members: Int, present: Int, committee: [String], committeeNote: String?, referral: String?, recordLine: String, isDemo: Bool) {
        self.parentAgency = parentAgency; self.bodyName = bodyName; self.place = place; self.date = date; self.sessionTitle = sessionTitle
        self.question = question; self.result = result; self.members = members; self.present = present; self.committee = committee; self.committeeNote = committeeNote; self.referral = referral
        self.recordLine = recordLine; self.isDemo = isDemo
    }

    public func docx() throws -> Data {
        typealias W = WordML
        var body = W.officialHeader(parentAgency: parentAgency, issuer: bodyName, place: place, date: date, isDemo: isDemo)
        body += W.documentTitle("BIÊN BẢN KIỂM PHIẾU", question.title + (question.round > 1 ? " (bỏ phiếu lần \(question.round))" : ""))
        body += W.text("Tại \(sessionTitle), \(question.secret ? "bỏ phiếu kín" : "biểu quyết công khai (giơ tay)"); hình thức: \(question.form.label.lowercased(with: Locale(identifier: "vi_VN"))).",
                       size: 14, firstLine: 720)
        if question.secret {
            body += W.text("Ban kiểm phiếu gồm: " + (committee.isEmpty ? "…" : committee.joined(separator: "; ")) + ".", size: 14, firstLine: 720)
        }
        body += W.text("I. SỐ THÀNH VIÊN VÀ SỐ PHIẾU", bold: true, size: 14, after: 6, keepNext: true)
        let c = result.counts
        let absent = max(0, members - present)
        let lines = question.secret
            ? ["Số phiếu phát ra: \(c.issued); số phiếu thu về: \(c.received); số phiếu hợp lệ: \(c.valid); số phiếu không hợp lệ: \(c.invalid)"
                + (c.paper > 0 ? " (trong đó \(c.paper) phiếu giấy do Ban kiểm phiếu nhập)" : "") + ".",
               "Số ý kiến bằng văn bản của thành viên vắng mặt: \(c.written)."]
            : ["Số thành viên có mặt biểu quyết: \(c.issued == 0 ? "theo kết quả người chủ trì ghi" : String(c.issued))."]
        body += W.text("Tổng số thành viên: \(members); có mặt: \(present); vắng mặt: \(absent).", size: 14, firstLine: 720)
        for l in lines { body += W.text(l, size: 14, firstLine: 720) }
        if absent > 0, question.secret, c.written < absent {
            body += W.text("Số thành viên vắng mặt không có ý kiến: \(absent - c.written).", size: 14, firstLine: 720)
        }
        if let note = committeeNote { body += W.text("Ghi chú của Ban kiểm phiếu: \(note)", italic: true, size: 14, firstLine: 720) }
        body += W.text("II. KẾT QUẢ", bold: true, size: 14, after: 6, keepNext: true)
        body += W.text("Điều kiện trúng: \(question.rule.text) (\(question.rule.cites); \(question.rule.confidence.label)).", size: 14, firstLine: 720)
        func cell(_ s: String, bold: Bool = false, align: W.Align = .left) -> String {
            W.paragraph([W.Run(s, bold: bold, size: 12)], align: align, after: 0)
        }
        var table: [[String]] = [["TT", "Ứng viên", "Đồng ý", "Không đồng ý", "Ý kiến văn bản đồng ý", "Tỷ lệ / tổng số thành viên", "Kết quả"].map { cell($0, bold: true, align: .center) }]
        for (i, r) in result.candidates.enumerated() {
            table.append([cell(String(i + 1), align: .center), cell(r.name), cell(String(r.yes), align: .center), cell(String(r.no), align: .center),
                          cell(String(r.writtenYes), align: .center), cell(r.shareOfMembers, align: .center),
                          cell(r.elected ? "Trúng" : r.passed ? "Đạt, không trúng" : "Không đạt", bold: r.elected, align: .center)])
        }
        body += W.table(widths: [600, 2800, 900, 1100, 1300, 1400, 1255], rows: table, borders: true, headerRows: 1, cantSplit: true)
        body += W.text("", after: 6)
        for r in result.candidates { body += W.text("\(r.name): \(r.arithmetic).", size: 13, firstLine: 720) }
        func names(_ ids: [String]) -> String { ids.compactMap { id in result.candidates.first { $0.id == id }?.name }.joined(separator: "; ") }
        let chosen = result.elected.isEmpty ? "Không ứng viên nào trúng." : "Trúng: \(names(result.elected))."
        switch result.outcome {
        case .decided: body += W.text(chosen, bold: true, size: 14, firstLine: 720)
        case .tie(let tied, let seats):
            if !result.elected.isEmpty { body += W.text(chosen, bold: true, size: 14, firstLine: 720) }
            body += W.text("Bằng phiếu cho \(seats) suất còn lại: \(names(tied)). Không phân định được: bỏ phiếu lần 2 giữa các ứng viên này; kết quả ghi ở biên bản của lần bỏ phiếu đó.", size: 14, firstLine: 720)
        case .referral(let tied, let seats):
            if !result.elected.isEmpty { body += W.text(chosen, bold: true, size: 14, firstLine: 720) }
            body += W.text("Sau lần bỏ phiếu thứ 2 vẫn bằng phiếu cho \(seats) suất: \(names(tied)). Chuyển người có thẩm quyền quyết định" + (referral.map { ": \($0)." } ?? "."), size: 14, firstLine: 720)
        }
        body += W.text(recordLine + ". Biên bản được lập từ dữ liệu lưu trữ trên hệ thống ThiDua; kết quả kiểm lại được bằng lệnh thidua ballots verify./.",
                       italic: true, size: 13, firstLine: 720, after: 12)
        let members = committee.isEmpty ? ["", ""] : committee
        let signatures = members.map { name in
            W.text("THÀNH VIÊN BAN KIỂM PHIẾU", bold: true, size: 12, align: .center, after: 40) + W.text(name, bold: true, size: 13, align: .center, after: 0)
        }
        var rows: [[String]] = []
        var i = 0
        while i < signatures.count {
            rows.append([signatures[i], i + 1 < signatures.count ? signatures[i + 1] : ""])
            i += 2
        }
        body += W.table(widths: [4677, 4678], rows: rows, borders: false)
        return try W.document(body: body, title: "Biên bản kiểm phiếu – \(question.title)")
    }
}
