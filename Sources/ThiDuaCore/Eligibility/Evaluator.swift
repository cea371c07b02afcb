import Foundation

/// The answer for one award.
public enum Verdict: String, Codable, Sendable, CaseIterable {
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
    /// Facts dated after the date of consideration, left out (`AsOfView`); nil when none.
    public var leftOut: [String]? = nil
}

/// The eligibility engine: subject + history + evaluation year + date of consideration → a verdict per award,
/// each with the regime used and a trace of every condition. Pure and deterministic: the input lists' order
/// never matters.
public struct EligibilityEvaluator: Sendable {
    public let catalogue: Catalogue

    /// One award to judge: its rule with the regime's common requirements folded in.
    struct Plan: Sendable { var code: String; var rule: AwardRule; var root: ConditionNode; var interval: IntervalRule? }
    /// regime id → subject → plans, in award-code order; computed once.
    let plans: [String: [SubjectType: [Plan]]]
    /// Sector kinds → the catalogue kind of the same level (`AwardKind.sameLevelAs`).
    let sameLevel: [String: String]

    public init(catalogue: Catalogue) {
        self.catalogue = catalogue
        sameLevel = catalogue.awards.compactMapValues(\.sameLevelAs)
        var plans: [String: [SubjectType: [Plan]]] = [:]
        for regime in catalogue.regimes {
            for subject in [SubjectType.individual, .collective] {
                plans[regime.id, default: [:]][subject] = catalogue.awardCodes.compactMap { code in
                    catalogue.rule(award: code, regime: regime.id, subject: subject).map {
                        // Conditions a province or sector turns on or off (`onlyIf`) are settled here, once.
                        let flag = { (id: String) in catalogue.parameter(id, regime: regime.id) }
                        let parts = (regime.requires + [$0.when]).compactMap { $0.applying(flag) }
                        return Plan(code: code, rule: $0, root: ConditionNode(condition: .all(parts), cites: nil, confidence: nil, text: nil, line: $0.line),
                                    interval: $0.interval(in: regime.id))
                    }
                }
            }
        }
        self.plans = plans
    }

    public func regime(for c: EligibilityCase) throws -> Regime {
        if let id = c.regime {
            guard let r = catalogue.regime(id: id) else { throw DomainError.invalid("Chế độ pháp lý “\(id)” không có trong danh mục.", field: "regime") }
            return r
        }
        guard let r = catalogue.regime(for: c.asOf) else {
            let reason = catalogue.uncoveredReason(c.asOf)
            throw DomainError.invalid(reason.prefix(1).uppercased() + reason.dropFirst() + ".", field: "asOf")
        }
        return r
    }

    func plan(_ code: String, regime: Regime, subject: SubjectType) -> Plan? {
        plans[regime.id]?[subject]?.first { $0.code == code }
    }

    /// The awards evaluated for this case: the candidates, or every award of the subject's type (and track) with a rule.
    func awards(for c: EligibilityCase, regime: Regime) -> [String] {
        if !c.candidates.isEmpty { return c.candidates }
        return defaultPlans(c, regime).map(\.code)
    }

    /// True when `kind` belongs to the other ladder (civil vs armed forces) than the subject.
    func offTrack(_ kind: String, _ c: EligibilityCase) -> Bool {
        guard let armed = c.armedForces, let track = catalogue.awards[kind]?.track else { return false }
        return track == (armed ? .civil : .armed)
    }

    func defaultPlans(_ c: EligibilityCase, _ regime: Regime) -> [Plan] {
        let all = plans[regime.id]?[c.subjectType] ?? []
        guard let armed = c.armedForces else { return all }
        let skip: AwardTrack = armed ? .civil : .armed
        return all.filter { catalogue.awards[$0.code]?.track != skip }
    }

