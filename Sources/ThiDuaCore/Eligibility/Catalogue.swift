import Foundation

/// How sure we are of a rule's legal text (LAW-AND-PRACTICE.md markers).
public enum Confidence: String, Codable, Sendable, CaseIterable {
    /// The legal text (or a faithful copy) says it.
    case confirmed
    /// Taken from an older text or a sector circular by analogy.
    case olderText
    /// Not confirmed: a reading or inference; shown as such in every explanation.
    case unconfirmed

    public var label: String {
        switch self {
        case .confirmed: "đã xác nhận"
        case .olderText: "theo văn bản cũ / văn bản ngành"
        case .unconfirmed: "CHƯA XÁC NHẬN"
        }
    }
}

public enum AwardCategory: String, Codable, Sendable { case title, form }

/// An award kind of the catalogue (GLOSSARY codes).
public struct AwardKind: Sendable, Codable, Hashable {
    public var code: String
    public var name: String
    public var category: AwardCategory
    /// Individuals, collectives, or both (e.g. BK_TINH).
    public var subjects: [SubjectType]
    /// Prize as a multiple of the base salary, when the decree sets one.
    public var prizeMultiple: Double?
    /// True for state-level awards (decided by the Prime Minister or the President).
    public var stateLevel: Bool
    /// Armed-forces titles (CSTT, ĐVTT, ĐVQT) or civil ones (LĐTT, TTLĐTT, TTLĐXS); nil for both.
    public var track: AwardTrack?
    /// A ministry's or sector's award of the same level as a kind of the catalogue (Bằng khen of the Ministry of Defence
    /// as BK_TINH, CSTĐ toàn quân as CSTD_TINH): it counts where the rules ask for that kind ("Bằng khen cấp bộ, ban,
    /// ngành, tỉnh"), and its achievement years are used up for both (one achievement, one award of a level).
    public var sameLevelAs: String? = nil
    /// Where the law leaves the criteria to each ministry, sector or province (Giấy khen): the article that says so,
    /// shown when a province's file gives no rule.
    public var criteriaSetBy: String? = nil
    /// The body that awards it, for the sector kinds (Bộ Quốc phòng …).
    public var issuer: String? = nil
}

/// The two parallel title ladders: civil and armed forces.
public enum AwardTrack: String, Codable, Sendable { case civil, armed }

/// A legal regime, chosen by the date of consideration.
public struct Regime: Sendable, Hashable {
    public var id: String
    public var name: String
    public var from: Day
    public var to: Day?
    public var note: String?
    /// Conditions every rule of this regime also requires (no freeze, no discipline …).
    public var requires: [ConditionNode] = []

    public func covers(_ day: Day) -> Bool { from <= day && (to.map { day <= $0 } ?? true) }
}

/// A condition of a rule, as data.
public indirect enum Condition: Sendable, Hashable {
    case all([ConditionNode])
    case any([ConditionNode])
    /// Rating at least `atLeast` in the evaluation year.
    case rating(atLeast: TaskRating)
    /// A merit award `kind` in the evaluation year.
    case holds(kind: String)
    /// `years` occurrences of merit award `kind`, `every` years apart, ending at the evaluation year.
    case streak(kind: String, years: Int, every: Int)
    /// Rating at least `atLeast` in each of the `years` years ending at the evaluation year.
    case ratingStreak(atLeast: TaskRating, years: Int)
    /// At least `times` years rated at least `atLeast` among the `within` years ending at the evaluation year.
    case ratingCount(atLeast: TaskRating, times: Int, within: Int)
    /// At least `times` merit awards `kind` among the `within` years ending at the evaluation year.
    case count(kind: String, times: Int, within: Int)
    /// At least `times` initiatives of scope ≥ `scope` recognised in the `within` years ending at the
    /// evaluation year and not consumed by another award.
    case initiatives(scope: InitiativeScope, times: Int, within: Int)
    /// A merit award `kind` received in a year at least `before` years before the evaluation year.
    case earlier(kind: String, before: Int)
    /// No discipline overlapping the `years` years ending at the evaluation year.
    case noDiscipline(years: Int)
    /// Not under review, investigation or inspection on the date of consideration.
    case noFreeze
    /// Share of members holding `title` (LDTT) in the evaluation year: ≥ `percent` (or > when `strict`).
    case memberShare(title: String, percent: Double, strict: Bool)
    /// Every member completed their tasks in the evaluation year.
    case allMembersCompleted
    /// At least `count` members held CSTDCS in the evaluation year.
    case membersWithCSTDCS(atLeast: Int)
    /// No member disciplined (warning or above) in the evaluation year.
    case noMemberDisciplined
    /// Led its bloc in the evaluation year.
    case ledBloc
    /// Meets the rule of another award in the same year and regime.
    case eligibleFor(kind: String)
    /// An individual in service at least `months` full months by the end of the evaluation year (people recruited
    /// later are not considered for LĐTT/CSTT): from the start-of-service date, or, without it, from facts of an
    /// earlier year that show the person was in service before the year began.
    case inServiceMonths(Int)
}

