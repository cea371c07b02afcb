import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address range in CIDR notation ("127.0.0.0/8", "::1/128", "10.1.2.3"), IPv4 or IPv6.
/// An IPv4 address written as IPv6 ("::ffff:127.0.0.1") is matched as the IPv4 address it is.
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6).
    public let network: [UInt8]
    public let prefixLength: Int

    /// nil when `text` is not an address or a range (or the prefix is out of range).
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let bytes = AddressRange.bytes(String(first)) else { return nil }
        let bits = bytes.count * 8
        var prefix = bits
        if parts.count == 2 {
            // At most three digits: a bounded number, never a trap.
            guard parts[1].count <= 3, let p = Int(parts[1]), (0...bits).contains(p) else { return nil }
            prefix = p
        }
        network = AddressRange.masked(bytes, prefix)
        prefixLength = prefix
    }

    /// Whether `address` (a plain address, IPv4 or IPv6) lies in the range.
    public func contains(_ address: String) -> Bool {
        guard let bytes = AddressRange.bytes(address), bytes.count == network.count else { return false }
        return AddressRange.masked(bytes, prefixLength) == network
    }

    public var description: String {
        network.count == 4 ? network.map(String.init).joined(separator: ".") + "/\(prefixLength)" : "ipv6/\(prefixLength)"
    }

    /// Loopback only: 127.0.0.0/8 and ::1.
    public static let loopback: [AddressRange] = [AddressRange("127.0.0.0/8")!, AddressRange("::1/128")!]

    /// The address's bytes: 4 for IPv4 (also when written as IPv4-mapped IPv6), 16 for IPv6; nil if it is not one.
    static func bytes(_ text: String) -> [UInt8]? {
        let s = text.trimmingCharacters(in: CharacterSet(charactersIn: " []"))
        guard !s.isEmpty, s.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, s, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, s, &v6) == 1 else { return nil }
        let b = withUnsafeBytes(of: &v6) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff { return Array(b[12..<16]) }
        return b
    }

    static func masked(_ bytes: [UInt8], _ prefix: Int) -> [UInt8] {
        bytes.enumerated().map { i, byte in
            let keep = min(max(prefix - i * 8, 0), 8)
            return keep == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
    }
}
