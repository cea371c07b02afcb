import ArgumentParser
import Foundation
import ThiDuaCore
import ThiDuaServer
import Vapor

/// `thidua`: the ThiDua server and its operator commands.
@main
struct ThiDua: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thidua",
        abstract: "ThiDua – phần mềm công tác thi đua, khen thưởng.",
        subcommands: [ServeCommand.self, MigrateCommand.self, RoutesCommand.self, AuditCommand.self, DemoCommand.self, EligibilityCommand.self, BallotsCommand.self, BackupCommand.self, RestoreCommand.self, ImportCommand.self]
    )
}

/// Builds an application on the configured database (DATABASE_URL or THIDUA_DB). `readOnly`: no migration, no
/// account, no change to the database's settings; an SQLite file that does not exist is an error, not created.
/// The environment is production (templates cached, no line logged per request, errors without internals) unless
/// `environment` or `THIDUA_ENV` says "development" (templates re-read on every request, every request logged).
///
/// `migrate`: the database is brought up to date (with `demo`, the demo loaded), once however many instances start
/// together. `requireCurrentSchema` (`serve --no-migrate`): nothing is changed, and a database whose structure is
/// behind this build stops the start. `waitForDatabase`: a database that is not up yet is asked again, with a growing
/// pause, for that many seconds. A failure prints what failed (never a password) and exits with status 2.
func makeApp(migrate: Bool = true, readOnly: Bool = false, environment: String? = nil, demo: Bool = false,
             requireCurrentSchema: Bool = false, waitForDatabase: TimeInterval? = nil) async throws -> Application {
    let name = environment ?? ProcessInfo.processInfo.environment["THIDUA_ENV"].flatMap { $0.isEmpty ? nil : $0 } ?? "production"
    guard ["production", "development"].contains(name) else {
        failAndExit("môi trường “\(name)” không có: dùng production hoặc development (--env, THIDUA_ENV).")
    }
    var env = Environment(name: name, arguments: ["thidua"])
    // Log level: notice in production, info in development; LOG_LEVEL overrides.
    try LoggingSystem.bootstrap(from: &env)
    let config = AppConfig.fromEnvironment()
    if !config.problems.isEmpty { failAndExit(config.problems.joined(separator: "\n")) }
    if readOnly, case .sqliteFile(let path) = config.database, !FileManager.default.fileExists(atPath: path) {
        failAndExit("không có cơ sở dữ liệu SQLite tại \(path) (đặt THIDUA_DB hoặc DATABASE_URL).")
    }
    let app = try await Application.make(env)
    do {
        try await configure(app, config: config, migrate: false, readOnly: readOnly)
        if migrate && !readOnly {
            try await Operations.awaitDatabase(app, wait: waitForDatabase)
            var loadDemo: (@Sendable (Application) async throws -> Void)?
            if demo { loadDemo = { @Sendable loaded in try await Operations.loadDemo(loaded) } }
            try await prepareDatabase(app, then: loadDemo)
        } else if requireCurrentSchema {
            try await Operations.awaitDatabase(app, wait: waitForDatabase)
            try await Operations.requireCurrentSchema(app)
        }
    } catch {
        try? await app.asyncShutdown()
        failAndExit("không khởi động được: " + Operations.explain(error, config: config))
    }
    return app
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Chạy máy chủ web (mặc định 127.0.0.1:8080).")
    @ArgumentParser.Option(help: "Địa chỉ lắng nghe.") var host = "127.0.0.1"
    @ArgumentParser.Option(help: "Cổng lắng nghe.") var port = 8080
    @ArgumentParser.Flag(help: "Nạp dữ liệu minh họa (khối Nội chính - LLVT Nghệ An 2018).") var demo = false
    @ArgumentParser.Option(name: .customLong("env"), help: "production (mặc định) hoặc development (đọc lại giao diện mỗi lần, ghi nhật ký mọi yêu cầu); cũng đặt được bằng THIDUA_ENV.")
    var environment: String?
    @ArgumentParser.Flag(name: .customLong("no-migrate"), help: "Không cập nhật cấu trúc cơ sở dữ liệu (đã chạy `thidua migrate` trước khi triển khai); từ chối chạy nếu cấu trúc chưa cập nhật.")
    var noMigrate = false
    @ArgumentParser.Flag(name: .customLong("wait-for-db"), help: "Chờ cơ sở dữ liệu sẵn sàng (thử lại, giãn dần, tối đa --db-wait-seconds giây) thay vì dừng ngay.")
    var waitForDB = false
    @ArgumentParser.Option(name: .customLong("db-wait-seconds"), help: "Thời gian chờ tối đa của --wait-for-db (1–3600 giây).")
    var dbWaitSeconds = 120

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port phải từ 1 đến 65535.") }
        guard (1...3600).contains(dbWaitSeconds) else { throw ValidationError("--db-wait-seconds phải từ 1 đến 3600.") }
        if noMigrate && demo { throw ValidationError("--demo nạp dữ liệu vào cơ sở dữ liệu: không dùng cùng --no-migrate (chạy `thidua demo` trước).") }
    }

    func run() async throws {
        let app = try await makeApp(migrate: !noMigrate, environment: environment, demo: demo, requireCurrentSchema: noMigrate,
                                    waitForDatabase: waitForDB ? TimeInterval(dbWaitSeconds) : nil)
        do {
            app.environment.arguments = ["thidua", "serve", "--hostname", host, "--port", String(port)]
            try await app.execute()
        } catch {
            await Operations.stop(app)
            throw error
        }
        // Stopped (SIGTERM, SIGINT): the requests still being answered finish before the databases close.
        await Operations.stop(app)
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Tạo và cập nhật cấu trúc cơ sở dữ liệu (một lần, kể cả khi nhiều phiên bản cùng chạy).")
    @ArgumentParser.Flag(name: .customLong("wait-for-db"), help: "Chờ cơ sở dữ liệu sẵn sàng (tối đa 120 giây).") var waitForDB = false
    func run() async throws {
        let app = try await makeApp(waitForDatabase: waitForDB ? 120 : nil)
        print("Đã cập nhật cơ sở dữ liệu (\(app.thiduaConfig.database.kind)).")
        try await app.asyncShutdown()
    }
}

struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "routes", abstract: "Liệt kê các địa chỉ (route) và vai trò được phép.")
    func run() async throws {
        let app = try await makeApp(migrate: false)
        Operations.routeTable(app).forEach { print($0) }
        try await app.asyncShutdown()
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Nạp dữ liệu minh họa (không trùng lặp khi chạy lại); với --scale: tạo một sổ khen thưởng mô phỏng cỡ tỉnh để đo hiệu năng.")
    @ArgumentParser.Option(help: "Tạo dữ liệu mô phỏng: sample (600 người), district (5.000), province (20 khối, 300 đơn vị, 50.000 người), national (500.000); 10 năm lịch sử.")
    var scale: String?
    @ArgumentParser.Option(help: "Hạt sinh dữ liệu: cùng hạt, cùng dữ liệu.") var seed: UInt64 = 2026
    @ArgumentParser.Flag(help: "Thêm dữ liệu mô phỏng vào một cơ sở dữ liệu đã có dữ liệu (không ghi đè gì).") var force = false
    @ArgumentParser.Option(name: .customLong("cases-out"), help: "Không ghi vào cơ sở dữ liệu: ghi các hồ sơ xét (JSON Lines) ra tệp này, để `thidua eligibility bulk --cases` xét.")
    var casesOut: String?

    func validate() throws {
        if let scale, ProvinceGenerator.Scale.named(scale) == nil {
            throw ValidationError("không có cỡ “\(scale)”: dùng một trong \(ProvinceGenerator.Scale.all.map(\.name).joined(separator: ", ")).")
        }
        if scale == nil && (force || casesOut != nil) { throw ValidationError("--force và --cases-out chỉ dùng cùng --scale.") }
    }

    func run() async throws {
        if let scale, let casesOut, let size = ProvinceGenerator.Scale.named(scale) {
            guard FileManager.default.createFile(atPath: casesOut, contents: nil), let out = FileHandle(forWritingAtPath: casesOut) else {
                failAndExit("không ghi được tệp \(casesOut)")
            }
            let gen = ProvinceGenerator(scale: size, seed: seed)
            var buffer = Data()
            try gen.caseFileLines(evaluationYear: gen.lastYear, asOf: Day(gen.lastYear + 1, 1, 31)) { line in
                buffer.append(contentsOf: line.utf8)
                buffer.append(0x0a)
                if buffer.count > 1 << 20 { out.write(buffer); buffer.removeAll(keepingCapacity: true) }
            }
            out.write(buffer)
            try out.close()
            print("Đã ghi \(VietnameseFormat.number(size.units + size.people)) hồ sơ xét vào \(casesOut) (năm \(gen.lastYear), hạt \(seed)).")
            return
        }
        guard let scale else {
            let app = try await makeApp(demo: true)
            try await app.asyncShutdown()
            return
        }
        let app = try await makeApp()
        do {
            print(try await Operations.generateProvince(app, scale: scale, seed: seed, force: force))
        } catch {
            try? await app.asyncShutdown()
            failAndExit((error as? DomainError)?.reason ?? Operations.explain(error, config: app.thiduaConfig))
        }
        try await app.asyncShutdown()
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Nhật ký thay đổi.", subcommands: [Verify.self, Checkpoint.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Kiểm tra chuỗi băm của nhật ký (chỉ đọc); chỉ ra bản ghi đầu tiên bị sửa hoặc xóa, và với --checkpoint: chuỗi bị cắt ngắn hoặc viết lại so với mốc.")
        @ArgumentParser.Option(help: "Tệp mốc do `thidua audit checkpoint` ghi (giữ ngoài cơ sở dữ liệu).") var checkpoint: String?

        func run() async throws {
            var mark: AuditChain.Checkpoint?
            if let checkpoint {
                guard let data = FileManager.default.contents(atPath: checkpoint),
                      let cp = try? JSONDecoder().decode(AuditChain.Checkpoint.self, from: data) else {
                    failAndExit("không đọc được tệp mốc \(checkpoint) (cần JSON {\"entries\": N, \"head\": \"…\", \"at\": \"…\"}).")
                }
                mark = cp
            }
            let app = try await makeApp(readOnly: true)
            let result: (Bool, String)
            do { result = try await Operations.verifyAudit(app, checkpoint: mark) } catch {
                try? await app.asyncShutdown()
                failAndExit("không đọc được nhật ký: \(String(describing: error).prefix(200))")
            }
            try await app.asyncShutdown()
            print(result.1)
            if !result.0 { throw ExitCode(1) }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Ghi mốc của nhật ký (số bản ghi và mã băm đầu chuỗi) ra tệp hoặc màn hình (chỉ đọc cơ sở dữ liệu).")
        @ArgumentParser.Option(help: "Tệp ghi mốc (không có: in ra màn hình).") var out: String?

        func run() async throws {
            let app = try await makeApp(readOnly: true)
            let data: Data
            do { data = try await Operations.auditCheckpoint(app) } catch {
                try? await app.asyncShutdown()
                failAndExit("không đọc được nhật ký: \(String(describing: error).prefix(200))")
            }
            try await app.asyncShutdown()
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: data + Data("\n".utf8)) else { failAndExit("không ghi được tệp \(out)") }
            } else {
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            }
        }
    }
}

