import Foundation

/// The phases of the year whose dates the office sets.
public enum EmulationPhase: String, Codable, Sendable, CaseIterable {
    case covenantSigning, registration, selfAssessment, scoring, appeals, votes, dossiers

    public var label: String {
        switch self {
        case .covenantSigning: "Ký kết giao ước thi đua"
        case .registration: "Đăng ký thi đua"
        case .selfAssessment: "Tự chấm điểm"
        case .scoring: "Chấm chéo, thẩm định điểm"
        case .appeals: "Giải trình, khiếu nại"
        case .votes: "Bình xét, bỏ phiếu suy tôn"
        case .dossiers: "Nộp hồ sơ đề nghị khen thưởng"
        }
    }
}

public enum DeadlineRules {
    /// Whether a unit may still act in a phase on `today`: before the due date, or while a reopening for it lasts.
    public static func isOpen(due: Day?, reopenedUntil: Day?, today: Day) -> Bool {
        guard let due else { return true }
        if today <= due { return true }
        if let until = reopenedUntil, today <= until { return true }
        return false
    }

    /// The 409 a unit gets after the deadline.
    public static func closedError(_ phase: EmulationPhase, due: Day) -> DomainError {
        .conflict("Đã hết hạn “\(phase.label)” (ngày \(due.vietnamese)). Ban Thi đua – Khen thưởng có thể mở lại cho đơn vị, kèm lý do.")
    }

    /// "overdue", "due" (within `soon` days) or "open".
    public static func state(due: Day, today: Day, soonDays: Int = 7) -> String {
        if today > due { return "overdue" }
        let cal = Calendar(identifier: .gregorian)
        guard let a = cal.date(from: DateComponents(year: today.year, month: today.month, day: today.day)),
              let b = cal.date(from: DateComponents(year: due.year, month: due.month, day: due.day)) else { return "open" }
        let days = cal.dateComponents([.day], from: a, to: b).day ?? 0
        return days <= soonDays ? "due" : "open"
    }
}
