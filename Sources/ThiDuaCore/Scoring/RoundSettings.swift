import Foundation

/// Mid-year (sơ kết) or year-end (tổng kết): the same machinery; the year-end round follows the year's deadlines.
public enum RoundKind: String, Codable, Sendable, CaseIterable {
    case midYear, yearEnd

    public var label: String {
        switch self {
        case .midYear: "Sơ kết 6 tháng"
        case .yearEnd: "Tổng kết năm"
        }
    }
}

/// How a round is reviewed and consolidated, chosen by the leader before the round opens and stored with it, so
/// that the result can be recomputed from the round's own data.
public struct RoundSettings: Hashable, Codable, Sendable {
    public var method: ReviewMethod
    /// Who scores whom; nil for a round reviewed by the leader alone.
    public var plan: CrossScoringPlan?
    public var rule: ConsolidationRule
    /// After the total (always first).
    public var tieBreaks: [TieBreak]
    public var diagnostics: ScoringDiagnostics.Settings

    public init(method: ReviewMethod, plan: CrossScoringPlan?, rule: ConsolidationRule, tieBreaks: [TieBreak],
                diagnostics: ScoringDiagnostics.Settings = .init()) {
        self.method = method; self.plan = plan; self.rule = rule; self.tieBreaks = tieBreaks; self.diagnostics = diagnostics
    }

    /// What a new round starts with: every member scores every other, the mean of the peers, a third scoring where
    /// peers differ by more than 20 % of the scale, bonus and penalty each within 5 % of it, the bands at 95 % (no
    /// criterion at 0), 80 %, 65 % and 50 % of the scale's maximum, ties broken by criteria at maximum, the first group,
    /// then fewer penalty points. The leader changes any of it before opening.
    public static func defaults(scale: [Criterion]) -> RoundSettings {
        let maximum = Points.sum(scale.filter { $0.kind != .adjustment }.map { Points(stored: $0.maxPoints) ?? .zero })
        func share(_ percent: Int64) -> Points { Points.scaled(maximum, by: percent, over: 100) }
        let firstGroup = scale.first { $0.kind != .adjustment && !$0.children.isEmpty }?.code
        return RoundSettings(
            method: .both, plan: .everyone,
            rule: ConsolidationRule(aggregator: .mean, disagreementGap: nil, bonusCap: share(5), penaltyCap: share(5), normalise: true,
                                    bands: [ScoreBand(name: "Xuất sắc", minimum: share(95), noCriterionAtZero: true),
                                            ScoreBand(name: "Tốt", minimum: share(80)),
                                            ScoreBand(name: "Khá", minimum: share(65)),
                                            ScoreBand(name: "Trung bình", minimum: share(50))],
                                    caps: [BandCap(flag: "headDisciplined", highestBand: "Khá",
                                                   reason: "Người đứng đầu đơn vị bị kỷ luật trong năm (quy định của khối, chưa xác nhận với văn bản của tỉnh).")]),
            tieBreaks: [.criteriaAtMaximum] + (firstGroup.map { [TieBreak.group($0)] } ?? []) + [.fewerPenaltyPoints])
    }

    /// Checks what the leader set against the round's members and scale: a plan when peers score, none when only the
    /// leader does; an aggregator that fits the method; a rotation within the members; tie-breaks naming groups of the
    /// scale, each once; the rule's own checks.
    public func validated(members: Int, scale: [Criterion]) throws -> RoundSettings {
        var s = self
        s.rule = try rule.validated()
        switch method {
        case .leaderReview:
            guard rule.aggregator == .leaderReview else {
                throw DomainError.invalid("Trưởng khối thẩm định: điểm cuối cùng là điểm thẩm định; hãy chọn cách tổng hợp “\(Aggregator.leaderReview.label)”.", field: "aggregator")
            }
            s.plan = nil
        case .crossScoring, .both:
            guard rule.aggregator != .leaderReview else {
                throw DomainError.invalid("Có chấm chéo: hãy chọn trung bình, trung vị hoặc trung bình bỏ điểm cao nhất và thấp nhất.", field: "aggregator")
            }
            guard let plan else { throw DomainError.invalid("Hãy chọn cách phân công chấm chéo.", field: "plan") }
            if case .rotation(let k, _) = plan, k < 1 || k > members - 1 {
                throw DomainError.invalid("Mỗi đơn vị được \(k) đơn vị chấm: phải từ 1 đến \(max(1, members - 1)) (số thành viên trừ một).", field: "k")
            }
        }
        let groups = Set(ScoringScale.flatten(scale).filter { !$0.criterion.children.isEmpty }.map(\.criterion.code))
        var seen = Set<TieBreak>()
        try Bounded.list(tieBreaks, field: "tieBreaks", label: "Tiêu chí phụ xếp hạng", max: 20)
        for t in tieBreaks {
            if case .group(let code) = t, !groups.contains(code) {
                throw DomainError.invalid("Tiêu chí phụ xếp hạng: “\(code.prefix(Bounded.codeLength))” không phải nhóm tiêu chí trong thang điểm.", field: "tieBreaks")
            }
            guard seen.insert(t).inserted else { throw DomainError.invalid("Tiêu chí phụ xếp hạng “\(t.label)” bị lặp.", field: "tieBreaks") }
        }
        s.tieBreaks = tieBreaks.filter { $0 != .total }
        return s
    }
}