    public func evaluate(_ given: EligibilityCase, explain: Bool = true) throws -> EligibilityReport {
        let (c, leftOut) = AsOfView.apply(given)
        let regime = try regime(for: c)
        let facts = Facts(c, explain: explain, sameLevel: sameLevel)
        var results: [AwardResult] = []
        for code in awards(for: c, regime: regime) {
            results.append(evaluate(award: code, facts: facts, regime: regime, explain: explain))
        }
        return EligibilityReport(regime: regime.id, regimeName: regime.name, evaluationYear: c.evaluationYear, asOf: c.asOf.description,
                                 subject: c.name, results: results, leftOut: leftOut.isEmpty ? nil : leftOut)
    }

    /// What a report's row shows of a subject: the awards it is eligible for, those that need data, and the closest
    /// award it is not yet eligible for (fewest unmet conditions, then its code) with the unmet conditions' texts.
    /// Judged without explanations; only the closest award is judged again with them (the same verdicts as
    /// `evaluate`, tested).
    public func summary(_ given: EligibilityCase) throws -> EligibilitySummary {
        let c = AsOfView.apply(given).0
        let regime = try regime(for: c)
        let quick = Facts(c, explain: false, sameLevel: sameLevel)
        var results: [AwardResult] = []
        for code in awards(for: c, regime: regime) { results.append(evaluate(award: code, facts: quick, regime: regime, explain: false)) }
        let closest = results.filter { $0.verdict == .ineligible }.min { ($0.unmet.count, $0.award) < ($1.unmet.count, $1.award) }
        let texts = closest.map { evaluate(award: $0.award, facts: Facts(c, explain: true, sameLevel: sameLevel), regime: regime, explain: true).unmet } ?? []
        return EligibilitySummary(eligible: results.filter { $0.verdict == .eligible }.map(\.award),
                                  needsData: results.filter { $0.verdict == .needsData }.map(\.award),
                                  closest: closest?.award, closestMissing: texts,
                                  unconfirmed: results.contains { $0.verdict == .eligible && $0.usesUnconfirmedRule })
    }

    /// Just the verdicts (for bulk runs over the whole register): no text and no allocation per condition.
    public func verdicts(_ given: EligibilityCase) throws -> [(String, Verdict)] {
        let c = AsOfView.apply(given).0
        let regime = try regime(for: c)
        let facts = Facts(c, explain: false, sameLevel: sameLevel)
        let quick = Quick(evaluator: self, facts: facts, regime: regime)
        if c.candidates.isEmpty {
            return defaultPlans(c, regime).map { ($0.code, quick.verdict($0)) }
        }
        return c.candidates.map { code in (code, plan(code, regime: regime, subject: c.subjectType).map(quick.verdict) ?? .needsData) }
    }

    func evaluate(award code: String, facts: Facts, regime: Regime, explain: Bool, depth: Int = 0) -> AwardResult {
        let name = catalogue.awards[code]?.name ?? code
        guard let plan = plan(code, regime: regime, subject: facts.c.subjectType) else {
            var text = "Danh mục chưa có quy tắc cho “\(name)” theo \(regime.name)"
            if let by = catalogue.awards[code]?.criteriaSetBy {
                text += ": tiêu chuẩn do bộ, ngành, tỉnh quy định (\(by)); nạp tệp quy tắc của tỉnh (THIDUA_CATALOG, xem docs/examples/tinh-mau.yaml)"
            }
            return AwardResult(award: code, awardName: name, verdict: .needsData,
                               conditions: [ConditionTrace(text: text, met: nil, data: "", cites: nil, confidence: nil, depth: 0)],
                               unmet: [], missing: [text], consumes: [], note: nil, usesUnconfirmedRule: false)
        }
        var run = Run(evaluator: self, facts: facts, regime: regime, award: code, explain: explain, nesting: depth)
        if let interval = plan.interval {
            run.prior = facts.prior(interval, for: code)
            run.intervalLine(interval)
        }
        let outcome = run.eval(plan.root, depth: 0)
        let verdict: Verdict = switch outcome.tri { case .met: .eligible; case .notMet: .ineligible; case .unknown: .needsData }
        return AwardResult(award: code, awardName: name, verdict: verdict, conditions: run.trace,
                           unmet: run.unmet, missing: run.missing, consumes: verdict == .eligible ? outcome.consumes.sorted() : [],
                           note: plan.rule.note, usesUnconfirmedRule: run.unconfirmed)
    }
}

