import Foundation

/// What an import is checked against: the catalogue, today, the units and people already in the register, and the
/// units the importer may change (nil: every unit, and new units; the office).
public struct ImportContext: Sendable {
    public struct Unit: Sendable { public var id: UUID; public var officialName: String; public var shortName: String?; public var kind: UnitKind; public var sector: String?
        public init(id: UUID, officialName: String, shortName: String?, kind: UnitKind, sector: String?) {
            self.id = id; self.officialName = officialName; self.shortName = shortName; self.kind = kind; self.sector = sector
        }
    }
    public struct Person: Sendable { public var id: UUID; public var unitID: UUID; public var fullName: String; public var gender: Gender?; public var birthYear: Int?; public var position: String?
        public var serviceStart: Day?
        public init(id: UUID, unitID: UUID, fullName: String, gender: Gender?, birthYear: Int?, position: String?, serviceStart: Day? = nil) {
            self.id = id; self.unitID = unitID; self.fullName = fullName; self.gender = gender; self.birthYear = birthYear; self.position = position
            self.serviceStart = serviceStart
        }
    }

    public var catalogue: Catalogue
    public var today: Day
    public var units: [Unit]
    public var people: [Person]
    public var editableUnits: Set<UUID>?

    public init(catalogue: Catalogue, today: Day, units: [Unit], people: [Person], editableUnits: Set<UUID>?) {
        self.catalogue = catalogue; self.today = today; self.units = units; self.people = people; self.editableUnits = editableUnits
    }

    /// The latest year a fact may have (this year), and the birth years a person may have (15 years old at least);
    /// never an empty range, whatever the clock says.
    var latestYear: Int { max(1945, today.year) }
    var birthYears: ClosedRange<Int> { 1930...max(1930, today.year - 15) }
}

/// A unit named by an import: one already in the register, or one the file's "Đơn vị" sheet adds (by its folded name).
public enum ImportUnitRef: Hashable, Sendable { case existing(UUID), new(String) }

/// Whose fact a row is: a unit, or a person (one in the register, or the n-th person the file adds).
public enum ImportSubjectRef: Hashable, Sendable {
    case unit(ImportUnitRef)
    case person(UUID)
    case newPerson(Int)
}

/// The rows of an import file, read and checked: every problem by sheet, row and column; notes that do not stop it.
public struct ImportPlan: Sendable {
    public struct Line: Sendable, Hashable { public var sheet: String; public var row: Int }
    public struct NewUnit: Sendable { public var line: Line; public var officialName: String; public var shortName: String?; public var kind: UnitKind; public var sector: String? }
    /// A unit of the file that is already in the register, with what the file says of it.
    public struct UnitUpdate: Sendable { public var line: Line; public var id: UUID; public var shortName: String?; public var kind: UnitKind; public var sector: String? }
    public struct PersonRow: Sendable { public var line: Line; public var existing: UUID?; public var unit: ImportUnitRef; public var fullName: String; public var gender: Gender?; public var birthYear: Int?; public var position: String?
        public var serviceStart: Day? = nil }
    public struct Rating: Sendable { public var line: Line; public var subject: ImportSubjectRef; public var year: Int; public var rating: TaskRating }
    public struct Award: Sendable { public var line: Line; public var subject: ImportSubjectRef; public var kind: String; public var year: Int; public var type: AwardType; public var decision: String?; public var date: Day?; public var issuer: String?; public var periodFrom: Int? = nil }
    public struct Initiative: Sendable { public var line: Line; public var subject: ImportSubjectRef; public var title: String; public var year: Int; public var scope: InitiativeScope; public var recognisedBy: String?; public var date: Day? }
    public struct Discipline: Sendable { public var line: Line; public var subject: ImportSubjectRef; public var detail: String; public var from: Day; public var to: Day? }

    public var problems: [ImportProblem] = []
    public var notes: [ImportProblem] = []
    /// Data rows read per sheet kind.
    public var rowsRead: [ImportSheetKind: Int] = [:]
    public var newUnits: [NewUnit] = []
    public var unitUpdates: [UnitUpdate] = []
    public var people: [PersonRow] = []
    public var ratings: [Rating] = []
    public var awards: [Award] = []
    public var initiatives: [Initiative] = []
    public var disciplines: [Discipline] = []

    public var isValid: Bool { problems.isEmpty }
}