extension TieBreak {
    /// The stored and typed form: "criteriaAtMaximum", "fewerPenaltyPoints", "group:A".
    public var key: String {
        switch self {
        case .total: "total"
        case .criteriaAtMaximum: "criteriaAtMaximum"
        case .fewerPenaltyPoints: "fewerPenaltyPoints"
        case .group(let code): "group:" + code
        }
    }

    public init?(key: String) {
        switch key {
        case "total": self = .total
        case "criteriaAtMaximum": self = .criteriaAtMaximum
        case "fewerPenaltyPoints": self = .fewerPenaltyPoints
        default:
            guard key.hasPrefix("group:"), Bounded.isSafeCode(String(key.dropFirst(6))) else { return nil }
            self = .group(String(key.dropFirst(6)))
        }
    }
}

/// The settings as a form or the API sends them: plain fields, every number bounded here.
public struct RoundSettingsInput: Codable, Sendable, Equatable {
    public var method: String?
    /// "everyone" or "rotation".
    public var plan: String?
    public var k: Int?
    public var seed: UInt64?
    public var aggregator: String?
    public var disagreementGap: Double?
    public var bonusCap: Double?
    public var penaltyCap: Double?
    /// True removes the cap (a value given with it is refused): a form's empty field.
    public var noBonusCap: Bool?
    public var noPenaltyCap: Bool?
    public var normalise: Bool?
    public var bands: [Band]?
    public var tieBreaks: [String]?

    public struct Band: Codable, Sendable, Equatable {
        public var name: String
        public var minimum: Double?
        public var noCriterionAtZero: Bool?
        public init(name: String, minimum: Double?, noCriterionAtZero: Bool? = nil) {
            self.name = name; self.minimum = minimum; self.noCriterionAtZero = noCriterionAtZero
        }
    }

    public init(method: String? = nil, plan: String? = nil, k: Int? = nil, seed: UInt64? = nil, aggregator: String? = nil,
                disagreementGap: Double? = nil, bonusCap: Double? = nil, penaltyCap: Double? = nil, normalise: Bool? = nil,
                bands: [Band]? = nil, tieBreaks: [String]? = nil, noBonusCap: Bool? = nil, noPenaltyCap: Bool? = nil) {
        self.noBonusCap = noBonusCap; self.noPenaltyCap = noPenaltyCap
        self.method = method; self.plan = plan; self.k = k; self.seed = seed; self.aggregator = aggregator
        self.disagreementGap = disagreementGap; self.bonusCap = bonusCap; self.penaltyCap = penaltyCap; self.normalise = normalise
        self.bands = bands; self.tieBreaks = tieBreaks
    }

