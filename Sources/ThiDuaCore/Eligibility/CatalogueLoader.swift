import Foundation

/// Reads a catalogue file and checks every code it refers to; errors name the file and line.
///
/// With a `base` (the shipped catalogue) it reads a province's or ministry's own file, which adds to it and never
/// replaces it wholesale: new kinds, regimes and rules; rules for a shipped kind (`Catalogue.extended`); single
/// parameters overridden. A kind or regime the base already has is refused.
struct CatalogueLoader {
    let file: String
    var base: Catalogue? = nil

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
            if let shipped = base?.regime(id: id) {
                throw fail(node.line, "chế độ pháp lý “\(id)” (\(shipped.name)) đã có trong \(base!.name): tệp này không khai lại hay thay một chế độ đã có, chỉ thêm chế độ mới")
            }
            let from = try day(m, "from", node.line)
            let to = try optionalDay(m, "to", node.line)
            if let to, to < from { throw fail(node.line, "ngày kết thúc trước ngày bắt đầu") }
            regimes.append(Regime(id: id, name: try string(m, "name", node.line), from: from, to: to, note: m["note"]?.text))
            pendingRequires.append(m["requires"])
        }
        var awards: [String: AwardKind] = [:]
        var awardLines: [String: Int] = [:]
        for node in try list(top["awards"], "awards", root.line, optional: true) {
            let m = try map(node, allowed: ["code", "name", "category", "subject", "prizeMultiple", "stateLevel", "track", "sameLevelAs", "criteriaSetBy", "issuer"])
            let code = try string(m, "code", node.line)
            guard code.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) else { throw fail(node.line, "mã “\(code)” chỉ gồm chữ in hoa, số và “_”") }
            if awards[code] != nil { throw fail(node.line, "mã danh hiệu “\(code)” khai báo hai lần") }
            if let shipped = base?.awards[code] {
                throw fail(node.line, "danh hiệu “\(code)” (\(shipped.name)) đã có trong \(base!.name): tệp này không khai lại danh hiệu đã có; thêm quy tắc cho nó ở “rules”, đổi một tham số ở “parameters”")
            }
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
            var kind = AwardKind(code: code, name: try string(m, "name", node.line), category: category, subjects: subjects, prizeMultiple: prize,
                                 stateLevel: state, track: track)
            if m["sameLevelAs"] != nil { kind.sameLevelAs = try string(m, "sameLevelAs", node.line) }
            if m["criteriaSetBy"] != nil { kind.criteriaSetBy = try string(m, "criteriaSetBy", node.line) }
            if m["issuer"] != nil { kind.issuer = try string(m, "issuer", node.line) }
            awards[code] = kind
            awardLines[code] = node.line
        }
        // A same-level kind names a kind of this file or of the base, with the subjects it has, and not one that is itself same-level.
        for code in awards.keys.sorted() {
            guard let target = awards[code]!.sameLevelAs else { continue }
            let line = awardLines[code]
            guard let t = awards[target] ?? base?.awards[target] else { throw fail(line, "sameLevelAs: mã danh hiệu “\(target)” không có trong danh mục") }
            guard t.sameLevelAs == nil, target != code else { throw fail(line, "sameLevelAs: “\(target)” phải là một danh hiệu của danh mục, không phải danh hiệu cùng cấp khác") }
            guard Set(awards[code]!.subjects).isSubset(of: t.subjects) else { throw fail(line, "sameLevelAs: \(code) xét cho đối tượng mà \(target) không xét") }
        }
        var ctx = Context(awards: (base?.awards ?? [:]).merging(awards) { $1 }, regimes: Set(regimes.map(\.id)).union(base?.regimes.map(\.id) ?? []))
        let parameters = try parameters(top["parameters"], ctx, line: root.line)
        ctx.parameters = (base?.parameters ?? []) + parameters
        for (i, req) in pendingRequires.enumerated() {
            regimes[i].requires = try list(req, "requires", 0, optional: true).map { try condition($0, ctx, leafNeedsCitation: true) }
            for n in regimes[i].requires { try checkFlags(n, regimes: [regimes[i].id], ctx) }
        }
        var rules: [AwardRule] = []
        var seen = Set<String>()
        for node in try list(top["rules"], "rules", root.line, optional: true) {
            let m = try map(node, allowed: ["award", "regimes", "subject", "when", "note", "interval"])
            let award = try string(m, "award", node.line)
            guard let kind = ctx.awards[award] else { throw fail(m["award"]!.line, "mã danh hiệu “\(award)” không có trong danh mục") }
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
                    for r in only ?? regimeIDs {
                        if let shipped = base?.rule(award: award, regime: r, subject: subject), shipped.interval(in: r) != nil {
                            throw fail(e.line, "interval: quy tắc \(award) theo \(r) của \(base!.name) đã có khoảng cách giữa hai lần khen; tệp này không thay được")
                        }
                    }
                    intervals.append(IntervalRule(after: kinds, regimes: only, cites: try string(im, "cites", e.line), confidence: try confidence(im, e.line), line: e.line))
                }
            }
            let root = try condition(when, ctx, leafNeedsCitation: true)
            try checkFlags(root, regimes: regimeIDs, ctx)
            rules.append(AwardRule(award: award, regimes: regimeIDs, subject: subject, when: root, note: m["note"]?.text,
                                   line: node.line, intervals: intervals))
        }
        var c = Catalogue(name: name, version: version, regimes: regimes, awards: awards, rules: rules, parameters: parameters, ruleIndex: [:])
        c.voteRules = try voteRules(top["voteRules"], ctx, line: root.line)
        c.reindex()
        return c
    }

    struct Context {
        var awards: [String: AwardKind]
        var regimes: Set<String>
        /// The base's parameters, then this file's (the last one for an id and regime wins).
        var parameters: [CatalogueParameter] = []
        func parameter(_ id: String, regime: String) -> CatalogueParameter? { parameters.last { $0.id == id && $0.regimes.contains(regime) } }
    }

    /// The parameters of the file. An id the base has overrides it for the regimes named: same type (number or
    /// true/false), its own citation; `text` may be left out (the base's is kept).
    func parameters(_ node: YNode?, _ ctx: Context, line: Int) throws -> [CatalogueParameter] {
        var out: [CatalogueParameter] = []
        for node in try list(node, "parameters", line, optional: true) {
            let m = try map(node, allowed: ["id", "regimes", "value", "text", "cites", "confidence"])
            let id = try string(m, "id", node.line)
            guard id.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) else { throw fail(m["id"]!.line, "mã tham số “\(id)” chỉ gồm chữ in hoa, số và “_”") }
            let regimeIDs = try stringList(m, "regimes", node.line)
            for r in regimeIDs where !ctx.regimes.contains(r) { throw fail(m["regimes"]!.line, "chế độ pháp lý “\(r)” chưa được khai báo") }
            for r in regimeIDs where out.contains(where: { $0.id == id && $0.regimes.contains(r) }) {
                throw fail(node.line, "tham số “\(id)” theo chế độ \(r) khai hai lần")
            }
            let raw = try string(m, "value", node.line)
            let valueLine = m["value"]!.line
            let flag: Bool? = raw == "true" ? true : raw == "false" ? false : nil
            let number = Double(raw)
            guard flag != nil || (number?.isFinite ?? false) else { throw fail(valueLine, "value phải là một số (ví dụ 15) hoặc true/false") }
            let shipped = regimeIDs.lazy.compactMap { self.base?.parameter(id, regime: $0) }.first ?? base?.parameters.first { $0.id == id }
            if let s = shipped {
                if s.isFlag && flag == nil { throw fail(valueLine, "tham số “\(id)” (\(s.text)) nhận true hoặc false, không nhận “\(raw)”") }
                if !s.isFlag && flag != nil { throw fail(valueLine, "tham số “\(id)” (\(s.text)) là một số, không nhận “\(raw)”") }
            }
            let value = flag.map { $0 ? 1.0 : 0.0 } ?? number!
            if id.hasSuffix("_PERCENT") && !(0...100).contains(value) { throw fail(valueLine, "tham số phần trăm “\(id)” phải từ 0 đến 100") }
            let text = m["text"] == nil ? try shipped.map(\.text) ?? string(m, "text", node.line) : try string(m, "text", node.line)
            out.append(CatalogueParameter(id: id, regimes: regimeIDs, value: value, text: text, cites: try string(m, "cites", node.line),
                                          confidence: try confidence(m, node.line), isFlag: flag != nil, source: file))
        }
        return out
    }

    /// Every `onlyIf` under `node` names a true/false parameter that every regime of the rule has.
    func checkFlags(_ node: ConditionNode, regimes: [String], _ ctx: Context) throws {
        if let id = node.onlyIf {
            for r in regimes {
                guard let p = ctx.parameter(id, regime: r) else { throw fail(node.line, "onlyIf: tham số “\(id)” không có cho chế độ \(r)") }
                guard p.isFlag else { throw fail(node.line, "onlyIf: tham số “\(id)” phải là true hoặc false (đang là số \(p.valueText))") }
            }
        }
        switch node.condition {
        case .all(let children), .any(let children): for c in children { try checkFlags(c, regimes: regimes, ctx) }
        default: break
        }
    }

    static let conditionKinds: Set<String> = ["all", "any", "rating", "holds", "streak", "ratingStreak", "ratingCount", "count", "initiatives",
                                              "earlier", "noDiscipline", "noFreeze", "memberShare", "allMembersCompleted", "membersWithCSTDCS",
                                              "noMemberDisciplined", "ledBloc", "eligibleFor", "inServiceMonths"]
    static let modifiers: Set<String> = ["cites", "confidence", "text", "onlyIf", "years", "every", "times", "within", "before", "atLeast", "moreThan"]
    /// What `years`, `every`, `times`, `within`, `before` and `noDiscipline` may be.
    static let yearCounts = 1...60
    /// Modifiers any condition takes.
    static let common: Set<String> = ["cites", "confidence", "text", "onlyIf"]

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
        // Counts and windows of years stay within the engine's 64-year window, so that no year arithmetic can overflow.
        func int(_ key: String, default d: Int? = nil) throws -> Int {
            guard let n = m[key] else {
                if let d { return d }
                throw fail(node.line, "điều kiện “\(kind)” cần “\(key)”")
            }
            guard let v = Int(n.text ?? ""), Self.yearCounts.contains(v) else {
                throw fail(n.line, "“\(key)” phải là số nguyên từ \(Self.yearCounts.lowerBound) đến \(Self.yearCounts.upperBound)")
            }
            return v
        }
        let allowedModifiers: Set<String>
        let c: Condition
        switch kind {
        case "all", "any":
            guard case .list(let items, _) = value, !items.isEmpty else { throw fail(value.line, "“\(kind)” cần một danh sách điều kiện") }
            let children = try items.map { try condition($0, ctx, leafNeedsCitation: leafNeedsCitation) }
            c = kind == "all" ? .all(children) : .any(children)
            allowedModifiers = []
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
            guard let y = Int(value.text ?? ""), Self.yearCounts.contains(y) else {
                throw fail(value.line, "noDiscipline: số năm phải từ \(Self.yearCounts.lowerBound) đến \(Self.yearCounts.upperBound)")
            }
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
        case "inServiceMonths":
            guard let v = Int(value.text ?? ""), (1...120).contains(v) else { throw fail(value.line, "inServiceMonths: số tháng phải từ 1 đến 120") }
            c = .inServiceMonths(v); allowedModifiers = []
        default: throw fail(node.line, "loại điều kiện “\(kind)” không hỗ trợ")
        }
        for key in m.keys where Self.modifiers.contains(key) && !Self.common.contains(key) && !allowedModifiers.contains(key) {
            throw fail(m[key]!.line, "“\(key)” không dùng được với điều kiện “\(kind)”")
        }
        let isLeaf = kind != "all" && kind != "any"
        let cites = m["cites"]?.text
        if isLeaf && leafNeedsCitation && (cites ?? "").isEmpty {
            throw fail(node.line, "điều kiện “\(kind)” phải dẫn điều, khoản (cites)")
        }
        let conf: Confidence? = m["confidence"] == nil ? nil : try confidence(m, node.line)
        if isLeaf && conf == nil { throw fail(node.line, "điều kiện “\(kind)” phải ghi mức độ chắc chắn (confidence: confirmed, olderText hoặc unconfirmed)") }
        var out = ConditionNode(condition: c, cites: cites, confidence: conf, text: m["text"]?.text, line: node.line)
        if let p = m["onlyIf"] {
            guard let id = p.text, !id.isEmpty else { throw fail(p.line, "onlyIf cần mã một tham số true/false") }
            out.onlyIf = id
        }
        return out
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
