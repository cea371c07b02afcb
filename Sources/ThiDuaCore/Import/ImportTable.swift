import Foundation

/// A cell as read from a spreadsheet or a CSV file: what it shows, with its kind. A number formatted as a date is a
/// date, kept as Excel's serial day.
public enum ImportCell: Sendable, Equatable {
    case empty
    case text(String)
    case number(Double)
    /// Excel's serial day (1900 system: 1 is 01/01/1900, with Excel's non-existent 29/02/1900 at 60).
    case date(Double)
    case bool(Bool)
    /// An error value (#N/A …).
    case error(String)

    public var isEmpty: Bool {
        switch self {
        case .empty: true
        case .text(let t): t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        default: false
        }
    }

    /// A number as a spreadsheet shows it: whole numbers without ".0" (1980, not 1980.0).
    public static func text(of d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }

    /// What the cell shows, for messages.
    public var shown: String {
        switch self {
        case .empty: ""
        case .text(let t): t
        case .number(let d), .date(let d): Self.text(of: d)
        case .bool(let b): b ? "TRUE" : "FALSE"
        case .error(let e): e
        }
    }
}

/// One sheet of an import file: rows by their number (1-based, as the spreadsheet shows them), cells by column
/// (0-based); the cells that hold a formula ("C5").
public struct ImportTable: Sendable {
    public var name: String
    public var rows: [Int: [ImportCell]]
    public var formulas: Set<String>

    public init(name: String, rows: [Int: [ImportCell]], formulas: Set<String> = []) { self.name = name; self.rows = rows; self.formulas = formulas }

    public var lastRow: Int { rows.keys.max() ?? 0 }

    public func cell(_ row: Int, _ column: Int) -> ImportCell {
        guard let r = rows[row], column >= 0, column < r.count else { return .empty }
        return r[column]
    }

    /// A table from lines of text fields (a CSV file), rows numbered from 1.
    public static func fromLines(name: String, _ lines: [[String]]) -> ImportTable {
        var rows: [Int: [ImportCell]] = [:]
        for (i, fields) in lines.enumerated() where fields.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            rows[i + 1] = fields.map { $0.isEmpty ? .empty : .text(unguarded($0)) }
        }
        return ImportTable(name: name, rows: rows)
    }

    /// What a spreadsheet runs as a formula when a CSV field starts with it.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// A CSV field as exports write it: a text a spreadsheet would run as a formula ("=HYPERLINK(…)", "-2+3") gets a
    /// leading apostrophe (OWASP's advice against CSV injection); `fromLines` takes it off again on import.
    public static func guarded(_ text: String) -> String {
        guard let first = text.first, formulaStarts.contains(first) else { return text }
        return "'" + text
    }

    /// `guarded` undone: an apostrophe before a formula character is dropped.
    public static func unguarded(_ field: String) -> String {
        guard field.first == "'", let second = field.dropFirst().first, formulaStarts.contains(second) else { return field }
        return String(field.dropFirst())
    }

    /// "C" for column 2.
    public static func columnName(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(UInt8(65 + r))) + s; n = (n - 1) / 26 }
        return s
    }
}

/// Where a problem is and what it is, in Vietnamese: sheet, row and column as the spreadsheet shows them.
public struct ImportProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var sheet: String
    public var row: Int?
    /// "C (Năm sinh)".
    public var column: String?
    public var reason: String

    public init(sheet: String, row: Int? = nil, column: String? = nil, reason: String) {
        self.sheet = sheet; self.row = row; self.column = column; self.reason = reason
    }

    public var description: String {
        "\(sheet)" + (row.map { ", dòng \($0)" } ?? "") + (column.map { ", cột \($0)" } ?? "") + ": \(reason)"
    }
}
