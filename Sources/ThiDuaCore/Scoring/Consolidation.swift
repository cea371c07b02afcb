import Foundation

/// A unit being scored, with the facts that caps read (e.g. "headDisciplined").
public struct UnitScoring: Hashable, Codable, Sendable {
    public var id: UUID
    public var name: String
    public var flags: Set<String>
    public init(id: UUID, name: String, flags: Set<String> = []) { self.id = id; self.name = name; self.flags = flags }
}

/// One criterion's result for one unit, with where it came from.
public struct CriterionOutcome: Hashable, Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        case scored
        /// The criterion does not apply to the unit (not assigned, or no target): left out of its maximum.
        case notApplicable
        /// No mark that counts: the result is provisional.
        case missing
        /// The peers disagree by more than the bloc's gap and the leader has not scored it a third time yet.
        case awaitingThirdScoring
    }

    public struct Used: Hashable, Codable, Sendable {
        public var scorer: Scorer
        public var points: Points
    }

    public struct LeftOut: Hashable, Codable, Sendable {
        public var scorer: Scorer
        public var reason: String
    }

    public var code: String
    public var name: String
    public var kind: CriterionKind
    /// A group of criteria: its final is the sum of its children's.
    public var isGroup: Bool
    public var status: Status
    /// Nil when missing or not applicable. For a group: the sum of its children, within the group's maximum.
    public var final: Points?
    public var maximum: Points
    public var used: [Used]
    public var leftOut: [LeftOut]
    /// How the final was reached, in Vietnamese ("trung bình 3 điểm chấm chéo: (8 + 9 + 10) ÷ 3 = 9").
    public var explanation: String
}

/// A unit's consolidated result: every criterion, the totals and the band, each explained.
public struct UnitOutcome: Hashable, Codable, Sendable {
    public var unit: UUID
    public var name: String
    public var criteria: [CriterionOutcome]
    /// The sum of the scored criteria (bonus and penalty apart).
    public var raw: Points
    /// The maximum of the criteria that apply to the unit, and of the whole scale.
    public var unitMaximum: Points
    public var scaleMaximum: Points
    public var normalised: Points
    public var bonus: Points
    /// As a positive number of points taken off.
    public var penalty: Points
    public var total: Points
    public var band: String?
    /// Not final: a criterion is missing or awaits a third scoring.
    public var provisional: Bool
    public var explanation: [String]

    public func outcome(_ code: String) -> CriterionOutcome? { criteria.first { $0.code == code } }
}

