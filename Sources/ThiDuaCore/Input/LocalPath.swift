/// Where a browser may be sent after login (`next=`): only a path of this site.
public enum LocalPath {
    /// `raw` when it is a same-site path, otherwise "/".
    ///
    /// Refused: anything not starting with "/", "//…" (another host), any backslash (browsers read "/\\evil" as
    /// "//evil"), any white space or control character (browsers drop tabs and line breaks, so "/\t/evil" would
    /// become "//evil"), and paths longer than 2.000 characters.
    public static func safe(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), raw.utf8.count <= 2_000 else { return "/" }
        for s in raw.unicodeScalars {
            if s == "\\" || s.properties.isWhitespace || s.properties.generalCategory == .control || s.properties.generalCategory == .format {
                return "/"
            }
        }
        return raw
    }
}
