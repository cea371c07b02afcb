import Foundation
import Testing
import ThiDuaCore

/// Reading an import file's sheets: headers found, values checked, units and people resolved, every planted error
/// reported by sheet, row and column, duplicates and scope refused.
private func t(_ s: String) -> ImportCell { .text(s) }

@Suite("Import planner")
struct ImportPlannerTests {
    static let police = UUID(), court = UUID(), an = UUID()
    static func context(editable: Set<UUID>? = nil) throws -> ImportContext {
        ImportContext(catalogue: try Catalogue.builtIn(), today: Day(2026, 12, 2),
                      units: [.init(id: police, officialName: "Công an tỉnh Nghệ An", shortName: "Công an tỉnh", kind: .armedForces, sector: "Bộ Công an"),
                              .init(id: court, officialName: "Tòa án nhân dân tỉnh Nghệ An", shortName: nil, kind: .judicial, sector: nil)],
                      people: [.init(id: an, unitID: police, fullName: "Nguyễn Văn An", gender: .male, birthYear: 1980, position: nil)],
                      editableUnits: editable)
    }

    static func table(_ name: String, _ rows: [[ImportCell]], title: Bool = true, formulas: Set<String> = []) -> ImportTable {
        var out: [Int: [ImportCell]] = [:]
        var n = 1
        if title { out[1] = [.text("MẪU NHẬP – \(name.uppercased())")]; n = 2 }
        for r in rows { out[n] = r; n += 1 }
        return ImportTable(name: name, rows: out, formulas: formulas)
    }

