import Foundation
import Testing
@testable import ThiDuaCore

/// Who may read `/metrics`, address ranges, and what is printed of a database URL.
@Suite struct OperationsAccessTests {
    @Test("Address ranges: IPv4, IPv6, IPv4-mapped IPv6; bad ranges are refused, never a trap", arguments: [
        ("127.0.0.0/8", "127.0.0.1", true),
        ("127.0.0.0/8", "127.255.1.9", true),
        ("127.0.0.0/8", "128.0.0.1", false),
        ("127.0.0.0/8", "::ffff:127.0.0.1", true),
        ("10.1.2.3", "10.1.2.3", true),
        ("10.1.2.3", "10.1.2.4", false),
        ("10.0.0.0/9", "10.127.255.255", true),
        ("10.0.0.0/9", "10.128.0.0", false),
        ("0.0.0.0/0", "203.0.113.7", true),
        ("0.0.0.0/0", "::1", false),
        ("::1/128", "::1", true),
        ("::1/128", "::2", false),
        ("fd00::/8", "fd12:3456::1", true),
        ("fd00::/8", "fe80::1", false),
        ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("127.0.0.1/32", "not-an-address", false),
        ("127.0.0.1/32", "", false),
    ])
    func ranges(range: String, address: String, inside: Bool) throws {
        let r = try #require(AddressRange(range))
        #expect(r.contains(address) == inside)
    }

    @Test("Malformed ranges are nil", arguments: ["", "127.0.0.1/33", "127.0.0.1/-1", "::1/129", "1.2.3", "1.2.3.4/99999999999999999999",
                                                   "localhost", "10.0.0.0/8/8", "1.2.3.4/", "300.1.1.1"])
    func malformed(_ text: String) {
        #expect(AddressRange(text) == nil)
    }

    @Test("THIDUA_METRICS_ALLOW: a list, `none`, and the bad entries named")
    func parsing() {
        let (ranges, invalid) = MetricsAccess.ranges(" 10.0.0.0/8, ::1 ,bogus, 1.2.3.4/40")
        #expect(ranges.count == 2)
        #expect(invalid == ["bogus", "1.2.3.4/40"])
        #expect(MetricsAccess.ranges("none").ranges.isEmpty)
        #expect(MetricsAccess.ranges("").ranges.isEmpty)
    }

    /// (peer, X-Forwarded-For, bearer, decision) with the allowed ranges 127.0.0.0/8 and 10.0.0.0/8, the token
    /// "s3cret-token-0123", and the trusted proxy 127.0.0.1.
    @Test("Who reads /metrics: a table", arguments: [
        ("127.0.0.1", nil, nil, MetricsAccess.Decision.address),
        ("10.2.3.4", nil, nil, .address),
        ("203.0.113.9", nil, nil, .refused),
        (nil, nil, nil, .refused),
        ("203.0.113.9", nil, "s3cret-token-0123", .token),
        ("203.0.113.9", nil, "s3cret-token-0124", .refused),
        ("203.0.113.9", nil, "s3cret", .refused),
        // Through the trusted proxy (nginx on this machine): the client it forwarded is judged.
        ("127.0.0.1", "203.0.113.9", nil, .refused),
        ("127.0.0.1", "10.9.9.9", nil, .address),
        // The last entry is the one the proxy added; what the client wrote before it is not believed.
        ("127.0.0.1", "10.9.9.9, 203.0.113.9", nil, .refused),
        ("127.0.0.1", "203.0.113.9, 10.9.9.9", nil, .address),
        // A forwarded request from a peer that is not a trusted proxy is refused, even from an allowed address.
        ("10.2.3.4", "10.9.9.9", nil, .refused),
        ("10.2.3.4", "10.9.9.9", "s3cret-token-0123", .token),
        ("127.0.0.1", "  ", nil, .address),
    ] as [(String?, String?, String?, MetricsAccess.Decision)])
    func decisions(peer: String?, forwarded: String?, bearer: String?, decision: MetricsAccess.Decision) {
        let access = MetricsAccess(allowed: [AddressRange("127.0.0.0/8")!, AddressRange("10.0.0.0/8")!], token: "s3cret-token-0123",
                                   trustedProxies: [AddressRange("127.0.0.1")!])
        #expect(access.decide(peer: peer, forwardedFor: forwarded, bearer: bearer) == decision)
    }

    @Test("By default only loopback reads the metrics, and there is no token")
    func defaults() {
        let access = MetricsAccess()
        #expect(access.decide(peer: "127.0.0.1", forwardedFor: nil, bearer: nil) == .address)
        #expect(access.decide(peer: "::1", forwardedFor: nil, bearer: nil) == .address)
        #expect(access.decide(peer: "192.0.2.1", forwardedFor: nil, bearer: nil) == .refused)
        #expect(access.decide(peer: "192.0.2.1", forwardedFor: nil, bearer: "") == .refused)
        #expect(MetricsAccess(token: "").token == nil)
    }

    @Test("A database URL is printed without its password")
    func redaction() {
        #expect(Redaction.urls(in: "connect postgres://thidua:s3cret@db.local:5432/thidua failed") == "connect postgres://thidua:***@db.local:5432/thidua failed")
        #expect(Redaction.urls(in: "postgres://thidua@db/x") == "postgres://thidua@db/x")
        #expect(!Redaction.urls(in: "a postgresql://u:p%40ss:w@h/d b").contains("p%40ss"))
        #expect(Redaction.urls(in: "postgres://u:p@ss@h/d") == "postgres://u:***@h/d")
        #expect(Redaction.target(ofURL: "postgres://thidua:s3cret@db.local:5432/thidua?sslmode=disable") == "thidua@db.local:5432/thidua")
        #expect(Redaction.target(ofURL: "nonsense") == "(DATABASE_URL không đọc được)")
        let parts = Redaction.parts(ofURL: "postgres://thidua:s3cret@db.local/prov")
        #expect(parts.user == "thidua" && parts.host == "db.local" && parts.database == "prov")
    }
}
