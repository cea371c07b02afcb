import CSV
import Foundation
import ThiDuaCore

/// An import file's tables: an .xlsx workbook (every sheet), or a .csv file (one table named after the file, UTF-8
/// with or without a BOM, comma or semicolon separated). Anything else is refused with a Vietnamese reason.
public enum ImportFileReader {
    public struct Failure: Error, CustomStringConvertible, Sendable { public var description: String }

    public static func tables(_ data: Data, filename: String) throws -> [ImportTable] {
        guard !data.isEmpty else { throw Failure(description: "Tệp rỗng.") }
        let lower = filename.lowercased()
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            do { return try XLSXReader.read(data) } catch let e as XLSXReader.Failure { throw Failure(description: e.description) }
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) || lower.hasSuffix(".xls") {
            throw Failure(description: "Tệp Excel cũ (.xls) không đọc được: mở bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx.")
        }
        if lower.hasSuffix(".xlsx") { throw Failure(description: "Tệp không phải bảng tính .xlsx (không đọc được như tệp ZIP).") }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw Failure(description: "Tệp CSV không phải mã UTF-8: trong Excel chọn Lưu dạng “CSV UTF-8 (Comma delimited)”.")
        }
        if text.contains("\0") { throw Failure(description: "Tệp không phải bảng tính (.xlsx) hay văn bản CSV.") }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        let delimiter: UnicodeScalar = firstLine.filter { $0 == ";" }.count > firstLine.filter { $0 == "," }.count ? ";" : ","
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: delimiter) } catch {
            throw Failure(description: "Tệp CSV không đọc được: \(error).")
        }
        var lines: [[String]] = []
        while let row = reader.next() {
            lines.append(row)
            if lines.count > ImportPlanner.maxRows + 20 { throw Failure(description: "Tệp có quá \(ImportPlanner.maxRows) dòng: chia thành nhiều tệp.") }
        }
        if let e = reader.error { throw Failure(description: "Tệp CSV không đọc được: \(e).") }
        let base = (filename as NSString).deletingPathExtension
        return [ImportTable.fromLines(name: ImportSheetKind.named(base)?.title ?? base, lines)]
    }
}
