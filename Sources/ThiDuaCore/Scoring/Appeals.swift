import Foundation

/// The objective grounds on which a unit may appeal a criterion's preliminary score (giải trình, khiếu nại): not a
/// disagreement with the peers' opinion, but a fact the leader can check.
public enum AppealGround: String, Codable, Sendable, CaseIterable {
    /// Points added up or copied wrongly, a target or an actual misread.
    case miscount
    /// A piece of evidence the unit supplied was not taken into account.
    case missingEvidence
    /// The criterion does not apply to the unit (it should be left out of its maximum).
    case notApplicable

    public var label: String {
        switch self {
        case .miscount: "Tính, ghi điểm hoặc số liệu sai"
        case .missingEvidence: "Minh chứng đã nộp chưa được xem xét"
        case .notApplicable: "Tiêu chí không áp dụng cho đơn vị"
        }
    }
}

/// What the leader's answer decides for the criterion.
public enum AppealDecision: String, Codable, Sendable, CaseIterable {
    /// The score stays as it was; the answer says why.
    case rejected
    /// The score is changed (up or down) to the points given.
    case changed
    /// The criterion is left out of the unit's maximum.
    case notApplicable

    public var label: String {
        switch self {
        case .rejected: "Giữ nguyên điểm"
        case .changed: "Sửa điểm"
        case .notApplicable: "Không áp dụng tiêu chí cho đơn vị"
        }
    }
}

/// A criterion's score set by the leader after the preliminary results: answering an appeal, or correcting a
/// published result (a new revision). Consolidation computes the criterion as usual, then applies the override and
/// keeps both in the explanation; the marks themselves are never changed.
public struct ScoreOverride: Hashable, Codable, Sendable {
    public enum Value: Hashable, Codable, Sendable {
        case points(Points)
        case notApplicable
    }

    public var unit: UUID
    public var criterion: String
    public var value: Value
    /// "khiếu nại" or "đính chính lần 2": printed with the reason.
    public var source: String
    public var reason: String

    public init(unit: UUID, criterion: String, value: Value, source: String, reason: String) {
        self.unit = unit; self.criterion = criterion; self.value = value; self.source = source; self.reason = reason
    }
}

public enum AppealRules {
    /// The leaf criteria of the scale a unit may appeal (those that apply to it, facts and opinions alike), in order.
    public static func appealable(scale: [Criterion], unit: UUID) -> [Criterion] {
        ScoreSheets.criteria(scale: scale, unit: unit, scorer: .selfAssessment)
    }

    /// The override an answer makes, checked against the criterion: points from 0 to its maximum (a penalty from
    /// −maximum to 0, a bonus from 0 to the maximum), at most two decimals; nil when the answer keeps the score.
    public static func override(_ decision: AppealDecision, points: Double?, criterion c: Criterion, unit: UUID,
                                source: String, reason: String) throws -> ScoreOverride? {
        switch decision {
        case .rejected:
            return nil
        case .notApplicable:
            guard c.kind != .adjustment else {
                throw DomainError.invalid("Tiêu chí “\(c.code)” là điểm thưởng/điểm trừ: hãy sửa số điểm (0 nếu không có sự việc).", field: "decision")
            }
            return ScoreOverride(unit: unit, criterion: c.code, value: .notApplicable, source: source, reason: reason)
        case .changed:
            guard let max = Points(stored: c.maxPoints) else { throw DomainError.invalid("Điểm tối đa của tiêu chí không hợp lệ.", field: "points") }
            let penalty = c.kind == .adjustment && (c.perEvent ?? 0) < 0
            let p = try Points.parse(points, min: penalty ? -max : .zero, max: penalty ? .zero : max, field: "points",
                                     label: "Điểm mới của tiêu chí “\(c.code)”")
            return ScoreOverride(unit: unit, criterion: c.code, value: .points(p), source: source, reason: reason)
        }
    }
}
