import Foundation
import ZIPFoundation

/// An Office Open XML package (.docx, .xlsx) built in memory: a ZIP of named XML parts.
public struct OOXMLPackage: Sendable {
    /// Part name (e.g. "word/document.xml") → bytes, kept in insertion order.
    public private(set) var parts: [(name: String, data: Data)] = []

    public init() {}

    public mutating func add(_ name: String, xml: String) {
        parts.append((name, Data(xml.utf8)))
    }

    /// The package as ZIP bytes.
    public func zipped() throws -> Data {
        let archive = try Archive(accessMode: .create)
        for part in parts {
            let data = part.data
            try archive.addEntry(with: part.name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// The names of an archive's entries, read from its central directory without extracting anything (so a
    /// compressed bomb costs nothing); nil when the bytes are not a readable ZIP archive. At most `limit` names.
    public static func entryNames(of data: Data, limit: Int = 10_000) -> Set<String>? {
        guard let archive = try? Archive(data: data, accessMode: .read) else { return nil }
        var names = Set<String>()
        for entry in archive {
            names.insert(entry.path)
            if names.count >= limit { break }
        }
        return names
    }

    /// Reads the parts of a package (for tests and for checking what we produced).
    public static func parts(of data: Data) throws -> [String: Data] {
        let archive = try Archive(data: data, accessMode: .read)
        var out: [String: Data] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            out[entry.path] = bytes
        }
        return out
    }
}

/// Escaping for text and attribute values inside XML parts.
public enum XMLText {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s.precomposedStringWithCanonicalMapping.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Characters XML 1.0 forbids are dropped rather than producing a file Word refuses to open.
            case _ where ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r": continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// WordprocessingML building blocks in the Decree 30/2020 layout: Times New Roman, sizes in points,
/// A4 with margins top/bottom 20 mm, left 30 mm, right 15 mm, page numbers centred in the top margin from page 2.
public enum WordML {
    public enum Align: String { case left, center, right, both }

    public struct Run {
        public var text: String
        public var bold = false
        public var italic = false
        public var size: Double = 14
        public init(_ text: String, bold: Bool = false, italic: Bool = false, size: Double = 14) {
            self.text = text; self.bold = bold; self.italic = italic; self.size = size
        }
    }

    public static func run(_ r: Run) -> String {
        let half = Int((r.size * 2).rounded())
        var props = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
        if r.bold { props += "<w:b/><w:bCs/>" }
        if r.italic { props += "<w:i/><w:iCs/>" }
        props += "<w:sz w:val=\"\(half)\"/><w:szCs w:val=\"\(half)\"/>"
        let lines = r.text.components(separatedBy: "\n")
        let body = lines.map { "<w:t xml:space=\"preserve\">\(XMLText.escape($0))</w:t>" }.joined(separator: "<w:br/>")
        return "<w:r><w:rPr>\(props)</w:rPr>\(body)</w:r>"
    }

    /// A paragraph. `firstLine` and `indent` (left and right) in twips (720 = 1.27 cm); `after` spacing in points.
    /// The decree's short lines under headings are drawn by `rule(width:within:)`.
    public static func paragraph(_ runs: [Run], align: Align = .both, firstLine: Int = 0, after: Double = 6, before: Double = 0,
                                 lineSpacing: Int = 240, indent: Int = 0, keepNext: Bool = false) -> String {
        var ppr = ""
        if keepNext { ppr += "<w:keepNext/>" }
        ppr += "<w:spacing w:before=\"\(Int(before * 20))\" w:after=\"\(Int(after * 20))\" w:line=\"\(lineSpacing)\" w:lineRule=\"auto\"/>"
        if firstLine > 0 || indent > 0 { ppr += "<w:ind w:left=\"\(indent)\" w:right=\"\(indent)\" w:firstLine=\"\(firstLine)\"/>" }
        ppr += "<w:jc w:val=\"\(align.rawValue)\"/>"
        return "<w:p><w:pPr>\(ppr)</w:pPr>\(runs.map(run).joined())</w:p>"
    }

    /// The decree's short solid line under a heading: an empty paragraph whose bottom border is `width` twips long,
    /// centred in a column (or text block) `within` twips wide.
    public static func rule(width: Int, within: Int) -> String {
        let side = max(0, (within - width) / 2)
        return "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>"
            + "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"120\" w:lineRule=\"exact\"/><w:ind w:left=\"\(side)\" w:right=\"\(side)\"/>"
            + "<w:rPr><w:sz w:val=\"4\"/></w:rPr></w:pPr></w:p>"
    }

    public static func text(_ s: String, bold: Bool = false, italic: Bool = false, size: Double = 14, align: Align = .both, firstLine: Int = 0,
                            after: Double = 6, indent: Int = 0, keepNext: Bool = false) -> String {
        paragraph([Run(s, bold: bold, italic: italic, size: size)], align: align, firstLine: firstLine, after: after, indent: indent, keepNext: keepNext)
    }

    /// A table. `widths` in twips; `borders` false gives the borderless layout tables of the header and signatures.
    public static func table(widths: [Int], rows: [[String]], borders: Bool, headerRows: Int = 0, cantSplit: Bool = true) -> String {
        let border = borders
            ? "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/><w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders>"
            : "<w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders>"
        let grid = "<w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        let body = rows.enumerated().map { i, cells in
            var trPr = cantSplit ? "<w:cantSplit/>" : ""
            if i < headerRows { trPr += "<w:tblHeader/>" }
            let tcs = cells.enumerated().map { j, content in
                "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[min(j, widths.count - 1)])\" w:type=\"dxa\"/></w:tcPr>\(content.isEmpty ? "<w:p/>" : content)</w:tc>"
            }.joined()
            return "<w:tr><w:trPr>\(trPr)</w:trPr>\(tcs)</w:tr>"
        }.joined()
        return "<w:tbl><w:tblPr><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\(border)<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>\(grid)\(body)</w:tbl>"
    }

    /// The whole .docx around `body`.
    public static func document(body: String, title: String) throws -> Data {
        var p = OOXMLPackage()
        p.add("[Content_Types].xml", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
        <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
        <Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
        <Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        </Types>
        """)
        p.add("_rels/.rels", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        </Relationships>
        """)
        p.add("docProps/core.xml", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">\
        <dc:title>\(XMLText.escape(title))</dc:title><dc:creator>ThiDua</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>
        """)
        p.add("word/_rels/document.xml.rels", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>\
        <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>\
        </Relationships>
        """)
        p.add("word/styles.xml", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
        <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/>\
        <w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>\
        <w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>\
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>\
        <w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>\
        <w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>\
        </w:styles>
        """)
        p.add("word/settings.xml", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/></w:settings>
        """)
        // header1: the page number (pages 2…); header2: empty, for page 1.
        p.add("word/header1.xml", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>\
        <w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>\
        <w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>2</w:t></w:r><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>
        """)
        p.add("word/header2.xml", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p/></w:hdr>
        """)
        p.add("word/document.xml", xml: """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <w:body>\(body)<w:sectPr><w:headerReference w:type="default" r:id="rId3"/><w:headerReference w:type="first" r:id="rId4"/>\
        <w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/>\
        <w:titlePg/></w:sectPr></w:body></w:document>
        """)
        return try p.zipped()
    }
}
