import Foundation

/// A rule that separates units with the same total, in the order the bloc set them.
public enum TieBreak: Hashable, Codable, Sendable {
    /// Higher total (always the first rule).
    case total
    /// More applicable criteria at their maximum.
    case criteriaAtMaximum
    /// Higher score in the named group (e.g. the first group of criteria).
    case group(String)
    /// Fewer penalty points.
    case fewerPenaltyPoints

    public var label: String {
        switch self {
        case .total: "tổng điểm cao hơn"
        case .criteriaAtMaximum: "nhiều tiêu chí đạt điểm tối đa hơn"
        case .group(let code): "điểm nhóm \(code) cao hơn"
        case .fewerPenaltyPoints: "ít điểm trừ hơn"
        }
    }

    /// The unit's value for this rule, larger is better.
    func key(_ o: UnitOutcome) -> Int64 {
        switch self {
        case .total: o.total.hundredths
        case .criteriaAtMaximum:
            Int64(o.criteria.filter { !$0.isGroup && $0.kind != .adjustment && $0.status == .scored && $0.final == $0.maximum && $0.maximum > .zero }.count)
        case .group(let code): o.outcome(code)?.final?.hundredths ?? 0
        case .fewerPenaltyPoints: -o.penalty.hundredths
        }
    }
}

/// A unit's place: units that no rule separates share a rank (1, 2, 2, 4) and are reported as tied.
public struct RankedUnit: Hashable, Codable, Sendable {
    public var unit: UUID
    public var name: String
    public var rank: Int
    public var total: Points
    public var band: String?
    /// Tied with another unit on every rule of the chain.
    public var tied: Bool
    /// For a unit whose total equals the one above it: the rule that put it below (nil when tied).
    public var separatedFromAboveBy: String?

    public init(unit: UUID, name: String, rank: Int, total: Points, band: String?, tied: Bool, separatedFromAboveBy: String?) {
        self.unit = unit; self.name = name; self.rank = rank; self.total = total; self.band = band; self.tied = tied
        self.separatedFromAboveBy = separatedFromAboveBy
    }
}

public enum Ranking {
    /// The units in rank order by the chain (`.total` is always applied first). Units equal on every rule share a
    /// rank and are marked tied; among them the order shown is by name, which decides nothing.
    public static func rank(_ outcomes: [UnitOutcome], chain: [TieBreak]) -> [RankedUnit] {
        let rules = [TieBreak.total] + chain.filter { $0 != .total }
        let keyed = outcomes.map { o in (o, rules.map { $0.key(o) }, VietnameseText.collationKey(o.name)) }
        let sorted = keyed.sorted { a, b in
            if a.1 != b.1 { return a.1.lexicographicallyPrecedes(b.1, by: >) }
            if a.2 != b.2 { return a.2.lexicographicallyPrecedes(b.2) }
            return a.0.unit.uuidString < b.0.unit.uuidString
        }
        var out: [RankedUnit] = []
        for (i, (o, keys, _)) in sorted.enumerated() {
            var rank = i + 1
            var separatedBy: String?
            var tied = false
            if i > 0 {
                let (_, above, _) = sorted[i - 1]
                if above == keys {
                    rank = out[i - 1].rank
                    tied = true
                    out[i - 1].tied = true
                } else if above[0] == keys[0], let r = keys.indices.first(where: { above[$0] != keys[$0] }) {
                    separatedBy = rules[r].label
                }
            }
            out.append(RankedUnit(unit: o.unit, name: o.name, rank: rank, total: o.total, band: o.band, tied: tied, separatedFromAboveBy: separatedBy))
        }
        return out
    }
}
