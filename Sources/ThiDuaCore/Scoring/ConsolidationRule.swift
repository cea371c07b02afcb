import Foundation

/// How a criterion's final score comes from its marks.
public enum Aggregator: String, Codable, Sendable, CaseIterable {
    /// The leader's reviewed mark (thẩm định); without one, the unit's own mark stands.
    case leaderReview
    /// The mean of the peers' marks.
    case mean
    /// The median of the peers' marks (the mean of the two middle ones when their number is even).
    case median
    /// The mean after dropping the highest and the lowest mark, when there are at least five; the mean otherwise.
    case trimmedMean

    public var label: String {
        switch self {
        case .leaderReview: "điểm thẩm định của trưởng khối"
        case .mean: "trung bình điểm chấm chéo"
        case .median: "trung vị điểm chấm chéo"
        case .trimmedMean: "trung bình sau khi bỏ điểm cao nhất và thấp nhất (từ 5 điểm chấm)"
        }
    }
}

/// A classification band (xếp loại), from the highest: a unit reaches the first band whose conditions it meets.
public struct ScoreBand: Hashable, Codable, Sendable {
    public var name: String
    /// The lowest total that reaches the band.
    public var minimum: Points
    /// The band also requires that no applicable criterion scored 0 (e.g. "Xuất sắc").
    public var noCriterionAtZero: Bool

    public init(name: String, minimum: Points, noCriterionAtZero: Bool = false) {
        self.name = name; self.minimum = minimum; self.noCriterionAtZero = noCriterionAtZero
    }
}

/// A condition that keeps a unit below a band whatever its points (e.g. its head was disciplined this year: not
/// above "Khá"). The unit's facts name the conditions that hold (`UnitScoring.flags`).
public struct BandCap: Hashable, Codable, Sendable {
    public var flag: String
    /// The highest band the unit may reach while the flag holds.
    public var highestBand: String
    /// Why, as printed in the explanation (with its source: the bloc's rules, a provincial decision …).
    public var reason: String

    public init(flag: String, highestBand: String, reason: String) { self.flag = flag; self.highestBand = highestBand; self.reason = reason }
}

/// The bloc's rules for turning marks into results, as data (the round stores the one it used).
public struct ConsolidationRule: Hashable, Codable, Sendable {
    public var aggregator: Aggregator
    /// Where the peers' marks for a criterion differ by more than this, the criterion goes to the leader for a third
    /// scoring; nil: no disagreement check.
    public var disagreementGap: Points?
    /// Caps on the bonus and on the penalty in total (e.g. +3 and 3), nil: only each criterion's own cap.
    public var bonusCap: Points?
    public var penaltyCap: Points?
    /// Bring a unit judged on fewer criteria (some do not apply) to the scale's full maximum.
    public var normalise: Bool
    public var bands: [ScoreBand]
    public var caps: [BandCap]

    public init(aggregator: Aggregator = .mean, disagreementGap: Points? = nil, bonusCap: Points? = nil, penaltyCap: Points? = nil,
                normalise: Bool = true, bands: [ScoreBand] = [], caps: [BandCap] = []) {
        self.aggregator = aggregator; self.disagreementGap = disagreementGap; self.bonusCap = bonusCap; self.penaltyCap = penaltyCap
        self.normalise = normalise; self.bands = bands; self.caps = caps
    }

    /// Checks what a leader sets: bands from the highest minimum down, distinct names, caps naming a band,
    /// non-negative gaps and caps.
    public func validated() throws -> ConsolidationRule {
        if let g = disagreementGap, g < .zero { throw DomainError.invalid("Ngưỡng chênh lệch điểm không được âm.", field: "disagreementGap") }
        if let c = bonusCap, c < .zero { throw DomainError.invalid("Mức trần điểm thưởng không được âm.", field: "bonusCap") }
        if let c = penaltyCap, c < .zero { throw DomainError.invalid("Mức trần điểm trừ không được âm.", field: "penaltyCap") }
        guard bands.count <= 20, caps.count <= 50 else { throw DomainError.invalid("Quá nhiều mức xếp loại hoặc điều kiện hạn chế.", field: "bands") }
        var names = Set<String>()
        for (i, b) in bands.enumerated() {
            guard !b.name.isEmpty, names.insert(b.name).inserted else { throw DomainError.invalid("Tên mức xếp loại trống hoặc trùng: “\(b.name)”.", field: "bands") }
            if i > 0, b.minimum >= bands[i - 1].minimum {
                throw DomainError.invalid("Các mức xếp loại phải xếp từ cao xuống thấp: “\(b.name)” không thấp hơn “\(bands[i - 1].name)”.", field: "bands")
            }
        }
        for c in caps where !names.contains(c.highestBand) {
            throw DomainError.invalid("Điều kiện “\(c.flag)” giới hạn ở mức “\(c.highestBand)”, không có trong các mức xếp loại.", field: "caps")
        }
        return self
    }
}
