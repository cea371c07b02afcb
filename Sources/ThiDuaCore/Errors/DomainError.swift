/// What went wrong, in words a Vietnamese user can act on. The server maps `kind` to an HTTP status
/// (400/401/403/404/409/422/423/429) and shows `reason` on the page or as JSON `reason`.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case badRequest, unauthenticated, forbidden, notFound, conflict, invalid, locked
        /// Too many attempts: try again later (`retryAfter` seconds).
        case throttled
    }
    public let kind: Kind
    public let reason: String
    /// The field or item the error is about, when there is one (shown next to the input).
    public let field: String?
    /// For `throttled`: seconds until the next attempt may be made (the `Retry-After` header).
    public let retryAfter: Int?

    public init(_ kind: Kind, _ reason: String, field: String? = nil, retryAfter: Int? = nil) {
        self.kind = kind
        self.reason = reason
        self.field = field
        self.retryAfter = retryAfter
    }

    public var description: String { reason }

    public static func invalid(_ reason: String, field: String? = nil) -> DomainError { .init(.invalid, reason, field: field) }
    public static func forbidden(_ reason: String = "Bạn không có quyền thực hiện thao tác này.") -> DomainError { .init(.forbidden, reason) }
    public static func notFound(_ reason: String = "Không tìm thấy trang hoặc dữ liệu yêu cầu.") -> DomainError { .init(.notFound, reason) }
    public static func conflict(_ reason: String) -> DomainError { .init(.conflict, reason) }
}