    /// The settings after applying what is given to `current` (a field left out keeps its value), checked.
    public func applied(to current: RoundSettings, members: Int, scale: [Criterion]) throws -> RoundSettings {
        var s = current
        let maximum = Points(hundredths: Points.limit)
        if let m = method {
            guard let v = ReviewMethod(rawValue: m) else { throw DomainError.invalid("Cách chấm “\(m.prefix(40))” không có.", field: "method") }
            s.method = v
        }
        if let a = aggregator {
            guard let v = Aggregator(rawValue: a) else { throw DomainError.invalid("Cách tổng hợp “\(a.prefix(40))” không có.", field: "aggregator") }
            s.rule.aggregator = v
        }
        if let p = plan {
            switch p {
            case "everyone": s.plan = .everyone
            case "rotation":
                let k = try Bounded.int(k, field: "k", label: "Số đơn vị chấm mỗi đơn vị", in: 1...1_000)
                var seed = self.seed
                if seed == nil, case .rotation(_, let old)? = current.plan { seed = old }
                s.plan = .rotation(k: k, seed: seed ?? 2026)
            default: throw DomainError.invalid("Cách phân công “\(p.prefix(40))” không có (everyone, rotation).", field: "plan")
            }
        }
        if s.method == .leaderReview { s.plan = nil } else if s.plan == nil { s.plan = .everyone }
        // A method changed alone brings its aggregator along; one given with it is checked against it.
        if aggregator == nil {
            if s.method == .leaderReview { s.rule.aggregator = .leaderReview } else if s.rule.aggregator == .leaderReview { s.rule.aggregator = .mean }
        }
        func optionalPoints(_ v: Double?, _ field: String, _ label: String) throws -> Points? {
            guard let v else { return nil }
            if v == 0 { return .zero }
            return try Points.parse(v, max: maximum, field: field, label: label)
        }
        // A value given replaces the old one; 0 for the gap means no disagreement check.
        if disagreementGap != nil {
            let g = try optionalPoints(disagreementGap, "disagreementGap", "Ngưỡng chênh lệch điểm chấm chéo")
            s.rule.disagreementGap = g == .zero ? nil : g
        }
        func cap(_ v: Double?, remove: Bool?, _ field: String, _ label: String, current: Points?) throws -> Points? {
            if remove == true {
                guard v == nil else { throw DomainError.invalid("\(label): hoặc nhập mức trần, hoặc bỏ mức trần, không cả hai.", field: field) }
                return nil
            }
            return v == nil ? current : try optionalPoints(v, field, label)
        }
        s.rule.bonusCap = try cap(bonusCap, remove: noBonusCap, "bonusCap", "Mức trần điểm thưởng", current: s.rule.bonusCap)
        s.rule.penaltyCap = try cap(penaltyCap, remove: noPenaltyCap, "penaltyCap", "Mức trần điểm trừ", current: s.rule.penaltyCap)
        if let n = normalise { s.rule.normalise = n }
        if let bands {
            try Bounded.list(bands, field: "bands", label: "Mức xếp loại", max: 20)
            s.rule.bands = try bands.map { b in
                let name = try Validate.name(b.name, field: "bands", label: "Tên mức xếp loại", maxLength: 60)
                return ScoreBand(name: name, minimum: try Points.parse(b.minimum, max: maximum, field: "bands", label: "Điểm tối thiểu của mức “\(name)”"),
                                 noCriterionAtZero: b.noCriterionAtZero ?? false)
            }
            let names = Set(s.rule.bands.map(\.name))
            s.rule.caps = s.rule.caps.filter { names.contains($0.highestBand) }
        }
        if let tieBreaks {
            try Bounded.list(tieBreaks, field: "tieBreaks", label: "Tiêu chí phụ xếp hạng", max: 20)
            s.tieBreaks = try tieBreaks.filter { !$0.isEmpty }.map { raw in
                guard let t = TieBreak(key: raw) else {
                    throw DomainError.invalid("Tiêu chí phụ xếp hạng “\(raw.prefix(40))” không có (criteriaAtMaximum, group:MÃ, fewerPenaltyPoints).", field: "tieBreaks")
                }
                return t
            }
        }
        return try s.validated(members: members, scale: scale)
    }
}

extension RoundSettingsInput {
    /// Bands typed one per line in a form: "Xuất sắc | 95 | 1" (name, lowest total, 1 when no criterion may be at 0).
    public static func bands(fromText text: String) throws -> [Band] {
        try VietnameseText.lines(text).enumerated().compactMap { i, line in
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.allSatisfy(\.isEmpty) { return nil }
            guard parts.count == 2 || parts.count == 3 else {
                throw DomainError.invalid("Mức xếp loại, dòng \(i + 1): hãy viết “Tên | Điểm tối thiểu | 1 nếu không được có tiêu chí 0 điểm”.", field: "bands")
            }
            let minimum = try Bounded.decimal(text: parts[1], field: "bands", label: "Mức xếp loại, dòng \(i + 1)")
            return Band(name: parts[0], minimum: minimum, noCriterionAtZero: parts.count == 3 && parts[2] == "1")
        }
    }
}
