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
        switch format {
        case .xlsx:
            return try XLSXWriter.workbook([Sheet(name: sheet, title: title, header: header, rows: rows, widths: header.map { _ in 28 })])
        case .csv:
            return try csv(header: header, rows: rows.map { $0.map(text) })
        case .json:
            return try json(objects(header: header, rows: rows.map { $0.map(text) }))
        }
    }

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

    static func text(_ c: SheetCell) -> String {
        switch c {
        case .text(let t): t
        case .number(let d): ImportCell.text(of: d)
        }
    }
}
