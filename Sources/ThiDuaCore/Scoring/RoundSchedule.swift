import Foundation

/// A round's phases against the year's deadlines (set by the office, `EmulationPhase`): which date each phase is held
/// to, where the round stands, and what is late. Units are held to the dates by `DeadlineRules` when they act; the
/// leader moves the round on (a phase never changes by itself, because each step needs the facts `RoundLifecycle`
/// checks), and this tells the leader when a date has passed and what is still owed.
public enum RoundSchedule {
    public struct Step: Sendable, Equatable, Codable {
        public var phase: RoundPhase
        /// The year's deadline this phase is held to, if any.
        public var deadline: EmulationPhase?
        public var due: Day?
        /// "done", "current" or "upcoming".
        public var state: String
        /// The due date has passed while the phase is current or upcoming.
        public var late: Bool
        /// What the leader should know, in Vietnamese (nil when nothing is owed).
        public var note: String?
    }

    /// The year's deadline each phase is held to. Publication has to come before the bloc's deliberation and vote.
    public static func deadline(of phase: RoundPhase) -> EmulationPhase? {
        switch phase {
        case .setup, .preliminary: nil
        case .selfAssessment: .selfAssessment
        case .review: .scoring
        case .appeals: .appeals
        case .published: .votes
        }
    }

    public static func steps(current: RoundPhase, deadlines: [EmulationPhase: Day], today: Day, facts: RoundFacts) -> [Step] {
        RoundPhase.allCases.map { phase in
            let d = deadline(of: phase)
            let due = d.flatMap { deadlines[$0] }
            // Publication is the last phase: once there, the round is done, and nothing is late or owed.
            let state = phase < current || (phase == current && phase == .published) ? "done" : phase == current ? "current" : "upcoming"
            let late = state != "done" && due.map { today > $0 } ?? false
            var note: String?
            if late, let due {
                let owed: String? = switch phase {
                case .selfAssessment where facts.submitted < facts.members:
                    "còn \(facts.members - facts.submitted) đơn vị chưa nộp bản tự chấm điểm; Ban Thi đua – Khen thưởng có thể mở lại hạn cho từng đơn vị, kèm lý do"
                case .review where facts.missing > 0 || facts.awaitingThirdScoring > 0:
                    "còn \(facts.missing) điểm chưa chấm và \(facts.awaitingThirdScoring) tiêu chí chờ chấm lần ba"
                case .appeals where facts.openAppeals > 0:
                    "còn \(facts.openAppeals) khiếu nại chưa được trả lời"
                default: nil
                }
                let past = "Đã quá hạn \(due.vietnamese)"
                note = state == "current" ? (owed.map { "\(past): \($0)." } ?? "\(past): trưởng khối chuyển sang giai đoạn sau.")
                                          : "\(past) mà đợt chấm điểm chưa đến giai đoạn này."
            }
            return Step(phase: phase, deadline: d, due: due, state: state, late: late, note: note)
        }
    }
}
