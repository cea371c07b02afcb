import Foundation
import Testing
@testable import ThiDuaCore

@Suite struct LoginThrottleTests {
    let throttle = LoginThrottle()
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("Three free failures, then a wait that doubles from 2 s up to 15 minutes, never a lock")
    func delays() {
        #expect((0...3).map(throttle.delay(afterFailures:)) == [0, 0, 0, 0])
        #expect((4...8).map(throttle.delay(afterFailures:)) == [2, 4, 8, 16, 32])
        #expect(throttle.delay(afterFailures: 13) == 900)
        // No overflow however many failures an attacker piles up.
        #expect(throttle.delay(afterFailures: Int.max) == 900)
        #expect(throttle.delay(afterFailures: -5) == 0)
    }

    @Test("An address that fails 100 times within 15 minutes waits out the window")
    func address() {
        #expect(throttle.addressWait(failures: 99, windowStart: t0) == nil)
        #expect(throttle.addressWait(failures: 100, windowStart: t0) == t0.addingTimeInterval(900))
    }

    @Test("One message for unknown names, wrong passwords and disabled accounts; the wait in seconds or minutes")
    func messages() {
        #expect(LoginThrottle.waitMessage(until: t0.addingTimeInterval(8), now: t0).contains("8 giây"))
        #expect(LoginThrottle.waitMessage(until: t0.addingTimeInterval(600), now: t0).contains("10 phút"))
        #expect(LoginThrottle.waitMessage(until: t0, now: t0).contains("1 giây"))
        #expect(LoginThrottle.wrongCredentials == "Tên đăng nhập hoặc mật khẩu không đúng.")
    }
}

@Suite struct AccessTests {
    let unitA = UUID(), unitB = UUID(), bloc = UUID()

    @Test("Unit officers reach only their unit; bloc leads only their bloc and year")
    func scopes() throws {
        let officer = Principal(userID: UUID(), username: "a", grants: [RoleGrant(role: .unitOfficer, unitID: unitA)])
        #expect(officer.canEditUnit(unitA))
        #expect(!officer.canEditUnit(unitB))
        #expect(throws: DomainError.self) { try officer.requireUnit(unitB) }
        let lead = Principal(userID: UUID(), username: "b", grants: [RoleGrant(role: .blocLead, blocID: bloc, year: 2018)])
        #expect(lead.canLeadBloc(bloc, year: 2018))
        #expect(!lead.canLeadBloc(bloc, year: 2019))
        #expect(!lead.canLeadBloc(UUID(), year: 2018))
        let office = Principal(userID: UUID(), username: "c", grants: [RoleGrant(role: .office)])
        #expect(office.canEditUnit(unitB) && office.canLeadBloc(bloc, year: 2030))
    }

    @Test("Grants must carry the scope of their role")
    func grantScopes() throws {
        #expect(throws: DomainError.self) { try RoleGrant(role: .unitOfficer).validated() }
        #expect(throws: DomainError.self) { try RoleGrant(role: .blocLead, blocID: bloc).validated() }
        #expect(try RoleGrant(role: .office, unitID: unitA).validated() == RoleGrant(role: .office))
        #expect(try RoleGrant(role: .unitHead, unitID: unitA, year: 3).validated() == RoleGrant(role: .unitHead, unitID: unitA))
    }

    @Test func policies() {
        let viewer = Principal(userID: UUID(), username: "v", grants: [RoleGrant(role: .viewer)])
        #expect(RoutePolicy.everyone.allows(nil))
        #expect(!RoutePolicy.signedIn.allows(nil))
        #expect(RoutePolicy.signedIn.allows(viewer))
        #expect(!RoutePolicy.roles([.office]).allows(viewer))
        #expect(RoutePolicy.roles([.office, .viewer]).allows(viewer))
    }
}

@Suite struct MembershipRulesTests {
    let unit = UUID(), blocA = UUID(), blocB = UUID(), sectorBloc = UUID()

    @Test("A unit is in at most one bloc of an organiser per year")
    func oneBloc() throws {
        let existing = [MembershipFact(unitID: unit, blocID: blocA, organiser: "province", year: 2018)]
        let names: (UUID) -> String = { $0 == self.blocA ? "Khối A" : "Khối khác" }
        #expect(throws: DomainError.self) {
            try MembershipRules.checkAdd(.init(unitID: unit, blocID: blocB, organiser: "province", year: 2018), existing: existing, blocName: names, unitName: "Công an tỉnh")
        }
        do {
            try MembershipRules.checkAdd(.init(unitID: unit, blocID: blocB, organiser: "province", year: 2018), existing: existing, blocName: names, unitName: "Công an tỉnh")
        } catch let e as DomainError {
            #expect(e.kind == .conflict)
            #expect(e.reason.contains("Khối A"))
        }
        // Another year, or a sector's bloc in the same year, is fine.
        try MembershipRules.checkAdd(.init(unitID: unit, blocID: blocB, organiser: "province", year: 2019), existing: existing, blocName: names, unitName: "x")
        try MembershipRules.checkAdd(.init(unitID: unit, blocID: sectorBloc, organiser: "Bộ Công an", year: 2018), existing: existing, blocName: names, unitName: "x")
    }

    @Test func leadership() throws {
        let a = UUID(), b = UUID()
        try MembershipRules.checkLeadership(leader: a, deputy: b, members: [a, b])
        #expect(throws: DomainError.self) { try MembershipRules.checkLeadership(leader: a, deputy: a, members: [a, b]) }
        #expect(throws: DomainError.self) { try MembershipRules.checkLeadership(leader: UUID(), deputy: nil, members: [a, b]) }
    }

    @Test func organiserKeys() throws {
        #expect(try BlocOrganiser.key("") == "province")
        #expect(try BlocOrganiser.key("UBND tỉnh") == "province")
        #expect(try BlocOrganiser.key(" Bộ Công an ") == "Bộ Công an")
    }
}

