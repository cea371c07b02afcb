import Foundation

/// Who may read `/metrics`: a request bearing the configured token, or one from an allowed address range.
///
/// The address judged is the peer's, unless the peer is a trusted reverse proxy, in which case it is the client
/// address the proxy appended last to `X-Forwarded-For`. A forwarded request from a proxy that is not trusted is
/// refused (without the token): it came from somewhere this instance cannot see, so the peer's loopback address
/// (nginx on the same machine) would otherwise open the metrics to the whole Internet.
public struct MetricsAccess: Sendable {
    public var allowed: [AddressRange]
    public var token: String?
    public var trustedProxies: [AddressRange]

    public init(allowed: [AddressRange] = AddressRange.loopback, token: String? = nil, trustedProxies: [AddressRange] = []) {
        self.allowed = allowed
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.trustedProxies = trustedProxies
    }

    public enum Decision: String, Sendable, Equatable {
        case token, address, refused
    }

    /// `peer`: the connection's address; `forwardedFor`: the `X-Forwarded-For` header, if any;
    /// `bearer`: the token of an `Authorization: Bearer …` header, if any.
    public func decide(peer: String?, forwardedFor: String?, bearer: String?) -> Decision {
        if let token, let bearer, Self.same(token, bearer) { return .token }
        guard let peer else { return .refused }
        let client: String
        if let forwardedFor, !forwardedFor.trimmingCharacters(in: .whitespaces).isEmpty {
            guard trustedProxies.contains(where: { $0.contains(peer) }),
                  let last = forwardedFor.split(separator: ",").last?.trimmingCharacters(in: .whitespaces) else { return .refused }
            client = last
        } else {
            client = peer
        }
        return allowed.contains(where: { $0.contains(client) }) ? .address : .refused
    }

    /// Parses a comma-separated list of ranges; `none` (or an empty list) allows no address. The bad entries are returned.
    public static func ranges(_ text: String) -> (ranges: [AddressRange], invalid: [String]) {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0.lowercased() != "none" }
        var ranges: [AddressRange] = []
        var invalid: [String] = []
        for item in items {
            if let r = AddressRange(item) { ranges.append(r) } else { invalid.append(item) }
        }
        return (ranges, invalid)
    }

    /// Compares in time that depends only on the lengths.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
