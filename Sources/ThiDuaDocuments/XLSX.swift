import Foundation

/// A worksheet cell: text or a number.
public enum SheetCell: Sendable, Equatable {
    case text(String)
    case number(Double)
}

/// One worksheet: a title row, a header row and data rows.
public struct Sheet: Sendable {
    public var name: String
    public var title: String?
    public var header: [String]
    public var rows: [[SheetCell]]
    /// Column widths in characters.
    public var widths: [Double]

    public init(name: String, title: String? = nil, header: [String], rows: [[SheetCell]], widths: [Double] = []) {
        self.name = name; self.title = title; self.header = header; self.rows = rows; self.widths = widths
    }
}

/// Writes .xlsx workbooks (SpreadsheetML) with inline strings: Times New Roman, bold header, borders, wrapped text.
public enum XLSXWriter {
    public static func workbook(_ sheets: [Sheet]) throws -> Data {
        var p = OOXMLPackage()
        p.add("[Content_Types].xml", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        \(sheets.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
        </Types>
        """)
        p.add("_rels/.rels", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """)
        p.add("xl/workbook.xml", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets>\(sheets.enumerated().map { "<sheet name=\"\(XMLText.escape(sheetName($0.element.name)))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined())</sheets>\
        </workbook>
        """)
        p.add("xl/_rels/workbook.xml.rels", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        \(sheets.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined())\
        <Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """)
        // Styles: 0 default, 1 bold title, 2 bold header with border and fill, 3 body text with border and wrap.
        p.add("xl/styles.xml", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <fonts count="2"><font><sz val="12"/><name val="Times New Roman"/></font><font><b/><sz val="12"/><name val="Times New Roman"/></font></fonts>\
        <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFEEF1F7"/><bgColor indexed="64"/></patternFill></fill></fills>\
        <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
        <border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """)
        for (i, sheet) in sheets.enumerated() { p.add("xl/worksheets/sheet\(i + 1).xml", xml: worksheet(sheet)) }
        return try p.zipped()
    }

    /// Excel sheet names: at most 31 characters, none of []:*?/\
    static func sheetName(_ s: String) -> String {
        let cleaned = String(s.map { "[]:*?/\\".contains($0) ? "-" : $0 })
        return String(cleaned.prefix(31))
    }

    /// Excel holds at most 32.767 characters (UTF-16) in a cell and reports a file with a longer one as damaged:
    /// a longer text (an audit entry's value) is cut, and says so.
    static let cellLimit = 32_767
    static func fitted(_ t: String) -> String {
        guard t.utf16.count > cellLimit else { return t }
        let mark = " … (cắt bớt, còn tiếp)"
        var out = ""
        var used = mark.utf16.count
        for ch in t {
            used += ch.utf16.count
            if used > cellLimit { break }
            out.append(ch)
        }
        return out + mark
    }

    static func column(_ i: Int) -> String {
        var n = i + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(65 + r)!) + s; n = (n - 1) / 26 }
        return s
    }

    static func worksheet(_ sheet: Sheet) -> String {
        var rows: [String] = []
        var r = 1
        func cell(_ c: SheetCell, col: Int, style: Int) -> String {
            let ref = "\(column(col))\(r)"
            switch c {
            case .text(let t): return "<c r=\"\(ref)\" s=\"\(style)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLText.escape(fitted(t)))</t></is></c>"
            case .number(let v): return "<c r=\"\(ref)\" s=\"\(style)\"><v>\(v.isFinite && v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : v.isFinite ? String(v) : "0")</v></c>"
            }
        }
        if let title = sheet.title {
            rows.append("<row r=\"\(r)\">\(cell(.text(title), col: 0, style: 1))</row>")
            r += 2
        }
        let headerRow = r
        rows.append("<row r=\"\(r)\">\(sheet.header.enumerated().map { cell(.text($0.element), col: $0.offset, style: 2) }.joined())</row>")
        r += 1
        for row in sheet.rows {
            rows.append("<row r=\"\(r)\">\(row.enumerated().map { cell($0.element, col: $0.offset, style: 3) }.joined())</row>")
            r += 1
        }
        let cols = sheet.widths.isEmpty ? "" : "<cols>" + sheet.widths.enumerated().map { "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>" }.joined() + "</cols>"
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <sheetViews><sheetView workbookViewId="0"><pane ySplit="\(headerRow)" topLeftCell="A\(headerRow + 1)" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
        \(cols)<sheetData>\(rows.joined())</sheetData>\
        <pageMargins left="0.7" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>\
        <pageSetup paperSize="9" orientation="landscape"/>\
        </worksheet>
        """
    }
}