/// A subject in one line of a report (`EligibilityEvaluator.summary`).
public struct EligibilitySummary: Sendable, Equatable {
    public var eligible: [String]
    public var needsData: [String]
    public var closest: String?
    public var closestMissing: [String]
    /// An eligible verdict rests on a rule marked unconfirmed.
    public var unconfirmed: Bool
}

enum Tri { case met, notMet, unknown }

/// The case indexed for quick look-ups: award years as bit masks over the 64 years ending at the evaluation year.
struct Facts {
    let c: EligibilityCase
    /// Bit i set: a merit award (not revoked) in year `base + i`.
    let merit: [String: UInt64]
    /// Awards that do not count (irregular, thematic, revoked …), for explanations only.
    let nonMerit: [String: UInt64]
    let base: Int
    /// Years up to and including this one do not count: a discipline ended then (ND 98 Art. 4: counting restarts).
    let disciplineCutoff: Int
    let initiatives: [IndexedInitiative]

    struct IndexedInitiative {
        var fact: InitiativeFact
        var usedCode: Substring?
        var usedYear: Int?
        /// Free for `award` judged for `year`: not consumed, or consumed by that very award and year.
        @inline(__always) func usable(by award: String, year: Int) -> Bool {
            guard let code = usedCode else { return true }
            return usedYear == year && code == award
        }
    }

    /// Sector kinds → the catalogue kind of the same level.
    let sameLevel: [String: String]
    /// The latest year before the evaluation year with a rating, award or initiative (an individual in service then);
    /// looked for only when no start of service is recorded (`inService`).
    let earlierYear: Int?

    init(_ c: EligibilityCase, explain: Bool, sameLevel: [String: String] = [:]) {
        self.c = c
        self.sameLevel = sameLevel
        let base = c.evaluationYear - 63
        self.base = base
        var merit: [String: UInt64] = [:], other: [String: UInt64] = [:]
        merit.reserveCapacity(8)
        for a in c.awards where a.year >= base && a.year <= c.evaluationYear {
            let bit = UInt64(1) << UInt64(a.year - base)
            if a.countsForMerit {
                merit[a.kind, default: 0] |= bit
                // A ministry's Bằng khen counts as "Bằng khen cấp bộ, ban, ngành, tỉnh" (BK_TINH), and so on.
                if let level = sameLevel[a.kind] { merit[level, default: 0] |= bit }
            } else if explain { other[a.kind, default: 0] |= bit }
        }
        self.merit = merit
        self.nonMerit = other
        var earlier: Int?
        if c.subjectType == .individual && c.serviceStart == nil {
            let y = c.evaluationYear
            for yr in c.ratings.keys where yr < y { earlier = max(earlier ?? yr, yr) }
            for a in c.awards where a.year < y { earlier = max(earlier ?? a.year, a.year) }
            for i in c.initiatives where i.year < y { earlier = max(earlier ?? i.year, i.year) }
        }
        self.earlierYear = earlier
        var cutoff = Int.min
        for d in c.disciplines where d.from.year <= c.evaluationYear {
            // A discipline still running in the evaluation year blocks that year too.
            cutoff = max(cutoff, min(d.to?.year ?? c.evaluationYear, c.evaluationYear))
        }
        self.disciplineCutoff = cutoff
        let sorted = c.initiatives.count < 2 ? c.initiatives : c.initiatives.sorted { ($0.year, $0.id) < ($1.year, $1.id) }
        self.initiatives = sorted.map { i in
            guard let used = i.usedBy, let colon = used.firstIndex(of: ":") else { return IndexedInitiative(fact: i, usedCode: nil, usedYear: nil) }
            return IndexedInitiative(fact: i, usedCode: used[..<colon], usedYear: Int(used[used.index(after: colon)...]))
        }
    }

    @inline(__always) func counts(_ year: Int) -> Bool { year > disciplineCutoff }

