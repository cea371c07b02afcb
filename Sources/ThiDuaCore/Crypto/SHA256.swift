import Crypto
import Foundation

/// SHA-256 for tamper evidence (the audit chain, the covenant seal), from swift-crypto (BoringSSL on Linux,
/// CryptoKit on Apple platforms) rather than a hand-written implementation. The digests are the same as before
/// (`PinnedDigestTests`), so stored chains and signed covenants keep verifying.
public enum SHA256Digest {
    /// The 32-byte digest of `data`.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: data))
    }

    /// The lower-case hex digest of a UTF-8 string.
    public static func hex(_ text: String) -> String {
        Hex.lower(SHA256.hash(data: Data(text.utf8)))
    }
}

/// Lower-case hex of bytes, without a `String(format:)` per byte (that cost showed in every API request's token
/// digest and in every audit entry's check).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lower<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// SHA-256 over text given piece by piece (a generated register's digest), hex at the end.
public struct SHA256Stream: Sendable {
    private var hasher = SHA256()
    public init() {}
    public mutating func update(_ text: String) { hasher.update(data: Data(text.utf8)) }
    public mutating func update(bytes: Data) { hasher.update(data: bytes) }
    public mutating func finish() -> String { Hex.lower(hasher.finalize()) }
}
