import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// What the `thidua` command line does besides serving: migrate, list routes, verify the audit chain, load the demo.
public enum Operations {
    /// Loads the demo (idempotent).
    public static func loadDemo(_ app: Application) async throws {
        try await DemoLoader.load(app)
    }

    /// The routes with their methods and policies, one per line.
    public static func routeTable(_ app: Application) -> [String] {
        app.routes.all.map { route in
            let path = "/" + route.path.map(\.description).joined(separator: "/")
            return "\(route.method.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(path.padding(toLength: 52, withPad: " ", startingAt: 0)) \(route.policy?.description ?? "KHÔNG CÓ CHÍNH SÁCH")"
        }.sorted()
    }

    /// Checks the audit hash chain; returns (intact, message).
    public static func verifyAudit(_ app: Application) async throws -> (Bool, String) {
        let verdict = try await AuditLog.verify(on: app.db)
        if case .intact = verdict { return (true, verdict.message) }
        return (false, verdict.message)
    }
}
