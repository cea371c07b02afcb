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
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
