import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// The office browses and filters the audit log, and checks the chain.
struct AuditController {
    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.on(.GET, "audit", policy: .roles([.office]), use: page)
        api.on(.GET, "audit", policy: .roles([.office])) { req in try await self.entries(req) }
        api.on(.GET, "audit", "verify", policy: .roles([.office])) { req in
            let (verdict, keying) = try await AuditLog.verify(on: req.db, key: req.application.auditKey)
            return ChainStatus(intact: verdict.isIntact, message: verdict.message, keying: keying)
        }
    }

    /// `keying` says whether the chain is keyed (HMAC-SHA-256 under `THIDUA_AUDIT_KEY_FILE`) and from which entry.
    struct ChainStatus: Content, Sendable { var intact: Bool; var message: String; var keying: String }

    struct EntryDTO: Content, Sendable {
        var seq: Int
        var at: String
        var actor: String
        var entity: String
        var entityID: String
        var action: String
        var oldValue: String?
        var newValue: String?
        var hash: String
    }

    struct Filter: Content, Sendable {
        var actor: String?
        var entity: String?
        var action: String?
        var from: String?
        var to: String?
        /// Text, parsed by `Bounded.page`: "-1", "0" and "99999999999999999999" get a 422, not a trap.
        var page: String?
    }

    static let pageSize = 50

    func entries(_ req: Request) async throws -> [EntryDTO] {
        let f = try req.query.decode(Filter.self)
        var q = AuditEntry.query(on: req.db).sort(\.$seq, .descending)
        if let a = f.actor, !a.isEmpty { q = q.filter(\.$actor == a.lowercased()) }
        if let e = f.entity, !e.isEmpty { q = q.filter(\.$entity == e) }
        if let a = f.action, !a.isEmpty { q = q.filter(\.$action == a) }
        if let raw = f.from, !raw.isEmpty {
            guard let d = VietnameseFormat.parseDate(raw) else { throw DomainError.invalid("Ngày bắt đầu phải có dạng dd/MM/yyyy.", field: "from") }
            q = q.filter(\.$atMillis >= d.millis)
        }
        if let raw = f.to, !raw.isEmpty {
            guard let d = VietnameseFormat.parseDate(raw) else { throw DomainError.invalid("Ngày kết thúc phải có dạng dd/MM/yyyy.", field: "to") }
            q = q.filter(\.$atMillis < d.addingTimeInterval(86_400).millis)
        }
        let page = try Bounded.page(text: f.page)
        return try await q.range(Bounded.pageRange(page, size: Self.pageSize)).all().map {
            EntryDTO(seq: $0.seq, at: VietnameseFormat.dateTime(Date(millis: $0.atMillis)), actor: $0.actor,
                     entity: $0.entity, entityID: $0.entityID, action: $0.action, oldValue: $0.oldValue, newValue: $0.newValue, hash: String($0.hash.prefix(12)))
        }
    }

    struct Page: Encodable, Sendable {
        var entries: [EntryDTO]
        var filter: Filter
        var page: Int
        var nextPage: String?
        var prevPage: String?
        var entities: [String]
        var verdict: String
        var keying: String
        var intact: Bool
    }

    /// The same filter on another page, built by `AuditPath` (every value percent-encoded).
    func link(_ f: Filter, page: Int) -> String {
        AuditPath.audit.url([("page", String(page)), ("actor", f.actor), ("entity", f.entity), ("action", f.action), ("from", f.from), ("to", f.to)])
    }

    @Sendable func page(_ req: Request) async throws -> Response {
        let f = try req.query.decode(Filter.self)
        let entries = try await entries(req)
        let page = try Bounded.page(text: f.page)
        let (verdict, keying) = try await AuditLog.verify(on: req.db, key: req.application.auditKey)
        let intact = verdict.isIntact
        return try await Pages.render(req, "audit", title: "Nhật ký thay đổi",
                                      Page(entries: entries, filter: f, page: page,
                                           nextPage: entries.count == Self.pageSize && page < Bounded.pages.upperBound ? link(f, page: page + 1) : nil,
                                           prevPage: page > 1 ? link(f, page: page - 1) : nil,
                                           entities: ["user", "role_grant", "api_token", "unit", "bloc", "membership", "bloc_year", "emulation_year"],
                                           verdict: verdict.message, keying: keying, intact: intact))
    }
}
