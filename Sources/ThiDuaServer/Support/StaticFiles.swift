import Vapor

/// Serves the style sheets and scripts from the bundle's Public folder, and only for paths under their folders:
/// every other request (pages, API, health) goes on without a file-system lookup on the thread pool.
struct StaticFilesMiddleware: Middleware {
    let files: FileMiddleware
    static let prefixes = ["/css/", "/js/"]

    init(publicDirectory: String) { files = FileMiddleware(publicDirectory: publicDirectory) }

    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let path = req.url.path
        guard Self.prefixes.contains(where: { path.hasPrefix($0) }) else { return next.respond(to: req) }
        return files.respond(to: req, chainingTo: next)
    }
}
