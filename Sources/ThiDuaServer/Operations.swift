import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// What the `thidua` command line does besides serving: migrate, list routes, verify the audit chain, load the demo.
public enum Operations {
    public struct ImportReport: Sendable {
        public var problems: [String]; public var notes: [String]; public var sheets: [String: (added: Int, changed: Int, unchanged: Int)]
        public var applied: Bool; public var sha256: String; public var seconds: Double
    }

    /// `thidua import FILE [--dry-run]`: as the office (the audit names the operator's command).
    public static func importFile(_ app: Application, data: Data, filename: String, dryRun: Bool) async throws -> ImportReport {
        let principal = Principal(userID: UUID(), username: "thidua-import", grants: [RoleGrant(role: .office)])
        let caller = Caller(principal: principal, db: app.db, now: app.clock.now(), auditKey: app.auditKey, files: app.fileStore)
        let r = try await ImportService.run(data, filename: filename, dryRun: dryRun, caller: caller, catalogue: app.catalogue)
        return ImportReport(problems: r.problems.map(\.description), notes: r.notes.map(\.description),
                            sheets: r.sheets.mapValues { ($0.added, $0.changed, $0.unchanged) }, applied: r.applied, sha256: r.sha256, seconds: r.seconds)
    }

    /// Loads the demo (idempotent).
    public static func loadDemo(_ app: Application) async throws {
        try await DemoLoader.load(app)
    }

    /// Asks the database until it answers (for `wait` seconds at most, when given); throws what failed.
    public static func awaitDatabase(_ app: Application, wait: TimeInterval?) async throws {
        try await DatabaseProbe.ready(app, wait: wait)
    }

    /// For `serve --no-migrate`: a database whose structure is behind this build stops the start.
    public static func requireCurrentSchema(_ app: Application) async throws {
        let pending = try await ThiDuaMigrations.pending(app)
        guard pending.isEmpty else {
            let names = pending.prefix(5).map(ThiDuaMigrations.shortName).joined(separator: ", ") + (pending.count > 5 ? ", …" : "")
            throw DatabaseTrouble(message: "cấu trúc cơ sở dữ liệu (\(DatabaseTrouble.target(app.thiduaConfig))) chưa cập nhật cho phiên bản này: còn \(pending.count) bước chưa chạy (\(names)). Chạy `thidua migrate` trước, hoặc bỏ --no-migrate.", transient: false)
        }
    }

    /// What failed, for an operator: the database's trouble in words, without secrets.
    public static func explain(_ error: any Error, config: AppConfig) -> String {
        DatabaseTrouble.explain(error, config: config).message
    }

    /// The routes with their methods and policies, one per line.
    public static func routeTable(_ app: Application) -> [String] {
        app.routes.all.map { route in
            let path = "/" + route.path.map(\.description).joined(separator: "/")
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
            return "\(pad(route.method.rawValue, 7)) \(pad(path, 60)) \(route.policy?.description ?? "KHÔNG CÓ CHÍNH SÁCH")"
        }.sorted()
    }

    /// Checks the audit hash chain (and that it passes through `checkpoint`, and under the audit key when one is
    /// configured); returns (intact, message), the message ending with whether the chain is keyed. Reads only.
    public static func verifyAudit(_ app: Application, checkpoint: AuditChain.Checkpoint? = nil) async throws -> (Bool, String) {
        let (verdict, keying) = try await AuditLog.verify(on: app.db, checkpoint: checkpoint, key: app.auditKey)
        return (verdict.isIntact, verdict.message + "\n" + keying)
    }

    /// The chain's length and head now, as JSON (`{"entries": N, "head": "hex", "at": "…"}`). Reads only.
    public static func auditCheckpoint(_ app: Application) async throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(try await AuditLog.checkpoint(on: app.db, now: app.clock.now()))
    }
}

extension Operations {
    /// Judges every person and collective of the register for `year` (default: the latest opened year),
    /// as of 31/01 of the next year (or today), with the fast verdict path.
    public static func bulkRegister(_ app: Application, year: Int?) async throws -> EligibilityRunner.BulkSummary {
        let started = Date()
        let db = app.db
        let today = VietnameseFormat.day(app.clock.now())
        let y: Int
        if let year { y = year } else if let latest = try await EmulationYear.query(on: db).sort(\.$year, .descending).first() { y = latest.year }
        else { y = today.year }
        let asOf = RegisterService.defaultAsOf(for: y, today: today)
        let evaluator = app.evaluator
        var summary = EligibilityRunner.BulkSummary()
        func add(_ c: EligibilityCase) throws {
            summary.regimes[try evaluator.regime(for: c).id, default: 0] += 1
            for (award, verdict) in try evaluator.verdicts(c) { summary.verdicts[award, default: [:]][verdict.rawValue, default: 0] += 1 }
            summary.subjects += 1
        }
        let subjects = try await RegisterService.subjects(of: try await Unit.query(on: db).sort(\.$officialName).all(), on: db)
        // In batches: the facts of `batchSize` subjects per query, never one query per subject.
        var loading = Date().timeIntervalSince(started), judging = 0.0
        for start in stride(from: 0, to: subjects.count, by: RegisterService.batchSize) {
            let batch = Array(subjects[start..<min(start + RegisterService.batchSize, subjects.count)])
            let t0 = Date()
            let cases = try await RegisterService.loadCases(batch, evaluationYear: y, asOf: asOf, on: db)
            let t1 = Date()
            for c in cases { try add(c) }
            loading += t1.timeIntervalSince(t0)
            judging += Date().timeIntervalSince(t1)
        }
        summary.timing = .init(loadSeconds: loading, judgeSeconds: judging, peakMemoryMB: peakMemoryMB())
        if !subjects.isEmpty, try await !RegisterService.hasRatings(year: y, on: db) {
            FileHandle.standardError.write(Data(("Lưu ý: " + RegisterService.noRatingsNotice(y) + "\n").utf8))
        }
        if subjects.isEmpty { FileHandle.standardError.write(Data("Lưu ý: sổ khen thưởng chưa có đơn vị hay người nào.\n".utf8)) }
        return summary
    }
}

extension Operations {
    /// Stops an application after its server has stopped listening: the requests still being answered finish first
    /// (up to `grace` seconds), then the databases close. A request still running after that would trap on a closed
    /// database, so the process then ends without closing them (the databases' own recovery covers it).
    public static func stop(_ app: Application, grace: TimeInterval = 30) async {
        if await app.inFlight.drain(timeout: grace) {
            try? await app.asyncShutdown()
        } else {
            app.logger.warning("\(app.inFlight.current) yêu cầu vẫn đang chạy sau \(String(format: "%.0f", grace)) giây: dừng mà không đóng cơ sở dữ liệu.")
            exit(0)
        }
    }
}

/// The process's peak resident memory so far, in MB (Linux reports kilobytes, macOS bytes).
func peakMemoryMB() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1_048_576
    #endif
}

extension Operations {
    /// Generates a province-size register into the database (`thidua demo --scale`); see `ProvinceLoader`.
    public static func generateProvince(_ app: Application, scale name: String, seed: UInt64, force: Bool) async throws -> String {
        guard let scale = ProvinceGenerator.Scale.named(name) else {
            throw DomainError.invalid("Không có cỡ “\(name)”: dùng một trong \(ProvinceGenerator.Scale.all.map { "\($0.name) (\(VietnameseFormat.number($0.people)) người)" }.joined(separator: ", ")).", field: "scale")
        }
        let summary = try await ProvinceLoader.load(app, scale: scale, seed: seed, force: force) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try e.encode(summary), as: UTF8.self)
    }
}
