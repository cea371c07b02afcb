import Vapor

/// Refuses a body larger than the largest any route accepts, from its declared length, before any of it is read
/// or a session is touched (413 with a Vietnamese reason). Routes then apply their own, smaller limits while the
/// body streams in (`defaultMaxBodySize`, 16 KB for the login forms).
struct BodyLimitMiddleware: Middleware {
    static let largest = 1 << 20

    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if let declared = req.headers.first(name: .contentLength).flatMap(Int.init), declared > Self.largest {
            return req.eventLoop.makeFailedFuture(Abort(.payloadTooLarge))
        }
        if let data = req.body.data, data.readableBytes > Self.largest {
            return req.eventLoop.makeFailedFuture(Abort(.payloadTooLarge))
        }
        return next.respond(to: req)
    }
}