/// A condition with its legal citation and how sure we are of it.
public struct ConditionNode: Sendable, Hashable {
    public var condition: Condition
    public var cites: String?
    public var confidence: Confidence?
    /// Overrides the generated text.
    public var text: String?
    public var line: Int
    /// Applies only where this flag parameter (`CatalogueParameter.isFlag`) is true in the regime: a condition the law
    /// leaves to the province or sector (e.g. CO_TINH_REQUIRES_TTLDXS).
    public var onlyIf: String? = nil

    /// The node as it applies where `flag` says which flag parameters are on: conditions whose `onlyIf` is off are left
    /// out (nil when nothing is left), and those kept cite the parameter that keeps them.
    func applying(_ flag: (String) -> CatalogueParameter?) -> ConditionNode? {
        var node = self
        if let id = onlyIf {
            guard let p = flag(id), p.value != 0 else { return nil }
            node = node.citing("tham số \(id) = có: \(p.cites)")
        }
        switch node.condition {
        case .all(let children), .any(let children):
            let kept = children.compactMap { $0.applying(flag) }
            guard !kept.isEmpty else { return nil }
            if case .all = node.condition { node.condition = .all(kept) } else { node.condition = .any(kept) }
        default: break
        }
        return node
    }

    /// The node with `extra` added to the citation of every leaf under it.
    func citing(_ extra: String) -> ConditionNode {
        var node = self
        switch condition {
        case .all(let children): node.condition = .all(children.map { $0.citing(extra) })
        case .any(let children): node.condition = .any(children.map { $0.citing(extra) })
        default: node.cites = [cites, extra].compactMap { $0 }.joined(separator: "; ")
        }
        return node
    }
}

/// The interval between two awards (Decree 98/2023 Art. 30 cl. 9): the achievement years, and the initiatives
/// recognised in them, that earned the last award of one of the kinds `after` cannot earn this award again; the
/// rule's year-based conditions count only the years after them (`AwardFact.usedUpTo`).
public struct IntervalRule: Sendable, Hashable {
    public var after: [String]
    /// The regimes of the rule this entry applies in (nil: all of them), so that each regime says how sure it is.
    public var regimes: [String]?
    public var cites: String
    public var confidence: Confidence
    public var line: Int
}

/// The rule of an award under one or more regimes.
public struct AwardRule: Sendable, Hashable {
    public var award: String
    public var regimes: [String]
    public var subject: SubjectType
    public var when: ConditionNode
    public var note: String?
    public var line: Int
    public var intervals: [IntervalRule] = []

    /// The interval that applies under `regime`, if any.
    public func interval(in regime: String) -> IntervalRule? {
        intervals.first { $0.regimes?.contains(regime) ?? true }
    }
}

/// A parameter of the catalogue (quotas, caps, thresholds, conditions a province or sector sets): data, not code.
public struct CatalogueParameter: Sendable, Hashable, Codable {
    public var id: String
    public var regimes: [String]
    /// The number; for a flag (`isFlag`), 1 for true and 0 for false.
    public var value: Double
    public var text: String
    public var cites: String
    public var confidence: Confidence
    /// A yes/no parameter (`value: true` or `false` in the file), e.g. whether a condition applies (`ConditionNode.onlyIf`).
    public var isFlag: Bool = false
    /// The file that set it: the shipped catalogue or a province's file that overrides it.
    public var source: String? = nil

