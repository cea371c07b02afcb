import Foundation

/// A share written as a fraction (90 % is 90/100, two thirds is 2/3), compared in integers only: `count / total ≥
/// numerator / denominator` is checked as `count × denominator ≥ numerator × total`, never in floating point.
public struct Share: Codable, Sendable, Hashable, CustomStringConvertible {
    public var numerator: Int
    public var denominator: Int

    /// Percents and denominators are bounded so that no product overflows (counts are bounded by `Share.maxCount`).
    public static let maxDenominator = 1_000
    public static let maxCount = 1_000_000

    public init(_ numerator: Int, _ denominator: Int) throws {
        guard denominator >= 1, denominator <= Share.maxDenominator, numerator >= 0, numerator <= denominator else {
            throw DomainError.invalid("Tỷ lệ phải là một phân số từ 0 đến 1 (mẫu số từ 1 đến \(Share.maxDenominator)).", field: "share")
        }
        self.numerator = numerator; self.denominator = denominator
    }

    public static func percent(_ p: Int) throws -> Share {
        guard (0...100).contains(p) else { throw DomainError.invalid("Tỷ lệ phần trăm phải từ 0 đến 100.", field: "percent") }
        return try Share(p, 100)
    }

    /// `count / total` compared with the share, exactly. A total of 0 reaches no positive share.
    public func reached(_ count: Int, of total: Int, strictly: Bool) -> Bool {
        let c = min(max(count, 0), Share.maxCount), t = min(max(total, 0), Share.maxCount)
        if t == 0 { return numerator == 0 && !strictly }
        let lhs = c * denominator, rhs = numerator * t
        return strictly ? lhs > rhs : lhs >= rhs
    }

    /// "90 %" for a share of 100, else "2/3".
    public var description: String {
        denominator == 100 ? "\(numerator) %" : "\(numerator)/\(denominator)"
    }

    /// `count / total` as a percentage with one decimal, rounded half up ("8/9" is "88,9 %"); when that would show a
    /// figure at or above a share the exact value does not reach (899/1000 of 90 %), rounded down instead, so that the
    /// figure never contradicts the verdict.
    public static func percentText(_ count: Int, of total: Int, below share: Share? = nil) -> String {
        let c = min(max(count, 0), maxCount), t = min(max(total, 0), maxCount)
        guard t > 0 else { return "–" }
        var tenths = (c * 2_000 + t) / (2 * t)
        if let share, tenths * share.denominator >= share.numerator * 1_000 { tenths = c * 1_000 / t }
        return "\(tenths / 10),\(tenths % 10) %"
    }
}

/// What a vote's count is measured against.
public enum VoteBase: String, Codable, Sendable, CaseIterable {
    /// Every eligible member (the council's or the bloc's members), present or not: the rule of ND 98/2023 Art. 30
    /// cl. 7 and ND 91/2017 Art. 45 cl. 8 ("tổng số thành viên").
    case allMembers
    /// The valid votes cast (with the written opinions the rule counts).
    case validVotes

    public var label: String {
        switch self {
        case .allMembers: "tổng số thành viên"
        case .validVotes: "số phiếu hợp lệ"
        }
    }
}

/// The rule a candidate must meet to pass: votes for at least (or more than) a share of a base, with where the rule
/// comes from (an article, a bloc's own rule) and how sure the reading is.
public struct PassRule: Codable, Sendable, Hashable {
    public var share: Share
    public var base: VoteBase
    /// "More than half" (quá bán) is strict; "at least 90 %" is not.
    public var strictly: Bool
    /// Whether the written opinions of absent members count as votes (ND 91/2017 Art. 45 cl. 8: they do).
    public var countWrittenOpinions: Bool
    public var cites: String
    public var confidence: Confidence

    public init(share: Share, base: VoteBase, strictly: Bool = false, countWrittenOpinions: Bool = true, cites: String, confidence: Confidence) {
        self.share = share; self.base = base; self.strictly = strictly; self.countWrittenOpinions = countWrittenOpinions
        self.cites = cites; self.confidence = confidence
    }

    /// More than half of the valid votes: the majority principle, when nothing more specific applies.
    public static let majority = PassRule(share: Share.half, base: .validVotes, strictly: true,
                                          cites: "Nguyên tắc đa số (NĐ 98/2023/NĐ-CP, Điều 47 – Hội đồng Thi đua – Khen thưởng Trung ương)",
                                          confidence: .unconfirmed)

    /// "Đạt (9/10 = 90,0 % ≥ 90 % tổng số thành viên)" or "không đạt (8/9 = 88,9 % < 90 % tổng số thành viên)".
    public func decide(votesFor: Int, total: Int) -> (passed: Bool, arithmetic: String) {
        let passed = share.reached(votesFor, of: total, strictly: strictly)
        let sign = passed ? (strictly ? ">" : "≥") : (strictly ? "≤" : "<")
        let shown = Share.percentText(votesFor, of: total, below: passed ? nil : share)
        let text = "\(votesFor)/\(total) = \(shown) \(sign) \(share) \(base.label) → \(passed ? "đạt" : "không đạt")"
        return (passed, text)
    }

    /// The rule in words, for the result and the minutes.
    public var text: String {
        "\(strictly ? "trên" : "từ") \(share)\(strictly ? "" : " trở lên") \(base.label) đồng ý"
            + (countWrittenOpinions ? " (tính cả ý kiến bằng văn bản của thành viên vắng mặt)" : "")
    }
}

extension Share {
    /// One half (for "more than half").
    public static let half = Share(unchecked: 1, 2)
    public static let twoThirds = Share(unchecked: 2, 3)

    init(unchecked numerator: Int, _ denominator: Int) { self.numerator = numerator; self.denominator = denominator }
}

/// The attendance a question needs before it opens (e.g. at least 2/3 of the members present: ND 98/2023 Art. 47
/// for the Central Council).
public struct Quorum: Codable, Sendable, Hashable {
    public var share: Share
    public var cites: String

    public init(share: Share, cites: String) { self.share = share; self.cites = cites }

    public static let twoThirds = Quorum(share: .twoThirds, cites: "NĐ 98/2023/NĐ-CP, Điều 47 (Hội đồng Trung ương: cuộc họp hợp lệ khi có ít nhất 2/3 tổng số thành viên dự)")

    /// Nil when `present` of `members` reach it, else the 409's reason.
    public func refusal(present: Int, members: Int) -> String? {
        if share.reached(present, of: members, strictly: false), present > 0 { return nil }
        let needed = Self.needed(share, members: members)
        return "Chưa đủ số thành viên dự: có mặt \(present)/\(members), cần ít nhất \(needed) (\(share) tổng số thành viên; \(cites))."
    }

    /// The least number present that reaches `share` of `members`.
    public static func needed(_ share: Share, members: Int) -> Int {
        let m = min(max(members, 0), Share.maxCount)
        // ceil(numerator × m / denominator), at least 1.
        return max(1, (share.numerator * m + share.denominator - 1) / share.denominator)
    }
}
