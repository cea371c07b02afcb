import Fluent
import Foundation
import NIOCore
import SQLKit
import Vapor

/// Asks the database a trivial question within a time limit: used at start (optionally waiting for the database
/// to come up) and by `/readyz`.
enum DatabaseProbe {
    struct Timeout: Error, CustomStringConvertible { var description: String { "hết thời gian chờ cơ sở dữ liệu" } }

    /// `SELECT 1`, failing with `Timeout` after `timeout` even if the driver is still waiting.
    static func ping(_ db: any Database, timeout: TimeAmount) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let loop = db.eventLoop
        let promise = loop.makePromise(of: Void.self)
        let query: EventLoopFuture<Void> = sql.raw("SELECT 1").run()
        query.cascade(to: promise)
        let timer = loop.scheduleTask(in: timeout) { promise.fail(Timeout()) }
        defer { timer.cancel() }
        try await promise.futureResult.get()
    }

    /// Pings the database; with `wait`, retries errors worth retrying (refused, restarting, timed out) with a growing
    /// pause (0.5 s, 1 s, 2 s … at most 8 s) until `wait` seconds have passed. Throws a `DatabaseTrouble`.
    static func ready(_ app: Application, wait: TimeInterval?) async throws {
        let started = Date()
        var pause = 0.5
        var attempt = 1
        while true {
            do {
                try await ping(app.db, timeout: .seconds(5))
                if attempt > 1 { app.logger.notice("Đã kết nối được cơ sở dữ liệu sau \(attempt) lần thử.") }
                return
            } catch {
                var trouble = DatabaseTrouble.explain(error, config: app.thiduaConfig)
                guard let wait, trouble.transient else { throw trouble }
                let waited = Date().timeIntervalSince(started)
                guard waited + pause <= wait else {
                    trouble.message += " (đã chờ \(String(format: "%.1f", waited)) giây, \(attempt) lần thử)"
                    throw trouble
                }
                FileHandle.standardError.write(Data("Chờ cơ sở dữ liệu (lần \(attempt)): \(trouble.message); thử lại sau \(pause) giây.\n".utf8))
                try await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000))
                pause = min(pause * 2, 8)
                attempt += 1
            }
        }
    }
}
