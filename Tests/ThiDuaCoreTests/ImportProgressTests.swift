import Foundation
import Synchronization
import Testing
import ThiDuaCore

/// The import's progress: the planner reports rows checked of the total, and the bar's percent never goes back
/// from one step to the next or within a step.
@Suite("Import progress")
struct ImportProgressTests {
    @Test("Percent rises through the steps and within each; texts in Vietnamese with thousands separators")
    func percent() {
        var last = -1
        for step in ImportProgress.Step.allCases {
            for done in stride(from: 0, through: 10_000, by: 2_500) {
                let p = ImportProgress(step, done: done, total: step == .reading || step == .comparing || step == .done ? 0 : 10_000)
                #expect(p.percent >= last && (0...100).contains(p.percent), "\(step) \(done): \(p.percent) after \(last)")
                last = p.percent
            }
        }
        #expect(ImportProgress(.checking, done: 45_000, total: 100_000).text == "Đang kiểm tra dòng 45.000 / 100.000")
        #expect(ImportProgress(.writing, done: 20_000, total: 10_000).percent == 100, "more done than the total stays within the step")
        #expect(ImportProgress(.checking, done: -5, total: -1).percent == 25, "negative counts are held at 0")
    }

    @Test("The planner reports every 2.000 rows and at the end, in order")
    func planner() throws {
        let context = try ImportPlannerTests.context()
        var rows: [[ImportCell]] = [[.text("Họ và tên"), .text("Đơn vị"), .text("Năm sinh")]]
        for i in 0..<5_000 { rows.append([.text("Người Số \(i)"), .text("Công an tỉnh Nghệ An"), .number(Double(1970 + i % 30))]) }
        let table = ImportPlannerTests.table("Cá nhân", rows)
        let heard = Mutex<[Int]>([])
        let totals = Mutex<Set<Int>>([])
        let plan = ImportPlanner(context, progress: { done, total in
            heard.withLock { $0.append(done) }
            totals.withLock { _ = $0.insert(total) }
        }).plan([table])
        #expect(plan.isValid, "\(plan.problems.prefix(3))")
        let done = heard.withLock { $0 }
        #expect(done == [2_000, 4_000, table.rows.count], "\(done)")
        #expect(totals.withLock { $0 } == [table.rows.count])
    }
}
