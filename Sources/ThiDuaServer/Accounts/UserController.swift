import Fluent
import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// Account management for the office: create, disable, reset password, grant and revoke roles.
struct UserController {
    let office: RoutePolicy = .roles([.office])

    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.on(.GET, "users", policy: office, use: listPage)
        ListExports.register(on: [pages, api], ["users"], name: "export", policy: office) { req in
            let header = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Vai trò và phạm vi", "Trạng thái", "Tài khoản minh họa"]
            let rows: [[SheetCell]] = try await AccountViews.list(req).map { u in
                [.text(u.username), .text(u.fullName), .text(u.email ?? ""),
                 .text(u.grants.map { $0.scopeText.isEmpty ? $0.roleLabel : "\($0.roleLabel) – \($0.scopeText)" }.joined(separator: "; ")),
                 .text(u.disabled ? "Đã vô hiệu hóa" : u.lockedUntil.map { "Tạm khóa đến \($0)" } ?? "Hoạt động"), .text(u.isDemo ? "có" : "")]
            }
            return ListFile(filename: "danh-sach-tai-khoan",
                            sheets: [Sheet(name: "Tài khoản", title: "DANH SÁCH TÀI KHOẢN", header: header, rows: rows, widths: [20, 30, 30, 60, 24, 12])])
        }
        pages.on(.GET, "users", "new", policy: office, use: newPage)
        pages.on(.POST, "users", policy: office, use: createFromForm)
        pages.on(.GET, "users", ":userID", policy: office, use: showPage)
        pages.on(.POST, "users", ":userID", "disable", policy: office) { req in try await self.toggleForm(req, disabled: true) }
        pages.on(.POST, "users", ":userID", "enable", policy: office) { req in try await self.toggleForm(req, disabled: false) }
        pages.on(.POST, "users", ":userID", "unlock", policy: office) { req in
            let user = try await AccountService.find(req)
            try await AccountService.liftThrottle(user, req: req)
            Pages.flash(req, "Đã bỏ thời gian chờ đăng nhập của “\(user.username)”.")
            return req.redirect(to: AccountPath.user(try user.requireID()).url)
        }
        pages.on(.POST, "users", ":userID", "password", policy: office, use: passwordForm)
        pages.on(.POST, "users", ":userID", "grants", policy: office, use: grantForm)
        pages.on(.POST, "users", ":userID", "grants", ":grantID", "delete", policy: office, use: revokeForm)

