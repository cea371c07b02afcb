import CSV
import Foundation
import ThiDuaCore

/// The register export (`RegisterExport`) as an .xlsx workbook in the import template's layout, as a .csv of one
/// sheet (UTF-8 with BOM, so that Excel shows Vietnamese correctly), or as JSON (sheet → rows of header → value).
public enum RegisterExportDocument {
    public typealias Sheets = [(ImportSheetKind, [String], [[ImportCell]])]

    static func sheetCell(_ c: ImportCell) -> SheetCell {
        switch c {
        case .number(let d), .date(let d): .number(d)
        default: .text(c.shown)
        }
    }

    public static func xlsx(_ sheets: Sheets, title: String) throws -> Data {
        try XLSXWriter.workbook(sheets.map { kind, header, rows in
            Sheet(name: kind.title, title: "\(title) – \(kind.title.uppercased())", header: header, rows: rows.map { $0.map(sheetCell) },
                  widths: header.map { _ in 24 })
        })
    }

    public static func csv(_ sheet: (ImportSheetKind, [String], [[ImportCell]])) throws -> Data {
        let w = try CSVWriter(stream: .toMemory())
        try w.write(row: sheet.1)
        for r in sheet.2 { try w.write(row: r.map(\.shown)) }
        w.stream.close()
        let data = (w.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data) ?? Data()
        return Data([0xEF, 0xBB, 0xBF]) + data
    }

    public static func json(_ sheets: Sheets) throws -> Data {
        var out: [String: [[String: String]]] = [:]
        for (kind, header, rows) in sheets {
            out[kind.title] = rows.map { r in
                Dictionary(zip(header, r).filter { !$0.1.isEmpty }.map { ($0.0, $0.1.shown) }, uniquingKeysWith: { a, _ in a })
            }
        }
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(out)
    }
}
