import Foundation

/// A score sheet (phiếu chấm): one scorer's marks for one unit in a round. The unit's own sheet is its
/// self-assessment; each assigned peer has one; the leader has a review sheet and, for criteria on which the peers
/// disagreed, a third-scoring sheet.
extension Scorer {
    /// The stored form: "self", "leader", "third" or "peer:<UUID>".
    public var key: String {
        switch self {
        case .selfAssessment: "self"
        case .leader: "leader"
        case .thirdScoring: "third"
        case .peer(let u): "peer:" + u.uuidString
        }
    }

    /// A stored or typed key back to its scorer; nil for anything else.
    public init?(key: String) {
        switch key {
        case "self": self = .selfAssessment
        case "leader": self = .leader
        case "third": self = .thirdScoring
        default:
            guard key.hasPrefix("peer:"), key.count == 41, let u = UUID(uuidString: String(key.dropFirst(5))) else { return nil }
            self = .peer(u)
        }
    }

    /// The scoring unit, for a peer.
    public var peerUnit: UUID? { if case .peer(let u) = self { u } else { nil } }
}

/// One mark as a form or the API sends it: the fields that fit the criterion's kind.
public struct MarkInput: Codable, Sendable, Equatable {
    public var criterion: String
    /// Manual criteria.
    public var points: Double?
    /// Target and actual criteria; no target: the criterion does not apply to the unit.
    public var target: Double?
    public var actual: Double?
    /// Yes/no criteria.
    public var done: Bool?
    /// Bonus and penalty criteria: the number of events (0 when none).
    public var events: Int?
    public var comment: String?

    public init(criterion: String, points: Double? = nil, target: Double? = nil, actual: Double? = nil, done: Bool? = nil,
                events: Int? = nil, comment: String? = nil) {
        self.criterion = criterion; self.points = points; self.target = target; self.actual = actual; self.done = done
        self.events = events; self.comment = comment
    }
}

public enum ScoreSheets {
    /// At most this many events on a bonus or penalty criterion.
    public static let maxEvents = 10_000
    /// Targets and actuals: at most this much (a count of cases, a sum of money in millions, a percentage).
    public static let maxQuantity = Points(hundredths: Points.limit)
    public static let maxComment = 2_000

    /// The leaf criteria `scorer` enters for `unit`, in scale order. The unit enters every applicable criterion
    /// (facts as well as opinions). A peer gives its opinion only: manual and yes/no criteria (targets, actuals and
    /// events are facts). The leader's review covers every criterion when the leader alone reviews, and the facts when
    /// peers give the opinions (`.both`); with cross-scoring alone the leader only scores a third time. The third
    /// scoring covers the criteria in `awaiting`.
    public static func criteria(scale: [Criterion], unit: UUID, scorer: Scorer, method: ReviewMethod = .leaderReview,
                                awaiting: Set<String> = []) -> [Criterion] {
        var out: [Criterion] = []
        func opinion(_ c: Criterion) -> Bool { c.kind == .manual || c.kind == .yesNo }
        func walk(_ c: Criterion) {
            guard c.applies(to: unit) else { return }
            if c.children.isEmpty || c.kind == .adjustment {
                switch scorer {
                case .selfAssessment: out.append(c)
                case .leader:
                    switch method {
                    case .leaderReview: out.append(c)
                    case .both: if !opinion(c) { out.append(c) }
                    case .crossScoring: break
                    }
                case .peer: if opinion(c) { out.append(c) }
                case .thirdScoring: if awaiting.contains(c.code) { out.append(c) }
                }
            } else {
                c.children.forEach(walk)
            }
        }
        scale.forEach(walk)
        return out
    }

    /// A typed mark checked against its criterion: points from 0 to the maximum with at most two decimals (NaN and
    /// infinities refused), a target above 0 or none, an actual from 0, events from 0 to 10.000. Returns nil when
    /// the input carries nothing for the criterion (left blank).
    public static func value(_ input: MarkInput, for c: Criterion) throws -> MarkValue? {
        let label = "Tiêu chí “\(c.code)”"
        let field = c.code
        guard let max = Points(stored: c.maxPoints) else {
            throw DomainError.invalid("\(label): điểm tối đa của tiêu chí không hợp lệ.", field: field)
        }
        func quantity(_ v: Double, _ what: String, positive: Bool) throws -> Points {
            let p = try Points.parse(v, min: .zero, max: maxQuantity, field: field, label: "\(label), \(what)")
            if positive && p == .zero {
                throw DomainError.invalid("\(label): chỉ tiêu phải lớn hơn 0; đơn vị không có chỉ tiêu thì để trống.", field: field)
            }
            return p
        }
        switch c.kind {
        case .manual:
            guard let v = input.points else { return nil }
            return .points(try Points.parse(v, max: max, field: field, label: label))
        case .yesNo:
            guard let d = input.done else { return nil }
            return .done(d)
        case .targetActual:
            guard let a = input.actual else {
                if input.target != nil { throw DomainError.invalid("\(label): hãy nhập số thực hiện.", field: field) }
                return nil
            }
            let target = try input.target.map { try quantity($0, "chỉ tiêu", positive: true) }
            return .targetActual(target: target, actual: try quantity(a, "số thực hiện", positive: false))
        case .adjustment:
            guard let n = input.events else { return nil }
            guard n >= 0, n <= maxEvents else {
                throw DomainError.invalid("\(label): số sự việc phải từ 0 đến \(VietnameseFormat.number(maxEvents)).", field: field)
            }
            return .events(n)
        }
    }