/// Reads import tables into an `ImportPlan`: headers found by their names (the row of the first ten that names most
/// columns, so a title row or merged group headers above are fine), every value checked, units and people resolved
/// against the register and the file, duplicates within the file refused, scope checked. Pure.
public struct ImportPlanner {
    public let context: ImportContext
    public static let maxRows = 200_000

    /// Told every `progressEvery` rows (and at the end) how many rows of how many have been checked.
    let progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    static let progressEvery = 2_000

    public init(_ context: ImportContext, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) {
        self.context = context
        self.progress = progress
    }

    public func plan(_ tables: [ImportTable]) -> ImportPlan {
        var plan = ImportPlan()
        var located: [(ImportSheetKind, ImportTable, Int, [ImportField: Int])] = []
        for t in tables {
            guard let (kind, header, columns) = locate(t, &plan) else { continue }
            if located.contains(where: { $0.0 == kind }) {
                plan.problems.append(.init(sheet: t.name, reason: "Có hai trang “\(kind.title)”: gộp vào một trang.")); continue
            }
            located.append((kind, t, header, columns))
        }
        if located.isEmpty, plan.problems.isEmpty {
            plan.problems.append(.init(sheet: tables.first?.name ?? "tệp", reason: "Không thấy trang nào của mẫu nhập (Đơn vị, Cá nhân, Xếp loại, Khen thưởng, Sáng kiến, Kỷ luật) với dòng tiêu đề của mẫu."))
        }
        let total = located.map { $0.1.rows.count }.reduce(0, +)
        if total > Self.maxRows {
            plan.problems.append(.init(sheet: "tệp", reason: "Tệp có \(total) dòng, quá \(Self.maxRows) dòng một lần nhập: chia thành nhiều tệp."))
            return plan
        }
        var state = State(context)
        state.total = total
        // Units first, then people, then the facts that name them.
        for kind in ImportSheetKind.allCases {
            for (k, table, header, columns) in located where k == kind {
                read(kind, table, header: header, columns: columns, into: &plan, state: &state)
            }
        }
        progress?(state.total, state.total)
        return plan
    }

    // MARK: Sheets and headers

    func locate(_ t: ImportTable, _ plan: inout ImportPlan) -> (ImportSheetKind, Int, [ImportField: Int])? {
        let named = ImportSheetKind.named(t.name)
        var best: (ImportSheetKind, Int, [ImportField: Int], Int)?
        for kind in named.map({ [$0] }) ?? ImportSheetKind.allCases {
            let wanted = Dictionary(kind.columns.map { (VietnameseText.searchKey($0.header), $0.field) }, uniquingKeysWith: { a, _ in a })
            for row in (t.rows.keys.sorted().prefix(10)) {
                var found: [ImportField: Int] = [:]
                for (i, c) in (t.rows[row] ?? []).enumerated() {
                    if let text = ImportValues.text(c), let f = wanted[VietnameseText.searchKey(text)], found[f] == nil { found[f] = i }
                }
                let score = found.count
                if score > 0, score > (best?.3 ?? 0) || (score == best?.3 && best?.0 != kind && named != nil) { best = (kind, row, found, score) }
            }
        }
        guard let (kind, header, columns, _) = best, columns.count * 2 >= kind.columns.filter(\.required).count + 1 || named != nil else {
            if named != nil { plan.problems.append(.init(sheet: t.name, reason: "Không thấy dòng tiêu đề của mẫu (các cột như “\((named?.columns ?? []).prefix(3).map(\.header).joined(separator: "”, “"))”).")) }
            else if t.name != Self.codesSheet && t.name != Self.guideSheet { plan.notes.append(.init(sheet: t.name, reason: "Trang không theo mẫu nhập: bỏ qua.")) }
            return nil
        }
        let missing = kind.columns.filter { $0.required && columns[$0.field] == nil }
        if !missing.isEmpty {
            plan.problems.append(.init(sheet: t.name, row: header, reason: "Thiếu cột bắt buộc: \(missing.map(\.header).joined(separator: ", ")) (đúng tên như trong mẫu)."))
            return nil
        }
        if let r = t.rows[header] {
            let known = Set(columns.values)
            for (i, c) in r.enumerated() where !known.contains(i) {
                if let text = ImportValues.text(c) { plan.notes.append(.init(sheet: t.name, row: header, column: ImportTable.columnName(i), reason: "Cột “\(text)” không có trong mẫu: bỏ qua.")) }
            }
        }
        return (kind, header, columns)
    }

