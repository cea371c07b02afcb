import Foundation

/// Who gave a mark (điểm chấm): the unit itself, a peer unit (chấm chéo), the bloc's leader reviewing
/// (thẩm định điểm), or the leader's third scoring of a criterion on which the peers disagreed.
public enum Scorer: Hashable, Codable, Sendable {
    case selfAssessment
    case peer(UUID)
    case leader
    case thirdScoring

    public var label: String {
        switch self {
        case .selfAssessment: "tự chấm"
        case .peer: "chấm chéo"
        case .leader: "trưởng khối thẩm định"
        case .thirdScoring: "trưởng khối chấm lần ba"
        }
    }
}

/// What a scorer entered for one criterion, by the criterion's kind.
public enum MarkValue: Hashable, Codable, Sendable {
    /// Manual criteria: the points.
    case points(Points)
    /// Target and actual (in hundredths of the unit of the criterion, e.g. per cent or cases); no target: the
    /// criterion does not apply to the unit (it is left out of its maximum).
    case targetActual(target: Points?, actual: Points)
    /// Yes/no criteria.
    case done(Bool)
    /// Bonus or penalty criteria: the number of events.
    case events(Int)
}

/// One scorer's mark on one criterion of one unit.
public struct ScoreMark: Hashable, Codable, Sendable {
    public var unit: UUID
    public var criterion: String
    public var scorer: Scorer
    public var value: MarkValue
    public var comment: String

    public init(unit: UUID, criterion: String, scorer: Scorer, value: MarkValue, comment: String = "") {
        self.unit = unit; self.criterion = criterion; self.scorer = scorer; self.value = value; self.comment = comment
    }
}

/// A scorer unit's declared conflict of interest with a scored unit: its marks for that unit are left out.
public struct ConflictDeclaration: Hashable, Codable, Sendable {
    public var scorer: UUID
    public var unit: UUID
    public var reason: String
    public init(scorer: UUID, unit: UUID, reason: String) { self.scorer = scorer; self.unit = unit; self.reason = reason }
}
