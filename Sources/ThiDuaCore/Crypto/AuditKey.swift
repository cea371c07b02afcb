import Crypto
import Foundation

/// The key of a keyed audit chain (`THIDUA_AUDIT_KEY_FILE`): each entry's hash is an HMAC-SHA-256 under it, so that
/// someone with access to the database alone cannot write a chain that verifies. Kept outside the database.
public struct AuditKey: Sendable {
    private let key: SymmetricKey
    /// Names the key without revealing it: the first 8 hex digits of the SHA-256 of "thidua-audit-key:" and the
    /// key, in capitals ("1A2B3C4D"). Stored with every entry hashed under it.
    public let id: String

    /// The shortest key accepted, in bytes (HMAC-SHA-256's block of security).
    public static let minimumLength = 32

    /// A key from a file's bytes (e.g. `head -c 32 /dev/urandom`, or `openssl rand -hex 32`); a final line break is
    /// not part of it. Nil when shorter than `minimumLength`.
    public init?(fileContents: [UInt8]) {
        var bytes = fileContents
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard bytes.count >= Self.minimumLength else { return nil }
        key = SymmetricKey(data: bytes)
        id = String(SHA256.hash(data: Array("thidua-audit-key:".utf8) + bytes).prefix(4).map { String(format: "%02X", $0) }.joined())
    }

    /// The lower-case hex HMAC-SHA-256 of a UTF-8 string.
    public func mac(_ text: String) -> String {
        Hex.lower(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
    }
}