    /// In service `months` full months by the end of the evaluation year: from the start-of-service date, else from a
    /// rating, award or initiative of an earlier year (service began before the year); else unknown. Collectives: met.
    func inService(_ months: Int) -> (Tri, String) {
        let y = c.evaluationYear
        guard c.subjectType == .individual else { return (.met, "Không áp dụng cho tập thể") }
        if let start = c.serviceStart {
            let n = ServiceStart.months(from: start, toEndOf: y)
            return (n >= months ? .met : .notMet, "Bắt đầu công tác ngày \(start.vietnamese): \(max(n, 0)) tháng đến hết năm \(y)")
        }
        if let e = earlierYear { return (.met, "Có dữ liệu năm \(e) trong sổ: đã công tác trước năm \(y)") }
        return (.unknown, "Chưa ghi ngày bắt đầu công tác (tuyển dụng) và chưa có dữ liệu năm trước")
    }

    /// The last merit award of one of `kinds` (or of a sector kind of the same level) before the evaluation year, or
    /// in it when it is another kind than `award` (the award judged may already be in the register): its achievement
    /// years are used up for a rule with an interval (`IntervalRule`). Ties broken by year, kind and decision, so input
    /// order never matters.
    func prior(_ interval: IntervalRule?, for award: String) -> AwardFact? {
        guard let kinds = interval?.after else { return nil }
        var best: AwardFact?
        for a in c.awards where a.countsForMerit && (a.year < c.evaluationYear || (a.year == c.evaluationYear && a.kind != award))
            && (kinds.contains(a.kind) || sameLevel[a.kind].map(kinds.contains) == true) {
            guard let b = best else { best = a; continue }
            if (a.usedUpTo, a.year, a.kind, a.decision ?? "") > (b.usedUpTo, b.year, b.kind, b.decision ?? "") { best = a }
        }
        return best
    }

    /// Years up to and including this one do not count for a rule: before a discipline ended, or used up by the
    /// award `prior` names.
    func floor(_ prior: AwardFact?) -> Int { max(disciplineCutoff, prior?.usedUpTo ?? Int.min) }

    @inline(__always) func has(_ kind: String, _ year: Int) -> Bool {
        guard year >= base, let m = merit[kind] else { return false }
        return m & (UInt64(1) << UInt64(year - base)) != 0
    }

    @inline(__always) func hasNonMerit(_ kind: String, _ year: Int) -> Bool {
        guard year >= base, let m = nonMerit[kind] else { return false }
        return m & (UInt64(1) << UInt64(year - base)) != 0
    }

    /// Years (ascending) with a merit award `kind`, up to `last`.
    func meritYears(_ kind: String, upTo last: Int) -> [Int] {
        guard let m = merit[kind] else { return [] }
        return (0..<64).compactMap { i in m & (UInt64(1) << UInt64(i)) != 0 && base + i <= last ? base + i : nil }
    }
}

/// The allocation-free path used for verdicts only (bulk runs).
struct Quick {
    let evaluator: EligibilityEvaluator
    let facts: Facts
    let regime: Regime
    var year: Int { facts.c.evaluationYear }

    func verdict(_ plan: EligibilityEvaluator.Plan) -> Verdict {
        switch eval(plan.root.condition, award: plan.code, nesting: 0, floor: facts.floor(facts.prior(plan.interval, for: plan.code))) {
        case .met: .eligible; case .notMet: .ineligible; case .unknown: .needsData
        }
    }

