import Foundation

/// PostgreSQL's client tools (`pg_dump`, `pg_restore`), found in `THIDUA_PG_BIN`, on the PATH, or in Debian's
/// `/usr/lib/postgresql/<newest>/bin`, run off the event loops; a failure carries what the tool printed.
enum Tools {
    static func locate(_ name: String) throws -> URL {
        let fm = FileManager.default
        let env = ProcessInfo.processInfo.environment
        var dirs: [String] = []
        if let bin = env["THIDUA_PG_BIN"], !bin.isEmpty { dirs.append(bin) }
        dirs += (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        if let versions = try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            dirs += versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }.map { "/usr/lib/postgresql/\($0)/bin" }
        }
        for d in dirs {
            let p = URL(fileURLWithPath: d).appendingPathComponent(name).path
            if fm.isExecutableFile(atPath: p) { return URL(fileURLWithPath: p) }
        }
        throw Backup.Failure("không tìm thấy \(name) (gói postgresql-client): cài nó, hoặc đặt THIDUA_PG_BIN tới thư mục chứa nó.")
    }

    /// Runs `name` with `args`; throws with its error output when it exits with a non-zero status.
    static func run(_ name: String, _ args: [String], env: [String: String] = [:]) async throws {
        _ = try await output(name, args, env: env)
    }

    /// Runs `name` and returns what it printed on its standard output.
    static func output(_ name: String, _ args: [String], env: [String: String] = [:]) async throws -> String {
        let exe = try locate(name)
        return try await withCheckedThrowingContinuation { (cont: CheckedContinuation<String, any Error>) in
            DispatchQueue.global().async {
                let fm = FileManager.default
                let tmp = fm.temporaryDirectory
                let outURL = tmp.appendingPathComponent("thidua-\(name)-\(UUID().uuidString).out")
                let errURL = tmp.appendingPathComponent("thidua-\(name)-\(UUID().uuidString).err")
                fm.createFile(atPath: outURL.path, contents: nil)
                fm.createFile(atPath: errURL.path, contents: nil)
                defer { try? fm.removeItem(at: outURL); try? fm.removeItem(at: errURL) }
                let p = Process()
                p.executableURL = exe
                p.arguments = args
                p.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
                do {
                    p.standardOutput = try FileHandle(forWritingTo: outURL)
                    p.standardError = try FileHandle(forWritingTo: errURL)
                    p.standardInput = FileHandle.nullDevice
                    try p.run()
                    p.waitUntilExit()
                } catch {
                    cont.resume(throwing: Backup.Failure("không chạy được \(exe.path): \(error)"))
                    return
                }
                let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
                guard p.terminationStatus == 0 else {
                    let err = ((try? String(contentsOf: errURL, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                    cont.resume(throwing: Backup.Failure("\(name) dừng với mã \(p.terminationStatus): \(err.prefix(2_000))"))
                    return
                }
                cont.resume(returning: out)
            }
        }
    }
}
