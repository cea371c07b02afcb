import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// Import pages and API: upload (dry run by default), the report by sheet, row and column, then applying the file
/// the dry run checked (kept by its SHA-256, not uploaded again). The office, or a unit officer for their own units.
struct ImportController {
    let importers: RoutePolicy = .roles([.office, .unitOfficer])
    let upload: HTTPBodyStreamStrategy = .collect(maxSize: ByteCount(value: ImportService.maxBytes + (256 << 10)))

    /// The answer: the report; with problems, also the API's error shape (`error`, `reason`) under a 422.
    struct APIReport: Content, Sendable {
        var error: Bool?
        var reason: String?
        var report: ImportService.Report
    }

    static let checkedKey = "importChecked"

    func register(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.on(.GET, "import", policy: importers) { req in
            try await Pages.render(req, "import/start", title: "Nhập dữ liệu từ Excel", Page(report: nil, templateURL: ImportPath.template.url, applyURL: ImportPath.apply.url))
        }
        pages.on(.POST, "import", policy: importers, body: upload) { req in
            struct Form: Content { var file: File?; var apply: String? }
            let form = try req.content.decode(Form.self)
            guard let file = form.file, file.data.readableBytes > 0 else { throw DomainError.invalid("Hãy chọn tệp .xlsx hoặc .csv.", field: "file") }
            let data = Data(buffer: file.data), name = file.filename, dryRun = form.apply != "1"
            let caller = try Caller(req), catalogue = req.application.catalogue
            if ImportProgressStream.wanted(req) {
                // The session is written before the answer streams: it holds the file this user uploaded; applying it
                // checks the whole file again and refuses it with any problem, so marking a file with problems is harmless.
                req.session.data[Self.checkedKey] = dryRun ? Hex.lower(SHA256Digest.hash(Array(data))) : nil
                return ImportProgressStream.response(req, work: { progress in
                    try await ImportService.run(data, filename: name, dryRun: dryRun, caller: caller, catalogue: catalogue, progress: progress)
                }, answer: { report in try await self.page(req, report) })
            }
            let report = try await ImportService.run(data, filename: name, dryRun: dryRun, caller: caller, catalogue: catalogue)
            // Only the file this user's own dry run checked can be applied from its page (the store also holds others' files).
            req.session.data[Self.checkedKey] = report.dryRun && report.problems.isEmpty ? report.sha256 : nil
            return try await self.page(req, report)
        }
        pages.on(.POST, "import", "apply", policy: importers) { req in
            let form = try req.content.decode([String: String].self)
            let caller = try Caller(req)
            guard let sha = form["sha256"], !sha.isEmpty, req.session.data[Self.checkedKey] == sha else {
                throw DomainError.conflict("Tệp này chưa được chạy thử trong phiên làm việc của bạn: hãy tải lên và kiểm tra lại.")
            }
            req.session.data[Self.checkedKey] = nil
            let data = try caller.files.get(sha)
            let name = form["filename"] ?? "tep-nhap.xlsx", catalogue = req.application.catalogue
            if ImportProgressStream.wanted(req) {
                return ImportProgressStream.response(req, work: { progress in
                    try await ImportService.run(data, filename: name, dryRun: false, caller: caller, catalogue: catalogue, progress: progress)
                }, answer: { report in try await self.page(req, report) })
            }
            let report = try await ImportService.run(data, filename: name, dryRun: false, caller: caller, catalogue: catalogue)
            return try await self.page(req, report)
        }
        pages.on(.GET, "import", "template.xlsx", policy: importers, use: template)
        api.on(.GET, "import", "template.xlsx", policy: importers, use: template)
        api.on(.POST, "import", policy: importers, body: upload) { req in
            let dryRun = (try? req.query.get(Bool.self, at: "dryRun")) ?? false
            let filename = (try? req.query.get(String.self, at: "filename")) ?? "tep-nhap.xlsx"
            var data = Data(buffer: req.body.data ?? ByteBuffer())
            var name = filename
            if req.headers.contentType?.type == "multipart" {
                struct Form: Content { var file: File? }
                guard let f = try req.content.decode(Form.self).file else { throw DomainError.invalid("Hãy gửi tệp trong trường “file”.", field: "file") }
                data = Data(buffer: f.data); name = f.filename
            }
            guard !data.isEmpty else { throw DomainError.invalid("Hãy gửi tệp .xlsx hoặc .csv trong thân yêu cầu.", field: "file") }
            let report = try await ImportService.run(data, filename: name, dryRun: dryRun, caller: try Caller(req), catalogue: req.application.catalogue)
            let reason = report.problems.isEmpty ? nil : "Tệp có \(report.problems.count) lỗi: không nhập dòng nào."
            return try await APIReport(error: reason == nil ? nil : true, reason: reason, report: report).encodeResponse(status: reason == nil ? .ok : .unprocessableEntity, for: req)
        }
    }

    struct Page: Encodable, Sendable {
        var report: ImportService.Report?
        var templateURL: String
        var applyURL: String
        var sheets: [Row] = []
        var notes: [String] = []
        struct Row: Encodable, Sendable { var sheet: String; var added: Int; var changed: Int; var unchanged: Int }
    }

    func page(_ req: Request, _ report: ImportService.Report) async throws -> Response {
        var p = Page(report: report, templateURL: ImportPath.template.url, applyURL: ImportPath.apply.url)
        p.notes = report.notes.map(\.description)
        p.sheets = ImportSheetKind.allCases.compactMap { k in report.sheets[k.title].map { Page.Row(sheet: k.title, added: $0.added, changed: $0.changed, unchanged: $0.unchanged) } }
        return try await Pages.render(req, "import/start", title: "Nhập dữ liệu từ Excel", p, status: report.problems.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable func template(_ req: Request) async throws -> Response {
        Downloads.file(try ImportTemplateDocument.workbook(catalogue: req.application.catalogue), type: Downloads.xlsx, filename: "mau-nhap-du-lieu-thi-dua.xlsx")
    }
}