    /// `floor`: the last year that does not count for this rule (`Facts.floor`).
    func eval(_ condition: Condition, award: String, nesting: Int, floor: Int) -> Tri {
        let c = facts.c
        let y = year
        switch condition {
        case .all(let children):
            var unknown = false
            for child in children {
                switch eval(child.condition, award: award, nesting: nesting, floor: floor) {
                case .notMet: return .notMet
                case .unknown: unknown = true
                case .met: break
                }
            }
            return unknown ? .unknown : .met
        case .any(let children):
            var unknown = false
            for child in children {
                switch eval(child.condition, award: award, nesting: nesting, floor: floor) {
                case .met: return .met
                case .unknown: unknown = true
                case .notMet: break
                }
            }
            return unknown ? .unknown : .notMet
        case .rating(let min):
            guard let r = c.ratings[y] else { return .unknown }
            return r >= min ? .met : .notMet
        case .holds(let kind):
            return facts.has(kind, y) ? .met : .notMet
        case .streak(let kind, let n, let every):
            for i in 0..<n {
                let yr = y - i * every
                if !facts.has(kind, yr) || yr <= floor { return .notMet }
            }
            return .met
        case .ratingStreak(let min, let n):
            var unknown = false
            for yr in (y - n + 1)...y {
                if yr <= floor { return .notMet }
                guard let r = c.ratings[yr] else { unknown = true; continue }
                if r < min { return .notMet }
            }
            return unknown ? .unknown : .met
        case .ratingCount(let min, let times, let within):
            var good = 0, absent = 0
            for yr in (y - within + 1)...y where yr > floor {
                if let r = c.ratings[yr] { if r >= min { good += 1 } } else { absent += 1 }
            }
            return good >= times ? .met : good + absent >= times ? .unknown : .notMet
        case .count(let kind, let times, let within):
            var n = 0
            for yr in (y - within + 1)...y where yr > floor && facts.has(kind, yr) { n += 1 }
            return n >= times ? .met : .notMet
        case .initiatives(let scope, let times, let within):
            var n = 0
            for i in facts.initiatives where i.fact.scope >= scope && i.fact.year <= y && i.fact.year > y - within && i.fact.year > floor {
                if i.usable(by: award, year: y) { n += 1 }
            }
            if n >= times { return .met }
            for yr in (y - within + 1)...y where yr > floor && !c.initiativesRecorded.covers(yr) { return .unknown }
            return .notMet
        case .earlier(let kind, let before):
            guard let m = facts.merit[kind] else { return .notMet }
            let limit = y - before
            guard limit >= facts.base else { return .notMet }
            let mask = limit - facts.base >= 63 ? UInt64.max : (UInt64(1) << UInt64(limit - facts.base + 1)) - 1
            return m & mask != 0 ? .met : .notMet
        case .noDiscipline(let n):
            let first = y - n + 1
            for d in c.disciplines where d.from.year <= y && (d.to?.year ?? Int.max) >= first { return .notMet }
            for yr in first...y where !c.disciplinesRecorded.covers(yr) { return .unknown }
            return .met
        case .noFreeze:
            for f in c.freezes where f.from <= c.asOf && (f.to.map { c.asOf <= $0 } ?? true) { return .notMet }
            return .met
        case .memberShare(_, let percent, let strict):
            guard let s = c.memberStats[y], s.members > 0 else { return .unknown }
            let share = Double(s.LDTT) * 100 / Double(s.members)
            return (strict ? share > percent : share >= percent) ? .met : .notMet
        case .allMembersCompleted:
            guard let s = c.memberStats[y] else { return .unknown }
            return s.completed >= s.members && s.members > 0 ? .met : .notMet
        case .membersWithCSTDCS(let n):
            guard let s = c.memberStats[y] else { return .unknown }
            return s.CSTDCS >= n ? .met : .notMet
        case .noMemberDisciplined:
            guard let d = c.memberStats[y]?.disciplined else { return .unknown }
            return d == 0 ? .met : .notMet
        case .ledBloc:
            guard let led = c.ledBloc else { return .unknown }
            return led.contains(y) ? .met : .notMet
        case .inServiceMonths(let months):
            return facts.inService(months).0
        case .eligibleFor(let kind):
            if evaluator.offTrack(kind, c) { return .notMet }
            guard nesting < 4, let plan = evaluator.plan(kind, regime: regime, subject: c.subjectType) else { return .unknown }
            return eval(plan.root.condition, award: kind, nesting: nesting + 1, floor: facts.floor(facts.prior(plan.interval, for: kind)))
        }
    }
}

