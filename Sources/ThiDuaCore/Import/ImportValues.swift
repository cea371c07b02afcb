import Foundation

/// Reading one cell of an import file as the value a column needs; a value that does not read is a Vietnamese reason.
public enum ImportValues {
    public enum Read<T> { case value(T), empty, problem(String) }

    /// Text, NFC, trimmed, runs of white space as one; numbers as their digits (a year typed as a number).
    public static func text(_ cell: ImportCell) -> String? {
        let raw: String
        switch cell {
        case .empty: return nil
        case .text(let t): raw = t
        case .number(let d): raw = ImportCell.text(of: d)
        case .date: raw = cell.shown
        case .bool(let b): raw = b ? "TRUE" : "FALSE"
        case .error(let e): raw = e
        }
        let cleaned = VietnameseText.clean(raw).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return cleaned.isEmpty ? nil : cleaned
    }

    /// A whole number within `range` (typed as a number, or as digits).
    public static func integer(_ cell: ImportCell, in range: ClosedRange<Int>, label: String) -> Read<Int> {
        let n: Int?
        switch cell {
        case .empty: return .empty
        case .number(let d): n = d.isFinite && d == d.rounded() && abs(d) < 1e9 ? Int(d) : nil
        case .text(let t):
            let s = t.trimmingCharacters(in: .whitespaces)
            if s.isEmpty { return .empty }
            n = s.count <= 9 && s.allSatisfy(\.isASCII) ? Int(s) : nil
        default: n = nil
        }
        guard let n else { return .problem("\(label) “\(cell.shown)” không phải số nguyên.") }
        guard range.contains(n) else { return .problem("\(label) \(n) ngoài khoảng \(range.lowerBound)–\(range.upperBound).") }
        return .value(n)
    }

    /// A date: a date cell or an Excel serial number, or text as dd/MM/yyyy (also d/M/yyyy, dd-MM-yyyy, dd.MM.yyyy)
    /// or yyyy-MM-dd. Anything else is refused rather than guessed (is 03/04 March or April?).
    public static func day(_ cell: ImportCell, label: String) -> Read<Day> {
        switch cell {
        case .empty: return .empty
        case .date(let serial), .number(let serial):
            guard let d = fromSerial(serial) else { return .problem("\(label): số ngày \(cell.shown) không phải một ngày hợp lệ.") }
            return .value(d)
        case .text(let raw):
            let t = raw.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return .empty }
            if let d = Day(iso: String(t.prefix(10))), t.count == 10 || t.dropFirst(10).hasPrefix("T") || t.dropFirst(10).hasPrefix(" ") { return .value(d) }
            for sep in ["/", "-", "."] {
                let p = t.split(separator: Character(sep), omittingEmptySubsequences: false)
                if p.count == 3, p[2].count == 4, (1...2).contains(p[0].count), (1...2).contains(p[1].count),
                   let dd = Int(p[0]), let mm = Int(p[1]), let yy = Int(p[2]),
                   let d = Day(iso: Day.padded(yy, 4) + "-" + Day.padded(mm, 2) + "-" + Day.padded(dd, 2)) {
                    return .value(d)
                }
            }
            return .problem("\(label) “\(t)” không đọc được: ghi ngày dạng dd/MM/yyyy (ví dụ 15/01/2024).")
        default:
            return .problem("\(label) “\(cell.shown)” không phải một ngày.")
        }
    }

    /// Excel's 1900 date system: 1 is 01/01/1900; 60 is Excel's 29/02/1900, which did not exist.
    public static func fromSerial(_ serial: Double) -> Day? {
        guard serial.isFinite, serial >= 1, serial < 2_958_466 else { return nil }
        let n = Int(serial.rounded(.down))
        if n == 60 { return nil }
        // Days from 1899-12-31 (serials before the phantom day) or 1899-12-30 (after it).
        return civil(fromDays: days(1899, 12, n < 60 ? 31 : 30) + n)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), and back.
    static func days(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y2 = m <= 2 ? y - 1 : y
        let era = (y2 >= 0 ? y2 : y2 - 399) / 400
        let yoe = y2 - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> Day {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return Day(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// One of `options` (key → value), matched on the folded text; a code is matched as typed, case-insensitively.
    public static func choice<T>(_ text: String, _ options: [(names: [String], value: T)], label: String) -> Read<T> {
        let key = VietnameseText.searchKey(text)
        let hits = options.filter { $0.names.contains { VietnameseText.searchKey($0) == key } }
        if hits.count == 1 { return .value(hits[0].value) }
        let shown = options.map { $0.names.first ?? "" }.joined(separator: ", ")
        return .problem("\(label) “\(text)” không có trong danh sách (\(shown)).")
    }
}
