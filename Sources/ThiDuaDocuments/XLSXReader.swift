import Foundation
import ThiDuaCore
import ZIPFoundation

/// What the reader gives: ThiDuaCore's import cells and tables.
public typealias ReadCell = ImportCell
public typealias ReadSheet = ImportTable

/// Reads .xlsx workbooks (as written by Excel, LibreOffice or openpyxl): shared and inline strings, numbers, booleans,
/// dates by their number format, formulas (by their cached value, marked), merged cells. Bounded: a workbook
/// whose parts unpack to more than `maxUnpackedBytes` is refused before it is parsed.
public enum XLSXReader {
    public static let maxUnpackedBytes = 400 * 1024 * 1024
    public static let maxColumns = 200

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func read(_ data: Data) throws -> [ReadSheet] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw Failure(description: "Tệp không phải bảng tính .xlsx (không đọc được như tệp ZIP).")
        }
        var total: UInt64 = 0
        for e in archive { total += e.uncompressedSize }
        guard total <= UInt64(maxUnpackedBytes) else { throw Failure(description: "Bảng tính quá lớn khi giải nén (trên \(maxUnpackedBytes / 1_048_576) MB).") }
        func part(_ name: String) throws -> Data? {
            guard let e = archive[name] else { return nil }
            var out = Data()
            _ = try archive.extract(e, skipCRC32: false) { out.append($0) }
            return out
        }
        guard let workbook = try part("xl/workbook.xml") else { throw Failure(description: "Tệp không phải bảng tính .xlsx (thiếu xl/workbook.xml).") }
        let rels = try part("xl/_rels/workbook.xml.rels").map(Relations.parse) ?? [:]
        let strings = try part("xl/sharedStrings.xml").map(SharedStrings.parse) ?? []
        let dateStyles = try part("xl/styles.xml").map(Styles.dateStyles) ?? []
        var out: [ReadSheet] = []
        for (name, rid) in WorkbookSheets.parse(workbook) {
            guard let target = rels[rid] else { continue }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            guard let xml = try part(path) else { continue }
            out.append(try SheetParser.parse(xml, name: name, strings: strings, dateStyles: dateStyles))
        }
        return out
    }

    /// "C" → 2, "AA" → 26; nil for anything else.
    public static func columnIndex(_ letters: Substring) -> Int? {
        var n = 0
        for ch in letters.uppercased().unicodeScalars {
            guard ch.value >= 65, ch.value <= 90 else { return nil }
            n = n * 26 + Int(ch.value - 64)
            if n > 16_384 { return nil }
        }
        return n == 0 ? nil : n - 1
    }

    /// "B12" → (row 12, column 1).
    static func reference(_ ref: String) -> (row: Int, column: Int)? {
        let letters = ref.prefix { $0.isLetter }
        guard let col = columnIndex(letters), let row = Int(ref.dropFirst(letters.count)), row >= 1, row <= 1_048_576 else { return nil }
        return (row, col)
    }
}

// MARK: Parts

/// Events of one part, collecting what a closure keeps. The parts are read by `XMLScanner` (a small scanner for the
/// XML that spreadsheets write): Foundation's XMLParser on Linux gives up on sheets of some 40.000 rows.
private final class Collector {
    var onStart: (String, [String: String]) -> Void = { _, _ in }
    var onEnd: (String) -> Void = { _ in }
    var onText: (String) -> Void = { _ in }

    func run(_ data: Data, part: String) throws {
        do {
            try XMLScanner.scan(data, start: { onStart($0, $1) }, end: { onEnd($0) }, text: { onText($0) })
        } catch {
            throw XLSXReader.Failure(description: "Bảng tính hỏng: không đọc được \(part) (\(error)).")
        }
    }
}

private enum Relations {
    static func parse(_ data: Data) throws -> [String: String] {
        var out: [String: String] = [:]
        let c = Collector()
        c.onStart = { name, a in if name == "Relationship", let id = a["Id"], let t = a["Target"] { out[id] = t } }
        try c.run(data, part: "workbook.xml.rels")
        return out
    }
}

private enum WorkbookSheets {
    static func parse(_ data: Data) -> [(String, String)] {
        var out: [(String, String)] = []
        let c = Collector()
        c.onStart = { name, a in
            if name == "sheet", let n = a["name"], let id = a["r:id"] ?? a.first(where: { $0.key.hasSuffix(":id") })?.value { out.append((n, id)) }
        }
        try? c.run(data, part: "workbook.xml")
        return out
    }
}

private enum SharedStrings {
    static func parse(_ data: Data) throws -> [String] {
        var out: [String] = []
        var current = "", inT = false, inPhonetic = false
        let c = Collector()
        c.onStart = { name, _ in
            switch name {
            case "si": current = ""
            case "t": inT = true
            case "rPh": inPhonetic = true
            default: break
            }
        }
        c.onEnd = { name in
            switch name {
            case "si": out.append(current)
            case "t": inT = false
            case "rPh": inPhonetic = false
            default: break
            }
        }
        c.onText = { if inT && !inPhonetic { current += $0 } }
        try c.run(data, part: "sharedStrings.xml")
        return out
    }
}

