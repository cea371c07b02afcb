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
}

/// A condition with its legal citation and how sure we are of it.
public struct ConditionNode: Sendable, Hashable {
    public var condition: Condition
    public var cites: String?
    public var confidence: Confidence?
    /// Overrides the generated text.
    public var text: String?
    public var line: Int
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

/// A parameter of the catalogue (quotas, caps, thresholds): data, not code.
public struct CatalogueParameter: Sendable, Hashable, Codable {
    public var id: String
    public var regimes: [String]
    public var value: Double
    public var text: String
    public var cites: String
    public var confidence: Confidence
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

    public func regime(for day: Day) -> Regime? {
        regimes.filter { $0.covers(day) }.max { $0.from < $1.from }
    }

    public func regime(id: String) -> Regime? { regimes.first { $0.id == id } }

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

    /// Adds the regimes, awards, rules and parameters of `other` (a province's or ministry's own file).
    /// A rule for the same award and regime replaces the built-in one.
    public func merged(with other: Catalogue) -> Catalogue {
        var c = self
        c.name = "\(name) + \(other.name)"
        c.version = "\(version) + \(other.version)"
        for r in other.regimes where c.regime(id: r.id) == nil { c.regimes.append(r) }
        for (k, v) in other.awards { c.awards[k] = v }
        for rule in other.rules {
            for regime in rule.regimes {
                c.rules = c.rules.map { existing in
                    var e = existing
                    if e.award == rule.award && e.subject == rule.subject { e.regimes.removeAll { $0 == regime } }
                    return e
                }
            }
            c.rules.append(rule)
        }
        c.parameters += other.parameters
        // A province's vote rule for a body, regime and award comes before the shipped one.
        c.voteRules = other.voteRules + c.voteRules
        c.reindex()
        return c
    }

    mutating func reindex() {
        var index: [String: [String: Int]] = [:]
        for (i, rule) in rules.enumerated() { for r in rule.regimes { index[rule.award, default: [:]]["\(r)@\(rule.subject.rawValue)"] = i } }
        ruleIndex = index
    }
}

/// Reads a catalogue file and checks every code it refers to; errors name the file and line.
struct CatalogueLoader {
    let file: String

    func fail(_ line: Int?, _ reason: String) -> DataFileError { DataFileError(file: file, line: line, reason: reason) }