/// Turns the stored marks of a round into results: one pure function of the scale, the units, the marks, the
/// conflict declarations and the rule, so that anyone can recompute and check a published result.
///
/// - Manual and yes/no criteria are aggregated by the rule (the leader's reviewed mark, or the peers' marks by mean,
///   median or trimmed mean); a peer's mark on its own unit and the marks of a scorer that declared a conflict with
///   the unit are left out, and say so. Where the peers differ by more than the rule's gap, the leader's third
///   scoring decides; the peers' marks stay as they were.
/// - Target/actual and bonus/penalty criteria are facts, not opinions: computed from the leader's reviewed entry,
///   or the unit's own when the leader made none.
/// - Groups add their children, never beyond their own maximum; the total is normalised (when the rule says so),
///   bonus and penalty are added within their caps, and the total stays within 0 and the scale's maximum plus bonus.
/// - Every division is rounded half away from zero to the hundredth.
public enum Consolidation {
    /// `overrides`: the leader's answers to appeals and corrections after publication, in the order they were made (a
    /// later one for the same unit and criterion replaces an earlier one).
    public static func consolidate(scale: [Criterion], units: [UnitScoring], marks: [ScoreMark],
                                   conflicts: [ConflictDeclaration], rule: ConsolidationRule, overrides: [ScoreOverride] = []) -> [UnitOutcome] {
        // The marks' positions grouped by unit and criterion, in one flat table (marks are not copied). Marks usually
        // come in order (a unit's, a scorer's, criterion after criterion): the next criterion and the same unit are
        // tried before any lookup.
        var slot: [UUID: Int] = [:]
        for (i, u) in units.enumerated() where slot[u.id] == nil { slot[u.id] = i }
        let codes = ScoringScale.flatten(scale).map(\.criterion.code)
        var codeIndex: [String: Int] = [:]
        for (i, c) in codes.enumerated() where codeIndex[c] == nil { codeIndex[c] = i }
        var table = [[Int32]](repeating: [], count: units.count * codes.count)
        // What consolidation reads of a mark, without its comment: plain values, copied without reference counting.
        let entries = marks.map { Entry(scorer: $0.scorer, value: $0.value) }
        var lastUnit: UUID?, lastSlot = -1, lastCode = -1
        for (i, m) in marks.enumerated() {
            if m.unit != lastUnit {
                lastUnit = m.unit
                lastSlot = slot[m.unit] ?? -1
            }
            guard lastSlot >= 0 else { continue }
            let next = lastCode + 1
            if next < codes.count, codes[next] == m.criterion {
                lastCode = next
            } else if lastCode < 0 || codes[lastCode] != m.criterion {
                lastCode = codeIndex[m.criterion] ?? -1
            }
            guard lastCode >= 0 else { continue }
            table[lastSlot * codes.count + lastCode].append(Int32(truncatingIfNeeded: i))
        }
        var conflicted: [UUID: [UUID: String]] = [:]
        for c in conflicts { conflicted[c.unit, default: [:]][c.scorer] = c.reason }
        var overridden: [UUID: [String: ScoreOverride]] = [:]
        for o in overrides { overridden[o.unit, default: [:]][o.criterion] = o }
        let scaleMaximum = Points.sum(scale.filter { $0.kind != .adjustment }.map { Points(stored: $0.maxPoints) ?? .zero })
        return units.enumerated().map { i, unit in
            // A unit listed twice is scored once, at its first place; the second gets no marks.
            let first = slot[unit.id] == i
            return outcome(unit, scale: scale, scaleMaximum: scaleMaximum, rule: rule, conflicts: conflicted[unit.id] ?? [:],
                           overrides: first ? overridden[unit.id] ?? [:] : [:]) { code in
                guard first, let c = codeIndex[code] else { return [] }
                return table[i * codes.count + c].map { entries[Int($0)] }
            }
        }
    }

