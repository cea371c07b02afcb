import Foundation
import Testing
@testable import ThiDuaCore

@Suite struct ScoringScaleTests {
    let u1 = UUID(), u2 = UUID()

    var items: [CriterionInput] {
        [
            CriterionInput(code: "A", name: "Thực hiện nhiệm vụ chính trị", maxPoints: 60),
            CriterionInput(code: "A1", parent: "A", name: "Hoàn thành chỉ tiêu", maxPoints: 40, kind: .targetActual),
            CriterionInput(code: "A2", parent: "A", name: "Công tác biên giới", maxPoints: 20, appliesTo: [u1]),
            CriterionInput(code: "B", name: "Xây dựng Đảng", maxPoints: 40),
            CriterionInput(code: "B1", parent: "B", name: "Tổ chức đảng trong sạch", maxPoints: 40, kind: .yesNo),
            CriterionInput(code: "C", name: "Điểm thưởng", maxPoints: 5, kind: .adjustment, perEvent: 1),
        ]
    }

    @Test("A tree is built in order; totals, warnings and normalisation of non-applicable criteria")
    func tree() throws {
        let tree = try ScoringScale.build(items)
        #expect(tree.map(\.code) == ["A", "B", "C"])
        #expect(tree[0].children.map(\.code) == ["A1", "A2"])
        #expect(ScoringScale.totalMax(tree) == 100)
        #expect(ScoringScale.warnings(tree).isEmpty)
        #expect(ScoringScale.maxFor(unit: u1, tree) == 100)
        #expect(ScoringScale.maxFor(unit: u2, tree) == 80)
        // 60 of 80 possible points is 75 of 100.
        #expect(ScoringScale.normalise(raw: 60, unit: u2, tree) == 75)
        #expect(ScoringScale.normalise(raw: 60, unit: u1, tree) == 60)
        var bad = items
        bad[2].maxPoints = 10
        #expect(ScoringScale.warnings(try ScoringScale.build(bad)).first?.contains("“A.") == true)
        // Round trip through the flat form.
        #expect(try ScoringScale.build(ScoringScale.inputs(tree)) == tree)
    }

    func refusal(_ list: [CriterionInput]) -> DomainError? {
        do { _ = try ScoringScale.build(list); return nil } catch let e as DomainError { return e } catch { return nil }
    }

    @Test("Maximum ≤ 0, a criterion under itself, more than 4 levels and duplicate codes are refused, naming the item")
    func refusals() {
        var zero = items; zero[1].maxPoints = 0
        #expect(refusal(zero)?.field == "A1")
        var dup = items; dup[4].code = "A1"
        #expect(refusal(dup)?.reason.contains("trùng") == true)
        var loop = items; loop[0].parent = "A1"
        #expect(refusal(loop)?.reason.contains("nằm dưới chính nó") == true)
        var selfParent = items; selfParent[3].parent = "B"
        #expect(refusal(selfParent)?.reason.contains("chính nó") == true)
        let deep = (1...5).map { CriterionInput(code: "L\($0)", parent: $0 == 1 ? nil : "L\($0 - 1)", name: "Mức \($0)", maxPoints: 10) }
        #expect(refusal(deep)?.reason.contains("4 cấp") == true)
        #expect(refusal(Array(deep.prefix(4))) == nil)
        var orphan = items; orphan[1].parent = "Z"
        #expect(refusal(orphan)?.field == "A1")
        var noEvent = items; noEvent[5].perEvent = nil
        #expect(refusal(noEvent)?.field == "C")
    }
}

@Suite struct CovenantLifecycleTests {
    @Test("Allowed transitions")
    func allowed() throws {
        #expect(try CovenantLifecycle.next(.draft, .startConsultation) == .consultation)
        #expect(try CovenantLifecycle.next(.consultation, .backToDraft) == .draft)
        #expect(try CovenantLifecycle.next(.consultation, .openForSigning) == .openForSigning)
        #expect(try CovenantLifecycle.next(.draft, .openForSigning) == .openForSigning)
        #expect(try CovenantLifecycle.next(.openForSigning, .withdrawFromSigning, signatures: 0) == .draft)
        #expect(try CovenantLifecycle.next(.openForSigning, .complete, signatures: 9, members: 9) == .signed)
        #expect(try CovenantLifecycle.next(.signed, .amend) == .draft)
    }

    @Test("Forbidden transitions say why", arguments: [
        (CovenantStatus.draft, CovenantAction.complete), (.draft, .amend), (.consultation, .startConsultation),
        (.openForSigning, .startConsultation), (.openForSigning, .amend), (.signed, .openForSigning), (.signed, .withdrawFromSigning),
    ])
    func forbidden(status: CovenantStatus, action: CovenantAction) {
        #expect(throws: DomainError.self) { try CovenantLifecycle.next(status, action, signatures: 9, members: 9) }
    }

    @Test func signingRules() {
        #expect(throws: DomainError.self) { try CovenantLifecycle.next(.openForSigning, .withdrawFromSigning, signatures: 1) }
        #expect(throws: DomainError.self) { try CovenantLifecycle.next(.openForSigning, .complete, signatures: 8, members: 9) }
        #expect(CovenantLifecycle.editRefusal(.draft) == nil)
        #expect(CovenantLifecycle.editRefusal(.openForSigning)?.kind == .conflict)
        #expect(CovenantLifecycle.editRefusal(.signed)?.reason.contains("phiên bản") == true)
    }
}

@Suite struct CovenantSealTests {
    let bloc = UUID(uuidString: "F10C27D3-2C0C-4AD6-AC35-2D74DDD78014")!

