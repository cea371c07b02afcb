import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// A role grant as shown and sent.
struct GrantDTO: Content, Sendable {
    var id: UUID?
    var role: String
    var roleLabel: String
    var unitID: UUID?
    var unitName: String?
    var blocID: UUID?
    var blocName: String?
    var year: Int?
    var scopeText: String
}

/// An account as shown and sent (never the password hash).
struct UserDTO: Content, Sendable {
    var id: UUID?
    var username: String
    var fullName: String
    var email: String?
    var disabled: Bool
    /// Until when failed logins make this name wait (dd/MM/yyyy HH:mm), if they do now.
    var lockedUntil: String?
    var isDemo: Bool
    var grants: [GrantDTO]
}

enum AccountViews {
    static func grants(for userIDs: [UUID], on db: any Database) async throws -> [UUID: [GrantDTO]] {
        let models = try await RoleGrantModel.query(on: db).filter(\.$userID ~~ userIDs).all()
        let units = Dictionary(uniqueKeysWithValues: try await Unit.query(on: db).all().map { ($0.id!, $0.shortName) })
        let blocs = Dictionary(uniqueKeysWithValues: try await Bloc.query(on: db).all().map { ($0.id!, $0.name) })
        var out: [UUID: [GrantDTO]] = [:]
        for m in models {
            guard let g = m.grant else { continue }
            let unitName = g.unitID.flatMap { units[$0] }
            let blocName = g.blocID.flatMap { blocs[$0] }
            var scope = ""
            if let unitName { scope = unitName }
            if let blocName, let y = g.year { scope = "\(blocName), năm \(y)" }
            out[m.userID, default: []].append(GrantDTO(id: m.id, role: g.role.rawValue, roleLabel: g.role.label, unitID: g.unitID,
                                                      unitName: unitName, blocID: g.blocID, blocName: blocName, year: g.year, scopeText: scope))
        }
        return out.mapValues { $0.sorted { ($0.role, $0.scopeText) < ($1.role, $1.scopeText) } }
    }

    static func dto(_ user: User, grants: [GrantDTO], waits: [String: Int64], now: Date) -> UserDTO {
        let wait = waits[LoginThrottleStore.nameKey(user.username)].map(Date.init(millis:))
        return UserDTO(id: user.id, username: user.username, fullName: user.fullName, email: user.email, disabled: user.disabled,
                       lockedUntil: wait.flatMap { $0 > now ? VietnameseFormat.dateTime($0) : nil },
                       isDemo: user.isDemo, grants: grants)
    }

    /// The login waits of these users' names.
    static func waits(for users: [User], on db: any Database) async throws -> [String: Int64] {
        let keys = users.map { LoginThrottleStore.nameKey($0.username) }
        return Dictionary(try await ThrottleRow.query(on: db).filter(\.$key ~~ keys).all().map { ($0.key, $0.nextAllowedMillis) }, uniquingKeysWith: max)
    }

    static func list(_ req: Request) async throws -> [UserDTO] {
        var query = User.query(on: req.db).sort(\.$username)
        if let q = try? req.query.get(String.self, at: "q"), !q.isEmpty {
            query = query.filter(\.$searchText, .custom("LIKE"), "%" + VietnameseText.searchKey(q) + "%")
        }
        let users = try await query.all()
        let grants = try await grants(for: users.compactMap(\.id), on: req.db)
        let waits = try await waits(for: users, on: req.db)
        return users.map { dto($0, grants: grants[$0.id!] ?? [], waits: waits, now: req.now) }
    }

    static func one(_ user: User, req: Request) async throws -> UserDTO {
        let grants = try await grants(for: [user.id!], on: req.db)
        return dto(user, grants: grants[user.id!] ?? [], waits: try await waits(for: [user], on: req.db), now: req.now)
    }
}
