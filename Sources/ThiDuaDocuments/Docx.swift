import Foundation
import ZIPFoundation

/// An Office Open XML package (.docx, .xlsx) built in memory: a ZIP of named XML parts.
/// The document writers of later areas (covenant, minutes, score tables) add their parts here.
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