/// One evaluation of one rule, collecting the trace.
struct Run {
    let evaluator: EligibilityEvaluator
    let facts: Facts
    let regime: Regime
    let award: String
    let explain: Bool
    let nesting: Int
    /// The last award whose achievement years this rule may not use again (its interval), if any.
    var prior: AwardFact? = nil
    var trace: [ConditionTrace] = []
    var unmet: [String] = []
    var missing: [String] = []
    var unconfirmed = false

    struct Outcome { var tri: Tri; var consumes: Set<String> = [] }

    var year: Int { facts.c.evaluationYear }
    func name(_ code: String) -> String { evaluator.catalogue.awards[code]?.name ?? code }
    var floor: Int { facts.floor(prior) }
    func counts(_ yr: Int) -> Bool { yr > floor }

    /// Why years do not count: used up by the previous award, or before a discipline ended.
    func cutText(_ cut: [Int]) -> String {
        guard !cut.isEmpty else { return "" }
        let used = cut.filter { yr in prior.map { yr <= $0.usedUpTo } ?? false }
        let disciplined = cut.filter { !used.contains($0) }
        var parts: [String] = []
        if !used.isEmpty, let p = prior { parts.append("năm \(years(used)) không tính vì đã dùng cho “\(name(p.kind))” năm \(p.year)") }
        if !disciplined.isEmpty { parts.append("năm \(years(disciplined)) không tính vì trước khi hết thời hạn kỷ luật") }
        return "; " + parts.joined(separator: "; ")
    }

