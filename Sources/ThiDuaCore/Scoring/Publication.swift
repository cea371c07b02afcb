import Foundation

/// A published result (công bố kết quả): the outcomes and the ranking frozen at publication, with a digest over
/// their canonical form. A correction after publication is a new revision; the earlier ones stay as they were.
public struct PublishedResult: Codable, Sendable, Equatable {
    public var round: UUID
    public var revision: Int
    public var outcomes: [UnitOutcome]
    public var ranking: [RankedUnit]

    public init(round: UUID, revision: Int, outcomes: [UnitOutcome], ranking: [RankedUnit]) {
        self.round = round; self.revision = revision; self.outcomes = outcomes; self.ranking = ranking
    }

    /// Sorted keys, no extra white space: the same result gives the same bytes on any machine.
    public var canonical: Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(self)) ?? Data()
    }

    /// SHA-256 of the canonical form, in hex.
    public var digest: String { Hex.lower(SHA256Digest.hash(Array(canonical))) }

    /// What changed from `earlier` to this revision, one line per unit ("Thanh tra tỉnh: B1 6,5 → 7; tổng 88,5 → 89;
    /// hạng 3 → 2"), in the order of this ranking; empty when nothing did.
    public func changes(from earlier: PublishedResult) -> [String] {
        let before = Dictionary(earlier.outcomes.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        let rankBefore = Dictionary(earlier.ranking.map { ($0.unit, $0.rank) }, uniquingKeysWith: { a, _ in a })
        let now = Dictionary(outcomes.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [String] = []
        for r in ranking {
            guard let o = now[r.unit] else { continue }
            guard let b = before[r.unit] else { out.append("\(o.name): mới có trong kết quả."); continue }
            var parts: [String] = []
            let old = Dictionary(b.criteria.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            for c in o.criteria where !c.isGroup {
                let was = old[c.code]
                if was?.final != c.final || was?.status != c.status {
                    parts.append("\(c.code) \(Self.text(was)) → \(Self.text(c))")
                }
            }
            if b.total != o.total { parts.append("tổng \(b.total) → \(o.total)") }
            if b.band != o.band { parts.append("xếp loại \(b.band ?? "–") → \(o.band ?? "–")") }
            if let rb = rankBefore[r.unit], rb != r.rank { parts.append("hạng \(rb) → \(r.rank)") }
            if !parts.isEmpty { out.append("\(o.name): " + parts.joined(separator: "; ")) }
        }
        return out
    }

    /// A criterion's score as shown: "6,5", "không áp dụng" or "chưa có điểm".
    public static func text(_ c: CriterionOutcome?) -> String {
        guard let c else { return "–" }
        if let f = c.final { return "\(f)" }
        return c.status == .notApplicable ? "không áp dụng" : "chưa có điểm"
    }
}
