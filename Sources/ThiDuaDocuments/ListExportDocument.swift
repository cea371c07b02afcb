import CSV
import Foundation
import ThiDuaCore

/// A list page as a file: .xlsx (Times New Roman, bold header, a title row), .csv (UTF-8 with BOM, so that Excel shows
/// Vietnamese correctly) or JSON (an array of objects, header → value; empty cells left out).
public enum ListExportDocument {
    public enum Format: String, CaseIterable, Sendable {
        case xlsx, csv, json
        public var mediaType: (type: String, subType: String) {
            switch self {
            case .xlsx: ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            case .csv: ("text", "csv")
            case .json: ("application", "json")
            }
        }
    }

    public static func render(_ format: Format, sheet: String, title: String, header: [String], rows: [[SheetCell]]) throws -> Data {
        try render(format, [Sheet(name: sheet, title: title, header: header, rows: rows, widths: header.map { _ in 28 })])
    }

    /// A list of one or more sheets: the .xlsx holds them all; .csv and JSON the one at `index` (from 0).
    public static func render(_ format: Format, _ sheets: [Sheet], index: Int = 0) throws -> Data {
        switch format {
        case .xlsx:
            return try XLSXWriter.workbook(sheets)
        case .csv, .json:
            guard sheets.indices.contains(index) else { throw Failure(description: "Danh sách có \(sheets.count) trang; không có trang số \(index + 1).") }
            let sheet = sheets[index]
            if format == .csv { return try csv(header: sheet.header, rows: sheet.rows.map { $0.map(csvField) }) }
            return try json(objects(header: sheet.header, rows: sheet.rows.map { $0.map(text) }))
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable { public var description: String }

    /// CSV with a BOM (Excel reads it as UTF-8).
    static func csv(header: [String], rows: [[String]]) throws -> Data {
        let w = try CSVWriter(stream: .toMemory())
        try w.write(row: header)
        for r in rows { try w.write(row: r) }
        w.stream.close()
        return Data([0xEF, 0xBB, 0xBF]) + ((w.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data) ?? Data())
    }

    /// Rows as header → value, empty cells left out.
    static func objects(header: [String], rows: [[String]]) -> [[String: String]] {
        rows.map { r in Dictionary(zip(header, r).filter { !$0.1.isEmpty }, uniquingKeysWith: { a, _ in a }) }
    }

    static func json<T: Encodable>(_ value: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(value)
    }

    /// A cell as a CSV field: a text that a spreadsheet would run as a formula is guarded (`ImportTable.guarded`).
    static func csvField(_ c: SheetCell) -> String {
        switch c {
        case .text(let t): ImportTable.guarded(t)
        case .number: text(c)
        }
    }

    static func text(_ c: SheetCell) -> String {
        switch c {
        case .text(let t): t
        case .number(let d): ImportCell.text(of: d)
        }
    }
}