@Suite struct AuditChainTests {
    func chain(_ n: Int) -> [AuditRecord] {
        var out: [AuditRecord] = []
        for i in 0..<n {
            out.append(AuditChain.next(after: out.last.map { ($0.seq, $0.hash) }, atMillis: Int64(1000 * i), actor: "admin", entity: "unit",
                                       entityID: "u\(i)", action: "update", oldValue: "{\"n\":\(i)}", newValue: "{\"n\":\(i + 1)}"))
        }
        return out
    }

    @Test func intact() {
        let c = chain(5)
        #expect(AuditChain.verify(c, head: (5, c[4].hash)) == .intact(count: 5))
        #expect(AuditChain.verify(c.reversed(), head: (5, c[4].hash)) == .intact(count: 5))
        #expect(AuditChain.verify([], head: (0, AuditChain.genesis)) == .intact(count: 0))
    }

    @Test("An edited entry is named, whether or not its hash was recomputed")
    func edited() {
        var c = chain(5)
        c[2].newValue = "{\"n\":99}"
        #expect(AuditChain.verify(c, head: (5, c[4].hash)) == .altered(seq: 3))
        c[2].hash = c[2].computedHash
        #expect(AuditChain.verify(c, head: (5, c[4].hash)) == .altered(seq: 3))
    }

    @Test("A removed entry is named, including the newest one")
    func removed() {
        var c = chain(5)
        let head = (5, c[4].hash)
        c.remove(at: 1)
        #expect(AuditChain.verify(c, head: head) == .removed(seq: 2))
        let full = chain(5)
        #expect(AuditChain.verify(Array(full.prefix(4)), head: head) == .removed(seq: 5))
    }

    /// The same chain rebuilt from `from` on with changed values and recomputed hashes (a consistent rewrite).
    func rewritten(_ c: [AuditRecord], from index: Int) -> [AuditRecord] {
        var out = Array(c.prefix(index))
        for e in c.dropFirst(index) {
            out.append(AuditChain.next(after: out.last.map { ($0.seq, $0.hash) }, atMillis: e.atMillis, actor: e.actor, entity: e.entity,
                                       entityID: e.entityID, action: e.action, oldValue: e.oldValue, newValue: "{\"forged\":true}"))
        }
        return out
    }

    @Test("Against a checkpoint: truncation, a consistent rewrite, a deleted head row and another database's checkpoint are caught")
    func checkpoints() {
        let c = chain(5)
        let cp = AuditChain.checkpoint(c, at: "2026-12-01T00:00:00Z")
        #expect(cp == .init(entries: 5, head: c[4].hash, at: "2026-12-01T00:00:00Z"))
        #expect(AuditChain.verify(c, head: (5, c[4].hash), checkpoint: cp) == .intact(count: 5, afterCheckpoint: 0))
        // Entries after the checkpoint are counted, still intact.
        var longer = c
        longer.append(AuditChain.next(after: (5, c[4].hash), atMillis: 9_000, actor: "a", entity: "unit", entityID: "x", action: "create", oldValue: nil, newValue: "{}"))
        #expect(AuditChain.verify(longer, head: (6, longer[5].hash), checkpoint: cp) == .intact(count: 6, afterCheckpoint: 1))
        // A cut tail with the head row moved back: consistent on its own, caught by the checkpoint.
        let cut = Array(c.prefix(3))
        #expect(AuditChain.verify(cut, head: (3, cut[2].hash)) == .intact(count: 3))
        #expect(AuditChain.verify(cut, head: (3, cut[2].hash), checkpoint: cp) == .truncated(count: 3, checkpoint: 5))
        // A consistent rewrite from entry 2 on, head row updated: caught at the checkpoint's entry.
        let forged = rewritten(c, from: 1)
        #expect(AuditChain.verify(forged, head: (5, forged[4].hash)) == .intact(count: 5))
        #expect(AuditChain.verify(forged, head: (5, forged[4].hash), checkpoint: cp) == .diverged(seq: 5))
        // The head row deleted.
        #expect(AuditChain.verify(c, head: nil, checkpoint: nil) == .headMissing(count: 5))
        // A checkpoint of another database.
        let other = AuditChain.checkpoint(rewritten(chain(5), from: 0), at: "x")
        #expect(AuditChain.verify(c, head: (5, c[4].hash), checkpoint: other) == .diverged(seq: 5))
        // An empty log checked against the empty checkpoint.
        #expect(AuditChain.verify([], head: nil, checkpoint: AuditChain.checkpoint([], at: "x")) == .intact(count: 0, afterCheckpoint: 0))
        #expect(AuditChain.Verdict.truncated(count: 3, checkpoint: 5).message.contains("cắt bỏ"))
        #expect(AuditChain.Verdict.diverged(seq: 5).message.contains("viết lại"))
    }

    @Test("Field boundaries cannot be shifted without changing the hash")
    func canonical() {
        let a = AuditRecord(seq: 1, atMillis: 0, actor: "ab", entity: "c", entityID: "x", action: "y", oldValue: nil, newValue: nil, prevHash: "0")
        let b = AuditRecord(seq: 1, atMillis: 0, actor: "a", entity: "bc", entityID: "x", action: "y", oldValue: nil, newValue: nil, prevHash: "0")
        #expect(a.computedHash != b.computedHash)
    }
}
