import Foundation
import Testing
import ThiDuaCore

/// A round's phases against the year's deadlines: which date each phase is held to, and what the leader is told once
/// a date has passed.
@Suite struct RoundScheduleTests {
    static let deadlines: [EmulationPhase: Day] = [.selfAssessment: Day(2018, 12, 10), .scoring: Day(2018, 12, 15),
                                                   .appeals: Day(2018, 12, 20), .votes: Day(2018, 12, 25)]

    @Test("Each phase is held to its deadline; states follow the current phase")
    func states() {
        let steps = RoundSchedule.steps(current: .review, deadlines: Self.deadlines, today: Day(2018, 12, 12), facts: .init(members: 9, submitted: 9))
        #expect(steps.map(\.phase) == RoundPhase.allCases)
        #expect(steps.map(\.state) == ["done", "done", "current", "upcoming", "upcoming", "upcoming"])
        #expect(steps.map(\.due) == [nil, Day(2018, 12, 10), Day(2018, 12, 15), nil, Day(2018, 12, 20), Day(2018, 12, 25)])
        #expect(steps.allSatisfy { !$0.late }, "the self-assessment's date passed, but that phase is done")
    }

    @Test("A passed date tells the leader what is still owed, or that the round can move on")
    func late() {
        let owed = RoundSchedule.steps(current: .selfAssessment, deadlines: Self.deadlines, today: Day(2018, 12, 11),
                                       facts: .init(members: 9, submitted: 7))
        #expect(owed[1].late && owed[1].note == "Đã quá hạn 10/12/2018: còn 2 đơn vị chưa nộp bản tự chấm điểm; Ban Thi đua – Khen thưởng có thể mở lại hạn cho từng đơn vị, kèm lý do.")
        #expect(!owed[2].late, "the scoring's date (15/12) has not passed")
        let onTheDay = RoundSchedule.steps(current: .selfAssessment, deadlines: Self.deadlines, today: Day(2018, 12, 10), facts: .init(members: 9, submitted: 7))
        #expect(!onTheDay[1].late && onTheDay[1].note == nil, "the due date itself is still open")
        let done = RoundSchedule.steps(current: .review, deadlines: Self.deadlines, today: Day(2018, 12, 16), facts: .init(members: 9, submitted: 9))
        #expect(done[2].note == "Đã quá hạn 15/12/2018: trưởng khối chuyển sang giai đoạn sau.")
        let behind = RoundSchedule.steps(current: .review, deadlines: Self.deadlines, today: Day(2018, 12, 21), facts: .init(members: 9, submitted: 9, openAppeals: 0))
        #expect(behind[4].late && behind[4].note == "Đã quá hạn 20/12/2018 mà đợt chấm điểm chưa đến giai đoạn này.")
        let appeals = RoundSchedule.steps(current: .appeals, deadlines: Self.deadlines, today: Day(2018, 12, 21), facts: .init(members: 9, submitted: 9, openAppeals: 3))
        #expect(appeals[4].note == "Đã quá hạn 20/12/2018: còn 3 khiếu nại chưa được trả lời.")
    }

    @Test("A published round is done: nothing is late, even after the vote's date")
    func published() {
        let steps = RoundSchedule.steps(current: .published, deadlines: Self.deadlines, today: Day(2026, 12, 2), facts: .init(members: 9, submitted: 9))
        #expect(steps.allSatisfy { $0.state == "done" && !$0.late && $0.note == nil })
    }

    @Test("No deadlines set: nothing is late")
    func none() {
        let steps = RoundSchedule.steps(current: .appeals, deadlines: [:], today: Day(2030, 1, 1), facts: .init(members: 2))
        #expect(steps.allSatisfy { $0.due == nil && !$0.late && $0.note == nil })
    }
}
