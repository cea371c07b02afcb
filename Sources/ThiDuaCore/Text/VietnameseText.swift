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
}