/// Prints a Vietnamese error on standard error and exits with status 2.
func failAndExit(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("Lỗi: " + message + "\n").utf8))
    exit(2)
}

struct EligibilityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eligibility", abstract: "Xét điều kiện khen thưởng theo danh mục quy tắc.",
                                                    subcommands: [Check.self, Bulk.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Xét một hồ sơ (tệp JSON, xem docs/eligibility.md); in kết quả dạng JSON.")
        @ArgumentParser.Argument(help: "Tệp hồ sơ JSON.") var caseFile: String
        @ArgumentParser.Option(name: .customLong("catalog"), help: "Tệp danh mục bổ sung (YAML) của tỉnh, bộ, ngành; có thể lặp lại.") var catalogs: [String] = []

        func run() async throws {
            do {
                let catalogue = try EligibilityRunner.catalogue(extra: catalogs.map { URL(fileURLWithPath: $0) })
                guard let data = FileManager.default.contents(atPath: caseFile) else { failAndExit("không đọc được tệp \(caseFile)") }
                let out = try EligibilityRunner.check(caseData: data, file: (caseFile as NSString).lastPathComponent, catalogue: catalogue)
                FileHandle.standardOutput.write(out + Data("\n".utf8))
            } catch {
                failAndExit("\(error)")
            }
        }
    }

    struct Bulk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bulk", abstract: "Xét hàng loạt toàn bộ sổ khen thưởng (hoặc các hồ sơ trong tệp JSON Lines); in tổng hợp.")
        @ArgumentParser.Option(help: "Tệp JSON Lines, mỗi dòng một hồ sơ (không có: xét toàn bộ sổ khen thưởng trong cơ sở dữ liệu).") var cases: String?
        @ArgumentParser.Option(help: "Năm xét (mặc định: năm thi đua mới nhất).") var year: Int?
        @ArgumentParser.Option(name: .customLong("catalog"), help: "Tệp danh mục bổ sung (YAML).") var catalogs: [String] = []

        func run() async throws {
            guard let cases else {
                let app = try await makeApp()
                do {
                    let summary = try await Operations.bulkRegister(app, year: year)
                    FileHandle.standardOutput.write(try EligibilityRunner.encoder.encode(summary) + Data("\n".utf8))
                } catch {
                    try? await app.asyncShutdown()
                    failAndExit("\(error)")
                }
                try await app.asyncShutdown()
                return
            }
            do {
                let catalogue = try EligibilityRunner.catalogue(extra: catalogs.map { URL(fileURLWithPath: $0) })
                guard let data = FileManager.default.contents(atPath: cases), let text = String(data: data, encoding: .utf8) else {
                    failAndExit("không đọc được tệp \(cases)")
                }
                let summary = EligibilityRunner.bulk(lines: text.split(separator: "\n", omittingEmptySubsequences: false),
                                                     file: (cases as NSString).lastPathComponent, catalogue: catalogue)
                FileHandle.standardOutput.write(try EligibilityRunner.encoder.encode(summary) + Data("\n".utf8))
                if !summary.errors.isEmpty { throw ExitCode(1) }
            } catch let e as ExitCode {
                throw e
            } catch {
                failAndExit("\(error)")
            }
        }
    }
}