    private static func outcome(_ unit: UnitScoring, scale: [Criterion], scaleMaximum: Points, rule: ConsolidationRule,
                                conflicts: [UUID: String], overrides: [String: ScoreOverride], marks: (String) -> [Entry]) -> UnitOutcome {
        var outcomes: [CriterionOutcome] = []
        var bonus = Points.zero, penalty = Points.zero
        var unitMaximum = Points.zero
        var provisional = false
        var anyZero = false

        /// A node's outcome (children first, in scale order); returns its final and the maximum it counts for the unit.
        func visit(_ c: Criterion) -> (final: Points?, maximum: Points) {
            let max = Points(stored: c.maxPoints) ?? .zero
            if !c.applies(to: unit.id) {
                outcomes.append(CriterionOutcome(code: c.code, name: c.name, kind: c.kind, isGroup: !c.children.isEmpty && c.kind != .adjustment,
                                                 status: .notApplicable, final: nil, maximum: max,
                                                 used: [], leftOut: [], explanation: "Không áp dụng cho đơn vị."))
                return (nil, .zero)
            }
            if !c.children.isEmpty && c.kind != .adjustment {
                let index = outcomes.count
                outcomes.append(CriterionOutcome(code: c.code, name: c.name, kind: c.kind, isGroup: true, status: .scored, final: nil, maximum: max,
                                                 used: [], leftOut: [], explanation: ""))
                var sum = Points.zero, childMax = Points.zero, applicable = false
                for child in c.children where child.kind != .adjustment {
                    let (f, m) = visit(child)
                    if let f { sum = sum + f }
                    if m > .zero || f != nil { applicable = true }
                    childMax = childMax + m
                }
                for child in c.children where child.kind == .adjustment { _ = visit(child) }
                let capped = Swift.min(sum, max)
                var text = "Tổng các tiêu chí con: \(sum)"
                if capped < sum { text += ", vượt điểm tối đa của nhóm nên tính \(capped)" }
                outcomes[index].final = applicable ? capped : nil
                outcomes[index].status = applicable ? .scored : .notApplicable
                outcomes[index].explanation = applicable ? text + "." : "Không tiêu chí con nào áp dụng cho đơn vị."
                return (applicable ? capped : nil, Swift.min(childMax, max))
            }
            var o = leaf(c, max: max, unit: unit.id, marks: marks(c.code), rule: rule, conflicts: conflicts)
            if let override = overrides[c.code] { o = apply(override, to: o, criterion: c, max: max) }
            outcomes.append(o)
            switch o.status {
            case .notApplicable: return (nil, .zero)
            case .missing, .awaitingThirdScoring: provisional = true
            case .scored: break
            }
            if c.kind == .adjustment {
                if let f = o.final { if f > .zero { bonus = bonus + f } else { penalty = penalty - f } }
                return (nil, .zero)
            }
            if o.final == .zero { anyZero = true }
            return (o.final, max)
        }

        var raw = Points.zero
        for c in scale {
            let (f, m) = visit(c)
            if c.kind != .adjustment {
                if let f { raw = raw + f }
                unitMaximum = unitMaximum + m
            }
        }
        var lines: [String] = []
        lines.append("Tổng điểm các tiêu chí: \(raw)/\(unitMaximum) (thang điểm \(scaleMaximum)).")
        var normalised = raw
        if rule.normalise, unitMaximum > .zero, unitMaximum != scaleMaximum {
            normalised = Points.scaled(raw, by: scaleMaximum.hundredths, over: unitMaximum.hundredths)
            lines.append("Quy đổi về thang \(scaleMaximum) vì có tiêu chí không áp dụng: \(raw) × \(scaleMaximum) ÷ \(unitMaximum) = \(normalised).")
        }
        if let cap = rule.bonusCap, bonus > cap {
            lines.append("Điểm thưởng \(bonus) vượt mức trần, tính \(cap).")
            bonus = cap
        }
        if let cap = rule.penaltyCap, penalty > cap {
            lines.append("Điểm trừ \(penalty) vượt mức trần, tính \(cap).")
            penalty = cap
        }
        var total = normalised + bonus - penalty
        if bonus > .zero || penalty > .zero { lines.append("Cộng điểm thưởng \(bonus), trừ \(penalty): \(total).") }
        if total < .zero {
            lines.append("Tổng điểm không âm: tính 0.")
            total = .zero
        }
        // Band: the first the total reaches (with its condition), then the caps whose flags hold.
        var bandIndex = rule.bands.firstIndex { b in total >= b.minimum && !(b.noCriterionAtZero && anyZero) }
        if let i = bandIndex {
            for b in rule.bands.prefix(i) where total >= b.minimum && b.noCriterionAtZero && anyZero {
                lines.append("Đủ điểm mức “\(b.name)” nhưng có tiêu chí 0 điểm.")
            }
            lines.append("Xếp loại “\(rule.bands[i].name)”: \(total) ≥ \(rule.bands[i].minimum).")
        } else if !rule.bands.isEmpty {
            lines.append("Chưa đạt mức xếp loại thấp nhất.")
        }
        for cap in rule.caps where unit.flags.contains(cap.flag) {
            guard let capIndex = rule.bands.firstIndex(where: { $0.name == cap.highestBand }) else { continue }
            if let i = bandIndex, i < capIndex {
                bandIndex = capIndex
                lines.append("Hạ xuống “\(cap.highestBand)”: \(cap.reason)")
            }
        }
        if provisional { lines.append("Kết quả tạm thời: còn tiêu chí chưa có điểm hoặc chờ trưởng khối chấm lần ba.") }
        return UnitOutcome(unit: unit.id, name: unit.name, criteria: outcomes, raw: raw, unitMaximum: unitMaximum, scaleMaximum: scaleMaximum,
                           normalised: normalised, bonus: bonus, penalty: penalty, total: total,
                           band: bandIndex.map { rule.bands[$0].name }, provisional: provisional, explanation: lines)
    }

