import ThiDuaCore
import Vapor

/// Refuses a body larger than the largest its route accepts (an evidence upload, an import file), from its declared length, before
/// any of it is read or a session is touched (413 with a Vietnamese reason). Routes then apply their own, smaller
/// limits while the body streams in (`largest` by default, 16 KB for the login forms).
struct BodyLimitMiddleware: Middleware {
    /// Every route but the uploads.
    static let largest = 1 << 20
    /// An evidence file and its form fields.
    static let largestUpload = EvidenceRules.maxBytes + (256 << 10)

    /// The limit for a request path: uploads ("…/units/<id>/evidence", page or API) get `largestUpload`, every
    /// other route `largest`.
    static func limit(for path: String) -> Int {
        if path == "/import" || path == "/api/v1/import" { return ImportService.maxBytes + (256 << 10) }
        let parts = path.split(separator: "/")
        let isUpload = parts.count >= 4 && parts.last == "evidence" && parts[parts.count - 3] == "units" && parts.contains("rounds")
        return isUpload ? largestUpload : largest
    }

    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if let declared = req.headers.first(name: .contentLength).flatMap(Int.init), declared > Self.limit(for: req.url.path) {
            return req.eventLoop.makeFailedFuture(Abort(.payloadTooLarge))
        }
        if let data = req.body.data, data.readableBytes > Self.limit(for: req.url.path) {
            return req.eventLoop.makeFailedFuture(Abort(.payloadTooLarge))
        }
        return next.respond(to: req)
    }
}
