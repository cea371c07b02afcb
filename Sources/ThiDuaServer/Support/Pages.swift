import Foundation
import ThiDuaCore
import Vapor

/// One menu entry.
struct NavItem: Encodable, Sendable {
    var href: String
    var label: String
    var active: Bool
}

/// What every page's layout needs: who is signed in, the menu for their roles, the CSRF token, a flash.
struct Layout: Encodable, Sendable {
    var title: String
    var userName: String?
    var username: String?
    var roles: [String]
    var nav: [NavItem]
    var csrf: String
    var flash: String?
    var query: String
}

struct PageContext<Page: Encodable & Sendable>: Encodable, Sendable {
    var layout: Layout
    var page: Page
}

struct Empty: Encodable, Sendable {}

/// The login form's token while its page renders.
struct LoginTokenKey: StorageKey { typealias Value = String }

enum Pages {
    /// The menu for the signed-in user's roles.
    static func nav(for principal: Principal?, path: String) -> [NavItem] {
        guard let p = principal else { return [] }
        var items: [(String, String)] = [(CommonPath.home.url, "Tổng quan"), (OrganisationPath.blocs.url, "Khối thi đua"), (OrganisationPath.units.url, "Đơn vị")]
        // Only what the role can open (the same roles as the routes' policies).
        if !p.roles.isDisjoint(with: [.office, .council, .unitOfficer, .unitHead, .blocLead]) {
            items += [(RegisterPath.list.url, "Sổ khen thưởng"), (RegisterPath.report.url, "Xét khen thưởng"), (BallotPath.sessions.url, "Bỏ phiếu")]
        }
        if p.importPermission != .none { items.append((ImportPath.start.url, "Nhập dữ liệu")) }
        if p.isOffice {
            items += [(OrganisationPath.years.url, "Năm thi đua"), (AccountPath.users.url, "Tài khoản"), (AuditPath.audit.url, "Nhật ký")]
        }
        return items.map { href, label in
            NavItem(href: href, label: label, active: href == "/" ? path == "/" : href == "/register" ? path.hasPrefix("/register") && !path.hasPrefix("/register/report") : path.hasPrefix(href))
        }
    }

    static func layout(_ req: Request, title: String) -> Layout {
        // Without a session (no cookie) there is no flash message, and reading one would start a session.
        let flash = req.hasSession ? req.session.data["flash"] : nil
        if flash != nil { req.session.data["flash"] = nil }
        return Layout(title: title, userName: req.currentUser?.fullName, username: req.currentUser?.username,
                      roles: (req.principal?.roles.sorted() ?? []).map(\.label),
                      nav: nav(for: req.principal, path: req.url.path),
                      // Signed in: the session's token. Anonymous pages have no form but the login page, whose token is its own.
                      csrf: req.principal != nil ? CSRF.token(for: req) : (req.storage[LoginTokenKey.self] ?? ""), flash: flash,
                      query: (try? req.query.get(String.self, at: "q")) ?? "")
    }

    /// Renders `template` inside the layout.
    static func render<P: Encodable & Sendable>(_ req: Request, _ template: String, title: String, _ page: P, status: HTTPResponseStatus = .ok) async throws -> Response {
        let view = try await req.view.render(template, PageContext(layout: layout(req, title: title), page: page))
        let res = try await view.encodeResponse(status: status, for: req)
        res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return res
    }

    /// A page that tells what went wrong, in Vietnamese, with the right status.
    static func error(_ req: Request, status: HTTPResponseStatus, reason: String) async throws -> Response {
        struct ErrorPage: Encodable, Sendable { var code: UInt; var heading: String; var reason: String; var signedIn: Bool }
        let heading = switch status.code {
        case 400: "Yêu cầu không hợp lệ"
        case 401: "Cần đăng nhập"
        case 403: "Không có quyền truy cập"
        case 404: "Không tìm thấy"
        case 409: "Xung đột dữ liệu"
        case 422: "Dữ liệu chưa hợp lệ"
        case 423: "Tài khoản tạm khóa"
        case 429: "Thử lại sau"
        case 503: "Tạm thời gián đoạn"
        case 500...: "Lỗi hệ thống"
        default: "Có lỗi xảy ra"
        }
        do {
            return try await render(req, "error", title: heading,
                                    ErrorPage(code: status.code, heading: heading, reason: reason, signedIn: req.principal != nil), status: status)
        } catch {
            // The template itself failed: plain text still says what happened.
            let res = Response(status: status, body: .init(string: "\(status.code) – \(heading): \(reason)"))
            res.headers.contentType = .plainText
            return res
        }
    }

    static func flash(_ req: Request, _ message: String) { req.session.data["flash"] = message }
}