struct BallotsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ballots", abstract: "Phiên bỏ phiếu.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Kiểm tra tệp của một phiên bỏ phiếu (tải ở /ballots/{id}/record.json): tính lại chuỗi nhật ký, các phiếu, biên nhận và kết quả, không cần máy chủ.")
        @ArgumentParser.Argument(help: "Tệp JSON của phiên.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { failAndExit("không đọc được tệp \(file)") }
            let record: BallotSessionRecord
            do {
                record = try JSONDecoder().decode(BallotSessionRecord.self, from: data)
            } catch {
                failAndExit("\(file) không phải tệp phiên bỏ phiếu của ThiDua (\(BallotSessionRecord.formatName)).")
            }
            let problems = BallotVerifier.problems(record)
            if problems.isEmpty {
                let ballots = record.questions.map(\.ballots.count).reduce(0, +)
                print("Khớp: \(record.events.count) sự kiện nối chuỗi đúng; \(record.questions.count) câu hỏi, \(ballots) phiếu, \(record.receipts.count) biên nhận; kết quả kiểm lại trùng với kết quả đã công bố.")
                for q in record.questions {
                    let names = q.result.elected.compactMap { id in q.question.candidates.first { $0.id == id }?.name }
                    print("- \(q.question.title): \(names.isEmpty ? "không ứng viên nào trúng" : "trúng " + names.joined(separator: "; "))")
                }
                if let head = record.auditHead { print("Đầu chuỗi nhật ký thay đổi khi kết thúc phiên: \(head)") }
            } else {
                for p in problems { FileHandle.standardError.write(Data("thidua: \(p)\n".utf8)) }
                throw ExitCode(1)
            }
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Sao lưu cơ sở dữ liệu và các tệp đính kèm vào một tệp (chạy được khi máy chủ đang chạy): ảnh chụp nhất quán, mã băm từng phần, đầu chuỗi nhật ký.")
    @ArgumentParser.Argument(help: "Tệp sao lưu sẽ ghi (chưa có; ví dụ thidua-2026-12-02.zip).") var file: String

    func run() async throws {
        let app = try await makeApp(readOnly: true)
        let summary: Backup.Summary
        do { summary = try await Backup.backup(app, to: file) } catch {
            try? await app.asyncShutdown()
            failAndExit("không sao lưu được: \(error)")
        }
        try await app.asyncShutdown()
        let m = summary.manifest
        print("Đã sao lưu vào \(file): \(m.database), \(m.tables.count) bảng, \(summary.rows) dòng, \(summary.files) tệp đính kèm.")
        print("Đầu chuỗi nhật ký: \(m.auditHead.seq) bản ghi, \(m.auditHead.hash)")
        print("SHA-256 của tệp sao lưu: \(summary.archiveSHA256)")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Khôi phục một tệp sao lưu vào cơ sở dữ liệu trống (THIDUA_DB chưa có, hoặc DATABASE_URL trống) và thư mục tệp trống; kiểm tra toàn bộ trước khi ghi.")
    @ArgumentParser.Argument(help: "Tệp sao lưu (do `thidua backup` ghi).") var file: String

    func run() async throws {
        let config = AppConfig.fromEnvironment()
        if !config.problems.isEmpty { failAndExit(config.problems.joined(separator: "\n")) }
        let summary: Backup.Summary
        switch config.database {
        case .sqliteFile(let path):
            do { summary = try await Backup.restore(from: file, into: .sqlite(path: path), filesDirectory: config.resolvedFilesDirectory) } catch {
                failAndExit("không khôi phục: \(error)")
            }
        case .postgres(let url, _):
            let app = try await makeApp(migrate: false, readOnly: true)
            do { summary = try await Backup.restore(from: file, into: .postgres(app: app, url: url), filesDirectory: config.resolvedFilesDirectory) } catch {
                try? await app.asyncShutdown()
                failAndExit("không khôi phục: \(error)")
            }
            try await app.asyncShutdown()
        case .sqliteMemory:
            failAndExit("không khôi phục vào cơ sở dữ liệu trong bộ nhớ: đặt THIDUA_DB hoặc DATABASE_URL.")
        }
        let m = summary.manifest
        print("Đã khôi phục \(file) (sao lưu lúc \(m.createdAt)): \(m.tables.count) bảng, \(summary.rows) dòng, \(summary.files) tệp đính kèm; số dòng từng bảng và đầu chuỗi nhật ký (\(m.auditHead.seq) bản ghi) khớp bảng kê.")
        print("Tiếp theo: `thidua audit verify` (cần cùng khóa nhật ký THIDUA_AUDIT_KEY_FILE), rồi `thidua serve`.")
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Nhập đơn vị, cá nhân, xếp loại, khen thưởng, sáng kiến, kỷ luật từ tệp .xlsx hoặc .csv theo mẫu (/import/template.xlsx); tất cả hoặc không dòng nào.")
    @ArgumentParser.Argument(help: "Tệp .xlsx hoặc .csv.") var file: String
    @ArgumentParser.Flag(name: .customLong("dry-run"), help: "Chỉ kiểm tra và cho biết sẽ thêm, sửa gì; không ghi.") var dryRun = false

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { failAndExit("không đọc được tệp \(file)") }
        let app = try await makeApp()
        let report: Operations.ImportReport
        do { report = try await Operations.importFile(app, data: data, filename: (file as NSString).lastPathComponent, dryRun: dryRun) } catch {
            try? await app.asyncShutdown()
            failAndExit("\(error)")
        }
        try await app.asyncShutdown()
        for p in report.problems { FileHandle.standardError.write(Data("Lỗi – \(p)\n".utf8)) }
        for n in report.notes { print("Ghi chú – \(n)") }
        for (sheet, c) in report.sheets.sorted(by: { $0.key < $1.key }) {
            print("\(sheet): \(report.applied ? "thêm" : "sẽ thêm") \(c.added), \(report.applied ? "sửa" : "sẽ sửa") \(c.changed), giữ nguyên \(c.unchanged)")
        }
        if !report.problems.isEmpty {
            FileHandle.standardError.write(Data("Không nhập dòng nào: \(report.problems.count) lỗi cần sửa trong tệp.\n".utf8))
            throw ExitCode(1)
        }
        print(report.applied ? "Đã nhập \(file) (SHA-256 \(report.sha256)) trong \(String(format: "%.1f", report.seconds)) giây." : "Chạy thử: không ghi gì. Bỏ --dry-run để nhập.")
    }
}