    public static let codesSheet = "Mã hợp lệ"
    /// What the template's example row starts with.
    public static let examplePrefix = "Ví dụ: "
    static let examplePrefixKey = VietnameseText.searchKey("Ví dụ:")
    public static let guideSheet = "Hướng dẫn"

    // MARK: Rows

    /// What the file has added so far, to resolve later sheets and find duplicates.
    struct State {
        var unitsByKey: [String: ImportUnitRef] = [:]
        var unitNames: [ImportUnitRef: String] = [:]
        var existingUnit: [UUID: ImportContext.Unit] = [:]
        /// Unit → folded name → people (existing id or new index) with their birth year.
        var people: [ImportUnitRef: [String: [(ImportSubjectRef, Int?)]]] = [:]
        var seen: [String: Int] = [:]
        var personUnits: [String: (ImportUnitRef, Int)] = [:]
        /// Rows of the located sheets, and how many have been looked at (for `progress`).
        var total = 0
        var looked = 0

        init(_ c: ImportContext) {
            for u in c.units {
                existingUnit[u.id] = u
                unitNames[.existing(u.id)] = u.officialName
                unitsByKey[VietnameseText.searchKey(u.officialName)] = .existing(u.id)
            }
            for u in c.units {
                if let s = u.shortName, unitsByKey[VietnameseText.searchKey(s)] == nil { unitsByKey[VietnameseText.searchKey(s)] = .existing(u.id) }
            }
            for p in c.people { people[.existing(p.unitID), default: [:]][VietnameseText.searchKey(p.fullName), default: []].append((.person(p.id), p.birthYear)) }
        }
    }

    struct Row {
        let sheet: String
        let number: Int
        let cells: [ImportCell]
        let columns: [ImportField: Int]
        let kind: ImportSheetKind
        var problems: [ImportProblem] = []

        func cell(_ f: ImportField) -> ImportCell { columns[f].map { $0 < cells.count ? cells[$0] : .empty } ?? .empty }
        func where_(_ f: ImportField) -> String? {
            guard let i = columns[f] else { return nil }
            return "\(ImportTable.columnName(i)) (\(kind.columns.first { $0.field == f }?.header ?? f.rawValue))"
        }
        mutating func fail(_ f: ImportField?, _ reason: String) { problems.append(.init(sheet: sheet, row: number, column: f.flatMap(where_), reason: reason)) }
        mutating func text(_ f: ImportField, required: Bool = false, max: Int = 300) -> String? {
            guard let t = ImportValues.text(cell(f)) else {
                if required { fail(f, "bắt buộc, đang để trống.") }
                return nil
            }
            if t.count > max { fail(f, "dài quá \(max) ký tự."); return nil }
            return t
        }
        mutating func int(_ f: ImportField, _ range: ClosedRange<Int>, required: Bool = false, label: String) -> Int? {
            switch ImportValues.integer(cell(f), in: range, label: label) {
            case .value(let v): return v
            case .empty: if required { fail(f, "bắt buộc, đang để trống.") }; return nil
            case .problem(let p): fail(f, p); return nil
            }
        }
        mutating func day(_ f: ImportField, required: Bool = false, notAfter: Day?, label: String) -> Day? {
            switch ImportValues.day(cell(f), label: label) {
            case .value(let d):
                if let notAfter, d > notAfter { fail(f, "\(label) \(d.vietnamese) ở tương lai."); return nil }
                return d
            case .empty: if required { fail(f, "bắt buộc, đang để trống.") }; return nil
            case .problem(let p): fail(f, p); return nil
            }
        }
        mutating func choice<T>(_ f: ImportField, _ options: [(names: [String], value: T)], label: String, required: Bool = false) -> T? {
            guard let t = text(f, required: required) else { return nil }
            switch ImportValues.choice(t, options, label: label) {
            case .value(let v): return v
            case .empty: return nil
            case .problem(let p): fail(f, p); return nil
            }
        }
    }

