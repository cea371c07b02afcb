import Foundation

/// Who votes: the bloc's members (one representative per unit) or the council's members.
public enum VoteBody: String, Codable, Sendable, CaseIterable {
    case bloc, council

    public var label: String {
        switch self {
        case .bloc: "Khối thi đua"
        case .council: "Hội đồng Thi đua – Khen thưởng"
        }
    }
}

/// A vote threshold of the catalogue (`voteRules:`): for a body, award kinds (none: any award) and regimes, the share
/// to reach, of what, the attendance quorum, and the article.
public struct VoteRuleEntry: Sendable, Hashable, Codable {
    public var body: VoteBody
    public var awards: [String]
    public var regimes: [String]
    public var rule: PassRule
    public var quorum: Quorum?
    public var line: Int
}

extension Catalogue {
    /// The rule to pass and the quorum for a vote of `body` on `award` under `regime`: the entry naming the award,
    /// else the body's general entry, else the majority principle (labelled unconfirmed).
    public func voteRule(body: VoteBody, award: String?, regime: String) -> (rule: PassRule, quorum: Quorum?) {
        let forBody = voteRules.filter { $0.body == body && $0.regimes.contains(regime) }
        if let award, let e = forBody.first(where: { $0.awards.contains(award) }) { return (e.rule, e.quorum ?? general(forBody)) }
        if let e = forBody.first(where: { $0.awards.isEmpty }) { return (e.rule, e.quorum) }
        return (.majority, nil)
    }

    private func general(_ entries: [VoteRuleEntry]) -> Quorum? { entries.first { $0.awards.isEmpty }?.quorum }
}

extension CatalogueLoader {
    /// `voteRules:` entries: body, awards (optional), regimes, pass ("90 %" or "2/3"), base (allMembers or
    /// validVotes), strictly, writtenOpinions, quorum, cites, confidence.
    func voteRules(_ node: YNode?, _ ctx: Context, line: Int) throws -> [VoteRuleEntry] {
        try list(node, "voteRules", line, optional: true).map { node in
            let m = try map(node, allowed: ["body", "awards", "regimes", "pass", "base", "strictly", "writtenOpinions", "quorum", "quorumCites", "cites", "confidence"])
            guard let body = VoteBody(rawValue: try string(m, "body", node.line)) else { throw fail(node.line, "body phải là bloc hoặc council") }
            let awards = m["awards"] == nil ? [] : try stringList(m, "awards", node.line)
            for a in awards where ctx.awards[a] == nil { throw fail(node.line, "mã danh hiệu “\(a)” không có trong danh mục") }
            let regimes = try stringList(m, "regimes", node.line)
            for r in regimes where !ctx.regimes.contains(r) { throw fail(node.line, "chế độ pháp lý “\(r)” chưa được khai báo") }
            guard let share = Self.share(try string(m, "pass", node.line)) else { throw fail(node.line, "pass phải là “90 %” hoặc một phân số như “2/3”") }
            guard let base = VoteBase(rawValue: try string(m, "base", node.line)) else { throw fail(node.line, "base phải là allMembers hoặc validVotes") }
            let cites = try string(m, "cites", node.line)
            var quorum: Quorum?
            if m["quorum"] != nil {
                guard let q = Self.share(try string(m, "quorum", node.line)) else { throw fail(node.line, "quorum phải là “80 %” hoặc một phân số như “2/3”") }
                quorum = Quorum(share: q, cites: m["quorumCites"] == nil ? cites : try string(m, "quorumCites", node.line))
            }
            let rule = PassRule(share: share, base: base, strictly: try bool(m, "strictly", node.line) ?? false,
                                countWrittenOpinions: try bool(m, "writtenOpinions", node.line) ?? true, cites: cites, confidence: try confidence(m, node.line))
            return VoteRuleEntry(body: body, awards: awards, regimes: regimes, rule: rule, quorum: quorum, line: node.line)
        }
    }

    static func share(_ text: String) -> Share? { Share.parse(text) }
}

extension Share {
    /// "90 %", "90%" or "2/3"; nil for anything else or out of range (a bare number is refused: percent or count?).
    public static func parse(_ text: String) -> Share? {
        let t = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
        guard !t.isEmpty, t.count <= 12 else { return nil }
        if t.hasSuffix("%"), let p = Int(t.dropLast()) { return try? Share.percent(p) }
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, let n = Int(parts[0]), let d = Int(parts[1]) { return try? Share(n, d) }
        return nil
    }

    /// Whether this share asks at least as much as `other` (compared in integers).
    public func atLeast(_ other: Share) -> Bool { numerator * other.denominator >= other.numerator * denominator }
}

extension Quorum {
    /// The quorum a question opens with: the stricter of the catalogue's (for its body, award and regime) and the
    /// session's own (a bloc's or council's rules may ask more; they never lower what the catalogue sets).
    public static func effective(catalogue: Quorum?, session: Quorum?) -> Quorum? {
        guard let session else { return catalogue }
        guard let catalogue else { return session }
        return session.share.atLeast(catalogue.share) ? session : catalogue
    }
}