    /// The value as the file writes it (`15`, `0,5`, `true`).
    public var valueText: String {
        if isFlag { return value != 0 ? "true" : "false" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Award kinds, regimes, rules and parameters, loaded from one or more catalogue files.
public struct Catalogue: Sendable {
    public var name: String
    public var version: String
    public var regimes: [Regime]
    public var awards: [String: AwardKind]
    public var rules: [AwardRule]
    public var parameters: [CatalogueParameter]
    /// Vote thresholds and quorums for the bloc's and the council's ballots (`Catalogue.voteRule`).
    public var voteRules: [VoteRuleEntry] = []
    /// (award, regime) → rule index.
    var ruleIndex: [String: [String: Int]]

    public var awardCodes: [String] { awards.keys.sorted() }
    /// The province's own kinds (no `issuer`), by code: what a unit registers for and a dossier proposes.
    public var provincialCodes: [String] { awardCodes.filter { awards[$0]?.issuer == nil } }
    /// Every kind, the province's first and then the ministries' and sectors' (by issuer): the register's choice list.
    public var registerCodes: [String] {
        let sector = awardCodes.compactMap { code in awards[code]?.issuer.map { ($0, code) } }.sorted { $0 < $1 }
        return provincialCodes + sector.map(\.1)
    }

    public func regime(for day: Day) -> Regime? {
        regimes.filter { $0.covers(day) }.max { $0.from < $1.from }
    }

    public func regime(id: String) -> Regime? { regimes.first { $0.id == id } }

    /// What the office must know when the newest regime ends within `months` months of `today` (or has ended): after
    /// its end ThiDua gives no verdict until the catalogue gains a regime. Nil while the catalogue is good for longer
    /// or has an open-ended regime.
    public func endWarning(today: Day, months: Int = 3) -> String? {
        guard let (last, end) = lastEnd else { return nil }
        let left = (end.year * 12 + end.month) - (today.year * 12 + today.month)
        guard left <= months else { return nil }
        if end < today {
            return "Danh mục quy tắc chỉ áp dụng đến hết \(end.vietnamese) (\(last.name)): từ sau ngày đó ThiDua không kết luận được. Cập nhật ThiDua hoặc nạp chế độ mới bằng tệp của tỉnh (THIDUA_CATALOG)."
        }
        return "Danh mục quy tắc chỉ áp dụng đến hết \(end.vietnamese) (\(last.name)): sau ngày đó ThiDua không kết luận được cho đến khi danh mục có chế độ mới. Cập nhật ThiDua hoặc nạp chế độ mới bằng tệp của tỉnh (THIDUA_CATALOG)."
    }

    /// The regime that ends last and its end, when every regime ends (nil: one is open-ended, or there is none).
    var lastEnd: (Regime, Day)? {
        var last: (Regime, Day)?
        for r in regimes {
            guard let to = r.to else { return nil }
            if last.map({ to > $0.1 }) ?? true { last = (r, to) }
        }
        return last
    }

    /// Why no regime covers `day`: before the first one, or after every regime's end (the catalogue must be updated).
    public func uncoveredReason(_ day: Day) -> String {
        if let first = regimes.min(by: { $0.from < $1.from }), day < first.from {
            return "ngày xét \(day.vietnamese) trước chế độ pháp lý đầu tiên của danh mục (\(first.id) từ \(first.from.vietnamese))"
        }
        if let (last, end) = lastEnd {
            return "ngày xét \(day.vietnamese) sau ngày kết thúc của mọi chế độ pháp lý trong danh mục (chế độ mới nhất \(last.id) đến hết \(end.vietnamese)): cần cập nhật ThiDua hoặc nạp chế độ mới bằng tệp của tỉnh (THIDUA_CATALOG)"
        }
        return "danh mục không có chế độ pháp lý áp dụng cho ngày xét \(day.vietnamese)"
    }

    public func rule(award: String, regime: String, subject: SubjectType) -> AwardRule? {
        ruleIndex[award]?["\(regime)@\(subject.rawValue)"].map { rules[$0] }
    }

    /// The catalogue shipped with ThiDua.
    public static func builtIn() throws -> Catalogue {
        try load(contentsOf: builtInURL)
    }

    /// Where the shipped catalogue file is (inside the module's resource bundle).
    public static var builtInURL: URL {
        Bundle.module.bundleURL.appendingPathComponent("Catalogue/thidua-catalogue.yaml")
    }

    public static func load(contentsOf url: URL) throws -> Catalogue {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(file: url.lastPathComponent, line: nil, reason: "không đọc được tệp (phải là văn bản UTF-8)")
        }
        return try CatalogueLoader(file: url.lastPathComponent).load(text)
    }

    public static func parse(_ text: String, file: String) throws -> Catalogue {
        try CatalogueLoader(file: file).load(text)
    }

    /// The parameter `id` in force under `regime` (a province's override comes last and wins).
    public func parameter(_ id: String, regime: String) -> CatalogueParameter? {
        parameters.last { $0.id == id && $0.regimes.contains(regime) }
    }

    mutating func reindex() {
        var index: [String: [String: Int]] = [:]
        for (i, rule) in rules.enumerated() { for r in rule.regimes { index[rule.award, default: [:]]["\(r)@\(rule.subject.rawValue)"] = i } }
        ruleIndex = index
    }
}

