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
        try ListExportDocument.csv(header: sheet.1, rows: sheet.2.map { $0.map(csvField) })
    }

    static func csvField(_ c: ImportCell) -> String {
        if case .text(let t) = c { return ImportTable.guarded(t) }
        return c.shown
    }

    public static func json(_ sheets: Sheets) throws -> Data {
        var out: [String: [[String: String]]] = [:]
        for (kind, header, rows) in sheets { out[kind.title] = ListExportDocument.objects(header: header, rows: rows.map { $0.map(\.shown) }) }
        return try ListExportDocument.json(out)
    }
}
