import Foundation

/// The answer for one award.
public enum Verdict: String, Codable, Sendable {
    case eligible
    case ineligible
    /// A fact the rule needs is missing from the register or the case.
    case needsData = "needs_data"

    public var label: String {
        switch self {
        case .eligible: "Đủ điều kiện"
        case .ineligible: "Chưa đủ điều kiện"
        case .needsData: "Thiếu dữ liệu để kết luận"
        }
    }
}

/// One line of an explanation: a condition, whether it was met (nil: data missing), what data it looked at,
/// and the article it comes from.
public struct ConditionTrace: Codable, Sendable, Equatable {
    public var text: String
    public var met: Bool?
    public var data: String
    public var cites: String?
    public var confidence: Confidence?
    public var depth: Int

    enum CodingKeys: String, CodingKey { case text, met, data, cites, confidence, depth }

    /// `met` is written even when unknown (`null`: the data is missing).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        if let met { try c.encode(met, forKey: .met) } else { try c.encodeNil(forKey: .met) }
        try c.encode(data, forKey: .data)
        try c.encodeIfPresent(cites, forKey: .cites)
        try c.encodeIfPresent(confidence, forKey: .confidence)
        try c.encode(depth, forKey: .depth)
    }
}

public struct AwardResult: Codable, Sendable, Equatable {
    public var award: String
    public var awardName: String
    public var verdict: Verdict
    public var conditions: [ConditionTrace]
    /// Texts of the conditions that are not met (what is missing to get there).
    public var unmet: [String]
    /// Texts of the conditions whose data is missing.
    public var missing: [String]
    /// Initiatives this award would consume if granted.
    public var consumes: [String]
    public var note: String?
    /// True when some condition used is not confirmed (shown in every explanation).
    public var usesUnconfirmedRule: Bool
}

public struct EligibilityReport: Codable, Sendable, Equatable {
    public var regime: String
    public var regimeName: String
    public var evaluationYear: Int
    public var asOf: String
    public var subject: String
    public var results: [AwardResult]
}

/// The eligibility engine: subject + history + evaluation year + date of consideration → a verdict per award,
/// each with the regime used and a trace of every condition. Pure and deterministic: the input lists' order
/// never matters.
public struct EligibilityEvaluator: Sendable {
    public let catalogue: Catalogue

    public init(catalogue: Catalogue) { self.catalogue = catalogue }

    public func regime(for c: EligibilityCase) throws -> Regime {
        if let id = c.regime {
            guard let r = catalogue.regime(id: id) else { throw DomainError.invalid("Chế độ pháp lý “\(id)” không có trong danh mục.", field: "regime") }
            return r
        }
        guard let r = catalogue.regime(for: c.asOf) else {
            throw DomainError.invalid("Danh mục không có chế độ pháp lý áp dụng cho ngày xét \(c.asOf.vietnamese).", field: "asOf")
        }
        return r
    }

    /// The awards evaluated for this case: the candidates, or every award of the subject's type with a rule.
    func awards(for c: EligibilityCase, regime: Regime) -> [String] {
        if !c.candidates.isEmpty { return c.candidates }
        return catalogue.awardCodes.filter { catalogue.rule(award: $0, regime: regime.id, subject: c.subjectType) != nil }
    }

    public func evaluate(_ c: EligibilityCase, explain: Bool = true) throws -> EligibilityReport {
        let regime = try regime(for: c)
        let facts = Facts(c)
        var results: [AwardResult] = []
        for code in awards(for: c, regime: regime) {
            results.append(evaluate(award: code, facts: facts, regime: regime, explain: explain))
        }
        return EligibilityReport(regime: regime.id, regimeName: regime.name, evaluationYear: c.evaluationYear, asOf: c.asOf.description,
                                 subject: c.name, results: results)
    }

    /// Just the verdicts (for bulk runs): no text is built.
    public func verdicts(_ c: EligibilityCase) throws -> [(String, Verdict)] {
        let regime = try regime(for: c)
        let facts = Facts(c)
        return awards(for: c, regime: regime).map { ($0, evaluate(award: $0, facts: facts, regime: regime, explain: false).verdict) }
    }

