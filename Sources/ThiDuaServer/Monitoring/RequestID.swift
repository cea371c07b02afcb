import Foundation
import Vapor

/// Every answer carries `X-Request-Id`, and the request's log lines carry the same id (`request-id`), so that a user's
/// report ("mã yêu cầu …" on an error page) finds its lines in the logs. An id sent by a proxy is kept when it is
/// short and plain (letters, digits, `-`, `_`, `.`, `:`; at most 64); any other is replaced, so that nobody can write
/// into the logs through it.
struct RequestIDMiddleware: Middleware {
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let id = Self.isPlain(req.id) ? req.id : UUID().uuidString
        if id != req.id { req.logger[metadataKey: "request-id"] = .string(id) }
        req.storage[RequestIDKey.self] = id
        return next.respond(to: req).map { res in
            res.headers.replaceOrAdd(name: .xRequestId, value: id)
            return res
        }
    }

    static func isPlain(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x2d || b == 0x5f || b == 0x2e || b == 0x3a
        }
    }
}

struct RequestIDKey: StorageKey { typealias Value = String }

extension Request {
    /// The id this request is known by in the logs and in `X-Request-Id`.
    var requestID: String { storage[RequestIDKey.self] ?? id }
}
