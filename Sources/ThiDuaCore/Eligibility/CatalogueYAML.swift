import Foundation
import Yams

/// An error in a data file, with the file and line it is about.
public struct DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String
    public init(file: String, line: Int?, reason: String) { self.file = file; self.line = line; self.reason = reason }
    public var description: String { line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)" }
}

/// A node of a catalogue file as the loader reads it: maps, lists and scalars, each knowing its line.
public indirect enum YNode: Sendable {
    case scalar(String, line: Int)
    case map([(key: String, value: YNode, line: Int)], line: Int)
    case list([YNode], line: Int)

    public var line: Int {
        switch self { case .scalar(_, let l), .map(_, let l), .list(_, let l): l }
    }
}

/// Catalogue files read with Yams (libyaml), the YAML parser on the machine's package list, instead of a hand-written
/// subset: anything YAML allows parses the way YAML says, and every error names the file and the line. The loader stays
/// strict on top of it (unknown keys, wrong kinds of value); here a key that is not plain text and an indentation with
/// tabs are refused, and Yams refuses a repeated key while composing. Anchors and aliases read as the value they name.
public enum CatalogueYAML {
    public static func parse(_ text: String, file: String) throws -> YNode {
        // YAML forbids tabs in indentation; libyaml says so in English, without naming the fix.
        for (i, raw) in text.components(separatedBy: "\n").enumerated() where raw.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
            throw DataFileError(file: file, line: i + 1, reason: "dùng dấu cách, không dùng phím Tab để thụt lề")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw explain(e, file: file)
        }
        guard let root else { throw DataFileError(file: file, line: nil, reason: "tệp rỗng") }
        return try convert(root, file: file)
    }

    private static func convert(_ node: Node, file: String) throws -> YNode {
        let line = node.mark?.line ?? 0
        switch node {
        case .scalar(let s):
            return .scalar(s.string, line: line)
        case .sequence(let seq):
            return .list(try seq.map { try convert($0, file: file) }, line: line)
        case .mapping(let m):
            var pairs: [(key: String, value: YNode, line: Int)] = []
            for (k, v) in m {
                guard case .scalar(let key) = k else {
                    throw DataFileError(file: file, line: k.mark?.line ?? line, reason: "khóa phải là một chữ, không phải danh sách hay bảng")
                }
                pairs.append((key.string, try convert(v, file: file), k.mark?.line ?? line))
            }
            return .map(pairs, line: line)
        case .alias:
            // Yams resolves an alias to the node it names while composing; an unresolved one cannot be read.
            throw DataFileError(file: file, line: line, reason: "bí danh YAML (*tên) không trỏ tới giá trị nào")
        }
    }

    /// libyaml's problem, with its line, in a Vietnamese frame.
    private static func explain(_ e: YamlError, file: String) -> DataFileError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return DataFileError(file: file, line: mark.line, reason: "không đúng cú pháp YAML (\(problem))")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "“\($0)”" }.joined(separator: ", ")
            return DataFileError(file: file, line: context.mark.line, reason: "khóa \(keys) bị lặp lại (lần đầu ở dòng này)")
        default:
            return DataFileError(file: file, line: nil, reason: "không đọc được tệp YAML (\(e))")
        }
    }
}
