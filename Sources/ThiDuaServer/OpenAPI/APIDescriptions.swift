import Foundation
import ThiDuaCore

/// What each `/api/v1/` route takes and answers, for the OpenAPI description. Roles come from the route's own
/// policy, path parameters from its path, and schemas from the DTO types themselves (`SchemaReflector`), so
/// only the summary, the query parameters and which types are used are written here. A route without an entry,
/// or an entry without a route, fails `OpenAPITests`.
struct APIOperation: Sendable {
    /// A body: JSON of a type, JSON of any shape, or a file download.
    enum Body: Sendable {
        case json(SchemaReflector.Node)
        case anyJSON
        case file(mediaType: String)

        static func of<T: Decodable>(_ type: T.Type) -> Body {
            switch SchemaReflector.node(T.self) {
            case .success(let node): .json(node)
            case .failure: .anyJSON
            }
        }
    }

    /// A query parameter and its schema.
    struct Query: Sendable {
        var name: String
        var description: String
        var node: SchemaReflector.Node = .string(format: .unspecified, cases: nil)
        /// Bounds of an integer parameter.
        var range: ClosedRange<Int>?
    }

    var summary: String
    var query: [Query] = []
    var request: Body?
    /// Top-level request fields the server needs (the DTOs keep them optional to answer a missing one with a
    /// Vietnamese reason naming it, rather than a decoding error).
    var required: [String] = []
    /// nil: 204 without a body.
    var response: Body?
    var status: Int = 200
}

enum APIDescriptions {
    static func q(_ name: String, _ description: String) -> APIOperation.Query { .init(name: name, description: description) }
    static let year = APIOperation.Query(name: "year", description: "Năm thi đua (2000–2100)", node: .integer, range: Bounded.emulationYears)
    static let page = APIOperation.Query(name: "page", description: "Số trang (1–100.000)", node: .integer, range: Bounded.pages)