    /// The interval's line of the explanation: which previous award's years are used up, and from when it counts.
    mutating func intervalLine(_ interval: IntervalRule) {
        // The fallback for a decision that names no period is ThiDua's reading: when it decides, the verdict says so.
        if interval.confidence == .unconfirmed || prior.map({ $0.periodFrom == nil && $0.usedUpTo > $0.year }) == true { unconfirmed = true }
        guard explain else { return }
        let kinds = interval.after.map { "“\(name($0))”" }.joined(separator: ", ")
        let text = "Thành tích chưa dùng để khen \(kinds) lần trước (tính từ sau thời gian lập thành tích ghi trong quyết định lần trước)"
        let data: String
        if let p = prior {
            var d = "\(p.kind) năm \(p.year) (thành tích \(p.periodText)"
            if let n = p.decision { d += ", QĐ \(n)" }
            if let day = p.date { d += " ngày \(day.vietnamese)" }
            d += ")"
            if p.periodFrom == nil && p.usedUpTo > p.year { d += "; quyết định không ghi thời gian lập thành tích: tính từ ngày ban hành" }
            data = d + "; chỉ tính thành tích từ năm \(p.usedUpTo + 1)"
        } else {
            data = "Chưa có lần khen \(interval.after.joined(separator: ", ")) nào trước năm \(year)"
        }
        trace.append(ConditionTrace(text: text, met: true, data: data, cites: interval.cites, confidence: interval.confidence, depth: 0))
    }
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
            // Whether each way rests on an unconfirmed reading: for "any", only the way that is met counts.
            let unconfirmedBefore = unconfirmed
            var childUnconfirmed: [Bool] = []
            for child in children {
                unconfirmed = false
                results.append(eval(child, depth: showHeader ? depth + 1 : depth))
                childUnconfirmed.append(unconfirmed)
            }
            unconfirmed = unconfirmedBefore || childUnconfirmed.contains(true)
            let tri: Tri
            var consumes = Set<String>()
            if isAll {
                tri = results.contains { $0.tri == .notMet } ? .notMet : results.contains { $0.tri == .unknown } ? .unknown : .met
                for r in results { consumes.formUnion(r.consumes) }
            } else {
                if let i = results.firstIndex(where: { $0.tri == .met }) {
                    tri = .met
                    consumes = results[i].consumes
                    unconfirmed = unconfirmedBefore || childUnconfirmed[i]
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
            } else if tri == .notMet {
                // Without texts the unmet conditions are still counted (which award is closest: `summary`).
                unmet.append("")
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
            let has = facts.has(kind, y)
            let tri: Tri = has ? .met : .notMet
            guard explain else { return (tri, "", "", []) }
            var data = has ? "Có \(kind) năm \(y)" : "Không có \(kind) năm \(y) trong sổ khen thưởng"
            if !has, facts.hasNonMerit(kind, y) { data += " (có khen \(kind) năm \(y) nhưng là khen đột xuất/chuyên đề hoặc đã bị hủy – không tính)" }
            return (tri, "Được tặng “\(name(kind))” năm \(y)", data, [])

        case .streak(let kind, let n, let every):
            let wanted = (0..<n).map { y - $0 * every }
            let have = Set(facts.meritYears(kind, upTo: y))
            let missingYears = wanted.filter { !have.contains($0) }
            let cut = wanted.filter { have.contains($0) && !counts($0) }
            let tri: Tri = missingYears.isEmpty && cut.isEmpty ? .met : .notMet
            guard explain else { return (tri, "", "", []) }
            let spacing = every > 1 ? " (mỗi lần cách nhau \(every) năm)" : ""
            let text = "\(n) lần liên tục “\(name(kind))”\(spacing) đến năm \(y): \(years(wanted))"
            var data = have.isEmpty ? "Chưa có \(kind) nào theo công trạng" : "Có \(kind) các năm \(years(have))"
            if !missingYears.isEmpty { data += "; thiếu năm \(years(missingYears)) nên chuỗi bị gián đoạn" }
            let ignored = wanted.filter { facts.hasNonMerit(kind, $0) && !have.contains($0) }
            if !ignored.isEmpty { data += "; năm \(years(ignored)) chỉ có khen đột xuất/chuyên đề, không tính" }
            data += cutText(cut)
            return (tri, text, data, [])

        case .ratingStreak(let min, let n):
            let wanted = ((y - n + 1)...y)
            var below: [Int] = [], absent: [Int] = [], cut: [Int] = []
            for yr in wanted {
                if !counts(yr) { cut.append(yr); continue }
                guard let r = c.ratings[yr] else { absent.append(yr); continue }
                if r < min { below.append(yr) }
            }
            let tri: Tri = !below.isEmpty || !cut.isEmpty ? .notMet : absent.isEmpty ? .met : .unknown
            guard explain else { return (tri, "", "", []) }
            let shown = wanted.map { yr in "\(yr): \(c.ratings[yr]?.rawValue ?? "—")" }.joined(separator: ", ")
            var data = shown
            if !below.isEmpty { data += "; năm \(years(below)) dưới mức yêu cầu" }
            if !absent.isEmpty { data += "; thiếu xếp loại năm \(years(absent))" }
            data += cutText(cut)
            return (tri, "\(n) năm liên tục xếp loại từ “\(min.label)” trở lên (\(y - n + 1)–\(y))", data, [])

        case .ratingCount(let min, let times, let within):
            let window = ((y - within + 1)...y).filter { counts($0) }
            let good = window.filter { (c.ratings[$0].map { $0 >= min }) ?? false }
            let absent = window.filter { c.ratings[$0] == nil }
            let tri: Tri = good.count >= times ? .met : good.count + absent.count >= times ? .unknown : .notMet
            guard explain else { return (tri, "", "", []) }
            var data = good.isEmpty ? "Không có năm nào đạt" : "Đạt các năm \(years(good))"
            if !absent.isEmpty { data += "; thiếu xếp loại năm \(years(absent))" }
            return (tri, "Ít nhất \(times) năm xếp loại từ “\(min.label)” trở lên trong \(y - within + 1)–\(y)", data, [])

        case .count(let kind, let times, let within):
            let window = ((y - within + 1)...y).filter { counts($0) }
            let have = window.filter { facts.has(kind, $0) }
            let tri: Tri = have.count >= times ? .met : .notMet
            guard explain else { return (tri, "", "", []) }
            return (tri, "Ít nhất \(times) lần “\(name(kind))” trong \(y - within + 1)–\(y)",
                    have.isEmpty ? "Không có lần nào" : "Có \(have.count) lần: \(years(have))", [])

        case .initiatives(let scope, let times, let within):
            var usable: [InitiativeFact] = [], used: [InitiativeFact] = []
            for i in facts.initiatives where i.fact.scope >= scope && i.fact.year <= y && i.fact.year > y - within && counts(i.fact.year) {
                if i.usable(by: award, year: y) { usable.append(i.fact) } else { used.append(i.fact) }
            }
            let unrecorded = usable.count >= times ? [] : ((y - within + 1)...y).filter { counts($0) && !c.initiativesRecorded.covers($0) }
            let tri: Tri = usable.count >= times ? .met : unrecorded.isEmpty ? .notMet : .unknown
            let consumes = tri == .met ? Set(usable.prefix(times).map(\.id)) : []
            guard explain else { return (tri, "", "", consumes) }
            var parts: [String] = []
            if !unrecorded.isEmpty { parts.append("chưa ghi sáng kiến năm \(years(unrecorded)) (không rõ có hay không): ghi các sáng kiến, hoặc ghi là không có") }
            parts.append(usable.isEmpty ? "Không có sáng kiến dùng được" : "Dùng được: " + usable.map { "\($0.label) (\($0.year), \($0.scope.label))" }.joined(separator: "; "))
            if !used.isEmpty { parts.append("đã dùng cho khen thưởng khác, không tính lại: " + used.map { "\($0.label) → \($0.usedBy ?? "")" }.joined(separator: "; ")) }
            let span = within == 1 ? "năm \(y)" : "\(y - within + 1)–\(y)"
            return (tri, "Ít nhất \(times) sáng kiến \(scope.label) trở lên được công nhận trong \(span), chưa dùng để xét khen thưởng khác",
                    parts.joined(separator: "; "), consumes)

        case .earlier(let kind, let before):
            let limit = y - before
            let found = facts.meritYears(kind, upTo: limit)
            let tri: Tri = found.isEmpty ? .notMet : .met
            guard explain else { return (tri, "", "", []) }
            return (tri, "Đã được tặng “\(name(kind))” từ năm \(limit) trở về trước",
                    found.isEmpty ? "Không có \(kind) đến năm \(limit)" : "Có \(kind) năm \(years(found))", [])

        case .noDiscipline(let n):
            let first = y - n + 1
            let hits = c.disciplines.filter { d in d.from.year <= y && (d.to?.year ?? Int.max) >= first }
            let unrecorded = hits.isEmpty ? (first...y).filter { !c.disciplinesRecorded.covers($0) } : []
            let tri: Tri = !hits.isEmpty ? .notMet : unrecorded.isEmpty ? .met : .unknown
            guard explain else { return (tri, "", "", []) }
            let span = n == 1 ? "năm \(y)" : "\(first)–\(y)"
            let data = !hits.isEmpty ? hits.sorted { $0.from < $1.from }.map { "\($0.form) từ \($0.from.vietnamese) đến \($0.to?.vietnamese ?? "nay")" }.joined(separator: "; ")
                : unrecorded.isEmpty ? "Không có kỷ luật" : "Chưa ghi kỷ luật năm \(years(unrecorded)) (không rõ có hay không): ghi các kỷ luật, hoặc ghi là không có"
            return (tri, "Không bị kỷ luật trong \(span)", data, [])

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

        case .inServiceMonths(let months):
            let (tri, data) = facts.inService(months)
            guard explain else { return (tri, "", "", []) }
            return (tri, "Đã công tác từ \(months) tháng trở lên tính đến hết năm \(y) (người mới tuyển dụng dưới \(months) tháng không xét)", data, [])

        case .eligibleFor(let kind):
            let text = explain ? "Đạt tiêu chuẩn “\(name(kind))” năm \(y)" : ""
            if evaluator.offTrack(kind, c) {
                return (.notMet, text, c.armedForces == true ? "Không áp dụng cho đơn vị lực lượng vũ trang" : "Chỉ áp dụng cho lực lượng vũ trang", [])
            }
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