    func read(_ kind: ImportSheetKind, _ t: ImportTable, header: Int, columns: [ImportField: Int], into plan: inout ImportPlan, state: inout State) {
        let thisYear = context.latestYear
        for number in t.rows.keys.sorted() where number > header {
            state.looked += 1
            if state.looked % Self.progressEvery == 0 { progress?(state.looked, state.total) }
            let cells = t.rows[number] ?? []
            guard cells.contains(where: { !$0.isEmpty }) else { continue }
            var row = Row(sheet: t.name, number: number, cells: cells, columns: columns, kind: kind)
            // The template's example row (its first cell starts "Ví dụ:"), left in: skipped.
            if let first = cells.first(where: { !$0.isEmpty }).flatMap(ImportValues.text), VietnameseText.searchKey(first).hasPrefix(Self.examplePrefixKey) {
                plan.notes.append(.init(sheet: t.name, row: number, reason: "Dòng ví dụ của mẫu: bỏ qua."))
                continue
            }
            plan.rowsRead[kind, default: 0] += 1
            for (f, i) in columns where i < cells.count {
                let ref = ImportTable.columnName(i) + String(number)
                if t.formulas.contains(ref) { row.fail(f, "ô \(ref) là công thức: hãy dán giá trị (Paste Values) rồi nhập lại.") }
                if case .error(let e) = cells[i] { row.fail(f, "ô \(ref) báo lỗi \(e).") }
            }
            guard row.problems.isEmpty else { plan.problems += row.problems; continue }
            let line = ImportPlan.Line(sheet: t.name, row: number)
            switch kind {
            case .units: readUnit(&row, line, &plan, &state)
            case .people: readPerson(&row, line, &plan, &state)
            case .ratings:
                let subject = self.subject(&row, &state)
                let year = row.int(.year, 1945...thisYear, required: true, label: "Năm")
                let rating = row.choice(.rating, TaskRating.allCases.map { (names: [$0.rawValue, $0.label], value: $0) }, label: "Xếp loại", required: true)
                if row.problems.isEmpty, let subject, let year, let rating,
                   unique(&row, "rating|\(subject)|\(year)", "xếp loại năm \(year) của cùng đối tượng", &state) {
                    plan.ratings.append(.init(line: line, subject: subject, year: year, rating: rating))
                }
            case .awards:
                let subject = self.subject(&row, &state)
                let year = row.int(.year, 1945...thisYear, required: true, label: "Năm thành tích")
                let code = row.text(.award, required: true).flatMap { award($0, for: subject, &row) }
                let type = row.text(.awardType) == nil ? AwardType.merit
                    : row.choice(.awardType, AwardType.allCases.map { (names: [$0.label, $0.rawValue], value: $0) }, label: "Loại khen thưởng")
                let date = row.day(.date, notAfter: context.today, label: "Ngày quyết định")
                if let date, let year, date.year < year { row.fail(.date, "quyết định ký trước năm thành tích \(year).") }
                let decision = row.text(.decision, max: 80), issuer = row.text(.issuer, max: 160)
                let periodFrom = row.int(.periodFrom, 1945...thisYear, label: "Thành tích từ năm")
                if let periodFrom, let year, periodFrom > year || year - periodFrom >= 30 {
                    row.fail(.periodFrom, "phải từ năm \(year - 29) đến năm thành tích \(year).")
                }
                if row.problems.isEmpty, let subject, let year, let code, let type,
                   unique(&row, "award|\(subject)|\(code)|\(year)", "\(code) năm \(year) của cùng đối tượng", &state) {
                    plan.awards.append(.init(line: line, subject: subject, kind: code, year: year, type: type, decision: decision, date: date, issuer: issuer, periodFrom: periodFrom))
                }
            case .initiatives:
                let subject = self.subject(&row, &state)
                let title = row.text(.title, required: true)
                let year = row.int(.year, 1945...thisYear, required: true, label: "Năm")
                let scope = row.choice(.scope, Self.scopes, label: "Phạm vi", required: true)
                let by = row.text(.recognisedBy, max: 160)
                let date = row.day(.date, notAfter: context.today, label: "Ngày công nhận")
                if row.problems.isEmpty, let subject, let title, let year, let scope,
                   unique(&row, "initiative|\(subject)|\(VietnameseText.searchKey(title))|\(year)", "sáng kiến “\(title)” năm \(year)", &state) {
                    plan.initiatives.append(.init(line: line, subject: subject, title: title, year: year, scope: scope, recognisedBy: by, date: date))
                }
            case .disciplines:
                let subject = self.subject(&row, &state)
                let detail = row.text(.detail, required: true)
                let from = row.day(.from, required: true, notAfter: context.today, label: "Từ ngày")
                let to = row.day(.to, notAfter: nil, label: "Đến ngày")
                if let from, let to, to < from { row.fail(.to, "ngày kết thúc trước ngày bắt đầu.") }
                if row.problems.isEmpty, let subject, let detail, let from,
                   unique(&row, "discipline|\(subject)|\(from)", "kỷ luật từ ngày \(from.vietnamese) của cùng đối tượng", &state) {
                    plan.disciplines.append(.init(line: line, subject: subject, detail: detail, from: from, to: to))
                }
            }
            plan.problems += row.problems
        }
    }

