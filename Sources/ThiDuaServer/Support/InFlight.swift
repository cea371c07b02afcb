import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Counts the requests being answered, so that a stopping server lets them finish before it closes the databases
/// (closing them under a running handler ended the process with a trap in Fluent's `Request.db`).
final class InFlightRequests: Sendable {
    private let count = NIOLockedValueBox(0)

    var current: Int { count.withLockedValue { $0 } }
    func begin() { count.withLockedValue { $0 += 1 } }
    func end() { count.withLockedValue { $0 -= 1 } }

    /// Waits until no request is being answered, or `timeout` has passed; true when drained.
    func drain(timeout: TimeInterval) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while current > 0 {
            if Date() >= deadline { return false }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return true
    }
}

/// The outermost middleware: every request is counted while it is answered.
///
/// This and the other middlewares that do no waiting of their own are future-based (`Middleware`), not
/// `AsyncMiddleware`: Vapor starts a task and hops back to the event loop for every async middleware a request passes,
/// which was most of the cost of a request that does little (`/healthz` at a quarter of a bare route's rate).
struct InFlightMiddleware: Middleware {
    let requests: InFlightRequests
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        requests.begin()
        let requests = requests
        return next.respond(to: req).always { _ in requests.end() }
    }
}

struct InFlightKey: StorageKey { typealias Value = InFlightRequests }

extension Application {
    /// The requests being answered now (see `Operations.stop`).
    var inFlight: InFlightRequests {
        if let r = storage[InFlightKey.self] { return r }
        let r = InFlightRequests()
        storage[InFlightKey.self] = r
        return r
    }
}
