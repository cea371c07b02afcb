import Foundation

/// The phases of a scoring round (sơ kết or tổng kết), in order. Every change is audited by the server.
public enum RoundPhase: String, Codable, Sendable, CaseIterable, Comparable {
    /// The leader sets the method, the rule and the scorers.
    case setup
    /// Units enter their self-assessment with evidence, and submit.
    case selfAssessment
    /// Peers cross-score and/or the leader reviews; the leader scores a third time where peers disagree.
    case review
    /// Results shown to the units (each its own detail and the bloc's ranking).
    case preliminary
    /// Units may appeal per criterion on an objective ground; the leader answers.
    case appeals
    /// Locked and published: immutable; a correction is a new, audited revision.
    case published

    public var label: String {
        switch self {
        case .setup: "Chuẩn bị"
        case .selfAssessment: "Tự chấm điểm"
        case .review: "Chấm chéo, thẩm định"
        case .preliminary: "Kết quả sơ bộ"
        case .appeals: "Giải trình, khiếu nại"
        case .published: "Đã công bố"
        }
    }

    public static func < (a: RoundPhase, b: RoundPhase) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}

public enum RoundAction: String, Codable, Sendable, CaseIterable {
    case open, startReview, showPreliminary, openAppeals, publish

    public var label: String {
        switch self {
        case .open: "mở tự chấm điểm"
        case .startReview: "chuyển sang chấm chéo, thẩm định"
        case .showPreliminary: "công bố kết quả sơ bộ"
        case .openAppeals: "mở giải trình, khiếu nại"
        case .publish: "khóa và công bố kết quả"
        }
    }
}

/// Who reviews the self-assessments.
public enum ReviewMethod: String, Codable, Sendable, CaseIterable {
    case leaderReview, crossScoring, both

    public var label: String {
        switch self {
        case .leaderReview: "Trưởng khối thẩm định"
        case .crossScoring: "Các đơn vị chấm chéo"
        case .both: "Chấm chéo và trưởng khối thẩm định"
        }
    }
}

/// What a phase change depends on, counted by the server from stored data.
public struct RoundFacts: Sendable, Equatable {
    public var members: Int
    public var submitted: Int
    /// Criteria (over all units) without a mark that counts, and awaiting a third scoring.
    public var missing: Int
    public var awaitingThirdScoring: Int
    public var openAppeals: Int

    public init(members: Int, submitted: Int = 0, missing: Int = 0, awaitingThirdScoring: Int = 0, openAppeals: Int = 0) {
        self.members = members; self.submitted = submitted; self.missing = missing
        self.awaitingThirdScoring = awaitingThirdScoring; self.openAppeals = openAppeals
    }
}

public enum RoundLifecycle {
    /// The phase after `action`, or a 409 saying what is still missing. Phases only move forward: a published round
    /// is corrected by a new revision, not by moving back.
    public static func next(_ phase: RoundPhase, _ action: RoundAction, facts: RoundFacts) throws -> RoundPhase {
        switch (phase, action) {
        case (.setup, .open):
            guard facts.members >= 2 else { throw DomainError.conflict("Khối cần ít nhất 2 đơn vị thành viên để chấm điểm.") }
            return .selfAssessment
        case (.selfAssessment, .startReview):
            guard facts.submitted >= facts.members else {
                throw DomainError.conflict("Còn \(facts.members - facts.submitted) đơn vị chưa nộp bản tự chấm điểm.")
            }
            return .review
        case (.review, .showPreliminary):
            if facts.awaitingThirdScoring > 0 {
                throw DomainError.conflict("Còn \(facts.awaitingThirdScoring) tiêu chí có điểm chấm chéo chênh lệch quá ngưỡng, chờ trưởng khối chấm lần ba.")
            }
            guard facts.missing == 0 else { throw DomainError.conflict("Còn \(facts.missing) tiêu chí chưa có điểm.") }
            return .preliminary
        case (.preliminary, .openAppeals):
            return .appeals
        case (.appeals, .publish):
            guard facts.openAppeals == 0 else { throw DomainError.conflict("Còn \(facts.openAppeals) khiếu nại chưa được trả lời.") }
            return .published
        default:
            throw DomainError.conflict("Không thể “\(action.label)” khi đợt chấm điểm đang ở giai đoạn “\(phase.label)”.")
        }
    }

    /// Whether a unit's self-assessment may still change: during self-assessment until it is submitted (the leader
    /// reopens it with a reason).
    public static func selfAssessmentOpen(_ phase: RoundPhase, submitted: Bool) -> Bool {
        phase == .selfAssessment && !submitted
    }

    /// Whether peers and the leader may score: during review only.
    public static func scoringOpen(_ phase: RoundPhase) -> Bool { phase == .review }
}

/// Which units score which (chấm chéo): every member scores every other, or a balanced rotation in which each
/// unit is scored by `k` others and scores `k` others, in an order drawn from a seed (so that anyone can redo the
/// draw). A unit never scores itself.
public enum CrossScoringPlan: Hashable, Codable, Sendable {
    case everyone
    case rotation(k: Int, seed: UInt64)

    /// Scored unit → its scorers, for the members in any order (the result does not depend on it).
    public func assign(_ members: [UUID]) throws -> [UUID: [UUID]] {
        let units = Array(Set(members)).sorted { $0.uuidString < $1.uuidString }
        guard units.count >= 2 else { throw DomainError.invalid("Cần ít nhất 2 đơn vị để chấm chéo.", field: "members") }
        switch self {
        case .everyone:
            return Dictionary(uniqueKeysWithValues: units.map { u in (u, units.filter { $0 != u }) })
        case .rotation(let k, let seed):
            guard k >= 1, k <= units.count - 1 else {
                throw DomainError.invalid("Số đơn vị chấm mỗi đơn vị phải từ 1 đến \(units.count - 1).", field: "k")
            }
            // Fisher–Yates written out (not the standard library's shuffle, whose algorithm may change between Swift
            // versions): the same seed gives the same draw on any machine and any version.
            var rng = SplitMix64(seed: seed)
            var cycle = units
            for i in stride(from: cycle.count - 1, to: 0, by: -1) {
                cycle.swapAt(i, Int(rng.below(UInt64(i + 1))))
            }
            var out: [UUID: [UUID]] = [:]
            for (i, u) in cycle.enumerated() {
                out[u] = (1...k).map { cycle[(i + $0) % cycle.count] }
            }
            return out
        }
    }
}

/// A unit's self-assessment is complete when every criterion that applies to it has a value (0 is a value).
public enum SelfAssessmentCheck {
    /// The codes of the applicable leaf criteria (adjustments included: "no event" is entered as 0) without a value,
    /// in scale order.
    public static func missing(scale: [Criterion], unit: UUID, entered: Set<String>) -> [String] {
        var out: [String] = []
        func walk(_ c: Criterion) {
            guard c.applies(to: unit) else { return }
            if c.children.isEmpty || c.kind == .adjustment {
                if !entered.contains(c.code) { out.append(c.code) }
            } else {
                c.children.forEach(walk)
            }
        }
        scale.forEach(walk)
        return out
    }
}
