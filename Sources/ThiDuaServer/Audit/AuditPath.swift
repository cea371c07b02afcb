/// Links of the audit log.
enum AuditPath: SitePath {
    case audit

    var segments: [String] { ["audit"] }
}
