import Foundation

/// An error in a data file, with the file and line it is about.
public struct DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String
    public init(file: String, line: Int?, reason: String) { self.file = file; self.line = line; self.reason = reason }
    public var description: String { line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)" }
}

/// A node of the small YAML subset our catalogue files use: block maps, block lists, scalars,
/// flow lists of scalars (`[A, B]`), `#` comments and quoted strings. Every node knows its line.
public indirect enum YNode: Sendable {
    case scalar(String, line: Int)
    case map([(key: String, value: YNode, line: Int)], line: Int)
    case list([YNode], line: Int)

    public var line: Int {
        switch self { case .scalar(_, let l), .map(_, let l), .list(_, let l): l }
    }
}

public enum MiniYAML {
    private struct Line { var indent: Int; var text: String; var number: Int }

    public static func parse(_ text: String, file: String) throws -> YNode {
        var lines: [Line] = []
        for (i, raw) in text.components(separatedBy: "\n").enumerated() {
            let number = i + 1
            let noCR = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            if noCR.contains("\t") { throw DataFileError(file: file, line: number, reason: "dùng dấu cách, không dùng phím Tab để thụt lề") }
            let content = stripComment(noCR)
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let indent = content.prefix { $0 == " " }.count
            lines.append(Line(indent: indent, text: trimmed, number: number))
        }
        guard !lines.isEmpty else { throw DataFileError(file: file, line: nil, reason: "tệp rỗng") }
        var parser = Parser(lines: lines, file: file)
        let node = try parser.block(indent: lines[0].indent)
        if parser.index < parser.lines.count {
            let l = parser.lines[parser.index]
            throw DataFileError(file: file, line: l.number, reason: "thụt lề không khớp với các dòng phía trên")
        }
        return node
    }

    /// Removes a `#` comment that is outside quotes and at the start or after a space.
    static func stripComment(_ s: String) -> String {
        var inQuote: Character? = nil
        var previous: Character = " "
        var out = ""
        for ch in s {
            if let q = inQuote {
                if ch == q { inQuote = nil }
            } else if ch == "\"" || ch == "'" {
                inQuote = ch
            } else if ch == "#" && previous == " " {
                break
            }
            out.append(ch)
            previous = ch
        }
        return out
    }

    private struct Parser {
        var lines: [Line]
        let file: String
        var index = 0

        func error(_ line: Int, _ reason: String) -> DataFileError { DataFileError(file: file, line: line, reason: reason) }

        mutating func block(indent: Int) throws -> YNode {
            let first = lines[index]
            if first.text == "-" || first.text.hasPrefix("- ") { return try list(indent: indent) }
            return try map(indent: indent)
        }

        mutating func list(indent: Int) throws -> YNode {
            let start = lines[index].number
            var items: [YNode] = []
            while index < lines.count, lines[index].indent == indent, lines[index].text == "-" || lines[index].text.hasPrefix("- ") {
                let l = lines[index]
                let rest = l.text == "-" ? "" : String(l.text.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                if rest.isEmpty {
                    index += 1
                    guard index < lines.count, lines[index].indent > indent else { throw error(l.number, "mục danh sách rỗng") }
                    items.append(try block(indent: lines[index].indent))
                } else if splitKey(rest) != nil {
                    // "- key: value" opens a map whose other keys sit under "key".
                    lines[index] = Line(indent: indent + 2, text: rest, number: l.number)
                    items.append(try map(indent: indent + 2))
                } else {
                    items.append(try scalar(rest, line: l.number))
                    index += 1
                }
            }
            return .list(items, line: start)
        }

        mutating func map(indent: Int) throws -> YNode {
            let start = lines[index].number
            var entries: [(key: String, value: YNode, line: Int)] = []
            var seen = Set<String>()
            while index < lines.count, lines[index].indent == indent {
                let l = lines[index]
                if l.text == "-" || l.text.hasPrefix("- ") { throw error(l.number, "mục danh sách ở chỗ cần một khóa “tên: giá trị”") }
                guard let (key, value) = splitKey(l.text) else { throw error(l.number, "dòng phải có dạng “tên: giá trị”") }
                if !seen.insert(key).inserted { throw error(l.number, "khóa “\(key)” lặp lại") }
                index += 1
                if value.isEmpty {
                    if index < lines.count, lines[index].indent > indent {
                        entries.append((key, try block(indent: lines[index].indent), l.number))
                    } else if index < lines.count, lines[index].indent == indent, lines[index].text.hasPrefix("- ") {
                        // A list may sit at the same indent as its key.
                        entries.append((key, try list(indent: indent), l.number))
                    } else {
                        entries.append((key, .scalar("", line: l.number), l.number))
                    }
                } else {
                    entries.append((key, try scalar(value, line: l.number), l.number))
                }
            }
            if index < lines.count, lines[index].indent > indent {
                throw error(lines[index].number, "thụt lề thừa")
            }
            return .map(entries, line: start)
        }

        func scalar(_ raw: String, line: Int) throws -> YNode {
            if raw.hasPrefix("[") {
                guard raw.hasSuffix("]") else { throw error(line, "thiếu dấu “]”") }
                let inner = raw.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if inner.isEmpty { return .list([], line: line) }
                return .list(try inner.split(separator: ",").map { try scalar(String($0).trimmingCharacters(in: .whitespaces), line: line) }, line: line)
            }
            if let q = raw.first, q == "\"" || q == "'" {
                guard raw.count >= 2, raw.last == q else { throw error(line, "thiếu dấu nháy đóng") }
                return .scalar(String(raw.dropFirst().dropLast()), line: line)
            }
            return .scalar(raw, line: line)
        }

        /// "key: value" → (key, value); keys are plain words.
        func splitKey(_ text: String) -> (String, String)? {
            guard let colon = text.firstIndex(of: ":") else { return nil }
            let key = String(text[..<colon])
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
            let after = text[text.index(after: colon)...]
            guard after.isEmpty || after.first == " " else { return nil }
            return (key, after.trimmingCharacters(in: .whitespaces))
        }
    }
}
