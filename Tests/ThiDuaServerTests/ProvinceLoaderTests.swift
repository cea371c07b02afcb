import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

/// A generated register in the database (`thidua demo --scale sample`): loaded whole, refused over real data, judged
/// in batches with the same verdicts as one subject at a time.
@Suite struct ProvinceLoaderTests {
    @Test("A generated sample loads in one go; the batch path gives every subject the same explained verdicts as the model path")
    func loadAndJudge() async throws {
        try await withThiDua { app, _ in
            let summary = try await ProvinceLoader.load(app, scale: .sample, seed: 2026, force: false) { _ in }
            #expect(summary.people == 600 && summary.units == 12 && summary.facts > 10_000)
            #expect(summary.digest == ProvinceGenerator(scale: .sample, seed: 2026).digest())
            #expect(try await Person.query(on: app.db).count() == 600)
            #expect(try await Unit.query(on: app.db).count() == 12)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "generated_province").count() == 1)

            let units = try await Unit.query(on: app.db).all()
            let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0) })
            var subjects = units.map { RegisterService.CaseSubject(subject: .unit($0.id!), unit: $0, type: .collective, name: $0.officialName, gender: nil) }
            for p in try await Person.query(on: app.db).all() {
                subjects.append(.init(subject: .person(p.id!), unit: byID[p.unitID]!, type: .individual, name: p.fullName, gender: p.gender.flatMap(Gender.init(rawValue:))))
            }
            let asOf = Day(2026, 1, 31)
            let batch = try await RegisterService.loadCases(subjects, evaluationYear: 2025, asOf: asOf, on: app.db)
            #expect(batch.count == subjects.count)
            var verdicts: [String: Int] = [:]
            for (i, s) in subjects.enumerated() {
                let facts = try await RegisterService.loadFacts([s.subject], on: app.db)[s.subject.key] ?? .init()
                let single = RegisterService.makeCase(s, facts: facts, evaluationYear: 2025, asOf: asOf)
                let a = try app.evaluator.evaluate(batch[i]), b = try app.evaluator.evaluate(single)
                #expect(a == b, "\(s.name)")
                for r in a.results { verdicts[r.verdict.rawValue, default: 0] += 1 }
            }
            // The sample exercises every verdict, so the comparison means something.
            #expect(verdicts.keys.count == 3, "\(verdicts)")

            // Bulk: the same subjects, with where the time went.
            let bulk = try await Operations.bulkRegister(app, year: 2025)
            #expect(bulk.subjects == subjects.count)
            #expect(bulk.timing.map { $0.judgeSeconds > 0 && $0.loadSeconds > 0 && $0.peakMemoryMB > 0 } == true)
        }
    }

    @Test("Over real data the generator refuses and changes nothing; --force adds beside it; the same seed twice is refused")
    func refusesRealData() async throws {
        try await withThiDua(demo: true) { app, _ in
            let people = try await Person.query(on: app.db).count()
            do {
                _ = try await ProvinceLoader.load(app, scale: .sample, seed: 1, force: false) { _ in }
                Issue.record("the generator wrote into a database with real data")
            } catch let e as DomainError {
                #expect(e.kind == .conflict)
                #expect(e.reason.contains("--force"))
            }
            #expect(try await Person.query(on: app.db).count() == people)
            _ = try await ProvinceLoader.load(app, scale: .sample, seed: 1, force: true) { _ in }
            #expect(try await Person.query(on: app.db).count() == people + 600)
            await #expect(throws: DomainError.self) { _ = try await ProvinceLoader.load(app, scale: .sample, seed: 1, force: true) { _ in } }
            #expect(try await Person.query(on: app.db).count() == people + 600)
            // An unknown scale is named in the error.
            do {
                _ = try await Operations.generateProvince(app, scale: "huge", seed: 1, force: true)
                Issue.record("an unknown scale was accepted")
            } catch let e as DomainError {
                #expect(e.reason.contains("huge") && e.reason.contains("province"))
            }
        }
    }
}