    func load(_ text: String) throws -> Catalogue {
        let root = try CatalogueYAML.parse(text, file: file)
        let top = try map(root, allowed: ["catalogue", "version", "regimes", "awards", "rules", "parameters", "voteRules"])
        let name = try string(top, "catalogue", root.line)
        let version = try string(top, "version", root.line)
        var regimes: [Regime] = []
        var pendingRequires: [YNode?] = []
        for node in try list(top["regimes"], "regimes", root.line, optional: true) {
            let m = try map(node, allowed: ["id", "name", "from", "to", "note", "requires"])
            let id = try string(m, "id", node.line)
            if regimes.contains(where: { $0.id == id }) { throw fail(node.line, "chế độ pháp lý “\(id)” khai báo hai lần") }
            let from = try day(m, "from", node.line)
            let to = try optionalDay(m, "to", node.line)
            if let to, to < from { throw fail(node.line, "ngày kết thúc trước ngày bắt đầu") }
            regimes.append(Regime(id: id, name: try string(m, "name", node.line), from: from, to: to, note: m["note"]?.text))
            pendingRequires.append(m["requires"])
        }
        var awards: [String: AwardKind] = [:]
        for node in try list(top["awards"], "awards", root.line, optional: true) {
            let m = try map(node, allowed: ["code", "name", "category", "subject", "prizeMultiple", "stateLevel", "track"])
            let code = try string(m, "code", node.line)
            guard code.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) else { throw fail(node.line, "mã “\(code)” chỉ gồm chữ in hoa, số và “_”") }
            if awards[code] != nil { throw fail(node.line, "mã danh hiệu “\(code)” khai báo hai lần") }
            guard let category = AwardCategory(rawValue: try string(m, "category", node.line)) else { throw fail(m["category"]!.line, "category phải là title hoặc form") }
            let subjects = try stringList(m, "subject", node.line).map { raw -> SubjectType in
                guard let s = SubjectType(rawValue: raw) else { throw fail(m["subject"]!.line, "subject phải là individual hoặc collective") }
                return s
            }
            var prize: Double?
            if let p = m["prizeMultiple"] {
                guard let v = Double(p.text ?? "") , v >= 0 else { throw fail(p.line, "prizeMultiple phải là một số không âm") }
                prize = v
            }
            let state = try bool(m, "stateLevel", node.line) ?? false
            var track: AwardTrack?
            if let t = m["track"] {
                guard let v = AwardTrack(rawValue: t.text ?? "") else { throw fail(t.line, "track phải là civil hoặc armed") }
                track = v
            }
            awards[code] = AwardKind(code: code, name: try string(m, "name", node.line), category: category, subjects: subjects, prizeMultiple: prize,
                                     stateLevel: state, track: track)
        }
        let ctx = Context(awards: awards, regimes: Set(regimes.map(\.id)))
        for (i, req) in pendingRequires.enumerated() {
            regimes[i].requires = try list(req, "requires", 0, optional: true).map { try condition($0, ctx, leafNeedsCitation: true) }
        }
        var rules: [AwardRule] = []
        var seen = Set<String>()
        for node in try list(top["rules"], "rules", root.line, optional: true) {
            let m = try map(node, allowed: ["award", "regimes", "subject", "when", "note", "interval"])
            let award = try string(m, "award", node.line)
            guard let kind = awards[award] else { throw fail(m["award"]!.line, "mã danh hiệu “\(award)” không có trong danh mục") }
            let subject: SubjectType
            if let raw = m["subject"] {
                guard let s = SubjectType(rawValue: raw.text ?? ""), kind.subjects.contains(s) else {
                    throw fail(raw.line, "subject của quy tắc phải là một đối tượng của \(award): \(kind.subjects.map(\.rawValue).joined(separator: ", "))")
                }
                subject = s
            } else {
                guard kind.subjects.count == 1 else { throw fail(node.line, "\(award) xét cho cả cá nhân và tập thể: quy tắc phải ghi subject") }
                subject = kind.subjects[0]
            }
            let regimeIDs = try stringList(m, "regimes", node.line)
            for r in regimeIDs {
                guard ctx.regimes.contains(r) else { throw fail(m["regimes"]!.line, "chế độ pháp lý “\(r)” chưa được khai báo") }
                if !seen.insert("\(award)@\(r)@\(subject.rawValue)").inserted { throw fail(node.line, "đã có quy tắc cho \(award) (\(subject.label)) theo chế độ \(r)") }
            }
            guard let when = m["when"] else { throw fail(node.line, "quy tắc thiếu “when”") }
            var intervals: [IntervalRule] = []
            if let n = m["interval"] {
                let entries: [YNode] = if case .list(let items, _) = n { items } else { [n] }
                var covered = Set<String>()
                for e in entries {
                    let im = try map(e, allowed: ["after", "regimes", "cites", "confidence"])
                    let kinds = try stringList(im, "after", e.line)
                    for k in kinds where ctx.awards[k] == nil { throw fail(im["after"]!.line, "interval: mã danh hiệu “\(k)” không có trong danh mục") }
                    let only = im["regimes"] == nil ? nil : try stringList(im, "regimes", e.line)
                    for r in only ?? regimeIDs {
                        guard regimeIDs.contains(r) else { throw fail(im["regimes"]!.line, "interval: chế độ “\(r)” không thuộc các chế độ của quy tắc này") }
                        guard covered.insert(r).inserted else { throw fail(e.line, "interval: chế độ “\(r)” có hai khoảng cách") }
                    }
                    intervals.append(IntervalRule(after: kinds, regimes: only, cites: try string(im, "cites", e.line), confidence: try confidence(im, e.line), line: e.line))
                }
            }
            rules.append(AwardRule(award: award, regimes: regimeIDs, subject: subject, when: try condition(when, ctx, leafNeedsCitation: true), note: m["note"]?.text,
                                   line: node.line, intervals: intervals))
        }
        var parameters: [CatalogueParameter] = []
        for node in try list(top["parameters"], "parameters", root.line, optional: true) {
            let m = try map(node, allowed: ["id", "regimes", "value", "text", "cites", "confidence"])
            let regimeIDs = try stringList(m, "regimes", node.line)
            for r in regimeIDs where !ctx.regimes.contains(r) { throw fail(m["regimes"]!.line, "chế độ pháp lý “\(r)” chưa được khai báo") }
            guard let v = Double(try string(m, "value", node.line)) else { throw fail(m["value"]!.line, "value phải là một số") }
            parameters.append(CatalogueParameter(id: try string(m, "id", node.line), regimes: regimeIDs, value: v, text: try string(m, "text", node.line),
                                                 cites: try string(m, "cites", node.line), confidence: try confidence(m, node.line)))
        }
        var c = Catalogue(name: name, version: version, regimes: regimes, awards: awards, rules: rules, parameters: parameters, ruleIndex: [:])
        c.voteRules = try voteRules(top["voteRules"], ctx, line: root.line)
        c.reindex()
        return c
    }

    struct Context { var awards: [String: AwardKind]; var regimes: Set<String> }

