import Foundation
import ThiDuaCore
import Vapor

/// Every form carries the session's CSRF token in a hidden field `csrf`; a POST from a page without
/// it (or with a stale one) is refused with 403 and nothing is changed.
enum CSRF {
    static let field = "csrf"

    /// The session's token, created on first use.
    static func token(for req: Request) -> String {
        if let t = req.session.data["csrf"] { return t }
        let t = [UInt8].random(count: 24).base64URLEncoded
        req.session.data["csrf"] = t
        return t
    }
}

extension Array where Element == UInt8 {
    var base64URLEncoded: String {
        Data(self).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

struct CSRFMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !req.isAPI, req.method == .POST {
            // Larger forms arrive as a stream: collect them (up to the route size limit) before reading the token.
            _ = try await req.body.collect(max: 1 << 20).get()
            struct Form: Decodable { var csrf: String? }
            let sent = (try? req.content.decode(Form.self))?.csrf
            guard let expected = req.session.data["csrf"], let sent, !sent.isEmpty,
                  constantTimeEquals(expected, sent)
            else {
                throw DomainError(.forbidden, "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã bảo vệ CSRF). Vui lòng tải lại trang và thử lại; dữ liệu chưa được lưu.")
            }
        }
        return try await next.respond(to: req)
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
