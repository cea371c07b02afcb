import Foundation

/// The sheets an import file may hold, each with its Vietnamese headers (the template's, matched diacritic- and
/// case-insensitively, in any order), which are required, and an example row.
public enum ImportSheetKind: String, CaseIterable, Sendable, Codable {
    case units, people, ratings, awards, initiatives, disciplines

    public var title: String {
        switch self {
        case .units: "Đơn vị"
        case .people: "Cá nhân"
        case .ratings: "Xếp loại"
        case .awards: "Khen thưởng"
        case .initiatives: "Sáng kiến"
        case .disciplines: "Kỷ luật"
        }
    }

    public var columns: [ImportColumn] {
        let subject: [ImportColumn] = [
            .init(.unit, "Đơn vị", required: true, example: "Công an tỉnh Nghệ An", note: "tên chính thức, như trong danh sách đơn vị"),
            .init(.fullName, "Họ và tên", example: "Nguyễn Văn An", note: "để trống khi là của tập thể (đơn vị)"),
            .init(.birthYear, "Năm sinh", example: "1980", note: "phân biệt người trùng tên trong đơn vị"),
        ]
        switch self {
        case .units:
            return [.init(.officialName, "Tên đơn vị", required: true, example: "Công an tỉnh Nghệ An"),
                    .init(.shortName, "Tên viết tắt", example: "Công an tỉnh"),
                    .init(.unitKind, "Loại đơn vị", example: "Lực lượng vũ trang", note: "Dân sự, Lực lượng vũ trang, Tư pháp, Khác"),
                    .init(.sector, "Ngành", example: "Bộ Công an")]
        case .people:
            return [.init(.unit, "Đơn vị", required: true, example: "Công an tỉnh Nghệ An"),
                    .init(.fullName, "Họ và tên", required: true, example: "Nguyễn Văn An"),
                    .init(.gender, "Giới tính", example: "Nam", note: "Nam hoặc Nữ"),
                    .init(.birthYear, "Năm sinh", example: "1980"),
                    .init(.position, "Chức vụ", example: "Phó Trưởng phòng"),
                    .init(.serviceStart, "Ngày bắt đầu công tác", example: "01/09/2005",
                          note: "dd/MM/yyyy; người mới tuyển dụng trong năm không được xét LĐTT/CSTT nếu chưa đủ thời gian")]
        case .ratings:
            return subject + [.init(.year, "Năm", required: true, example: "2023"),
                              .init(.rating, "Xếp loại", required: true, example: "Hoàn thành tốt nhiệm vụ", note: "HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ")]
        case .awards:
            return subject + [.init(.award, "Danh hiệu, hình thức", required: true, example: "Lao động tiên tiến", note: "mã hoặc tên trong danh mục (trang Mã hợp lệ)"),
                              .init(.year, "Năm thành tích", required: true, example: "2023"),
                              .init(.periodFrom, "Thành tích từ năm", example: "2022",
                                    note: "năm đầu của thời gian lập thành tích ghi trong quyết định (lần khen sau tính từ sau đó); để trống nếu quyết định không ghi"),
                              .init(.awardType, "Loại khen thưởng", example: "theo công trạng và thành tích", note: "để trống: theo công trạng và thành tích"),
                              .init(.decision, "Số quyết định", example: "125/QĐ-CAT"),
                              .init(.date, "Ngày quyết định", example: "15/01/2024", note: "dd/MM/yyyy"),
                              .init(.issuer, "Cấp quyết định", example: "Giám đốc Công an tỉnh")]
        case .initiatives:
            return subject + [.init(.title, "Tên sáng kiến", required: true, example: "Quy trình tiếp nhận tin báo trực tuyến"),
                              .init(.year, "Năm", required: true, example: "2023"),
                              .init(.scope, "Phạm vi", required: true, example: "cấp cơ sở", note: "cấp cơ sở, cấp tỉnh, toàn quốc"),
                              .init(.recognisedBy, "Cơ quan công nhận", example: "Hội đồng sáng kiến đơn vị"),
                              .init(.date, "Ngày công nhận", example: "20/12/2023")]
        case .disciplines:
            return subject + [.init(.detail, "Hình thức kỷ luật", required: true, example: "Khiển trách"),
                              .init(.from, "Từ ngày", required: true, example: "01/03/2022"),
                              .init(.to, "Đến ngày", example: "28/02/2023")]
        }
    }

    /// The sheet kind a sheet name means ("Khen thuong", "KHEN THƯỞNG" …), if any.
    public static func named(_ name: String) -> ImportSheetKind? {
        let key = VietnameseText.searchKey(name)
        return allCases.first { VietnameseText.searchKey($0.title) == key || $0.rawValue == key }
    }
}

public enum ImportField: String, Sendable, Codable {
    case officialName, shortName, unitKind, sector
    case unit, fullName, gender, birthYear, position, serviceStart
    case year, rating, award, awardType, decision, date, issuer, periodFrom
    case title, scope, recognisedBy
    case detail, from, to
}

public struct ImportColumn: Sendable {
    public var field: ImportField
    public var header: String
    public var required: Bool
    public var example: String
    public var note: String?

    public init(_ field: ImportField, _ header: String, required: Bool = false, example: String, note: String? = nil) {
        self.field = field; self.header = header; self.required = required; self.example = example; self.note = note
    }
}
