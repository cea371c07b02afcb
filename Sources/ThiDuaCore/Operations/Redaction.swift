import Foundation

/// Keeps secrets out of what ThiDua prints: passwords in database URLs.
public enum Redaction {
    /// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, wherever such a URL appears in `text` (up to
    /// the last `@` before the path, so that an unencoded `@` in the password does not leave its end printed).
    public static func urls(in text: String) -> String {
        text.replacingOccurrences(of: #"([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*):[^\s/]*@"#, with: "$1:***@", options: .regularExpression)
    }

    /// Where a database URL points, without its password: `user@host:port/database`.
    public static func target(ofURL url: String) -> String {
        guard let c = URLComponents(string: url), let host = c.host, !host.isEmpty else { return "(DATABASE_URL không đọc được)" }
        let user = c.user.map { $0 + "@" } ?? ""
        let port = c.port.map { ":\($0)" } ?? ""
        let path = c.path.isEmpty ? "" : c.path
        return user + host + port + path
    }

    /// The user and the database named by a database URL.
    public static func parts(ofURL url: String) -> (user: String?, host: String?, database: String?) {
        let c = URLComponents(string: url)
        let db = c?.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return (c?.user, c?.host, db.flatMap { $0.isEmpty ? nil : $0 })
    }
}