    func content() throws -> CovenantContent {
        CovenantContent(title: "Giao ước thi đua năm 2018", place: "Nghệ An", signingDate: Day(2018, 3, 7), bases: ["Luật Thi đua, khen thưởng"],
                        preamble: "Các đơn vị trong khối thống nhất ký kết", keyTasks: [KeyTask(text: "Nhiệm vụ 1", criteria: ["A"])],
                        scale: try ScoringScale.build([CriterionInput(code: "A", name: "Nhóm A", maxPoints: 100, appliesTo: [UUID(), UUID()])]))
    }

    @Test("Same content, same fingerprint; any change, another one")
    func stable() throws {
        let c = try content()
        let d1 = CovenantSeal.digest(blocID: bloc, year: 2018, version: 1, content: c)
        #expect(d1 == CovenantSeal.digest(blocID: bloc, year: 2018, version: 1, content: c))
        #expect(d1.count == 64)
        var reordered = c
        reordered.scale[0].appliesTo = c.scale[0].appliesTo?.reversed()
        #expect(CovenantSeal.digest(blocID: bloc, year: 2018, version: 1, content: reordered) == d1)
        var changed = c
        changed.keyTasks[0].text = "Nhiệm vụ 1."
        #expect(CovenantSeal.digest(blocID: bloc, year: 2018, version: 1, content: changed) != d1)
        var points = c
        points.scale[0].maxPoints = 99
        #expect(CovenantSeal.digest(blocID: bloc, year: 2018, version: 1, content: points) != d1)
        #expect(CovenantSeal.digest(blocID: bloc, year: 2018, version: 2, content: c) != d1)
        let fp = CovenantSeal.fingerprint(d1)
        #expect(fp.count == 14 && fp.split(separator: "-").count == 3)
    }

    @Test("The roster: leader, deputy, then by name; covered by the seal when given; changes listed")
    func roster() throws {
        let a = UUID(), b = UUID(), c = UUID(), d = UUID()
        let units: [CovenantRoster.Member] = [.init(unitID: a, officialName: "Viện Kiểm sát", shortName: "VKS"), .init(unitID: b, officialName: "Công an tỉnh", shortName: "CA"),
                                              .init(unitID: c, officialName: "Bộ Chỉ huy Quân sự", shortName: "BCH"), .init(unitID: d, officialName: "Tòa án", shortName: "TA")]
        let r = CovenantRoster.ordered(blocName: "Khối Nội chính", units: units, leader: b, deputy: a)
        #expect(r.members.map(\.unitID) == [b, a, c, d])
        #expect(r.members[0].role == .leader && r.members[1].role == .deputy && r.members[2].role == nil)
        let content = try content()
        let plain = CovenantSeal.digest(blocID: bloc, year: 2018, version: 1, content: content)
        let sealed = CovenantSeal.digest(blocID: bloc, year: 2018, version: 1, content: content, roster: r)
        #expect(sealed != plain)
        var renamed = r
        renamed.members[2].officialName = "Bộ Chỉ huy Quân sự tỉnh"
        #expect(CovenantSeal.digest(blocID: bloc, year: 2018, version: 1, content: content, roster: renamed) != sealed)
        var reordered = r
        reordered.members.swapAt(2, 3)
        #expect(CovenantSeal.digest(blocID: bloc, year: 2018, version: 1, content: content, roster: reordered) != sealed)
        #expect(r.changes(comparedWith: r).isEmpty)
        var today = CovenantRoster.ordered(blocName: "Khối Nội chính", units: Array(units.dropLast()) + [.init(unitID: UUID(), officialName: "Cục Thuế", shortName: "CT")], leader: b, deputy: a)
        today.members[0].officialName = "Công an tỉnh Nghệ An"
        let changes = r.changes(comparedWith: today)
        #expect(changes.count == 3, "\(changes)")
        #expect(changes.contains("“Cục Thuế” vào khối sau khi niêm phong") && changes.contains("“Tòa án” không còn trong khối")
                && changes.contains("“Công an tỉnh” nay mang tên “Công an tỉnh Nghệ An”"))
    }

    @Test("Tasks must link to criteria that exist")
    func links() throws {
        var c = try content()
        c.keyTasks.append(KeyTask(text: "Nhiệm vụ 2", criteria: ["Z9"]))
        #expect(throws: DomainError.self) { try c.validated() }
    }
}

@Suite struct DeadlineTests {
    @Test func openAndClosed() {
        let due = Day(2018, 3, 7)
        #expect(DeadlineRules.isOpen(due: due, reopenedUntil: nil, today: Day(2018, 3, 7)))
        #expect(!DeadlineRules.isOpen(due: due, reopenedUntil: nil, today: Day(2018, 3, 8)))
        #expect(DeadlineRules.isOpen(due: due, reopenedUntil: Day(2018, 3, 15), today: Day(2018, 3, 10)))
        #expect(!DeadlineRules.isOpen(due: due, reopenedUntil: Day(2018, 3, 15), today: Day(2018, 3, 16)))
        #expect(DeadlineRules.isOpen(due: nil, reopenedUntil: nil, today: Day(2030, 1, 1)))
        #expect(DeadlineRules.state(due: due, today: Day(2018, 3, 1)) == "due")
        #expect(DeadlineRules.state(due: due, today: Day(2018, 2, 1)) == "open")
        #expect(DeadlineRules.state(due: due, today: Day(2018, 3, 9)) == "overdue")
        #expect(DeadlineRules.closedError(.registration, due: due).reason.contains("07/03/2018"))
    }
}
