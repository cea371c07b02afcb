import Foundation
import ThiDuaCore

/// The import template (`/import/template.xlsx`): a guide, one sheet per kind with the template's Vietnamese headers
/// and an example row (its first cell starts "Ví dụ:", so that an import skips it), and a sheet of valid codes.
public enum ImportTemplateDocument {
    public static func workbook(catalogue: Catalogue) throws -> Data {
        var sheets: [Sheet] = []
        var guide: [[SheetCell]] = [
            [.text("Mỗi trang một loại dữ liệu; giữ nguyên dòng tiêu đề (có thể đổi thứ tự cột, thêm dòng tên bảng phía trên)."), .text("")],
            [.text("Dòng “Ví dụ: …” được bỏ qua khi nhập; có thể xóa."), .text("")],
            [.text("Ngày ghi dd/MM/yyyy (ví dụ 15/01/2024) hoặc định dạng ngày của Excel; không dùng công thức (dán giá trị)."), .text("")],
            [.text("Đơn vị ghi đúng tên chính thức; người được nhận ra theo đơn vị, họ tên và năm sinh; để trống Họ và tên khi là của tập thể."), .text("")],
            [.text("Nhập lại cùng tệp không thay đổi gì; dòng đã có được cập nhật theo tệp, ô để trống giữ giá trị đã lưu."), .text("")],
            [.text("Tệp có lỗi thì không dòng nào được nhập: chạy thử trước để xem lỗi theo trang, dòng, cột."), .text("")],
            [.text(""), .text("")],
        ]
        for kind in ImportSheetKind.allCases {
            for c in kind.columns {
                guard c.required || c.note != nil else { continue }
                guide.append([.text("\(kind.title) – \(c.header)"), .text((c.required ? "bắt buộc" : "không bắt buộc") + (c.note.map { "; \($0)" } ?? ""))])
            }
        }
        sheets.append(Sheet(name: ImportPlanner.guideSheet, title: "HƯỚNG DẪN NHẬP DỮ LIỆU", header: ["Nội dung", "Ghi chú"], rows: guide, widths: [70, 60]))
        for kind in ImportSheetKind.allCases {
            let cols = kind.columns
            var example = cols.map { SheetCell.text($0.example) }
            if case .text(let first)? = example.first { example[0] = .text(ImportPlanner.examplePrefix + first) }
            sheets.append(Sheet(name: kind.title, title: "MẪU NHẬP – \(kind.title.uppercased())", header: cols.map(\.header), rows: [example],
                                widths: cols.map { max(14, min(40, Double($0.example.count) + 6)) }))
        }
        var codes: [[SheetCell]] = []
        for a in catalogue.awards.values.sorted(by: { $0.code < $1.code }) {
            codes.append([.text("Danh hiệu, hình thức"), .text(a.code), .text(a.name), .text(a.subjects.map(\.label).joined(separator: ", "))])
        }
        for r in TaskRating.allCases.reversed() { codes.append([.text("Xếp loại"), .text(r.rawValue), .text(r.label), .text("")]) }
        for t in AwardType.allCases { codes.append([.text("Loại khen thưởng"), .text(t.rawValue), .text(t.label), .text("")]) }
        for s in InitiativeScope.allCases { codes.append([.text("Phạm vi sáng kiến"), .text(s.rawValue), .text(s.label), .text("")]) }
        for k in UnitKind.allCases { codes.append([.text("Loại đơn vị"), .text(k.rawValue), .text(k.label), .text("")]) }
        codes.append([.text("Giới tính"), .text("male"), .text("Nam"), .text("")])
        codes.append([.text("Giới tính"), .text("female"), .text("Nữ"), .text("")])
        sheets.append(Sheet(name: ImportPlanner.codesSheet, title: "MÃ HỢP LỆ (ghi mã hoặc tên)", header: ["Loại", "Mã", "Tên", "Áp dụng cho"], rows: codes, widths: [22, 16, 50, 20]))
        return try XLSXWriter.workbook(sheets)
    }
}