    static let conditionKinds: Set<String> = ["all", "any", "rating", "holds", "streak", "ratingStreak", "ratingCount", "count", "initiatives",
                                              "earlier", "noDiscipline", "noFreeze", "memberShare", "allMembersCompleted", "membersWithCSTDCS",
                                              "noMemberDisciplined", "ledBloc", "eligibleFor"]
    static let modifiers: Set<String> = ["cites", "confidence", "text", "years", "every", "times", "within", "before", "atLeast", "moreThan"]

    func condition(_ node: YNode, _ ctx: Context, leafNeedsCitation: Bool) throws -> ConditionNode {
        let m = try map(node, allowed: Self.conditionKinds.union(Self.modifiers))
        let kinds = m.keys.filter { Self.conditionKinds.contains($0) }
        guard kinds.count == 1, let kind = kinds.first else {
            throw fail(node.line, "mỗi điều kiện phải có đúng một loại (\(Self.conditionKinds.sorted().joined(separator: ", ")))")
        }
        let value = m[kind]!
        func award(_ n: YNode) throws -> String {
            let code = n.text ?? ""
            guard ctx.awards[code] != nil else { throw fail(n.line, "mã danh hiệu “\(code)” không có trong danh mục") }
            return code
        }
        func rating(_ n: YNode) throws -> TaskRating {
            guard let r = TaskRating(rawValue: n.text ?? "") else { throw fail(n.line, "mã xếp loại “\(n.text ?? "")” không hợp lệ (HTXSNV, HTTNV, HTNV, KHTNV)") }
            return r
        }
        func int(_ key: String, default d: Int? = nil, min: Int = 1) throws -> Int {
            guard let n = m[key] else {
                if let d { return d }
                throw fail(node.line, "điều kiện “\(kind)” cần “\(key)”")
            }
            guard let v = Int(n.text ?? ""), v >= min else { throw fail(n.line, "“\(key)” phải là số nguyên từ \(min) trở lên") }
            return v
        }
        let allowedModifiers: Set<String>
        let c: Condition
        switch kind {
        case "all", "any":
            guard case .list(let items, _) = value, !items.isEmpty else { throw fail(value.line, "“\(kind)” cần một danh sách điều kiện") }
            let children = try items.map { try condition($0, ctx, leafNeedsCitation: leafNeedsCitation) }
            c = kind == "all" ? .all(children) : .any(children)
            allowedModifiers = ["cites", "confidence", "text"]
        case "rating": c = .rating(atLeast: try rating(value)); allowedModifiers = []
        case "holds": c = .holds(kind: try award(value)); allowedModifiers = []
        case "streak": c = .streak(kind: try award(value), years: try int("years"), every: try int("every", default: 1)); allowedModifiers = ["years", "every"]
        case "ratingStreak": c = .ratingStreak(atLeast: try rating(value), years: try int("years")); allowedModifiers = ["years"]
        case "ratingCount": c = .ratingCount(atLeast: try rating(value), times: try int("times"), within: try int("within")); allowedModifiers = ["times", "within"]
        case "count": c = .count(kind: try award(value), times: try int("times"), within: try int("within")); allowedModifiers = ["times", "within"]
        case "initiatives":
            guard let s = InitiativeScope(rawValue: value.text ?? "") else { throw fail(value.line, "phạm vi sáng kiến phải là grassroots, province hoặc national") }
            c = .initiatives(scope: s, times: try int("times"), within: try int("within")); allowedModifiers = ["times", "within"]
        case "earlier": c = .earlier(kind: try award(value), before: try int("before", default: 1)); allowedModifiers = ["before"]
        case "noDiscipline":
            guard let y = Int(value.text ?? ""), y >= 1 else { throw fail(value.line, "noDiscipline: số năm phải từ 1 trở lên") }
            c = .noDiscipline(years: y); allowedModifiers = []
        case "noFreeze", "allMembersCompleted", "noMemberDisciplined", "ledBloc":
            guard value.text == "true" else { throw fail(value.line, "“\(kind)” chỉ nhận giá trị true") }
            c = kind == "noFreeze" ? .noFreeze : kind == "allMembersCompleted" ? .allMembersCompleted : kind == "ledBloc" ? .ledBloc : .noMemberDisciplined
            allowedModifiers = []
        case "memberShare":
            guard value.text == "LDTT" else { throw fail(value.line, "memberShare hiện chỉ tính theo LDTT") }
            if let a = m["atLeast"], m["moreThan"] == nil, let p = Double(a.text ?? ""), (0...100).contains(p) {
                c = .memberShare(title: "LDTT", percent: p, strict: false)
            } else if let a = m["moreThan"], m["atLeast"] == nil, let p = Double(a.text ?? ""), (0...100).contains(p) {
                c = .memberShare(title: "LDTT", percent: p, strict: true)
            } else { throw fail(node.line, "memberShare cần đúng một trong “atLeast” hoặc “moreThan” (phần trăm 0–100)") }
            allowedModifiers = ["atLeast", "moreThan"]
        case "membersWithCSTDCS":
            guard let v = Int(value.text ?? ""), v >= 1 else { throw fail(value.line, "membersWithCSTDCS: số người phải từ 1 trở lên") }
            c = .membersWithCSTDCS(atLeast: v); allowedModifiers = []
        case "eligibleFor": c = .eligibleFor(kind: try award(value)); allowedModifiers = []
        default: throw fail(node.line, "loại điều kiện “\(kind)” không hỗ trợ")
        }
        for key in m.keys where Self.modifiers.contains(key) && !["cites", "confidence", "text"].contains(key) && !allowedModifiers.contains(key) {
            throw fail(m[key]!.line, "“\(key)” không dùng được với điều kiện “\(kind)”")
        }
        let isLeaf = kind != "all" && kind != "any"
        let cites = m["cites"]?.text
        if isLeaf && leafNeedsCitation && (cites ?? "").isEmpty {
            throw fail(node.line, "điều kiện “\(kind)” phải dẫn điều, khoản (cites)")
        }
        let conf: Confidence? = m["confidence"] == nil ? nil : try confidence(m, node.line)
        if isLeaf && conf == nil { throw fail(node.line, "điều kiện “\(kind)” phải ghi mức độ chắc chắn (confidence: confirmed, olderText hoặc unconfirmed)") }
        return ConditionNode(condition: c, cites: cites, confidence: conf, text: m["text"]?.text, line: node.line)
    }

