import Fluent
import FluentPostgresDriver
import Foundation
import ThiDuaCore
import Vapor

/// Turns every error into a Vietnamese answer: an HTML error page for browser routes, JSON
/// `{"error": true, "reason": "…"}` for `/api/`. Nobody sees a stack trace or an English-only message.
struct ThiDuaErrorMiddleware: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: req).flatMapError { error in Self.answerFuture(error, req: req) }
    }

    /// `answer` for a future-based middleware; an error page that cannot be rendered falls back to `plain`.
    static func answerFuture(_ error: any Error, req: Request) -> EventLoopFuture<Response> {
        req.eventLoop.makeFutureWithTask {
            (try? await answer(error, req: req)) ?? plain(error, req: req)
        }
    }

    /// The answer to `error`, logged: JSON for the API (and for callers that accept only JSON), the error page otherwise.
    static func answer(_ error: any Error, req: Request) async throws -> Response {
        let (status, reason, field) = describe(error, req: req)
        log(error, status: status, req: req)
        let retryAfter = (error as? DomainError)?.retryAfter ?? (status == .serviceUnavailable ? 10 : nil)
        if req.isAPI || req.headers.accept.contains(where: { $0.mediaType == .json }) && !req.headers.accept.contains(where: { $0.mediaType == .html }) {
            struct Body: Content { var error: Bool; var reason: String; var field: String? }
            let res = Response(status: status)
            try res.content.encode(Body(error: true, reason: reason, field: field), as: .json)
            if let retryAfter { res.headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter)) }
            return res
        }
        let page = try await Pages.error(req, status: status, reason: reason)
        if let retryAfter { page.headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter)) }
        return page
    }

    /// An answer that needs neither the session nor the views: JSON for the API, plain text otherwise.
    static func plain(_ error: any Error, req: Request) -> Response {
        let (status, reason, field) = describe(error, req: req)
        log(error, status: status, req: req)
        let res = Response(status: status)
        if req.isAPI {
            struct Body: Content { var error: Bool; var reason: String; var field: String? }
            if (try? res.content.encode(Body(error: true, reason: reason, field: field), as: .json)) != nil { return res }
        }
        res.body = .init(string: "\(status.code) – \(reason)")
        res.headers.contentType = .plainText
        return res
    }

    /// A 500 is reported in full; a 503 (the database away) in one line that says what failed.
    static func log(_ error: any Error, status: HTTPResponseStatus, req: Request) {
        if status == .internalServerError {
            // PostgreSQL's errors describe themselves generically: log the SQLSTATE and the server's message instead.
            if error is PSQLError || error is MigrationFailure {
                req.logger.error("\(DatabaseTrouble.explain(error, config: req.application.thiduaConfig).message)")
            } else {
                req.logger.report(error: error)
            }
        } else if status == .serviceUnavailable {
            req.logger.warning("\(DatabaseTrouble.explain(error, config: req.application.thiduaConfig).message)")
        }
    }

    static func describe(_ error: any Error, req: Request) -> (HTTPResponseStatus, String, String?) {
        switch error {
        case let e as DomainError:
            let status: HTTPResponseStatus = switch e.kind {
            case .badRequest: .badRequest
            case .unauthenticated: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .conflict: .conflict
            case .invalid: .unprocessableEntity
            case .locked: .locked
            case .throttled: .tooManyRequests
            }
            return (status, e.reason, e.field)
        case let e as DecodingError:
            return describe(e)
        case let e as any DatabaseError where e.isConstraintFailure:
            return (.conflict, "Dữ liệu trùng hoặc đang được dữ liệu khác tham chiếu; không có gì bị thay đổi.", nil)
        case let e as any AbortError:
            return (e.status, vietnamese(e.status, fallback: e.reason), nil)
        default:
            // The database gone away (stopped, restarting, unreachable): 503, retry later; the server keeps running
            // and its pool reconnects when the database is back.
            if DatabaseTrouble.explain(error, config: req.application.thiduaConfig).transient {
                return (.serviceUnavailable, "Cơ sở dữ liệu tạm thời không truy cập được; thao tác chưa được thực hiện. Vui lòng thử lại sau ít phút (mã yêu cầu \(req.requestID)).", nil)
            }
            return (.internalServerError, "Đã xảy ra lỗi hệ thống. Thao tác chưa được thực hiện; vui lòng thử lại hoặc báo quản trị viên (mã yêu cầu \(req.requestID)).", nil)
        }
    }

    /// A decoding error names the field it is about ("scale[0].maxPoints"), never the decoder's English text.
    static func describe(_ e: DecodingError) -> (HTTPResponseStatus, String, String?) {
        func path(_ keys: [any CodingKey]) -> String? {
            let parts = keys.map { k in k.intValue.map { "[\($0)]" } ?? k.stringValue }
            let joined = parts.enumerated().map { i, p in i > 0 && !p.hasPrefix("[") ? "." + p : p }.joined()
            return joined.isEmpty ? nil : String(joined.prefix(120))
        }
        switch e {
        case .keyNotFound(let key, let ctx):
            let field = path(ctx.codingPath + [key])
            return (.unprocessableEntity, "Thiếu trường bắt buộc “\(field ?? key.stringValue)”.", field)
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
            let field = path(ctx.codingPath)
            return (.unprocessableEntity, field.map { "Trường “\($0)” có giá trị sai kiểu (ví dụ: chữ ở chỗ cần số)." } ?? "Dữ liệu gửi lên sai kiểu.", field)
        case .dataCorrupted(let ctx):
            let field = path(ctx.codingPath)
            return (.unprocessableEntity, field.map { "Trường “\($0)” có giá trị không hợp lệ." }
                    ?? "Dữ liệu gửi lên không đúng định dạng (JSON hỏng, lồng quá sâu hoặc không đọc được).", field)
        @unknown default:
            return (.unprocessableEntity, "Dữ liệu gửi lên không đúng định dạng hoặc thiếu trường bắt buộc.", nil)
        }
    }

    static func vietnamese(_ status: HTTPResponseStatus, fallback: String) -> String {
        switch status.code {
        case 400: "Yêu cầu không hợp lệ."
        case 401: "Bạn cần đăng nhập."
        case 403: "Bạn không có quyền truy cập trang này."
        case 404: "Không tìm thấy trang hoặc dữ liệu yêu cầu."
        case 405: "Phương thức không được hỗ trợ cho địa chỉ này."
        case 413: "Dữ liệu gửi lên quá lớn."
        case 415: "Định dạng dữ liệu không được hỗ trợ."
        case 422: "Dữ liệu không hợp lệ."
        default: status.code >= 500 ? "Đã xảy ra lỗi hệ thống." : fallback
        }
    }
}
