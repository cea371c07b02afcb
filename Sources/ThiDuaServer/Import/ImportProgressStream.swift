import Foundation
import ThiDuaCore
import Vapor

/// The progress display of a large import, in one request (so that it works behind a load balancer with several
/// instances, and keeps nothing on the server): the page's script sends the form with `X-Import-Progress: 1`,
/// and the answer is a stream of JSON lines, `{"percent": 37, "text": "Đang kiểm tra dòng 2.000 / 100.000"}`,
/// ending with `{"status": 200, "html": "…"}`: the page the plain form would have answered, with its status,
/// which the script puts in place of the current one. Without JavaScript the form is answered by that page directly.
enum ImportProgressStream {
    static let header = "X-Import-Progress"

    static func wanted(_ req: Request) -> Bool { req.headers.first(name: header) == "1" }

    struct Line: Encodable, Sendable {
        var percent: Int?
        var text: String?
        var status: UInt?
        var html: String?
    }

    static func line(_ value: Line) -> ByteBuffer {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        var data = (try? e.encode(value)) ?? Data("{}".utf8)
        data.append(0x0A)
        return ByteBuffer(data: data)
    }

    /// Runs `work` while streaming its progress; then the page `answer` makes of its report (or the error page).
    static func response(_ req: Request, work: @escaping @Sendable (_ progress: @escaping @Sendable (ImportProgress) -> Void) async throws -> ImportService.Report,
                         answer: @escaping @Sendable (ImportService.Report) async throws -> Response) -> Response {
        let res = Response(status: .ok)
        res.headers.contentType = HTTPMediaType(type: "application", subType: "x-ndjson", parameters: ["charset": "utf-8"])
        res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        // nginx would otherwise hold the lines back until the end.
        res.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        res.body = .init(asyncStream: { writer in
            let (events, continuation) = AsyncStream<ImportProgress>.makeStream(bufferingPolicy: .bufferingNewest(1))
            // The import runs to its end even if the browser goes away: it is one transaction, all or nothing.
            let task = Task<ImportService.Report, any Error> {
                defer { continuation.finish() }
                return try await work { continuation.yield($0) }
            }
            var shown = -1
            var connected = true
            for await p in events where connected && (p.percent > shown || p.step == .done) {
                shown = p.percent
                do { try await writer.write(.buffer(line(Line(percent: p.percent, text: p.text)))) } catch { connected = false }
            }
            let page: Response
            do { page = try await answer(try await task.value) } catch {
                page = (try? await ThiDuaErrorMiddleware.answer(error, req: req)) ?? ThiDuaErrorMiddleware.plain(error, req: req)
            }
            guard connected else { return }
            try await writer.write(.buffer(line(Line(status: page.status.code, html: page.body.string ?? ""))))
            try await writer.write(.end)
        })
        return res
    }
}
