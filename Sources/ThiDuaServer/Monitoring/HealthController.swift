import Foundation
import Vapor

/// What a load balancer and a monitoring system ask: `/healthz` (the process answers; no database, no write),
/// `/readyz` (the database answers within 2 s; 503 otherwise) and `/metrics` (Prometheus's text format).
struct HealthController {
    func register(root: any RoutesBuilder) {
        root.on(.GET, "healthz", policy: .everyone) { req in
            Health(status: "ok", database: req.application.thiduaConfig.database.kind)
        }
        root.on(.GET, "readyz", policy: .everyone, use: ready)
        root.on(.GET, "metrics", policy: .monitoring, use: metrics)
    }

    struct Health: Content, Sendable { var status: String; var database: String }
    struct Readiness: Content, Sendable { var status: String; var database: String; var reason: String? }

    @Sendable func ready(_ req: Request) async throws -> Response {
        let kind = req.application.thiduaConfig.database.kind
        let res = Response()
        do {
            try await DatabaseProbe.ping(req.db, timeout: .seconds(2))
            try res.content.encode(Readiness(status: "ready", database: kind, reason: nil), as: .json)
        } catch {
            let trouble = DatabaseTrouble.explain(error, config: req.application.thiduaConfig)
            req.logger.warning("readyz: \(trouble.message)")
            res.status = .serviceUnavailable
            // The reason says what failed, not where: the address of the database is for the logs.
            try res.content.encode(Readiness(status: "unavailable", database: kind, reason: "Cơ sở dữ liệu không trả lời."), as: .json)
            res.headers.replaceOrAdd(name: .retryAfter, value: "5")
        }
        res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return res
    }

    @Sendable func metrics(_ req: Request) async throws -> Response {
        let body = await ThiDuaMetrics.exposition(req.application)
        let res = Response(status: .ok, body: .init(buffer: ByteBuffer(bytes: body)))
        res.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return res
    }
}