    func evaluate(award code: String, facts: Facts, regime: Regime, explain: Bool, depth: Int = 0) -> AwardResult {
        let name = catalogue.awards[code]?.name ?? code
        guard let rule = catalogue.rule(award: code, regime: regime.id, subject: facts.c.subjectType) else {
            let text = "Danh mục chưa có quy tắc cho “\(name)” theo \(regime.name)"
            return AwardResult(award: code, awardName: name, verdict: .needsData,
                               conditions: [ConditionTrace(text: text, met: nil, data: "", cites: nil, confidence: nil, depth: 0)],
                               unmet: [], missing: [text], consumes: [], note: nil, usesUnconfirmedRule: false)
        }
        var run = Run(evaluator: self, facts: facts, regime: regime, award: code, explain: explain, nesting: depth)
        let root = ConditionNode(condition: .all(regime.requires + [rule.when]), cites: nil, confidence: nil, text: nil, line: rule.line)
        let outcome = run.eval(root, depth: 0)
        let verdict: Verdict = switch outcome.tri { case .met: .eligible; case .notMet: .ineligible; case .unknown: .needsData }
        return AwardResult(award: code, awardName: name, verdict: verdict, conditions: run.trace,
                           unmet: run.unmet, missing: run.missing, consumes: verdict == .eligible ? outcome.consumes.sorted() : [],
                           note: rule.note, usesUnconfirmedRule: run.unconfirmed)
    }
}

enum Tri { case met, notMet, unknown }

/// The case indexed for quick look-ups.
struct Facts {
    let c: EligibilityCase
    /// kind → years with a merit award (not revoked).
    let merit: [String: Set<Int>]
    /// kind → years with an award that does not count (irregular, thematic, revoked …), for explanations.
    let nonMerit: [String: Set<Int>]
    /// Years up to and including this one do not count: a discipline ended then (ND 98 Art. 4: counting restarts).
    let disciplineCutoff: Int?
    let initiatives: [InitiativeFact]

    init(_ c: EligibilityCase) {
        self.c = c
        var merit: [String: Set<Int>] = [:], other: [String: Set<Int>] = [:]
        for a in c.awards {
            if a.countsForMerit { merit[a.kind, default: []].insert(a.year) } else { other[a.kind, default: []].insert(a.year) }
        }
        self.merit = merit
        self.nonMerit = other
        var cutoff: Int?
        for d in c.disciplines where d.from.year <= c.evaluationYear {
            let end = d.to?.year ?? c.evaluationYear
            // A discipline still running in the evaluation year blocks that year too.
            let last = min(end, c.evaluationYear)
            cutoff = max(cutoff ?? last, last)
        }
        self.disciplineCutoff = cutoff
        self.initiatives = c.initiatives.sorted { ($0.year, $0.id) < ($1.year, $1.id) }
    }

    func counts(_ year: Int) -> Bool { disciplineCutoff.map { year > $0 } ?? true }
}

/// One evaluation of one rule, collecting the trace.
struct Run {
    let evaluator: EligibilityEvaluator
    let facts: Facts
    let regime: Regime
    let award: String
    let explain: Bool
    let nesting: Int
    var trace: [ConditionTrace] = []
    var unmet: [String] = []
    var missing: [String] = []
    var unconfirmed = false

    struct Outcome { var tri: Tri; var consumes: Set<String> = [] }

    var year: Int { facts.c.evaluationYear }
    func name(_ code: String) -> String { evaluator.catalogue.awards[code]?.name ?? code }
    func years(_ s: some Sequence<Int>) -> String { s.sorted().map(String.init).joined(separator: ", ") }

    mutating func eval(_ node: ConditionNode, depth: Int) -> Outcome {
        if node.confidence == .unconfirmed { unconfirmed = true }
        switch node.condition {
        case .all(let children), .any(let children):
            let isAll = { if case .all = node.condition { return true }; return false }()
            let at = trace.count
            let showHeader = explain && depth > 0
            if showHeader { trace.append(ConditionTrace(text: "", met: nil, data: "", cites: node.cites, confidence: node.confidence, depth: depth)) }
            let unmetBefore = unmet.count, missingBefore = missing.count
            var results: [Outcome] = []
            for child in children { results.append(eval(child, depth: showHeader ? depth + 1 : depth)) }
            let tri: Tri
            var consumes = Set<String>()
            if isAll {
                tri = results.contains { $0.tri == .notMet } ? .notMet : results.contains { $0.tri == .unknown } ? .unknown : .met
                for r in results { consumes.formUnion(r.consumes) }
            } else {
                if let firstMet = results.first(where: { $0.tri == .met }) {
                    tri = .met
                    consumes = firstMet.consumes
                    // One way is enough: the other ways' gaps are not what is missing.
                    unmet.removeSubrange(unmetBefore...)
                    missing.removeSubrange(missingBefore...)
                } else { tri = results.contains { $0.tri == .unknown } ? .unknown : .notMet }
            }
            if showHeader {
                trace[at].text = node.text ?? (isAll ? "Đạt tất cả các điều kiện sau" : "Đạt ít nhất một trong các điều kiện sau")
                trace[at].met = tri == .met ? true : tri == .notMet ? false : nil
            }
            return Outcome(tri: tri, consumes: consumes)
        default:
            var (tri, text, data, consumes) = leaf(node.condition)
            if let t = node.text { text = t }
            if explain {
                trace.append(ConditionTrace(text: text, met: tri == .met ? true : tri == .notMet ? false : nil, data: data,
                                            cites: node.cites, confidence: node.confidence, depth: depth))
                if tri == .notMet { unmet.append(text) }
                if tri == .unknown { missing.append(text + (data.isEmpty ? "" : " – " + data)) }
            }
            return Outcome(tri: tri, consumes: consumes)
        }
    }

