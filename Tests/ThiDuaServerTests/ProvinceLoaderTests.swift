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
            // The same register written as a case file (`demo --scale … --cases-out`) gets the same verdicts.
            var lines: [Substring] = []
            let gen = ProvinceGenerator(scale: .sample, seed: 2026)
            try gen.caseFileLines(evaluationYear: 2025, asOf: asOf) { lines.append(Substring($0)) }
            let fromFile = EligibilityRunner.bulk(lines: lines, file: "sample.jsonl", catalogue: app.catalogue)
            #expect(fromFile.errors.isEmpty, "\(fromFile.errors.prefix(3))")
            #expect(fromFile.subjects == bulk.subjects)
            #expect(fromFile.verdicts == bulk.verdicts)
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

    @Test("Queries are bounded whatever the number of subjects: the subject list in one query per 500 units, the facts in at most five per 500 subjects")
    func queryCounts() async throws {
        try await withThiDua(demo: true) { app, _ in
            _ = try await ProvinceLoader.load(app, scale: .sample, seed: 3, force: true) { _ in }
            let counter = QueryCounter()
            let db = counter.database(app)
            let units = try await Unit.query(on: app.db).all()
            counter.reset()
            let subjects = try await RegisterService.subjects(of: units, on: db)
            #expect(counter.value == 1, "listing \(subjects.count) subjects took \(counter.value) queries")
            #expect(subjects.count == units.count + (try await Person.query(on: app.db).count()))
            for n in [1, 36, 499, 500, 501, subjects.count] {
                counter.reset()
                let cases = try await RegisterService.loadCases(Array(subjects.prefix(n)), evaluationYear: 2025, asOf: Day(2026, 1, 31), on: db)
                #expect(cases.count == n)
                let batches = (n + RegisterService.batchSize - 1) / RegisterService.batchSize
                #expect(counter.value <= 5 * batches && counter.value >= 4 * batches, "\(n) subjects: \(counter.value) queries")
            }
            // A page of the report: the same subjects as the full list's slice, in at most four queries.
            for range in [0..<200, 5..<205, 200..<400, 600..<800, 640..<660, 0..<subjects.count, 2000..<2200] {
                counter.reset()
                let (total, page) = try await RegisterService.subjectPage(of: units, range: range, on: db)
                #expect(total == subjects.count)
                let expected = subjects[min(range.lowerBound, subjects.count)..<min(range.upperBound, subjects.count)].map(\.subject.key)
                #expect(page.map(\.subject.key) == expected, "\(range)")
                #expect(counter.value <= 4, "\(range): \(counter.value) queries")
            }
            // The blocs with their members: two queries however many blocs, the members those of the year, in
            // Vietnamese dictionary order.
            let blocs = try await Bloc.query(on: app.db).all()
            #expect(blocs.count > 1)
            counter.reset()
            let dtos = try await OrganisationService.blocDTOs(blocs, year: 2025, on: db)
            #expect(counter.value == 2, "\(blocs.count) blocs: \(counter.value) queries")
            for dto in dtos {
                let stored = try await Membership.query(on: app.db).filter(\.$blocID == dto.id).filter(\.$year == 2025).all()
                #expect(Set(dto.members.map(\.id)) == Set(stored.map(\.unitID)) && dto.members.count == stored.count)
                #expect(dto.members.map(\.officialName) == VietnameseText.sorted(dto.members, by: \.officialName).map(\.officialName))
            }
            #expect(dtos.contains { !$0.members.isEmpty })
            // The subject page's facts: one query per kind of fact.
            counter.reset()
            _ = try await RegisterService.loadFacts([subjects[0].subject], on: db)
            #expect(counter.value == 5)
        }
    }

    @Test("The report page is paged (200 rows), every page reachable by its links; the .xlsx has every row")
    func reportPages() async throws {
        try await withThiDua(demo: true) { app, _ in
            _ = try await ProvinceLoader.load(app, scale: .sample, seed: 2026, force: true) { _ in }
            let total = try await Unit.query(on: app.db).count() + (try await Person.query(on: app.db).count())
            let b = try Browser(app)
            try await b.login("vanphong")
            var path: String? = "/register/report?year=2025"
            var seen = 0, pages = 0
            while let p = path, pages < 10 {
                let res = try await b.get(p)
                #expect(res.status == .ok, "\(p) → \(res.status)")
                let body = res.body.string
                seen += body.components(separatedBy: "<tr><td><a href=").count - 1
                pages += 1
                path = body.firstMatch(of: /href="([^"]+)" rel="next"/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") }
            }
            #expect(pages == (total + 199) / 200, "\(total) subjects in pages of 200")
            #expect(seen == total)
            let beyond = try await b.get("/register/report?year=2025&page=99")
            #expect(beyond.status == .ok && beyond.body.string.contains("0–0 / \(VietnameseFormat.number(total))"))
            #expect(try await b.get("/register/report?year=2025&page=0").status == .unprocessableEntity)
            #expect(try await b.get("/register/report?year=2025&page=99999999999999999999").status == .unprocessableEntity)
            #expect(!(try await b.get("/register/report?year=2025")).body.string.contains("id=\"no-data\""))
            // A year with nothing recorded says so.
            let empty = try await b.get("/register/report?year=2031")
            #expect(empty.status == .ok && empty.body.string.contains("chưa có đánh giá, xếp loại nào của năm 2031"))
            let xlsx = try await b.get("/register/report.xlsx?year=2025")
            #expect(xlsx.status == .ok && xlsx.body.readableBytes > 10_000)
        }
    }
}
