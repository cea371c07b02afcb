import Fluent
import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// The office browses and filters the audit log, and checks the chain.
struct AuditController {
    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.on(.GET, "audit", policy: .roles([.office]), use: page)
        api.on(.GET, "audit", policy: .roles([.office])) { req in try await self.entries(req) }
        ListExports.register(on: [pages, api], ["audit"], name: "export", policy: .roles([.office]), make: export)
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

    /// The log as the filter selects it, newest first.
    func filtered(_ f: Filter, on db: any Database) throws -> QueryBuilder<AuditEntry> {
        var q = AuditEntry.query(on: db).sort(\.$seq, .descending)
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
        return q
    }

    static func dto(_ e: AuditEntry, fullHash: Bool = false) -> EntryDTO {
        EntryDTO(seq: e.seq, at: VietnameseFormat.dateTime(Date(millis: e.atMillis)), actor: e.actor,
                 entity: e.entity, entityID: e.entityID, action: e.action, oldValue: e.oldValue, newValue: e.newValue,
                 hash: fullHash ? e.hash : String(e.hash.prefix(12)))
    }

    func entries(_ req: Request) async throws -> [EntryDTO] {
        let f = try req.query.decode(Filter.self)
        let page = try Bounded.page(text: f.page)
        return try await filtered(f, on: req.db).range(Bounded.pageRange(page, size: Self.pageSize)).all().map { Self.dto($0) }
    }

    /// At most this many entries in one file; a wider filter is refused with how to narrow it.
    static let exportLimit = 100_000

    /// Every entry the filter selects (not one page), newest first, with the whole hash: read in slices by `seq`.
    @Sendable func export(_ req: Request) async throws -> ListFile {
        let f = try req.query.decode(Filter.self)
        // Entries written while the file is made are left out: everything up to the newest entry seen now.
        let top = try await filtered(f, on: req.db).first()?.seq ?? 0
        let total = try await filtered(f, on: req.db).filter(\.$seq <= top).count()
        guard total <= Self.exportLimit else {
            throw DomainError.invalid("Bộ lọc chọn \(VietnameseFormat.number(total)) mục; một tệp chứa tối đa \(VietnameseFormat.number(Self.exportLimit)) mục: hãy thu hẹp khoảng ngày hoặc chọn đối tượng.")
        }
        var rows: [[SheetCell]] = []
        rows.reserveCapacity(total)
        var below: Int?
        while rows.count < total {
            var q = try filtered(f, on: req.db).filter(\.$seq <= top)
            if let below { q = q.filter(\.$seq < below) }
            let slice = try await q.limit(5_000).all()
            guard let last = slice.last else { break }
            for e in slice {
                let d = Self.dto(e, fullHash: true)
                rows.append([.number(Double(d.seq)), .text(d.at), .text(d.actor), .text(d.entity), .text(d.entityID), .text(d.action),
                             .text(d.oldValue ?? ""), .text(d.newValue ?? ""), .text(d.hash)])
            }
            below = last.seq
        }
        let header = ["Số thứ tự", "Thời điểm", "Người thực hiện", "Đối tượng", "Mã đối tượng", "Thao tác", "Giá trị cũ", "Giá trị mới", "Băm"]
        return ListFile(filename: "nhat-ky-thay-doi",
                        sheets: [Sheet(name: "Nhật ký", title: "NHẬT KÝ THAY ĐỔI (\(VietnameseFormat.number(rows.count)) mục, mới nhất trước)",
                                       header: header, rows: rows, widths: [10, 18, 18, 14, 38, 14, 50, 50, 66])])
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
        var exports: ExportLinks
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
                                           verdict: verdict.message, keying: keying, intact: intact,
                                           exports: ExportLinks(["audit"], query: [("actor", f.actor), ("entity", f.entity), ("action", f.action), ("from", f.from), ("to", f.to)])))
    }
}
