import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import VaporTesting

@Suite struct PagesTests {
    @Test("Every page renders in Vietnamese for the office")
    func officePages() async throws {
        try await withThiDua(demo: true) { app, _ in
            let b = try Browser(app)
            try await b.login("vanphong")
            let bloc = try await Bloc.query(on: app.db).first()!.id!
            let unit = try await Unit.query(on: app.db).filter(\.$shortName == "TAND tỉnh").first()!.id!
            let user = try await User.query(on: app.db).filter(\.$username == "canbo.congan").first()!.id!
            let pages: [(String, String)] = [
                ("/", "Tổng quan năm 2018"), ("/units", "Tòa án nhân dân tỉnh Nghệ An"), ("/units/new", "Thêm đơn vị"),
                ("/units/\(unit)", "Tham gia khối thi đua"), ("/units/\(unit)/edit", "Sửa đơn vị"),
                ("/blocs", "Khối thi đua năm 2018"), ("/blocs/new", "Thêm khối thi đua"), ("/blocs/\(bloc)?year=2018", "lựa chọn minh họa"),
                ("/blocs/\(bloc)/edit", "Sửa khối thi đua"), ("/years", "Mở năm thi đua mới"), ("/users", "canbo.congan"),
                ("/users/new", "Tạo tài khoản"), ("/users/\(user)", "Cán bộ thi đua đơn vị"), ("/audit", "Chuỗi nhật ký nguyên vẹn"),
                ("/search?q=to+an", "Tòa án nhân dân tỉnh Nghệ An"),
            ]
            for (path, text) in pages {
                let res = try await b.get(path)
                #expect(res.status == .ok, "\(path)")
                #expect(res.body.string.contains(text), "\(path) should show \(text)")
                #expect(res.body.string.contains("lang=\"vi\""))
            }
            let bloc9 = try await b.get("/blocs/\(bloc)?year=2018").body.string
            for u in DemoLoader.units { #expect(bloc9.contains(u.officialName)) }
        }
    }

    @Test("Each role sees its own dashboard and menu")
    func dashboards() async throws {
        try await withThiDua(demo: true) { app, _ in
            let lead = try Browser(app)
            try await lead.login("truongkhoi")
            let page = try await lead.get("/").body.string
            #expect(page.contains("Soạn kế hoạch thi đua năm 2018"))
            #expect(!page.contains("href=\"/users\""))
            let officer = try Browser(app)
            try await officer.login("canbo.congan")
            #expect(try await officer.get("/").body.string.contains("Khối của đơn vị"))
            #expect(try await officer.get("/users").status == .forbidden)
            // Due and overdue work: the 2018 registration deadline has passed for a unit that has not registered.
            try await RegistrationModel.query(on: app.db).delete()
            let due = try await officer.get("/").body.string
            #expect(due.contains("Đăng ký thi đua năm 2018") && due.contains("hạn 31/03/2018") && due.contains("class=\"overdue\""))
            let office = try Browser(app)
            try await office.login("vanphong")
            #expect(try await office.get("/").body.string.contains("còn 9 đơn vị chưa đăng ký"))
        }
    }

    @Test("Error pages are in Vietnamese; the API answers JSON")
    func errors() async throws {
        try await withThiDua(demo: true) { app, _ in
            let b = try Browser(app)
            try await b.login("khach")
            var res = try await b.get("/khong-co-trang-nay")
            #expect(res.status == .notFound)
            #expect(res.body.string.contains("Không tìm thấy"))
            res = try await b.get("/units/\(UUID())")
            #expect(res.status == .notFound)
            res = try await b.get("/audit")
            #expect(res.status == .forbidden)
            #expect(res.body.string.contains("Không có quyền truy cập"))
            res = try await api(app, .GET, "/api/v1/khong-co")
            #expect(res.status == .notFound)
            #expect(reason(res) == "Không tìm thấy trang hoặc dữ liệu yêu cầu.")
            let health = try await api(app, .GET, "/healthz")
            #expect(health.status == .ok)
            #expect(health.body.string.contains("\"status\":\"ok\""))
            #expect(health.body.string.contains(app.thiduaConfig.database.kind))
        }
    }

    @Test("Form errors come back on the form with the reason and the input kept")
    func formErrors() async throws {
        try await withThiDua(demo: true) { app, _ in
            let b = try Browser(app)
            try await b.login("vanphong")
            try await b.get("/units/new")
            let res = try await b.post("/units", ["officialName": "", "shortName": "Giữ lại", "kind": "civil"])
            #expect(res.status == .unprocessableEntity)
            #expect(res.body.string.contains("không được để trống"))
            #expect(res.body.string.contains("value=\"Giữ lại\""))
        }
    }
}