    /// Evaluates a leaf; texts are built only when explaining.
    mutating func leaf(_ condition: Condition) -> (Tri, String, String, Set<String>) {
        let c = facts.c
        let y = year
        switch condition {
        case .all, .any:
            return (.unknown, "", "", [])

        case .rating(let min):
            let r = c.ratings[y]
            let tri: Tri = r == nil ? .unknown : (r! >= min ? .met : .notMet)
            guard explain else { return (tri, "", "", []) }
            return (tri, "Xếp loại từ “\(min.label)” trở lên năm \(y)",
                    r.map { "Năm \(y): \($0.label)" } ?? "Chưa có xếp loại năm \(y)", [])

        case .holds(let kind):
            let has = facts.merit[kind]?.contains(y) ?? false
            let tri: Tri = has ? .met : .notMet
            guard explain else { return (tri, "", "", []) }
            var data = has ? "Có \(kind) năm \(y)" : "Không có \(kind) năm \(y) trong sổ khen thưởng"
            if !has, facts.nonMerit[kind]?.contains(y) == true { data += " (có khen \(kind) năm \(y) nhưng là khen đột xuất/chuyên đề hoặc đã bị hủy – không tính)" }
            return (tri, "Được tặng “\(name(kind))” năm \(y)", data, [])

        case .streak(let kind, let n, let every):
            let wanted = (0..<n).map { y - $0 * every }
            let have = facts.merit[kind] ?? []
            let missingYears = wanted.filter { !have.contains($0) }
            let cut = wanted.filter { have.contains($0) && !facts.counts($0) }
            let tri: Tri = missingYears.isEmpty && cut.isEmpty ? .met : .notMet
            guard explain else { return (tri, "", "", []) }
            let spacing = every > 1 ? " (mỗi lần cách nhau \(every) năm)" : ""
            let text = "\(n) lần liên tục “\(name(kind))”\(spacing) đến năm \(y): \(years(wanted))"
            var data = have.isEmpty ? "Chưa có \(kind) nào theo công trạng" : "Có \(kind) các năm \(years(have.filter { $0 <= y }))"
            if !missingYears.isEmpty { data += "; thiếu năm \(years(missingYears)) nên chuỗi bị gián đoạn" }
            let ignored = wanted.filter { facts.nonMerit[kind]?.contains($0) == true && !have.contains($0) }
            if !ignored.isEmpty { data += "; năm \(years(ignored)) chỉ có khen đột xuất/chuyên đề, không tính" }
            if !cut.isEmpty { data += "; năm \(years(cut)) không tính vì trước khi hết thời hạn kỷ luật" }
            return (tri, text, data, [])

        case .ratingStreak(let min, let n):
            let wanted = ((y - n + 1)...y)
            var below: [Int] = [], absent: [Int] = [], cut: [Int] = []
            for yr in wanted {
                if !facts.counts(yr) { cut.append(yr); continue }
                guard let r = c.ratings[yr] else { absent.append(yr); continue }
                if r < min { below.append(yr) }
            }
            let tri: Tri = !below.isEmpty || !cut.isEmpty ? .notMet : absent.isEmpty ? .met : .unknown
            guard explain else { return (tri, "", "", []) }
            let shown = wanted.map { yr in "\(yr): \(c.ratings[yr]?.rawValue ?? "—")" }.joined(separator: ", ")
            var data = shown
            if !below.isEmpty { data += "; năm \(years(below)) dưới mức yêu cầu" }
            if !absent.isEmpty { data += "; thiếu xếp loại năm \(years(absent))" }
            if !cut.isEmpty { data += "; năm \(years(cut)) không tính vì trước khi hết thời hạn kỷ luật" }
            return (tri, "\(n) năm liên tục xếp loại từ “\(min.label)” trở lên (\(y - n + 1)–\(y))", data, [])

        case .ratingCount(let min, let times, let within):
            let window = ((y - within + 1)...y).filter { facts.counts($0) }
            let good = window.filter { (c.ratings[$0].map { $0 >= min }) ?? false }
            let absent = window.filter { c.ratings[$0] == nil }
            let tri: Tri = good.count >= times ? .met : good.count + absent.count >= times ? .unknown : .notMet
            guard explain else { return (tri, "", "", []) }
            var data = good.isEmpty ? "Không có năm nào đạt" : "Đạt các năm \(years(good))"
            if !absent.isEmpty { data += "; thiếu xếp loại năm \(years(absent))" }
            return (tri, "Ít nhất \(times) năm xếp loại từ “\(min.label)” trở lên trong \(y - within + 1)–\(y)", data, [])

        case .count(let kind, let times, let within):
            let window = ((y - within + 1)...y).filter { facts.counts($0) }
            let have = window.filter { facts.merit[kind]?.contains($0) ?? false }
            let tri: Tri = have.count >= times ? .met : .notMet
            guard explain else { return (tri, "", "", []) }
            return (tri, "Ít nhất \(times) lần “\(name(kind))” trong \(y - within + 1)–\(y)",
                    have.isEmpty ? "Không có lần nào" : "Có \(have.count) lần: \(years(have))", [])

        case .initiatives(let scope, let times, let within):
            let own = "\(award):\(y)"
            var usable: [InitiativeFact] = [], used: [InitiativeFact] = []
            for i in facts.initiatives where i.scope >= scope && i.year <= y && i.year > y - within && facts.counts(i.year) {
                if i.usedBy == nil || i.usedBy == own { usable.append(i) } else { used.append(i) }
            }
            let tri: Tri = usable.count >= times ? .met : .notMet
            let consumes = tri == .met ? Set(usable.prefix(times).map(\.id)) : []
            guard explain else { return (tri, "", "", consumes) }
            var parts: [String] = []
            parts.append(usable.isEmpty ? "Không có sáng kiến dùng được" : "Dùng được: " + usable.map { "\($0.id) (\($0.year), \($0.scope.label))" }.joined(separator: "; "))
            if !used.isEmpty { parts.append("đã dùng cho khen thưởng khác, không tính lại: " + used.map { "\($0.id) → \($0.usedBy ?? "")" }.joined(separator: "; ")) }
            let span = within == 1 ? "năm \(y)" : "\(y - within + 1)–\(y)"
            return (tri, "Ít nhất \(times) sáng kiến \(scope.label) trở lên được công nhận trong \(span), chưa dùng để xét khen thưởng khác",
                    parts.joined(separator: "; "), consumes)

        case .earlier(let kind, let before):
            let limit = y - before
            let found = (facts.merit[kind] ?? []).filter { $0 <= limit }
            let tri: Tri = found.isEmpty ? .notMet : .met
            guard explain else { return (tri, "", "", []) }
            return (tri, "Đã được tặng “\(name(kind))” từ năm \(limit) trở về trước",
                    found.isEmpty ? "Không có \(kind) đến năm \(limit)" : "Có \(kind) năm \(years(found))", [])

        case .noDiscipline(let n):
            let first = y - n + 1
            let hits = c.disciplines.filter { d in d.from.year <= y && (d.to?.year ?? Int.max) >= first }
            let tri: Tri = hits.isEmpty ? .met : .notMet
            guard explain else { return (tri, "", "", []) }
            let span = n == 1 ? "năm \(y)" : "\(first)–\(y)"
            return (tri, "Không bị kỷ luật trong \(span)",
                    hits.isEmpty ? "Không có kỷ luật" : hits.sorted { $0.from < $1.from }.map { "\($0.form) từ \($0.from.vietnamese) đến \($0.to?.vietnamese ?? "nay")" }.joined(separator: "; "), [])

        case .noFreeze:
            let day = c.asOf
            let open = c.freezes.filter { $0.from <= day && ($0.to.map { day <= $0 } ?? true) }
            let tri: Tri = open.isEmpty ? .met : .notMet
            guard explain else { return (tri, "", "", []) }
            return (tri, "Không đang bị xem xét kỷ luật, điều tra, thanh tra, kiểm tra vào ngày xét \(day.vietnamese)",
                    open.isEmpty ? "Không có" : open.sorted { $0.from < $1.from }.map { "Đang \($0.reason) từ \($0.from.vietnamese)\($0.to.map { " đến \($0.vietnamese)" } ?? "")" }.joined(separator: "; "), [])

        case .memberShare(_, let percent, let strict):
            guard let s = c.memberStats[y], s.members > 0 else {
                return (.unknown, explain ? shareText(percent, strict) : "", explain ? "Chưa có số liệu thành viên năm \(y)" : "", [])
            }
            let share = Double(s.LDTT) * 100 / Double(s.members)
            let tri: Tri = (strict ? share > percent : share >= percent) ? .met : .notMet
            guard explain else { return (tri, "", "", []) }
            return (tri, shareText(percent, strict), "\(s.LDTT)/\(s.members) = \(percentText(share))", [])

        case .allMembersCompleted:
            guard let s = c.memberStats[y] else { return (.unknown, explain ? "100% thành viên hoàn thành nhiệm vụ năm \(y)" : "", "Chưa có số liệu thành viên năm \(y)", []) }
            let tri: Tri = s.completed >= s.members && s.members > 0 ? .met : .notMet
            return (tri, explain ? "100% thành viên hoàn thành nhiệm vụ năm \(y)" : "", explain ? "\(s.completed)/\(s.members) hoàn thành" : "", [])

        case .membersWithCSTDCS(let n):
            guard let s = c.memberStats[y] else { return (.unknown, explain ? "Có ít nhất \(n) thành viên đạt “Chiến sĩ thi đua cơ sở” năm \(y)" : "", "Chưa có số liệu thành viên năm \(y)", []) }
            return (s.CSTDCS >= n ? .met : .notMet, explain ? "Có ít nhất \(n) thành viên đạt “Chiến sĩ thi đua cơ sở” năm \(y)" : "",
                    explain ? "\(s.CSTDCS) thành viên đạt CSTĐCS" : "", [])

        case .noMemberDisciplined:
            let text = explain ? "Không có thành viên bị kỷ luật từ cảnh cáo trở lên năm \(y)" : ""
            guard let s = c.memberStats[y], let d = s.disciplined else { return (.unknown, text, "Chưa ghi số thành viên bị kỷ luật năm \(y)", []) }
            return (d == 0 ? .met : .notMet, text, explain ? "\(d) thành viên bị kỷ luật" : "", [])

        case .ledBloc:
            let text = explain ? "Là đơn vị dẫn đầu khối thi đua năm \(y)" : ""
            guard let led = c.ledBloc else { return (.unknown, text, "Chưa ghi kết quả suy tôn dẫn đầu khối", []) }
            return (led.contains(y) ? .met : .notMet, text, explain ? (led.contains(y) ? "Dẫn đầu khối năm \(y)" : "Không dẫn đầu khối năm \(y)") : "", [])

        case .eligibleFor(let kind):
            let text = explain ? "Đạt tiêu chuẩn “\(name(kind))” năm \(y)" : ""
            guard nesting < 4 else { return (.unknown, text, "Quy tắc lồng nhau quá sâu", []) }
            let inner = evaluator.evaluate(award: kind, facts: facts, regime: regime, explain: explain, depth: nesting + 1)
            if inner.usesUnconfirmedRule { unconfirmed = true }
            let tri: Tri = inner.verdict == .eligible ? .met : inner.verdict == .ineligible ? .notMet : .unknown
            guard explain else { return (tri, text, "", []) }
            let why = inner.verdict == .eligible ? "đạt" : inner.verdict == .ineligible ? "chưa đạt: " + inner.unmet.joined(separator: "; ") : "thiếu dữ liệu: " + inner.missing.joined(separator: "; ")
            return (tri, text, "\(kind) \(why)", [])
        }
    }

    func shareText(_ p: Double, _ strict: Bool) -> String {
        "\(strict ? "Trên" : "Ít nhất") \(percentText(p)) thành viên đạt “Lao động tiên tiến”/“Chiến sĩ tiên tiến” năm \(year)"
    }

    func percentText(_ v: Double) -> String {
        let rounded = (v * 10).rounded() / 10
        let s = rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded).replacingOccurrences(of: ".", with: ",")
        return s + " %"
    }
}