    /// A leaf criterion: its marks turned into points, the ones that do not count set aside with their reason,
    /// and the final by the criterion's kind and the rule.
    /// A mark as consolidation reads it.
    struct Entry: Sendable {
        var scorer: Scorer
        var value: MarkValue
    }

    static func leaf(_ c: Criterion, max: Points, unit: UUID, marks: [Entry], rule: ConsolidationRule,
                     conflicts: [UUID: String]) -> CriterionOutcome {
        var used: [CriterionOutcome.Used] = []
        var leftOut: [CriterionOutcome.LeftOut] = []
        func outcome(_ status: CriterionOutcome.Status, _ final: Points?, _ text: String) -> CriterionOutcome {
            CriterionOutcome(code: c.code, name: c.name, kind: c.kind, isGroup: false, status: status, final: final, maximum: max,
                             used: used, leftOut: leftOut, explanation: text)
        }
        // Facts (target/actual, events): the leader's reviewed entry, else the unit's own.
        if c.kind == .targetActual || c.kind == .adjustment {
            let source = marks.first { $0.scorer == .leader } ?? marks.first { $0.scorer == .selfAssessment }
            guard let source else { return outcome(.missing, nil, "Chưa có số liệu.") }
            switch CriterionPoints.points(source.value, criterion: c, max: max) {
            case .success(.some(let p)):
                used.append(.init(scorer: source.scorer, points: p))
                return outcome(.scored, p, CriterionPoints.explain(source.value, criterion: c, max: max, points: p) + " (theo \(source.scorer.label)).")
            case .success(.none):
                return outcome(.notApplicable, nil, "Đơn vị không có chỉ tiêu: không tính vào điểm tối đa.")
            case .failure(let reason):
                leftOut.append(.init(scorer: source.scorer, reason: reason.description))
                return outcome(.missing, nil, "Số liệu không dùng được: \(reason)")
            }
        }
        func pointsOf(_ m: Entry) -> Points? {
            switch CriterionPoints.points(m.value, criterion: c, max: max) {
            case .success(let p?): return p
            case .success(.none): leftOut.append(.init(scorer: m.scorer, reason: "không có điểm")); return nil
            case .failure(let reason): leftOut.append(.init(scorer: m.scorer, reason: reason.description)); return nil
            }
        }
        switch rule.aggregator {
        case .leaderReview:
            if let m = marks.first(where: { $0.scorer == .leader }), let p = pointsOf(m) {
                used.append(.init(scorer: .leader, points: p))
                return outcome(.scored, p, "Điểm thẩm định của trưởng khối: \(p).")
            }
            if let m = marks.first(where: { $0.scorer == .selfAssessment }), let p = pointsOf(m) {
                used.append(.init(scorer: .selfAssessment, points: p))
                return outcome(.scored, p, "Trưởng khối không sửa: giữ điểm tự chấm \(p).")
            }
            return outcome(.missing, nil, "Chưa có điểm.")
        case .mean, .median, .trimmedMean:
            var peers: [(scorer: UUID, points: Points)] = []
            peers.reserveCapacity(marks.count)
            for m in marks {
                guard case .peer(let scorer) = m.scorer else { continue }
                if scorer == unit { leftOut.append(.init(scorer: m.scorer, reason: "đơn vị không chấm chính mình")); continue }
                if !conflicts.isEmpty, let reason = conflicts[scorer] {
                    leftOut.append(.init(scorer: m.scorer, reason: "đã khai xung đột lợi ích: \(reason)"))
                    continue
                }
                if let p = pointsOf(m) { peers.append((scorer, p)) }
            }
            peers = onePerScorer(peers, leftOut: &leftOut)
            let values = peers.map(\.points).sorted()
            let third = marks.first { $0.scorer == .thirdScoring }.flatMap(pointsOf)
            if let lo = values.first, let hi = values.last, let gap = rule.disagreementGap, hi - lo > gap {
                if let third {
                    used.append(.init(scorer: .thirdScoring, points: third))
                    return outcome(.scored, third, "Điểm chấm chéo chênh \(hi - lo) (từ \(lo) đến \(hi)) > \(gap): trưởng khối chấm lần ba \(third).")
                }
                used = peers.map { .init(scorer: .peer($0.scorer), points: $0.points) }
                return outcome(.awaitingThirdScoring, nil, "Điểm chấm chéo chênh \(hi - lo) (từ \(lo) đến \(hi)) > \(gap): chờ trưởng khối chấm lần ba.")
            }
            guard !values.isEmpty else { return outcome(.missing, nil, "Chưa có điểm chấm chéo.") }
            used = peers.map { .init(scorer: .peer($0.scorer), points: $0.points) }
            let (final, text) = aggregate(values, rule.aggregator)
            return outcome(.scored, final, text)
        }
    }