enum Styles {
    /// Built-in number formats that are dates or times.
    static let builtinDates: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// The indexes of `cellXfs` whose number format is a date or time.
    static func dateStyles(_ data: Data) throws -> Set<Int> {
        var custom: [Int: String] = [:]
        var xfs: [Int] = []
        var inCellXfs = false
        let c = Collector()
        c.onStart = { name, a in
            if name == "numFmt", let id = a["numFmtId"].flatMap(Int.init), let code = a["formatCode"] { custom[id] = code }
            if name == "cellXfs" { inCellXfs = true }
            if name == "xf", inCellXfs { xfs.append(a["numFmtId"].flatMap(Int.init) ?? 0) }
        }
        c.onEnd = { name in if name == "cellXfs" { inCellXfs = false } }
        try c.run(data, part: "styles.xml")
        var out = Set<Int>()
        for (i, id) in xfs.enumerated() where builtinDates.contains(id) || custom[id].map(isDateFormat) == true { out.insert(i) }
        return out
    }

    /// A format code that shows a day, month or year (quoted text, escapes and [colour]/[$-locale] parts left out).
    static func isDateFormat(_ code: String) -> Bool {
        var plain = "", quoted = false, bracket = false, escape = false
        for ch in code {
            if escape { escape = false; continue }
            if ch == "\\" { escape = true; continue }
            if ch == "\"" { quoted.toggle(); continue }
            if quoted { continue }
            if ch == "[" { bracket = true; continue }
            if ch == "]" { bracket = false; continue }
            if bracket { continue }
            plain.append(ch)
        }
        let lower = plain.lowercased()
        return lower.contains("d") || lower.contains("y") || (lower.contains("m") && !lower.contains("0"))
    }
}

private enum SheetParser {
    static func parse(_ data: Data, name: String, strings: [String], dateStyles: Set<Int>) throws -> ReadSheet {
        var rows: [Int: [ReadCell]] = [:]
        var formulas = Set<String>()
        var merges: [(Int, Int, Int, Int)] = []
        var ref: (row: Int, column: Int)?, refText = "", type = "n", style = 0
        var value = "", inValue = false, inInlineT = false, inline = "", hasFormula = false
        var nextRow = 1, nextColumn = 0
        var overflow = false
        let c = Collector()
        c.onStart = { el, a in
            switch el {
            case "row":
                if let r = a["r"].flatMap(Int.init) { nextRow = r }
                nextColumn = 0
            case "c":
                refText = a["r"] ?? ""
                ref = XLSXReader.reference(refText) ?? (nextRow, nextColumn)
                if a["r"] == nil { refText = ImportTable.columnName(nextColumn) + String(nextRow) }
                type = a["t"] ?? "n"; style = a["s"].flatMap(Int.init) ?? 0
                value = ""; inline = ""; hasFormula = false
            case "v": inValue = true
            case "t": inInlineT = true
            case "f": hasFormula = true
            case "mergeCell":
                if let r = a["ref"] {
                    let parts = r.split(separator: ":").map(String.init)
                    if parts.count == 2, let a0 = XLSXReader.reference(parts[0]), let b0 = XLSXReader.reference(parts[1]) {
                        merges.append((a0.row, a0.column, b0.row, b0.column))
                    }
                }
            default: break
            }
        }
        c.onText = { s in
            if inValue { value += s } else if inInlineT { inline += s }
        }
        c.onEnd = { el in
            switch el {
            case "v": inValue = false
            case "t": inInlineT = false
            case "c":
                guard let r = ref else { return }
                nextRow = r.row; nextColumn = r.column + 1
                guard r.column < XLSXReader.maxColumns else { overflow = true; return }
                let cell: ReadCell
                switch type {
                case "s": cell = Int(value).flatMap { $0 >= 0 && $0 < strings.count ? ReadCell.text(strings[$0]) : nil } ?? .empty
                case "inlineStr": cell = .text(inline)
                case "str": cell = .text(value)
                case "b": cell = .bool(value == "1")
                case "e": cell = .error(value)
                default:
                    if value.isEmpty { cell = .empty } else if let d = Double(value), d.isFinite {
                        cell = dateStyles.contains(style) ? .date(d) : .number(d)
                    } else { cell = .text(value) }
                }
                if hasFormula { formulas.insert(refText.uppercased()) }
                if case .empty = cell { return }
                var row = rows[r.row] ?? []
                if row.count <= r.column { row += Array(repeating: .empty, count: r.column - row.count + 1) }
                row[r.column] = cell
                rows[r.row] = row
            case "row": nextRow += 1
            default: break
            }
        }
        try c.run(data, part: name)
        if overflow && rows.isEmpty { throw XLSXReader.Failure(description: "Trang “\(name)” có quá nhiều cột.") }
        // A merged range shows its top-left value over the whole range.
        for (r0, c0, r1, c1) in merges where r1 >= r0 && c1 >= c0 && (r1 - r0) < 50 && (c1 - c0) < XLSXReader.maxColumns {
            let v = rows[r0].flatMap { c0 < $0.count ? $0[c0] : nil } ?? .empty
            if case .empty = v { continue }
            for r in r0...r1 {
                var row = rows[r] ?? []
                let last = min(c1, XLSXReader.maxColumns - 1)
                if row.count <= last { row += Array(repeating: .empty, count: last - row.count + 1) }
                for col in c0...last where row[col] == .empty { row[col] = v }
                rows[r] = row
            }
        }
        return ReadSheet(name: name, rows: rows, formulas: formulas)
    }
}
