import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOCore
import NIOPosix
import ThiDuaCore
import Vapor

/// What went wrong with the database, said so that an operator can act on it: what failed, where (user, host,
/// database, never the password), and the server's own message. `transient` errors (the server not up yet,
/// refusing connections, restarting) are worth retrying; the others (a wrong password, a missing database) are not.
struct DatabaseTrouble: Error, CustomStringConvertible {
    var message: String
    var transient: Bool
    var description: String { message }

    /// Where the configured database is, without secrets.
    static func target(_ config: AppConfig) -> String {
        switch config.database {
        case .sqliteFile(let path): "SQLite \(path)"
        case .sqliteMemory: "SQLite (bộ nhớ)"
        case .postgres(let url, _): "PostgreSQL \(Redaction.target(ofURL: url))"
        }
    }

    static func explain(_ error: any Error, config: AppConfig) -> DatabaseTrouble {
        if let e = error as? DatabaseTrouble { return e }
        let at = target(config)
        var user = "?", host = "?", database = "?"
        if case .postgres(let url, _) = config.database {
            let p = Redaction.parts(ofURL: url)
            user = p.user ?? "(mặc định)"; host = p.host ?? "?"; database = p.database ?? "(mặc định)"
        }
        switch error {
        case let e as MigrationFailure:
            let inner = explain(e.underlying, config: config)
            return .init(message: "bước cập nhật cấu trúc “\(ThiDuaMigrations.shortName(e.name))” thất bại: \(inner.message)", transient: inner.transient)
        case let e as PSQLError:
            return postgres(e, at: at, user: user, host: host, database: database)
        case let e as SQLiteError:
            return .init(message: "\(at): SQLite báo lỗi: \(e.message)", transient: e.reason == .busy || e.reason == .locked)
        case let e as DomainError:
            // Not the database's: a setting (the audit key file, …) said in its own words.
            return .init(message: e.reason, transient: false)
        default:
            if let net = network(error) { return .init(message: "không kết nối được \(at): \(net)", transient: true) }
            return .init(message: Redaction.urls(in: String(String(describing: error).prefix(400))), transient: false)
        }
    }

    private static func postgres(_ e: PSQLError, at: String, user: String, host: String, database: String) -> DatabaseTrouble {
        if e.code == .server, let info = e.serverInfo {
            let state = info[.sqlState] ?? "?"
            let text = Redaction.urls(in: info[.message] ?? "")
            switch state {
            case "28P01", "28000":
                return .init(message: "PostgreSQL từ chối đăng nhập của người dùng “\(user)” tại \(host) (sai mật khẩu hoặc không được phép; SQLSTATE \(state): \(text))", transient: false)
            case "3D000":
                return .init(message: "không có cơ sở dữ liệu “\(database)” trên máy chủ PostgreSQL \(host) (tạo nó trước: createdb; SQLSTATE \(state): \(text))", transient: false)
            case "57P03", "53300", "57P01", "57P02":
                return .init(message: "\(at): máy chủ chưa sẵn sàng hoặc đang khởi động lại (SQLSTATE \(state): \(text))", transient: true)
            default:
                return .init(message: "\(at): PostgreSQL báo lỗi SQLSTATE \(state): \(text)", transient: state.hasPrefix("08"))
            }
        }
        switch e.code {
        case .connectionError:
            let why = e.underlying.flatMap(network) ?? e.underlying.map { Redaction.urls(in: String(String(describing: $0).prefix(200))) } ?? "lỗi kết nối"
            return .init(message: "không kết nối được \(at): \(why)", transient: true)
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return .init(message: "\(at): kết nối tới PostgreSQL bị đóng (máy chủ dừng hoặc khởi động lại)", transient: true)
        case .authMechanismRequiresPassword:
            return .init(message: "PostgreSQL tại \(host) cần mật khẩu cho người dùng “\(user)”, nhưng DATABASE_URL không có mật khẩu", transient: false)
        case .sslUnsupported:
            return .init(message: "PostgreSQL tại \(host) không hỗ trợ SSL: thêm ?sslmode=disable vào DATABASE_URL nếu kết nối trong mạng nội bộ", transient: false)
        case .unsupportedAuthMechanism, .saslError:
            return .init(message: "PostgreSQL tại \(host) yêu cầu cách xác thực mà ThiDua không dùng được cho người dùng “\(user)” (\(e.code))", transient: false)
        default:
            return .init(message: "\(at): lỗi PostgreSQL (\(e.code))", transient: false)
        }
    }

    /// A network failure in words: refused, timed out, unknown host; nil if `error` is not one.
    static func network(_ error: any Error) -> String? {
        switch error {
        case let e as NIOConnectionError:
            if let dns = e.dnsAAAAError ?? e.dnsAError { return "không tìm thấy máy chủ (\(dns))" }
            if let first = e.connectionErrors.first { return network(first.error) ?? "\(first.error)" }
            return "không kết nối được tới \(e.host):\(e.port)"
        case let e as IOError:
            switch e.errnoCode {
            case ECONNREFUSED: return "máy chủ từ chối kết nối (connection refused): PostgreSQL chưa chạy hoặc sai cổng"
            case ETIMEDOUT: return "hết thời gian chờ kết nối"
            case EHOSTUNREACH, ENETUNREACH: return "không tới được máy chủ (mạng)"
            default: return "lỗi mạng: \(e.description)"
            }
        case let e as ChannelError:
            if case .connectTimeout = e { return "hết thời gian chờ kết nối" }
            return "lỗi kết nối (\(e))"
        case is DatabaseProbe.Timeout:
            return "cơ sở dữ liệu không trả lời trong thời hạn"
        default:
            return nil
        }
    }
}