    // MARK: Node helpers

    typealias Map = [String: YNode]

    func map(_ node: YNode, allowed: Set<String>) throws -> Map {
        guard case .map(let entries, _) = node else { throw fail(node.line, "cần một nhóm “tên: giá trị”") }
        var out: Map = [:]
        for e in entries {
            guard allowed.contains(e.key) else { throw fail(e.line, "khóa “\(e.key)” không được hỗ trợ ở đây (được dùng: \(allowed.sorted().joined(separator: ", ")))") }
            out[e.key] = e.value
        }
        return out
    }

    func string(_ m: Map, _ key: String, _ line: Int) throws -> String {
        guard let n = m[key] else { throw fail(line, "thiếu “\(key)”") }
        guard let s = n.text, !s.isEmpty else { throw fail(n.line, "“\(key)” không được để trống") }
        return s.precomposedStringWithCanonicalMapping
    }

    func stringList(_ m: Map, _ key: String, _ line: Int) throws -> [String] {
        guard let n = m[key] else { throw fail(line, "thiếu “\(key)”") }
        switch n {
        case .scalar(let s, _) where !s.isEmpty: return [s]
        case .list(let items, _) where !items.isEmpty:
            return try items.map { guard let t = $0.text, !t.isEmpty else { throw fail($0.line, "giá trị rỗng trong “\(key)”") }; return t }
        default: throw fail(n.line, "“\(key)” cần ít nhất một giá trị")
        }
    }

    func list(_ n: YNode?, _ key: String, _ line: Int, optional: Bool) throws -> [YNode] {
        guard let n else {
            if optional { return [] }
            throw fail(line, "thiếu “\(key)”")
        }
        guard case .list(let items, _) = n else { throw fail(n.line, "“\(key)” phải là một danh sách (mỗi mục bắt đầu bằng “- ”)") }
        return items
    }

    func day(_ m: Map, _ key: String, _ line: Int) throws -> Day {
        guard let d = try optionalDay(m, key, line) else { throw fail(line, "thiếu “\(key)”") }
        return d
    }

    func optionalDay(_ m: Map, _ key: String, _ line: Int) throws -> Day? {
        guard let n = m[key] else { return nil }
        guard let t = n.text, let d = Day(iso: t) else { throw fail(n.line, "“\(key)” phải là ngày dạng yyyy-MM-dd") }
        return d
    }

    func bool(_ m: Map, _ key: String, _ line: Int) throws -> Bool? {
        guard let n = m[key] else { return nil }
        switch n.text { case "true": return true; case "false": return false; default: throw fail(n.line, "“\(key)” phải là true hoặc false") }
    }

    func confidence(_ m: Map, _ line: Int) throws -> Confidence {
        guard let n = m["confidence"] else { throw fail(line, "thiếu “confidence”") }
        guard let c = Confidence(rawValue: n.text ?? "") else { throw fail(n.line, "confidence phải là confirmed, olderText hoặc unconfirmed") }
        return c
    }
}

extension YNode {
    /// The scalar text, or nil for maps and lists.
    var text: String? {
        if case .scalar(let s, _) = self { return s }
        return nil
    }
}
