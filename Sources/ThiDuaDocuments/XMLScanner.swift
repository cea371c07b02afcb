import Foundation

/// A small, strict scanner for the XML of spreadsheet parts: elements (names without their namespace prefix),
/// attributes, text with the five entities and character references, CDATA, comments and processing instructions
/// skipped. A document type declaration is refused (no entity of its own can be defined, so none can expand).
enum XMLScanner {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func scan(_ data: Data, start: (String, [String: String]) -> Void, end: (String) -> Void, text: (String) -> Void) throws {
        let bytes = [UInt8](data)
        let n = bytes.count
        var i = 0
        var depth = 0
        func fail(_ what: String) -> Failure { Failure(description: "\(what) ở vị trí \(i)") }
        func find(_ seq: [UInt8], from: Int) -> Int? {
            guard !seq.isEmpty, from + seq.count <= n else { return nil }
            var j = from
            while j + seq.count <= n {
                if bytes[j] == seq[0] {
                    var k = 1
                    while k < seq.count && bytes[j + k] == seq[k] { k += 1 }
                    if k == seq.count { return j }
                }
                j += 1
            }
            return nil
        }
        func local(_ a: Int, _ b: Int) -> String {
            var s = a
            for j in a..<b where bytes[j] == UInt8(ascii: ":") { s = j + 1 }
            return String(decoding: bytes[s..<b], as: UTF8.self)
        }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        while i < n {
            if bytes[i] != UInt8(ascii: "<") {
                var j = i
                while j < n && bytes[j] != UInt8(ascii: "<") { j += 1 }
                if depth > 0 { text(try decode(bytes, i, j)) }
                i = j
                continue
            }
            guard i + 1 < n else { throw fail("thẻ dở dang") }
            let next = bytes[i + 1]
            if next == UInt8(ascii: "?") {
                guard let e = find([UInt8(ascii: "?"), UInt8(ascii: ">")], from: i + 2) else { throw fail("thẻ <? dở dang") }
                i = e + 2
            } else if next == UInt8(ascii: "!") {
                if i + 3 < n, bytes[i + 2] == UInt8(ascii: "-"), bytes[i + 3] == UInt8(ascii: "-") {
                    guard let e = find(Array("-->".utf8), from: i + 4) else { throw fail("chú thích dở dang") }
                    i = e + 3
                } else if i + 9 <= n, Array(bytes[i..<i + 9]) == Array("<![CDATA[".utf8) {
                    guard let e = find(Array("]]>".utf8), from: i + 9) else { throw fail("CDATA dở dang") }
                    if depth > 0 { text(String(decoding: bytes[(i + 9)..<e], as: UTF8.self)) }
                    i = e + 3
                } else {
                    throw fail("khai báo <! không được chấp nhận")
                }
            } else if next == UInt8(ascii: "/") {
                var j = i + 2
                while j < n && bytes[j] != UInt8(ascii: ">") { j += 1 }
                guard j < n else { throw fail("thẻ đóng dở dang") }
                var b = j
                while b > i + 2 && isSpace(bytes[b - 1]) { b -= 1 }
                end(local(i + 2, b))
                depth -= 1
                if depth < 0 { throw fail("thẻ đóng thừa") }
                i = j + 1
            } else {
                var j = i + 1
                while j < n && !isSpace(bytes[j]) && bytes[j] != UInt8(ascii: ">") && bytes[j] != UInt8(ascii: "/") { j += 1 }
                let name = local(i + 1, j)
                var attrs: [String: String] = [:]
                var selfClosing = false
                while true {
                    while j < n && isSpace(bytes[j]) { j += 1 }
                    guard j < n else { throw fail("thẻ mở dở dang") }
                    if bytes[j] == UInt8(ascii: ">") { j += 1; break }
                    if bytes[j] == UInt8(ascii: "/") {
                        guard j + 1 < n, bytes[j + 1] == UInt8(ascii: ">") else { throw fail("thẻ mở sai") }
                        selfClosing = true; j += 2; break
                    }
                    let a = j
                    while j < n && bytes[j] != UInt8(ascii: "=") && !isSpace(bytes[j]) { j += 1 }
                    let key = String(decoding: bytes[a..<j], as: UTF8.self)
                    while j < n && isSpace(bytes[j]) { j += 1 }
                    guard j < n, bytes[j] == UInt8(ascii: "=") else { throw fail("thuộc tính thiếu dấu =") }
                    j += 1
                    while j < n && isSpace(bytes[j]) { j += 1 }
                    guard j < n, bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") else { throw fail("thuộc tính thiếu dấu nháy") }
                    let quote = bytes[j]
                    let v = j + 1
                    j = v
                    while j < n && bytes[j] != quote { j += 1 }
                    guard j < n else { throw fail("thuộc tính dở dang") }
                    attrs[key] = try decode(bytes, v, j)
                    j += 1
                }
                start(name, attrs)
                if selfClosing { end(name) } else { depth += 1 }
                i = j
            }
        }
        if depth != 0 { throw Failure(description: "tài liệu dở dang (thiếu \(depth) thẻ đóng)") }
    }

    /// Text with entities and character references replaced.
    static func decode(_ b: [UInt8], _ from: Int, _ to: Int) throws -> String {
        var hasAmp = false
        for j in from..<to where b[j] == UInt8(ascii: "&") { hasAmp = true; break }
        if !hasAmp { return String(decoding: b[from..<to], as: UTF8.self) }
        var out = [UInt8]()
        out.reserveCapacity(to - from)
        var j = from
        while j < to {
            let c = b[j]
            guard c == UInt8(ascii: "&") else { out.append(c); j += 1; continue }
            var k = j + 1
            while k < to && b[k] != UInt8(ascii: ";") && k - j < 12 { k += 1 }
            guard k < to, b[k] == UInt8(ascii: ";") else { throw Failure(description: "thực thể dở dang") }
            let name = String(decoding: b[(j + 1)..<k], as: UTF8.self)
            var scalar: UnicodeScalar?
            switch name {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") { scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(UnicodeScalar.init) }
                else if name.hasPrefix("#") { scalar = UInt32(name.dropFirst(), radix: 10).flatMap(UnicodeScalar.init) }
            }
            guard let scalar else { throw Failure(description: "thực thể “&\(name);” không hợp lệ") }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
            j = k + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