        api.on(.GET, "users", policy: office) { req in try await AccountViews.list(req) }
        api.on(.POST, "users", policy: office, use: createAPI)
        api.on(.GET, "users", ":userID", policy: office) { req in try await AccountViews.one(try await AccountService.find(req), req: req) }
        api.on(.POST, "users", ":userID", "disable", policy: office) { req in try await self.toggleAPI(req, disabled: true) }
        api.on(.POST, "users", ":userID", "enable", policy: office) { req in try await self.toggleAPI(req, disabled: false) }
        api.on(.POST, "users", ":userID", "unlock", policy: office) { req in
            let user = try await AccountService.find(req)
            try await AccountService.liftThrottle(user, req: req)
            return try await AccountViews.one(user, req: req)
        }
        api.on(.POST, "users", ":userID", "password", policy: office, use: passwordAPI)
        api.on(.POST, "users", ":userID", "grants", policy: office, use: grantAPI)
        api.on(.DELETE, "users", ":userID", "grants", ":grantID", policy: office, use: revokeAPI)
    }

    struct ListPage: Encodable, Sendable { var users: [UserDTO]; var q: String; var exports: ExportLinks }

    @Sendable func listPage(_ req: Request) async throws -> Response {
        let q = (try? req.query.get(String.self, at: "q")) ?? ""
        return try await Pages.render(req, "users/list", title: "Tài khoản", ListPage(users: try await AccountViews.list(req), q: q,
                                                                              exports: ExportLinks(["users"], query: [("q", q)])))
    }

    struct FormPage: Encodable, Sendable { var error: String?; var input: AccountService.NewUser }

    @Sendable func newPage(_ req: Request) async throws -> Response {
        try await Pages.render(req, "users/new", title: "Tạo tài khoản", FormPage(error: nil, input: .init()))
    }

    @Sendable func createFromForm(_ req: Request) async throws -> Response {
        let input = try req.content.decode(AccountService.NewUser.self)
        do {
            let (user, password) = try await AccountService.create(input, req: req)
            Pages.flash(req, "Đã tạo tài khoản “\(user.username)”. Mật khẩu ban đầu: \(password) (chỉ hiện một lần).")
            return req.redirect(to: AccountPath.user(try user.requireID()).url)
        } catch let e as DomainError {
            var shown = input
            shown.password = nil
            return try await Pages.render(req, "users/new", title: "Tạo tài khoản", FormPage(error: e.reason, input: shown),
                                          status: ThiDuaErrorMiddleware.describe(e, req: req).0)
        }
    }

    struct ShowPage: Encodable, Sendable {
        var user: UserDTO
        var roles: [Option]
        var units: [Option]
        var blocs: [Option]
        var isSelf: Bool
    }
    struct Option: Encodable, Sendable { var value: String; var label: String }

    @Sendable func showPage(_ req: Request) async throws -> Response {
        let user = try await AccountService.find(req)
        let units = try await Unit.query(on: req.db).sort(\.$officialName).all().map { Option(value: $0.id!.uuidString, label: $0.officialName) }
        let blocs = try await Bloc.query(on: req.db).sort(\.$name).all().map { Option(value: $0.id!.uuidString, label: $0.name) }
        let roles = RoleKind.allCases.map { Option(value: $0.rawValue, label: $0.label) }
        return try await Pages.render(req, "users/show", title: user.fullName,
                                      ShowPage(user: try await AccountViews.one(user, req: req), roles: roles, units: units, blocs: blocs,
                                               isSelf: user.id == req.principal?.userID))
    }

    @Sendable func toggleForm(_ req: Request, disabled: Bool) async throws -> Response {
        let user = try await AccountService.find(req)
        try await AccountService.setDisabled(user, disabled, req: req)
        Pages.flash(req, disabled ? "Đã vô hiệu hóa tài khoản và thu hồi các mã truy cập API." : "Đã kích hoạt lại tài khoản.")
        return req.redirect(to: AccountPath.user(try user.requireID()).url)
    }

    struct PasswordInput: Content { var password: String? }

    @Sendable func passwordForm(_ req: Request) async throws -> Response {
        let user = try await AccountService.find(req)
        let password = try await AccountService.resetPassword(user, newPassword: try req.content.decode(PasswordInput.self).password, req: req)
        Pages.flash(req, "Đã đặt lại mật khẩu cho “\(user.username)”: \(password) (chỉ hiện một lần).")
        return req.redirect(to: AccountPath.user(try user.requireID()).url)
    }

    @Sendable func grantForm(_ req: Request) async throws -> Response {
        let user = try await AccountService.find(req)
        _ = try await AccountService.grant(try req.content.decode(AccountService.GrantInput.self), to: user, req: req)
        Pages.flash(req, "Đã cấp vai trò.")
        return req.redirect(to: AccountPath.user(try user.requireID()).url)
    }

    @Sendable func revokeForm(_ req: Request) async throws -> Response {
        let user = try await AccountService.find(req)
        try await AccountService.revoke(grantID: req.parameters.get("grantID", as: UUID.self), of: user, req: req)
        Pages.flash(req, "Đã thu hồi vai trò.")
        return req.redirect(to: AccountPath.user(try user.requireID()).url)
    }

    struct Created: Content { var user: UserDTO; var password: String }

    @Sendable func createAPI(_ req: Request) async throws -> Response {
        let (user, password) = try await AccountService.create(try req.content.decode(AccountService.NewUser.self), req: req)
        return try await Created(user: try await AccountViews.one(user, req: req), password: password).encodeResponse(status: .created, for: req)
    }

    @Sendable func toggleAPI(_ req: Request, disabled: Bool) async throws -> UserDTO {
        let user = try await AccountService.find(req)
        try await AccountService.setDisabled(user, disabled, req: req)
        return try await AccountViews.one(user, req: req)
    }

    @Sendable func passwordAPI(_ req: Request) async throws -> Created {
        let user = try await AccountService.find(req)
        let password = try await AccountService.resetPassword(user, newPassword: try req.content.decode(PasswordInput.self).password, req: req)
        return Created(user: try await AccountViews.one(user, req: req), password: password)
    }

    @Sendable func grantAPI(_ req: Request) async throws -> Response {
        let user = try await AccountService.find(req)
        _ = try await AccountService.grant(try req.content.decode(AccountService.GrantInput.self), to: user, req: req)
        return try await AccountViews.one(user, req: req).encodeResponse(status: .created, for: req)
    }

    @Sendable func revokeAPI(_ req: Request) async throws -> UserDTO {
        let user = try await AccountService.find(req)
        try await AccountService.revoke(grantID: req.parameters.get("grantID", as: UUID.self), of: user, req: req)
        return try await AccountViews.one(user, req: req)
    }
}