    @Test("A whole file: new and existing units, people, and their facts, in any column order, with the example row skipped")
    func wholeFile() throws {
        let tables = [
            Self.table("Đơn vị", [[t("Tên đơn vị"), t("Loại đơn vị"), t("Ngành")],
                                  [t("Công an tỉnh Nghệ An"), t("Lực lượng vũ trang"), t("Bộ Công an")],
                                  [t("  Sở   Tư pháp tỉnh Nghệ An "), t("dân sự"), t("Bộ Tư pháp")]]),
            Self.table("Cá nhân", [[t("Họ và tên"), t("Đơn vị"), t("Năm sinh"), t("Giới tính")],
                                   [t("Nguyễn Văn An"), t("Công an tỉnh Nghệ An"), .number(1980), t("Nam")],
                                   [t("Lê Thị Hoa"), t("so tu phap tinh nghe an"), t("1985"), t("nữ")]]),
            Self.table("Khen thưởng", [[t("Đơn vị"), t("Họ và tên"), t("Năm sinh"), t("Danh hiệu, hình thức"), t("Năm thành tích"), t("Số quyết định"), t("Ngày quyết định")],
                                       [t("Ví dụ: Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("Lao động tiên tiến"), t("2023"), t("125/QĐ-CAT"), t("15/01/2024")],
                                       [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("Lao động tiên tiến"), t("2023"), t("125/QĐ-CAT"), t("15/01/2024")],
                                       [t("Công an tỉnh"), t("Nguyễn Văn An"), .empty, t("cstdcs"), .number(2023), .empty, .date(45_306)],
                                       [t("Sở Tư pháp tỉnh Nghệ An"), .empty, .empty, t("Tập thể lao động tiên tiến"), t("2023"), .empty, t("2024-01-20")],
                                       [t("Sở Tư pháp tỉnh Nghệ An"), t("Lê Thị Hoa"), .empty, t("LDTT"), t("2023"), .empty, .empty]]),
            Self.table("Xếp loại", [[t("Đơn vị"), t("Họ và tên"), t("Năm sinh"), t("Năm"), t("Xếp loại")],
                                    [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("2023"), t("Hoàn thành tốt nhiệm vụ")],
                                    [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("2022"), t("htxsnv")]]),
            Self.table("Sáng kiến", [[t("Đơn vị"), t("Họ và tên"), t("Năm sinh"), t("Tên sáng kiến"), t("Năm"), t("Phạm vi")],
                                     [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("Quy trình tiếp nhận tin báo trực tuyến"), t("2023"), t("cấp cơ sở")],
                                     [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("Phần mềm quản lý hồ sơ"), t("2022"), t("tỉnh")]]),
            Self.table("Kỷ luật", [[t("Đơn vị"), t("Họ và tên"), t("Năm sinh"), t("Hình thức kỷ luật"), t("Từ ngày"), t("Đến ngày")],
                                   [t("Tòa án nhân dân tỉnh Nghệ An"), .empty, .empty, t("Khiển trách"), t("1/3/2022"), t("28.02.2023")]]),
            Self.table("Mã hợp lệ", [[t("Mã"), t("Tên")], [t("LDTT"), t("Lao động tiên tiến")]]),
        ]
        let plan = ImportPlanner(try Self.context()).plan(tables)
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        #expect(plan.newUnits.map(\.officialName) == ["Sở Tư pháp tỉnh Nghệ An"] && plan.newUnits[0].kind == .civil, "NFC, trimmed, spaces folded")
        #expect(plan.unitUpdates.map(\.id) == [Self.police])
        #expect(plan.people.count == 2 && plan.people[0].existing == Self.an && plan.people[1].existing == nil && plan.people[1].gender == .female)
        #expect(plan.awards.map(\.kind) == ["LDTT", "CSTDCS", "TTLDTT", "LDTT"])
        #expect(plan.awards[0].subject == .person(Self.an) && plan.awards[2].subject == .unit(.new("so tu phap tinh nghe an")) && plan.awards[3].subject == .newPerson(1))
        #expect(plan.awards[0].date == Day(2024, 1, 15) && plan.awards[1].date == Day(2024, 1, 15) && plan.awards[2].date == Day(2024, 1, 20), "text, serial and ISO dates")
        #expect(plan.ratings.map(\.rating) == [.HTTNV, .HTXSNV] && plan.initiatives.map(\.scope) == [.grassroots, .province])
        #expect(plan.disciplines.first?.from == Day(2022, 3, 1) && plan.disciplines.first?.to == Day(2023, 2, 28) && plan.disciplines.first?.subject == .unit(.existing(Self.court)))
        #expect(plan.rowsRead[.awards] == 4 && plan.notes.contains { $0.sheet == "Khen thưởng" && $0.row == 3 && $0.reason.contains("Dòng ví dụ") })
    }

    @Test("Every planted error is reported with its sheet, row and column; nothing else is")
    func plantedErrors() throws {
        let header = [t("Đơn vị"), t("Họ và tên"), t("Năm sinh"), t("Danh hiệu, hình thức"), t("Năm thành tích"), t("Ngày quyết định")]
        let rows: [[ImportCell]] = [
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("LDTT"), t("2023"), t("15/01/2024")],   // 3: fine
            [t("Sở Không Có"), t("Nguyễn Văn An"), .empty, t("LDTT"), t("2023"), .empty],                         // 4: unknown unit
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("HUÂN CHƯƠNG VŨ TRỤ"), t("2022"), .empty], // 5: unknown award
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("CSTT"), t("2021"), t("31/02/2022")],    // 6: no such date
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("CSTT"), t("2020"), t("March 3rd 2021")], // 7: odd date
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("CSTT"), t("2030"), .empty],             // 8: future year
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("LDTT"), t("2023"), .empty],             // 9: duplicate of 3
            [t("Công an tỉnh Nghệ An"), t("Trần Văn Không"), .empty, t("LDTT"), t("2023"), .empty],               // 10: unknown person
            [t("Công an tỉnh Nghệ An"), .empty, .empty, t("Chiến sĩ thi đua cơ sở"), t("2023"), .empty],           // 11: individual award for a unit
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("CSTT"), t("2019"), .number(0)],        // 12: formula
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1980"), t("CSTT"), t("2018"), t("01/01/2030")],    // 13: future date
        ]
        let awards = Self.table("Khen thưởng", [header] + rows, formulas: ["F12"])
        let people = Self.table("Cá nhân", [[t("Đơn vị"), t("Năm sinh")], [t("Công an tỉnh Nghệ An"), t("1990")]]) // missing Họ và tên
        let plan = ImportPlanner(try Self.context()).plan([people, awards])
        let found = Set(plan.problems.map { "\($0.sheet)|\($0.row.map(String.init) ?? "-")|\($0.column?.prefix(1) ?? "-")" })
        let expected: Set<String> = ["Cá nhân|2|-", "Khen thưởng|4|A", "Khen thưởng|5|D", "Khen thưởng|6|F", "Khen thưởng|7|F", "Khen thưởng|8|E",
                                     "Khen thưởng|9|-", "Khen thưởng|10|B", "Khen thưởng|11|D", "Khen thưởng|12|F", "Khen thưởng|13|F"]
        #expect(found == expected, "\(plan.problems.map(\.description).joined(separator: "\n"))")
        #expect(plan.problems.first { $0.row == 9 }?.reason.contains("trùng với dòng 3") == true)
        #expect(plan.problems.first { $0.row == 12 }?.reason.contains("công thức") == true)
        #expect(plan.problems.first { $0.row == 7 }?.reason.contains("dd/MM/yyyy") == true)
        #expect(plan.problems.first { $0.row == 2 }?.reason.contains("Họ và tên") == true)
    }

    @Test("Namesakes: a birth year picks the person; without one, two of the same name are refused; scope of a unit officer")
    func namesakesAndScope() throws {
        var ctx = try Self.context()
        let an2 = UUID()
        ctx.people.append(.init(id: an2, unitID: Self.police, fullName: "Nguyễn Văn An", gender: .male, birthYear: 1992, position: nil))
        let rows: [[ImportCell]] = [[t("Đơn vị"), t("Họ và tên"), t("Năm sinh"), t("Năm"), t("Xếp loại")],
                                    [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), t("1992"), t("2023"), t("HTTNV")],
                                    [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), .empty, t("2022"), t("HTTNV")],
                                    [t("Tòa án nhân dân tỉnh Nghệ An"), .empty, .empty, t("2023"), t("HTTNV")]]
        let plan = ImportPlanner(ctx).plan([Self.table("Xếp loại", rows)])
        #expect(plan.ratings.first?.subject == .person(an2))
        #expect(plan.problems.map(\.row) == [4] && plan.problems[0].reason.contains("2 người tên"))
        ctx.editableUnits = [Self.police]
        let officer = ImportPlanner(ctx).plan([Self.table("Xếp loại", rows),
                                               Self.table("Đơn vị", [[t("Tên đơn vị")], [t("Sở Mới tỉnh Nghệ An")]])])
        #expect(officer.problems.contains { $0.row == 5 && $0.reason.contains("không được sửa") })
        #expect(officer.problems.contains { $0.sheet == "Đơn vị" && $0.reason.contains("chỉ Ban Thi đua") })
    }

    @Test("An award's achievement period: read from “Thành tích từ năm”, refused after the award's year, optional")
    func awardPeriod() throws {
        let header = [t("Đơn vị"), t("Họ và tên"), t("Năm sinh"), t("Danh hiệu, hình thức"), t("Năm thành tích"), t("Thành tích từ năm")]
        let plan = ImportPlanner(try Self.context()).plan([Self.table("Khen thưởng", [header,
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), .number(1980), t("Bằng khen của Chủ tịch UBND tỉnh (bộ, ngành)"), .number(2023), .number(2022)],
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), .number(1980), t("LDTT"), .number(2023), .number(2024)],
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), .number(1980), t("CSTDCS"), .number(2023), .empty]])])
        #expect(plan.problems.count == 1, "\(plan.problems.map(\.description))")
        #expect(plan.problems.first?.row == 4 && plan.problems.first?.column?.hasPrefix("F") == true && plan.problems.first?.reason.contains("năm thành tích 2023") == true)
        let bk = ImportPlanner(try Self.context()).plan([Self.table("Khen thưởng", [header,
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), .number(1980), t("BK_TINH"), .number(2023), .number(2022)],
            [t("Công an tỉnh Nghệ An"), t("Nguyễn Văn An"), .number(1980), t("CSTDCS"), .number(2023), .empty]])])
        #expect(bk.problems.isEmpty && bk.awards.map(\.periodFrom) == [2022, nil])
    }

    @Test("A person's start of service: read as a date, a future or impossible one refused with the cell")
    func serviceStart() throws {
        let header = [t("Đơn vị"), t("Họ và tên"), t("Ngày bắt đầu công tác")]
        let plan = ImportPlanner(try Self.context()).plan([Self.table("Cá nhân", [header,
            [t("Công an tỉnh Nghệ An"), t("Trần Văn Mới"), t("01/03/2018")],
            [t("Công an tỉnh Nghệ An"), t("Lê Văn Hai"), t("31/02/2018")],
            [t("Công an tỉnh Nghệ An"), t("Lê Văn Ba"), t("01/01/2099")],
            [t("Công an tỉnh Nghệ An"), t("Lê Văn Bốn"), .empty]])])
        #expect(plan.problems.count == 2, "\(plan.problems.map(\.description))")
        #expect(plan.problems.allSatisfy { $0.column?.hasPrefix("C") == true } && plan.problems.map(\.row) == [4, 5], "\(plan.problems.map(\.description))")
        #expect(plan.people.map(\.serviceStart) == [Day(2018, 3, 1), nil])
        // The export writes it back in the same column, so that an export imported again changes nothing.
        let row = RegisterExport.PersonRow(id: UUID(), unitID: UUID(), fullName: "A", gender: nil, birthYear: nil, position: nil, serviceStart: Day(2018, 3, 1))
        let u = RegisterExport.UnitRow(id: row.unitID, officialName: "Công an tỉnh Nghệ An", shortName: nil, kind: .armedForces, sector: nil)
        let people = try #require(RegisterExport.sheets(units: [u], people: [row], facts: [:]).first { $0.0 == .people })
        let col = try #require(people.1.firstIndex(of: "Ngày bắt đầu công tác"))
        #expect(people.2.first?[col] == .text("01/03/2018"))
    }

    @Test("Dates: Excel serials (with its 29/02/1900), text forms, and refusals")
    func dates() {
        #expect(ImportValues.fromSerial(1) == Day(1900, 1, 1) && ImportValues.fromSerial(59) == Day(1900, 2, 28) && ImportValues.fromSerial(60) == nil)
        #expect(ImportValues.fromSerial(61) == Day(1900, 3, 1) && ImportValues.fromSerial(45_306) == Day(2024, 1, 15) && ImportValues.fromSerial(45_306.75) == Day(2024, 1, 15))
        #expect(ImportValues.fromSerial(0) == nil && ImportValues.fromSerial(-3) == nil && ImportValues.fromSerial(.infinity) == nil && ImportValues.fromSerial(1e12) == nil)
        for (text, day) in [("15/01/2024", Day(2024, 1, 15)), ("5/1/2024", Day(2024, 1, 5)), ("15-01-2024", Day(2024, 1, 15)), ("15.01.2024", Day(2024, 1, 15)),
                            ("2024-01-15", Day(2024, 1, 15)), ("2024-01-15T00:00:00", Day(2024, 1, 15))] {
            guard case .value(let d) = ImportValues.day(.text(text), label: "Ngày") else { Issue.record("\(text)"); continue }
            #expect(d == day, "\(text)")
        }
        for bad in ["31/02/2024", "15/13/2024", "2024/01/15", "15/01/24", "Jan 15, 2024", "15/01/2024 abc", "1/1/1/2024"] {
            guard case .problem = ImportValues.day(.text(bad), label: "Ngày") else { Issue.record("accepted \(bad)"); continue }
        }
    }
}