    /// A row's key seen once; a second time is refused, naming the first row.
    func unique(_ row: inout Row, _ key: String, _ what: String, _ state: inout State) -> Bool {
        if let first = state.seen[key] { row.fail(nil, "trùng với dòng \(first) (\(what)): giữ một dòng."); return false }
        state.seen[key] = row.number
        return true
    }

    static let scopes: [(names: [String], value: InitiativeScope)] = [
        (names: [InitiativeScope.grassroots.label, "grassroots", "cơ sở"], value: .grassroots),
        (names: ["cấp tỉnh", InitiativeScope.province.label, "province", "tỉnh", "cấp bộ", "cấp ngành"], value: .province),
        (names: [InitiativeScope.national.label, "national", "toàn quốc", "cấp toàn quốc"], value: .national),
    ]

    func unitKindOptions() -> [(names: [String], value: UnitKind)] { UnitKind.allCases.map { (names: [$0.label, $0.rawValue], value: $0) } }

    func readUnit(_ row: inout Row, _ line: ImportPlan.Line, _ plan: inout ImportPlan, _ state: inout State) {
        let name = row.text(.officialName, required: true)
        let short = row.text(.shortName, max: 120)
        let kind = row.text(.unitKind) == nil ? UnitKind.other : row.choice(.unitKind, unitKindOptions(), label: "Loại đơn vị")
        let sector = row.text(.sector, max: 160)
        guard row.problems.isEmpty, let name, let kind else { return }
        let key = VietnameseText.searchKey(name)
        guard unique(&row, "unit|\(key)", "đơn vị “\(name)”", &state) else { return }
        if case .existing(let id)? = state.unitsByKey[key], state.existingUnit[id].map({ VietnameseText.searchKey($0.officialName) == key }) == true {
            guard context.editableUnits?.contains(id) ?? true else { row.fail(.officialName, "bạn không được sửa thông tin của đơn vị này."); return }
            plan.unitUpdates.append(.init(line: line, id: id, shortName: short, kind: kind, sector: sector))
            return
        }
        guard context.editableUnits == nil else { row.fail(.officialName, "chỉ Ban Thi đua – Khen thưởng thêm đơn vị mới."); return }
        state.unitsByKey[key] = .new(key)
        state.unitNames[.new(key)] = name
        plan.newUnits.append(.init(line: line, officialName: name, shortName: short, kind: kind, sector: sector))
    }

    func unit(_ row: inout Row, _ state: State) -> ImportUnitRef? {
        guard let name = row.text(.unit, required: true) else { return nil }
        guard let ref = state.unitsByKey[VietnameseText.searchKey(name)] else {
            row.fail(.unit, "đơn vị “\(name)” không có trong danh sách đơn vị (thêm ở trang “\(ImportSheetKind.units.title)” hoặc sửa cho đúng tên)."); return nil
        }
        if case .existing(let id) = ref, let allowed = context.editableUnits, !allowed.contains(id) {
            row.fail(.unit, "bạn không được sửa dữ liệu của đơn vị “\(name)”."); return nil
        }
        return ref
    }