    /// The leader's override on a criterion computed as usual: the new score (within the criterion's bounds) or "does
    /// not apply", with the score before and the reason in the explanation. The marks used stay listed.
    static func apply(_ override: ScoreOverride, to o: CriterionOutcome, criterion c: Criterion, max: Points) -> CriterionOutcome {
        var r = o
        let before = o.final.map { "\($0)" } ?? (o.status == .notApplicable ? "không áp dụng" : "chưa có điểm")
        switch override.value {
        case .points(let p):
            let bounded = c.kind == .adjustment ? p.clamped(-max, max) : p.clamped(.zero, max)
            r.status = .scored
            r.final = bounded
            r.explanation = o.explanation + " Sau \(override.source): \(bounded) (trước đó \(before)). Lý do: \(override.reason)"
        case .notApplicable:
            r.status = .notApplicable
            r.final = nil
            r.explanation = o.explanation + " Sau \(override.source): không áp dụng cho đơn vị, không tính vào điểm tối đa (trước đó \(before)). Lý do: \(override.reason)"
        }
        return r
    }

    /// One mark per scorer, whatever the order they were entered in: a scorer's repeated equal marks count once, and
    /// a scorer with different marks for the same criterion counts for none (said so), rather than the first or the last.
    static func onePerScorer(_ peers: [(scorer: UUID, points: Points)], leftOut: inout [CriterionOutcome.LeftOut]) -> [(scorer: UUID, points: Points)] {
        struct Keyed { var hi: UInt64; var lo: UInt64; var points: Points; var index: Int }
        var keyed: [Keyed] = peers.enumerated().map { i, p in
            withUnsafeBytes(of: p.scorer.uuid) { raw in
                Keyed(hi: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), lo: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                      points: p.points, index: i)
            }
        }
        keyed.sort { a, b in
            if a.hi != b.hi { return a.hi < b.hi }
            if a.lo != b.lo { return a.lo < b.lo }
            return a.points < b.points
        }
        var out: [(scorer: UUID, points: Points)] = []
        out.reserveCapacity(peers.count)
        var i = 0
        while i < keyed.count {
            var j = i + 1
            while j < keyed.count && keyed[j].hi == keyed[i].hi && keyed[j].lo == keyed[i].lo { j += 1 }
            if keyed[i].points == keyed[j - 1].points {
                out.append(peers[keyed[i].index])
            } else {
                leftOut.append(.init(scorer: .peer(peers[keyed[i].index].scorer), reason: "chấm \(j - i) lần với điểm khác nhau"))
            }
            i = j
        }
        return out
    }

    /// The aggregate of sorted marks, with the arithmetic written out.
    static func aggregate(_ sorted: [Points], _ aggregator: Aggregator) -> (Points, String) {
        func mean(_ v: ArraySlice<Points>) -> Points {
            Points(hundredths: Points.roundedDivision(Points.sum(v).hundredths, Int64(v.count)))
        }
        // The marks written out, appended one by one (a round's explanations hold some 170.000 of them).
        func list(_ v: ArraySlice<Points>, separator: String = " + ") -> String {
            var out = ""
            out.reserveCapacity(v.count * 7)
            for (i, p) in v.enumerated() {
                if i > 0 { out += separator }
                out += p.description
            }
            return out
        }
        switch aggregator {
        case .median:
            let n = sorted.count
            let m = Points.median(sorted: sorted) ?? .zero
            return (m, "Trung vị \(n) điểm chấm chéo (\(list(sorted[...], separator: "; "))): \(m).")
        case .trimmedMean where sorted.count >= 5:
            let kept = sorted[1..<(sorted.count - 1)]
            let m = mean(kept)
            return (m, "Bỏ điểm thấp nhất \(sorted[0]) và cao nhất \(sorted[sorted.count - 1]); trung bình \(kept.count) điểm: (\(list(kept))) ÷ \(kept.count) = \(m).")
        default:
            let m = mean(sorted[...])
            return (m, "Trung bình \(sorted.count) điểm chấm chéo: (\(list(sorted[...]))) ÷ \(sorted.count) = \(m).")
        }
    }
}