    /// A sheet's marks checked against the criteria `scorer` enters for `unit`: each criterion at most once, none
    /// outside the sheet, comments bounded. Blank inputs are dropped (the criterion stays without a value).
    public static func checked(_ inputs: [MarkInput], scale: [Criterion], unit: UUID, scorer: Scorer, method: ReviewMethod = .leaderReview,
                               awaiting: Set<String> = []) throws -> [(criterion: String, value: MarkValue, comment: String)] {
        let allowed = criteria(scale: scale, unit: unit, scorer: scorer, method: method, awaiting: awaiting)
        try Bounded.list(inputs, field: "marks", label: "Điểm chấm", max: ScoringScale.maxCriteria)
        let byCode = Dictionary(allowed.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        var out: [(String, MarkValue, String)] = []
        for input in inputs {
            let code = try Bounded.code(input.criterion, field: "marks", label: "Mã tiêu chí")
            guard let c = byCode[code] else {
                throw DomainError.invalid("Tiêu chí “\(code)” không thuộc phiếu chấm này (không có trong thang điểm, không áp dụng cho đơn vị, hoặc không do người chấm này chấm).", field: "marks")
            }
            guard seen.insert(code).inserted else { throw DomainError.invalid("Tiêu chí “\(code)” được nhập hai lần.", field: code) }
            let comment = try Bounded.text(input.comment, field: code, label: "Nhận xét tiêu chí “\(code)”", max: maxComment) ?? ""
            guard let value = try value(input, for: c) else { continue }
            out.append((code, value, comment))
        }
        return out
    }

    /// The applicable criteria still without a value on a sheet, in scale order.
    public static func missing(scale: [Criterion], unit: UUID, scorer: Scorer, method: ReviewMethod = .leaderReview, entered: Set<String>,
                               awaiting: Set<String> = []) -> [String] {
        criteria(scale: scale, unit: unit, scorer: scorer, method: method, awaiting: awaiting).map(\.code).filter { !entered.contains($0) }
    }

    /// A mark as the audit log and the sheet show it: "8,5 điểm", "thực hiện 45/chỉ tiêu 50", "đạt", "2 sự việc".
    public static func describe(_ v: MarkValue) -> String {
        switch v {
        case .points(let p): "\(p) điểm"
        case .targetActual(let t?, let a): "thực hiện \(a)/chỉ tiêu \(t)"
        case .targetActual(nil, let a): "thực hiện \(a), không có chỉ tiêu"
        case .done(let d): d ? "đạt" : "không đạt"
        case .events(let n): "\(n) sự việc"
        }
    }
}

extension ScoreSheets {
    /// Why a sheet cannot change now (a 409), or nil: a self-assessment during self-assessment until submitted (the
    /// leader reopens it with a reason); the peers' sheets, the review and the third scoring during review. After
    /// the review the leader changes a score only by answering an appeal.
    public static func editRefusal(phase: RoundPhase, scorer: Scorer, submitted: Bool) -> DomainError? {
        switch scorer {
        case .selfAssessment:
            if phase == .selfAssessment {
                return submitted ? .conflict("Đơn vị đã nộp bản tự chấm điểm: điểm đã khóa. Muốn sửa, trưởng khối mở lại kèm lý do.") : nil
            }
            return phase < .selfAssessment ? .conflict("Đợt chấm điểm chưa mở tự chấm.") : .conflict("Đã hết giai đoạn tự chấm điểm (đợt đang ở giai đoạn “\(phase.label)”).")
        case .peer, .leader, .thirdScoring:
            if phase == .review { return nil }
            return phase < .review ? .conflict("Chưa đến giai đoạn chấm chéo, thẩm định (đợt đang ở giai đoạn “\(phase.label)”).")
                : .conflict("Giai đoạn chấm chéo, thẩm định đã đóng (đợt đang ở giai đoạn “\(phase.label)”). Sau giai đoạn này điểm chỉ thay đổi qua trả lời khiếu nại.")
        }
    }
}