    func readPerson(_ row: inout Row, _ line: ImportPlan.Line, _ plan: inout ImportPlan, _ state: inout State) {
        let unit = self.unit(&row, state)
        let name = row.text(.fullName, required: true, max: 120)
        let gender = row.choice(.gender, [(names: ["Nữ", "female", "F"], value: Gender.female), (names: ["Nam", "male", "M"], value: Gender.male)], label: "Giới tính")
        let birth = row.int(.birthYear, context.birthYears, label: "Năm sinh")
        let position = row.text(.position, max: 120)
        let start = row.day(.serviceStart, notAfter: context.today, label: "Ngày bắt đầu công tác")
        if let start, start.year < ServiceStart.earliestYear { row.fail(.serviceStart, ServiceStart.tooEarly) }
        guard row.problems.isEmpty, let unit, let name else { return }
        let nameKey = VietnameseText.searchKey(name)
        guard unique(&row, "person|\(unit)|\(nameKey)|\(birth.map(String.init) ?? "-")", "“\(name)”\(birth.map { " sinh năm \($0)" } ?? "") trong cùng đơn vị", &state) else { return }
        // Someone of the same name and birth year elsewhere in the file: two people, or one written in two units?
        let personKey = "\(nameKey)|\(birth.map(String.init) ?? "-")"
        if birth != nil, let (other, at) = state.personUnits[personKey], other != unit {
            plan.notes.append(.init(sheet: row.sheet, row: row.number, reason: "“\(name)” sinh năm \(birth!) cũng có ở dòng \(at) với đơn vị “\(state.unitNames[other] ?? "?")”: nhập như hai người khác nhau; nếu là một người, xóa một dòng."))
        }
        state.personUnits[personKey] = (unit, row.number)
        // The same person in the register: same unit, same folded name, and the same birth year (or one of them unknown).
        let known = (state.people[unit]?[nameKey] ?? []).filter { ref, y in
            guard case .person = ref else { return false }
            return y == birth || y == nil || birth == nil
        }
        if known.count > 1 { row.fail(.birthYear, "đơn vị có \(known.count) người tên “\(name)”: ghi Năm sinh để biết là ai."); return }
        if case .person(let id)? = known.first?.0 {
            plan.people.append(.init(line: line, existing: id, unit: unit, fullName: name, gender: gender, birthYear: birth, position: position, serviceStart: start))
        } else {
            let index = plan.people.count
            plan.people.append(.init(line: line, existing: nil, unit: unit, fullName: name, gender: gender, birthYear: birth, position: position, serviceStart: start))
            state.people[unit, default: [:]][nameKey, default: []].append((.newPerson(index), birth))
        }
    }

    /// The unit, or the person of that unit a fact row names.
    func subject(_ row: inout Row, _ state: inout State) -> ImportSubjectRef? {
        guard let unit = self.unit(&row, state) else { _ = row.text(.fullName); return nil }
        guard let name = row.text(.fullName, max: 120) else {
            if row.text(.birthYear) != nil { row.fail(.fullName, "có Năm sinh mà không có Họ và tên.") }
            return .unit(unit)
        }
        let birth = row.int(.birthYear, context.birthYears, label: "Năm sinh")
        guard row.problems.isEmpty else { return nil }
        let all = state.people[unit]?[VietnameseText.searchKey(name)] ?? []
        let matches = birth == nil ? all : all.filter { $0.1 == birth || $0.1 == nil }
        switch matches.count {
        case 1: return matches[0].0
        case 0:
            row.fail(.fullName, "không có “\(name)”\(birth.map { " sinh năm \($0)" } ?? "") trong đơn vị “\(state.unitNames[unit] ?? "?")” (thêm ở trang “\(ImportSheetKind.people.title)”).")
            return nil
        default:
            row.fail(.birthYear, "đơn vị có \(matches.count) người tên “\(name)”: ghi Năm sinh để biết là ai.")
            return nil
        }
    }

    /// A catalogue award by its code or its name (folded), for this kind of subject.
    func award(_ text: String, for subject: ImportSubjectRef?, _ row: inout Row) -> String? {
        let awards = context.catalogue.awards.values
        let key = VietnameseText.searchKey(text)
        var hits = awards.filter { $0.code.uppercased() == text.uppercased() }
        if hits.isEmpty { hits = awards.filter { VietnameseText.searchKey($0.name) == key } }
        guard !hits.isEmpty else { row.fail(.award, "“\(text)” không có trong danh mục (xem trang “\(Self.codesSheet)” của mẫu)."); return nil }
        let type: SubjectType? = subject.map { if case .unit = $0 { return .collective } else { return .individual } }
        if let type { hits = hits.filter { $0.subjects.contains(type) } }
        guard hits.count == 1 else {
            row.fail(.award, hits.isEmpty ? "“\(text)” không xét cho \(type?.label ?? "đối tượng này")." : "“\(text)” ứng với nhiều mã (\(hits.map(\.code).sorted().joined(separator: ", "))): ghi mã.")
            return nil
        }
        return hits[0].code
    }
}

/// Who may import into what: the office into every unit (and add units); a unit officer into their own units only.
public enum ImportPermission: Sendable, Equatable {
    case everyUnit
    case units(Set<UUID>)
    case none

    /// The planner's `editableUnits` (nil: every unit).
    public var editableUnits: Set<UUID>? {
        switch self {
        case .everyUnit: nil
        case .units(let s): s
        case .none: []
        }
    }
}

extension Principal {
    public var importPermission: ImportPermission {
        if isOffice { return .everyUnit }
        let own = units(as: .unitOfficer)
        return own.isEmpty ? .none : .units(Set(own))
    }
}