/// A mark's points by the criterion's kind.
public enum CriterionPoints {
    /// `.success(nil)`: the criterion does not apply (no target); `.failure`: the mark does not fit the criterion.
    public static func points(_ value: MarkValue, criterion c: Criterion, max: Points) -> Result<Points?, Reason> {
        switch (c.kind, value) {
        case (.manual, .points(let p)):
            guard p >= .zero, p <= max else { return .failure(Reason("điểm \(p) ngoài khoảng 0–\(max)")) }
            return .success(p)
        case (.yesNo, .done(let done)):
            return .success(done ? max : .zero)
        case (.targetActual, .targetActual(let target, let actual)):
            guard let target else { return .success(nil) }
            guard target > .zero else { return .failure(Reason("chỉ tiêu phải lớn hơn 0")) }
            guard actual >= .zero else { return .failure(Reason("số thực hiện không được âm")) }
            let ratio = Swift.min(actual, target)
            return .success(Points.scaled(max, by: ratio.hundredths, over: target.hundredths))
        case (.adjustment, .events(let n)):
            guard n >= 0, n <= 10_000 else { return .failure(Reason("số sự việc phải từ 0 đến 10.000")) }
            guard let per = c.perEvent.flatMap(Points.init(stored:)) else { return .failure(Reason("tiêu chí chưa có điểm mỗi sự việc")) }
            let raw = per * Int64(n)
            // The criterion's maximum is its cap, for a bonus as for a penalty.
            return .success(raw.clamped(-max, max))
        default:
            return .failure(Reason("loại điểm không đúng với tiêu chí (\(c.kind.label))"))
        }
    }

    public struct Reason: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
        init(_ text: String) { description = text }
    }

    /// The formula with the numbers ("min(45 ÷ 50; 1) × 10 = 9").
    static func explain(_ value: MarkValue, criterion c: Criterion, max: Points, points: Points) -> String {
        switch value {
        case .targetActual(let target?, let actual):
            return "min(\(actual) ÷ \(target); 1) × \(max) = \(points)"
        case .events(let n):
            let per = c.perEvent.flatMap(Points.init(stored:)) ?? .zero
            let raw = per * Int64(n)
            return raw == points ? "\(n) sự việc × \(per) = \(points)" : "\(n) sự việc × \(per) = \(raw), mức trần \(max): \(points)"
        default:
            return "\(points)"
        }
    }
}