    typealias B = APIOperation.Body
    static let docx = B.file(mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")

    /// "METHOD /api/v1/path/:param" → its description.
    static let all: [String: APIOperation] = routes.merging(listFiles) { a, _ in a }

    static let text = q("q", "Tìm theo tên (không cần dấu)")
    static let sheet = APIOperation.Query(name: "sheet", description: "Trang của danh sách (từ 1) cho .csv và JSON; .xlsx chứa mọi trang", node: .integer, range: 1...50)

    /// The lists as files (`ListExports`): .xlsx, .csv (UTF-8 with BOM) and JSON (rows of column header → value).
    static let listFiles: [String: APIOperation] = {
        let lists: [(path: String, name: String, what: String, query: [APIOperation.Query])] = [
            ("units", "export", "Danh sách đơn vị", [text]),
            ("blocs", "export", "Danh sách khối thi đua của một năm", [year, q("q", "Tìm theo tên khối (không cần dấu)")]),
            ("users", "export", "Danh sách tài khoản, vai trò và phạm vi", [q("q", "Tên, tên đăng nhập (không cần dấu)")]),
            ("audit", "export", "Nhật ký thay đổi theo bộ lọc (mọi trang, tối đa 100.000 mục; băm đầy đủ)",
             [q("actor", "Người thực hiện"), q("entity", "Loại đối tượng"), q("action", "Thao tác"), q("from", "Từ ngày (dd/MM/yyyy)"), q("to", "Đến ngày (dd/MM/yyyy)")]),
            ("ballots", "export", "Các phiên bỏ phiếu trong năm mà người dùng được xem", [year]),
            ("blocs/:blocID", "registrations", "Đăng ký thi đua của cả khối: trang 1 tập thể, trang 2 cá nhân", [year, sheet]),
            ("register", "report", "Ai đủ điều kiện gì trong năm (cả báo cáo, không chia trang)",
             [year, q("unit", "Mã đơn vị (UUID)"), q("bloc", "Mã khối (UUID)"), q("asOf", "Ngày xét (dd/MM/yyyy)")]),
            ("years", "export", "Các năm thi đua", []),
            ("years/:year", "deadlines", "Các mốc thời gian của một năm, với các lần mở lại cho đơn vị", []),
            ("blocs/:blocID", "rounds", "Các đợt chấm điểm của khối trong năm mà người dùng được xem", [year]),
            ("rounds/:roundID", "results", "Kết quả chấm điểm: trang 1 xếp hạng, rồi một trang cho mỗi nhóm tiêu chí (các đơn vị người dùng được xem chi tiết)", [sheet]),
        ]
        var out: [String: APIOperation] = [:]
        for l in lists {
            let base = "GET /api/v1/\(l.path)/\(l.name)"
            out[base + ".xlsx"] = .init(summary: "\(l.what) (.xlsx)", query: l.query.filter { $0.name != "sheet" },
                                        response: .file(mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            out[base + ".csv"] = .init(summary: "\(l.what) (.csv UTF-8 có BOM)", query: l.query, response: .file(mediaType: "text/csv"))
            out[base + ".json"] = .init(summary: "\(l.what) (JSON: tiêu đề cột → giá trị)", query: l.query, response: .of([[String: String]].self))
        }
        return out
    }()

    static let routes: [String: APIOperation] = [
        // Accounts
        "POST /api/v1/auth/token": .init(summary: "Đăng nhập API: đổi tên đăng nhập và mật khẩu lấy mã truy cập (Bearer)",
                                         request: .of(AuthController.TokenRequest.self), required: ["username", "password"], response: .of(AuthController.TokenResponse.self)),
        "DELETE /api/v1/auth/token": .init(summary: "Thu hồi mã truy cập đang dùng", response: nil, status: 204),
        "GET /api/v1/me": .init(summary: "Tài khoản đang đăng nhập, với các vai trò", response: .of(UserDTO.self)),
        "POST /api/v1/me/password": .init(summary: "Đổi mật khẩu của chính mình (cần mật khẩu hiện tại); kết thúc các phiên và mã truy cập khác",
                                          request: .of(AuthController.OwnPasswordInput.self), required: ["currentPassword", "newPassword"], response: nil, status: 204),
        "GET /api/v1/users": .init(summary: "Danh sách tài khoản", query: [q("q", "Tìm theo tên (không cần dấu)")], response: .of([UserDTO].self)),
        "POST /api/v1/users": .init(summary: "Tạo tài khoản; trả về mật khẩu ban đầu một lần", request: .of(AccountService.NewUser.self), required: ["username", "fullName"],
                                    response: .of(UserController.Created.self), status: 201),
        "GET /api/v1/users/:userID": .init(summary: "Một tài khoản", response: .of(UserDTO.self)),
        "POST /api/v1/users/:userID/disable": .init(summary: "Khóa tài khoản (thu hồi các mã truy cập)", response: .of(UserDTO.self)),
        "POST /api/v1/users/:userID/enable": .init(summary: "Mở lại tài khoản", response: .of(UserDTO.self)),
        "POST /api/v1/users/:userID/unlock": .init(summary: "Bỏ thời gian chờ do đăng nhập sai", response: .of(UserDTO.self)),
        "POST /api/v1/users/:userID/password": .init(summary: "Đặt lại mật khẩu", request: .of(UserController.PasswordInput.self),
                                                     response: .of(UserController.Created.self)),
        "POST /api/v1/users/:userID/grants": .init(summary: "Giao một vai trò (có phạm vi)", request: .of(AccountService.GrantInput.self), required: ["role"],
                                                   response: .of(UserDTO.self), status: 201),
        "DELETE /api/v1/users/:userID/grants/:grantID": .init(summary: "Thu hồi một vai trò", response: .of(UserDTO.self)),

        // Organisation
        "GET /api/v1/units": .init(summary: "Danh sách đơn vị", query: [q("q", "Tìm theo tên (không cần dấu)")], response: .of([UnitDTO].self)),
        "POST /api/v1/units": .init(summary: "Thêm đơn vị", request: .of(UnitInput.self), required: ["officialName", "shortName", "kind"], response: .of(UnitDTO.self), status: 201),
        "GET /api/v1/units/:unitID": .init(summary: "Một đơn vị, với các khối đã tham gia", response: .of(UnitDTO.self)),
        "PUT /api/v1/units/:unitID": .init(summary: "Sửa đơn vị (loại, cấp trên, ngành dọc: chỉ Ban TĐKT)", request: .of(UnitInput.self), required: ["officialName", "shortName", "kind"], response: .of(UnitDTO.self)),
        "DELETE /api/v1/units/:unitID": .init(summary: "Xóa đơn vị chưa có lịch sử", response: nil, status: 204),
        "GET /api/v1/blocs": .init(summary: "Các khối thi đua của một năm", query: [year, q("q", "Tìm theo tên (không cần dấu)")], response: .of([BlocDTO].self)),
        "POST /api/v1/blocs": .init(summary: "Thêm khối thi đua", request: .of(BlocInput.self), required: ["name"], response: .of(BlocDTO.self), status: 201),
        "GET /api/v1/blocs/:blocID": .init(summary: "Một khối thi đua trong một năm", query: [year], response: .of(BlocDTO.self)),
        "PUT /api/v1/blocs/:blocID": .init(summary: "Sửa khối thi đua", request: .of(BlocInput.self), required: ["name"], response: .of(BlocDTO.self)),
        "DELETE /api/v1/blocs/:blocID": .init(summary: "Xóa khối chưa có lịch sử", response: nil, status: 204),
        "POST /api/v1/blocs/:blocID/members": .init(summary: "Thêm đơn vị thành viên cho một năm", request: .of(MemberInput.self), required: ["unitID", "year"], response: .of(BlocDTO.self), status: 201),
        "DELETE /api/v1/blocs/:blocID/members/:membershipID": .init(summary: "Bỏ một đơn vị thành viên", response: nil, status: 204),
        "PUT /api/v1/blocs/:blocID/leadership": .init(summary: "Trưởng khối, phó khối của một năm", request: .of(LeadershipInput.self), required: ["year"], response: .of(BlocDTO.self)),
        "PUT /api/v1/blocs/:blocID/years/:year/plan": .init(summary: "Kế hoạch của khối trong năm", request: .of(PlanInput.self), response: .of(BlocDTO.self)),
        "GET /api/v1/years": .init(summary: "Các năm thi đua đã mở", response: .of([YearDTO].self)),
        "POST /api/v1/years": .init(summary: "Mở một năm thi đua", request: .of(YearInput.self), required: ["year"], response: .of(YearDTO.self), status: 201),
        "GET /api/v1/search": .init(summary: "Tìm đơn vị, khối, tài khoản (không cần dấu)", query: [q("q", "Từ khóa")], response: .of([DashboardController.Hit].self)),

        // Audit
        "GET /api/v1/audit": .init(summary: "Nhật ký thay đổi, mới nhất trước, 50 mục một trang",
                                   query: [page, q("actor", "Người thực hiện"), q("entity", "Loại đối tượng"), q("action", "Thao tác"),
                                           q("from", "Từ ngày (dd/MM/yyyy)"), q("to", "Đến ngày (dd/MM/yyyy)")],
                                   response: .of([AuditController.EntryDTO].self)),
        "GET /api/v1/audit/verify": .init(summary: "Kiểm tra chuỗi băm của nhật ký", response: .of(AuditController.ChainStatus.self)),

        // Covenants
        "GET /api/v1/covenants": .init(summary: "Giao ước (phiên bản hiện hành) mà người dùng được xem", query: [q("bloc", "Mã khối (UUID)"), year],
                                       response: .of([CovenantController.CovenantDTO].self)),
        "POST /api/v1/covenants": .init(summary: "Tạo dự thảo giao ước cho khối và năm", request: .of(CovenantController.CreateRequest.self), required: ["blocID", "year"],
                                        response: .of(CovenantController.CovenantDTO.self), status: 201),
        "GET /api/v1/covenants/:versionID": .init(summary: "Một phiên bản giao ước với thang điểm, góp ý và chữ ký", response: .of(CovenantController.CovenantDTO.self)),
        "PUT /api/v1/covenants/:versionID": .init(summary: "Sửa dự thảo (khóa lạc quan: lockVersion)", request: .of(CovenantService.ContentInput.self), required: ["lockVersion"],
                                                  response: .of(CovenantController.CovenantDTO.self)),
        "POST /api/v1/covenants/:versionID/actions/:action": .init(summary: "Chuyển trạng thái: lấy ý kiến, trở lại dự thảo, mở ký, rút lại, sửa đổi",
                                                                   response: .of(CovenantController.CovenantDTO.self)),
        "POST /api/v1/covenants/:versionID/comments": .init(summary: "Góp ý của đơn vị thành viên", request: .of(CovenantService.CommentInput.self), required: ["text"],
                                                            response: .of(CovenantController.CovenantDTO.self), status: 201),
        "POST /api/v1/covenants/:versionID/comments/:commentID/answer": .init(summary: "Trưởng khối trả lời góp ý", request: .of(CovenantController.AnswerInput.self), required: ["answer"],
                                                                              response: .of(CovenantController.CovenantDTO.self)),
        "POST /api/v1/covenants/:versionID/sign": .init(summary: "Thủ trưởng đơn vị ký (nhập lại mật khẩu, nêu mã niêm phong)", request: .of(CovenantService.SignInput.self), required: ["password", "fingerprint"],
                                                        response: .of(CovenantController.CovenantDTO.self)),
        "POST /api/v1/covenants/:versionID/absent": .init(summary: "Ghi nhận đơn vị vắng mặt khi ký", request: .of(CovenantService.AbsentInput.self), required: ["unitID", "reason"],
                                                          response: .of(CovenantController.CovenantDTO.self)),
        "GET /api/v1/covenants/:versionID/docx": .init(summary: "Văn bản giao ước .docx (thể thức Nghị định 30/2020)", response: docx),

        // Registration and deadlines
        "GET /api/v1/units/:unitID/registrations/:year": .init(summary: "Đăng ký thi đua của đơn vị trong năm", response: .of(RegistrationDTO.self)),
        "PUT /api/v1/units/:unitID/registrations/:year": .init(summary: "Lưu đăng ký thi đua (khóa lạc quan)", request: .of(RegistrationService.Input.self),
                                                               response: .of(RegistrationDTO.self)),
        "GET /api/v1/blocs/:blocID/registrations": .init(summary: "Đăng ký thi đua của cả khối", query: [year], response: .of([RegistrationDTO].self)),
        "GET /api/v1/years/:year/deadlines": .init(summary: "Các hạn của năm", response: .of([DeadlineDTO].self)),
        "PUT /api/v1/years/:year/deadlines/:phase": .init(summary: "Đặt hạn một giai đoạn", request: .of(DeadlineService.SetInput.self), required: ["due"], response: .of([DeadlineDTO].self)),
        "POST /api/v1/years/:year/deadlines/:phase/reopen": .init(summary: "Mở lại một giai đoạn cho một đơn vị, có lý do", request: .of(DeadlineService.ReopenInput.self), required: ["unitID", "reason"],
                                                                  response: .of([DeadlineDTO].self)),

        // Register and eligibility
        "GET /api/v1/register/people": .init(summary: "Người trong sổ khen thưởng mà người dùng được xem", query: [q("unit", "Mã đơn vị (UUID)"), q("q", "Tìm theo tên")],
                                             response: .of([PersonDTO].self)),
        "POST /api/v1/register/people": .init(summary: "Thêm người vào sổ", request: .of(RegisterService.PersonInput.self), required: ["fullName", "unitID"], response: .of(PersonDTO.self), status: 201),
        "PUT /api/v1/register/people/:personID": .init(summary: "Sửa thông tin một người", request: .of(RegisterService.PersonInput.self), required: ["fullName"], response: .of(PersonDTO.self)),
        "GET /api/v1/register/people/:personID": .init(summary: "Một người với toàn bộ quá trình", response: .of(PersonDTO.self)),
        "GET /api/v1/register/units/:unitID": .init(summary: "Quá trình của một tập thể", response: .of(HistoryDTO.self)),
        "POST /api/v1/register/people/:personID/facts/:factKind": .init(summary: "Ghi một mục vào quá trình của người", request: .of(RegisterService.FactInput.self),
                                                                         response: .of(HistoryDTO.self), status: 201),
        "POST /api/v1/register/units/:unitID/facts/:factKind": .init(summary: "Ghi một mục vào quá trình của tập thể", request: .of(RegisterService.FactInput.self),
                                                                      response: .of(HistoryDTO.self), status: 201),
        "DELETE /api/v1/register/people/:personID/facts/:factKind/:factID": .init(summary: "Xóa một mục (kỷ luật, thời gian bị xem xét: chỉ Ban TĐKT)", response: nil, status: 204),
        "DELETE /api/v1/register/units/:unitID/facts/:factKind/:factID": .init(summary: "Xóa một mục (kỷ luật, thời gian bị xem xét: chỉ Ban TĐKT)", response: nil, status: 204),
        "POST /api/v1/register/people/:personID/initiatives/:factID/use": .init(summary: "Ghi sáng kiến đã dùng để xét một khen thưởng", request: .of(RegisterService.UseInput.self),
                                                                                 response: .of(HistoryDTO.self)),
        "POST /api/v1/register/units/:unitID/initiatives/:factID/use": .init(summary: "Ghi sáng kiến đã dùng để xét một khen thưởng", request: .of(RegisterService.UseInput.self),
                                                                              response: .of(HistoryDTO.self)),
        "GET /api/v1/register/people/:personID/eligibility": .init(summary: "Đủ điều kiện gì, vì sao (từng điều kiện với điều khoản)",
                                                                    query: [year, q("asOf", "Ngày xét (dd/MM/yyyy)")], response: .of(EligibilityReport.self)),
        "GET /api/v1/register/units/:unitID/eligibility": .init(summary: "Đủ điều kiện gì, vì sao (từng điều kiện với điều khoản)",
                                                                 query: [year, q("asOf", "Ngày xét (dd/MM/yyyy)")], response: .of(EligibilityReport.self)),
        "GET /api/v1/register/report": .init(summary: "Ai đủ điều kiện gì trong năm", query: [year, q("unit", "Mã đơn vị (UUID)"), q("bloc", "Mã khối (UUID)"), q("asOf", "Ngày xét")],
                                             response: .of([RegisterController.ReportRow].self)),
        "POST /api/v1/eligibility/check": .init(summary: "Xét một hồ sơ (định dạng trong docs/eligibility.md)", request: .anyJSON, response: .of(EligibilityReport.self)),
        "GET /api/v1/catalogue": .init(summary: "Danh mục quy tắc đang áp dụng", response: .of(RegisterController.CatalogueDTO.self)),

        // Scoring rounds
        "GET /api/v1/blocs/:blocID/rounds": .init(summary: "Các đợt chấm điểm của khối trong năm (mà người dùng được xem)", query: [year],
                                                  response: .of([ScoringController.BlocRounds.RoundRef].self)),
        "POST /api/v1/blocs/:blocID/rounds": .init(summary: "Tạo đợt chấm điểm (tổng kết năm hoặc sơ kết) theo giao ước đã ký", request: .of(ScoringController.CreateInput.self),
                                                   required: ["year"], response: .of(RoundDTO.self), status: 201),
        "GET /api/v1/rounds/:roundID": .init(summary: "Một đợt chấm điểm: giai đoạn, cách chấm, tiến độ, các phiếu của người dùng", response: .of(RoundDTO.self)),
        "PUT /api/v1/rounds/:roundID/settings": .init(summary: "Cách chấm, phân công chấm chéo, quy tắc tổng hợp, xếp loại, tiêu chí phụ xếp hạng (trước khi mở; khóa lạc quan)",
                                                      request: .of(ScoringService.SettingsInput.self), required: ["lockVersion"], response: .of(RoundDTO.self)),
        "POST /api/v1/rounds/:roundID/actions/:action": .init(summary: "Chuyển giai đoạn: open, startReview, showPreliminary, openAppeals, publish", response: .of(RoundDTO.self)),
        "GET /api/v1/rounds/:roundID/units/:unitID/sheets/:scorer": .init(summary: "Một phiếu chấm (scorer: self, leader, third hoặc mã đơn vị chấm chéo)", response: .of(SheetDTO.self)),
        "PUT /api/v1/rounds/:roundID/units/:unitID/sheets/:scorer": .init(summary: "Lưu phiếu chấm (khóa lạc quan: lockVersion; tiêu chí để trống thì xóa điểm)",
                                                                          request: .of(ScoringService.SheetInput.self), required: ["lockVersion"], response: .of(SheetDTO.self)),
        "POST /api/v1/rounds/:roundID/units/:unitID/submit": .init(summary: "Nộp bản tự chấm điểm (đủ mọi tiêu chí áp dụng); sau đó điểm bị khóa",
                                                                   request: .of(ScoringController.LockInput.self), required: ["lockVersion"], response: .of(SheetDTO.self)),
        "POST /api/v1/rounds/:roundID/units/:unitID/reopen": .init(summary: "Trưởng khối mở lại bản tự chấm điểm đã nộp, có lý do", request: .of(ScoringService.ReopenInput.self),
                                                                   required: ["reason"], response: .of(SheetDTO.self)),
        "POST /api/v1/rounds/:roundID/conflicts": .init(summary: "Đơn vị chấm khai xung đột lợi ích với một đơn vị được phân công, có lý do",
                                                        request: .of(ScoringService.ConflictInput.self), required: ["scorerUnitID", "unitID", "reason"], response: .of(RoundDTO.self), status: 201),
        "GET /api/v1/rounds/:roundID/results": .init(summary: "Kết quả: xếp hạng và chi tiết từng đơn vị mà người dùng được xem, có giải thích", response: .of(ResultsDTO.self)),
        "POST /api/v1/rounds/:roundID/units/:unitID/appeals": .init(summary: "Đơn vị giải trình, khiếu nại điểm một tiêu chí (ground: miscount, missingEvidence, notApplicable)",
                                                                    request: .of(ScoringService.AppealInput.self), required: ["criterion", "ground", "reason"], response: .of(ResultsDTO.self), status: 201),
        "POST /api/v1/rounds/:roundID/appeals/:appealID/answer": .init(summary: "Trưởng khối trả lời khiếu nại (decision: rejected, changed, notApplicable), có lý do",
                                                                       request: .of(ScoringService.AnswerInput.self), required: ["decision", "answer"], response: .of(ResultsDTO.self)),
        "GET /api/v1/rounds/:roundID/results.docx": .init(summary: "Báo cáo kết quả chấm điểm .docx (thể thức Nghị định 30/2020): cách chấm, xếp hạng, số khiếu nại", response: docx),
        "GET /api/v1/rounds/:roundID/tasks/:task": .init(summary: "Từ một nhiệm vụ trọng tâm: các tiêu chí liên kết, điểm tự chấm, chấm chéo, điểm cuối cùng và hạng",
                                                         response: .of(ScoringOutputs.Trace.self)),
        "GET /api/v1/rounds/:roundID/units/:unitID/evidence": .init(summary: "Minh chứng của bản tự chấm điểm của đơn vị", response: .of([ScoringService.EvidenceDTO].self)),
        "POST /api/v1/rounds/:roundID/units/:unitID/evidence": .init(summary: "Gửi một tệp minh chứng (PDF, PNG, JPEG, .docx, .xlsx; tối đa 10 MB; nội dung tệp là thân yêu cầu)",
                                                                     query: [q("criterion", "Mã tiêu chí"), q("filename", "Tên tệp, đúng đuôi với nội dung")],
                                                                     request: .file(mediaType: "application/octet-stream"), response: .of([ScoringService.EvidenceDTO].self), status: 201),
        "GET /api/v1/rounds/:roundID/evidence/:evidenceID": .init(summary: "Tải một tệp minh chứng", response: .file(mediaType: "application/octet-stream")),
        "DELETE /api/v1/rounds/:roundID/evidence/:evidenceID": .init(summary: "Gỡ một tệp minh chứng (khi bản tự chấm điểm còn sửa được)", response: nil, status: 204),
        "POST /api/v1/rounds/:roundID/corrections": .init(summary: "Đính chính kết quả đã công bố: một bản công bố mới, ghi rõ thay đổi",
                                                          request: .of(ScoringService.CorrectionInput.self), required: ["unitID", "criterion", "decision", "reason"], response: .of(ResultsDTO.self), status: 201),

        // Ballot sessions
        "GET /api/v1/ballots": .init(summary: "Các phiên bỏ phiếu trong năm (mà người dùng được xem)", query: [year], response: .of([BallotViews.SessionRef].self)),
        "POST /api/v1/ballots": .init(summary: "Mở phiên bỏ phiếu của khối (body: bloc, người bỏ phiếu là các đơn vị thành viên) hoặc của Hội đồng (council)",
                                      request: .of(BallotService.CreateInput.self), required: ["body", "year", "title"], response: .of(BallotSessionDTO.self), status: 201),
        "GET /api/v1/ballots/:sessionID": .init(summary: "Một phiên: người bỏ phiếu, có mặt, các câu hỏi, số đã bỏ phiếu (không bao giờ là nội dung), kết quả khi kết thúc",
                                                response: .of(BallotSessionDTO.self)),
        "POST /api/v1/ballots/:sessionID/presence": .init(summary: "Điểm danh một người bỏ phiếu (present: true/false)", request: .of(BallotService.PresenceInput.self),
                                                          required: ["voterKey"], response: .of(BallotSessionDTO.self)),
        "POST /api/v1/ballots/:sessionID/questions": .init(summary: "Thêm câu hỏi: danh sách ứng viên, hình thức phiếu, số suất; điều kiện trúng theo danh mục (hình thức, chế độ pháp lý)",
                                                           request: .of(BallotService.QuestionInput.self), required: ["title", "candidates"], response: .of(BallotSessionDTO.self), status: 201),
        "POST /api/v1/ballots/:sessionID/questions/:questionID/open": .init(summary: "Mở bỏ phiếu cho câu hỏi (khi đủ số thành viên dự)", response: .of(BallotSessionDTO.self)),
        "POST /api/v1/ballots/:sessionID/questions/:questionID/vote": .init(summary: "Bỏ phiếu kín (mỗi người một phiếu); trả về biên nhận",
                                                                            request: .of(BallotService.VoteInput.self), required: ["ballot"], response: .of(BallotController.Receipt.self), status: 201),
        "POST /api/v1/ballots/:sessionID/questions/:questionID/paper": .init(summary: "Ban kiểm phiếu nhập phiếu giấy của những người có mặt (ít nhất hai người, không ai là ứng viên)",
                                                                             request: .of(BallotService.PaperInput.self), required: ["voterKeys", "committee"], response: .of(BallotSessionDTO.self), status: 201),
        "POST /api/v1/ballots/:sessionID/questions/:questionID/written": .init(summary: "Ghi ý kiến bằng văn bản của thành viên vắng mặt (không bí mật)",
                                                                               request: .of(BallotService.WrittenInput.self), required: ["voterKey", "ballot"], response: .of(BallotSessionDTO.self), status: 201),
        "POST /api/v1/ballots/:sessionID/questions/:questionID/close": .init(summary: "Kết thúc bỏ phiếu và kiểm phiếu: kết quả, phép tính theo ngưỡng, bằng phiếu ở suất cuối",
                                                                             request: .of(BallotService.CloseInput.self), response: .of(QuestionResult.self)),
        "POST /api/v1/ballots/:sessionID/questions/:questionID/referral": .init(summary: "Sau lần bỏ phiếu thứ 2 vẫn bằng phiếu: chuyển người có thẩm quyền, có nội dung",
                                                                                request: .of(BallotService.ReferralInput.self), required: ["reason"], response: .of(BallotSessionDTO.self)),
        "POST /api/v1/ballots/:sessionID/close": .init(summary: "Kết thúc phiên (mọi câu hỏi đã kiểm phiếu); ghi đầu chuỗi nhật ký thay đổi", response: .of(BallotSessionDTO.self)),
        "GET /api/v1/ballots/:sessionID/record.json": .init(summary: "Tệp của phiên (nhật ký nối chuỗi, các phiếu không kèm người bỏ, biên nhận, kết quả) để kiểm bằng `thidua ballots verify`",
                                                            response: .of(BallotSessionRecord.self)),
        "GET /api/v1/ballots/:sessionID/minutes.docx": .init(summary: "Biên bản họp của phiên (.docx): thành phần, chủ trì, từng nội dung biểu quyết và kết quả", response: docx),
        "GET /api/v1/ballots/:sessionID/questions/:questionID/minutes.docx": .init(summary: "Biên bản kiểm phiếu của một câu hỏi đã kiểm phiếu (.docx, thể thức Nghị định 30/2020)", response: docx),
        "POST /api/v1/ballots/:sessionID/receipts/check": .init(summary: "Kiểm một biên nhận: phiếu đã được tính (không cho biết phiếu ghi gì)",
                                                                request: .of(BallotController.ReceiptCheck.self), required: ["receipt"], response: .of(BallotController.ReceiptAnswer.self)),

        // Import
        "GET /api/v1/register/export.xlsx": .init(summary: "Sổ khen thưởng của các đơn vị được xem, theo mẫu nhập (.xlsx; nhập lại không thay đổi gì)",
                                                  response: .file(mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        "GET /api/v1/register/export.csv": .init(summary: "Một trang của sổ khen thưởng theo mẫu nhập (.csv UTF-8 có BOM)",
                                                 query: [q("sheet", "units, people, ratings, awards, initiatives hoặc disciplines (mặc định awards)")], response: .file(mediaType: "text/csv")),
        "GET /api/v1/register/export.json": .init(summary: "Sổ khen thưởng theo mẫu nhập, dạng JSON (trang → các dòng tiêu đề → giá trị)", response: .of([String: [[String: String]]].self)),
        "POST /api/v1/import": .init(summary: "Nhập đơn vị, cá nhân, xếp loại, khen thưởng, sáng kiến, kỷ luật từ tệp .xlsx hoặc .csv theo mẫu (nội dung tệp là thân yêu cầu, hoặc trường “file” của multipart); tất cả hoặc không dòng nào; 422 kèm danh sách lỗi theo trang, dòng, cột",
                                     query: [q("dryRun", "true: chỉ kiểm tra, không ghi"), q("filename", "Tên tệp (.xlsx hoặc .csv)")],
                                     request: .file(mediaType: "application/octet-stream"), response: .of(ImportController.APIReport.self)),
        "GET /api/v1/import/template.xlsx": .init(summary: "Mẫu nhập (.xlsx): tiêu đề cột tiếng Việt, dòng ví dụ, trang mã hợp lệ",
                                                  response: .file(mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),

        // This description
        "GET /api/v1/openapi.json": .init(summary: "Mô tả OpenAPI 3.1 của API này", response: .anyJSON),
    ]
}

// The enums the API's DTOs use, reflected with their cases.
extension CriterionKind: ReflectableEnum {}
extension CovenantStatus: ReflectableEnum {}
extension CovenantAction: ReflectableEnum {}
extension Confidence: ReflectableEnum {}
extension Verdict: ReflectableEnum {}
extension TaskRating: ReflectableEnum {}
extension AwardType: ReflectableEnum {}
extension InitiativeScope: ReflectableEnum {}
extension SubjectType: ReflectableEnum {}
extension Gender: ReflectableEnum {}
extension RoleKind: ReflectableEnum {}
extension UnitKind: ReflectableEnum {}
extension EmulationPhase: ReflectableEnum {}
extension Mark: ReflectableEnum {}
extension VoteBase: ReflectableEnum {}
extension VoteBody: ReflectableEnum {}
