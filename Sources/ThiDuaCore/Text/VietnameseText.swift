import Foundation

/// Vietnamese text helpers: NFC normalisation and the folded key used for diacritic-insensitive search.
public enum VietnameseText {
    /// The text in Unicode NFC, trimmed of surrounding white space.
    public static func clean(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The lines of a text typed in a form: browsers send "\r\n", which Swift sees as one character.
    public static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").components(separatedBy: "\n")
    }

    /// Lower-case, diacritics removed, đ → d, runs of white space folded to one space.
    /// "Tòa án nhân dân" → "toa an nhan dan", so that "to an" or "TOA AN" find it.
    public static func searchKey(_ text: String) -> String {
        let lowered = text.lowercased()
            .replacingOccurrences(of: "đ", with: "d")
        let folded = lowered.decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { !(0x0300...0x036F).contains($0.value) }
        let plain = String(String.UnicodeScalarView(folded))
        return plain.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// True when every word of `query` is a prefix of some word of `text`, or the whole folded query
    /// occurs in the folded text ("to an" matches "Tòa án nhân dân tỉnh").
    public static func matches(query: String, in text: String) -> Bool {
        let q = searchKey(query)
        if q.isEmpty { return true }
        let t = searchKey(text)
        if t.contains(q) { return true }
        let words = t.split(separator: " ")
        return q.split(separator: " ").allSatisfy { qw in words.contains { $0.hasPrefix(qw) } }
    }

    /// A key that sorts Vietnamese names in dictionary order: letters first (a < ă < â < b … đ after d, ê after e,
    /// ô and ơ after o, ư after u), then tones (ngang < huyền < hỏi < ngã < sắc < nặng), case ignored, runs of white
    /// space as one. Byte order (`localizedStandardCompare` on Linux, or `<` on strings) puts "Ủy ban" after "Văn phòng"
    /// and "Đài" after every other letter; it also cost a Foundation comparison for every pair sorted.
    public static func collationKey(_ text: String) -> [UInt32] {
        var letters: [UInt32] = []
        var tones: [UInt32] = []
        var pendingSpace = false
        // A mark before any letter (text starting with a combining mark) has nothing to attach to: skipped.
        func tone(_ t: UInt32) { if !tones.isEmpty { tones[tones.count - 1] = t } }
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x0306, 0x0302, 0x031B:
                // Breve, circumflex, horn: a letter of its own (ă, â, ê, ô, ơ, ư), one step after the plain one.
                if let last = letters.last, last >= 100, last < 1_000 {
                    letters[letters.count - 1] = last + (v == 0x0306 ? 1 : v == 0x0302 ? 2 : 3)
                }
            case 0x0300: tone(1)
            case 0x0309: tone(2)
            case 0x0303: tone(3)
            case 0x0301: tone(4)
            case 0x0323: tone(5)
            case 0x0300...0x036F: continue
            default:
                if scalar.properties.isWhitespace { pendingSpace = !letters.isEmpty; continue }
                if pendingSpace { letters.append(1); tones.append(0); pendingSpace = false }
                letters.append(weight(v))
                tones.append(0)
            }
        }
        return letters + [0] + tones
    }

    /// `items` sorted by `name` in Vietnamese dictionary order (`collationKey`), each key computed once; ties keep
    /// their order.
    public static func sorted<T>(_ items: [T], by name: (T) -> String) -> [T] {
        items.enumerated().map { (key: collationKey(name($0.element)), index: $0.offset, item: $0.element) }
            .sorted { $0.key == $1.key ? $0.index < $1.index : $0.key.lexicographicallyPrecedes($1.key) }
            .map(\.item)
    }

    /// Primary weights: digits, then the Latin letters with room after each for its Vietnamese variants (a: 100,
    /// ă: 101, â: 102; d: 130, đ: 131 …); anything else after every letter, by code point.
    private static func weight(_ v: UInt32) -> UInt32 {
        switch v {
        case 0x30...0x39: return 10 + (v - 0x30)
        case 0x61...0x7A: return 100 + (v - 0x61) * 10
        case 0x0111: return 100 + 3 * 10 + 1 // đ
        default: return 1_000 + v
        }
    }
}
