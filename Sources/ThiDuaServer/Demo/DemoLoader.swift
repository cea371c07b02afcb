import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// Loads, once and idempotently, the demo of `nghe-an-2018-covenant-news.txt`: the Nghệ An bloc
/// "Khối thi đua Nội chính - Lực lượng vũ trang", year 2018, its nine agencies, a leader and deputy
/// (demo choices, marked as such), and demo accounts for every role.
enum DemoLoader {
    static let blocName = "Khối thi đua Nội chính - Lực lượng vũ trang"
    static let year = 2018

    struct DemoUnit {
        var code: String
        var officialName: String
        var shortName: String
        var kind: UnitKind
        var sector: String
    }

    /// The nine agencies, in the order of the news item.
    static let units: [DemoUnit] = [
        DemoUnit(code: "bchqs", officialName: "Bộ Chỉ huy Quân sự tỉnh Nghệ An", shortName: "Bộ CHQS tỉnh", kind: .armedForces, sector: "Bộ Quốc phòng"),
        DemoUnit(code: "bdbp", officialName: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Nghệ An", shortName: "Bộ Chỉ huy BĐBP tỉnh", kind: .armedForces, sector: "Bộ Quốc phòng"),
        DemoUnit(code: "congan", officialName: "Công an tỉnh Nghệ An", shortName: "Công an tỉnh", kind: .armedForces, sector: "Bộ Công an"),
        DemoUnit(code: "vksnd", officialName: "Viện kiểm sát nhân dân tỉnh Nghệ An", shortName: "VKSND tỉnh", kind: .judicial, sector: "Viện kiểm sát nhân dân tối cao"),
        DemoUnit(code: "tand", officialName: "Tòa án nhân dân tỉnh Nghệ An", shortName: "TAND tỉnh", kind: .judicial, sector: "Tòa án nhân dân tối cao"),
        DemoUnit(code: "pccc", officialName: "Cảnh sát phòng cháy chữa cháy tỉnh Nghệ An", shortName: "Cảnh sát PCCC tỉnh", kind: .armedForces, sector: "Bộ Công an"),
        DemoUnit(code: "thanhtra", officialName: "Thanh tra tỉnh Nghệ An", shortName: "Thanh tra tỉnh", kind: .civil, sector: "Thanh tra Chính phủ"),
        DemoUnit(code: "sotuphap", officialName: "Sở Tư pháp tỉnh Nghệ An", shortName: "Sở Tư pháp", kind: .civil, sector: "Bộ Tư pháp"),
        DemoUnit(code: "thads", officialName: "Cục Thi hành án dân sự tỉnh Nghệ An", shortName: "Cục THADS tỉnh", kind: .judicial, sector: "Bộ Tư pháp"),
    ]

    /// Demo leader and deputy: not in the news item; the 2020 covenant had VKSND leading and Công an deputy.
    static let leaderCode = "vksnd"
    static let deputyCode = "congan"

    /// The demo council's members: `hoidong`, then `hoidong.2` … `hoidong.5`.
    static let councilMembers = 5

    struct DemoAccount {
        var username: String
        var fullName: String
        var grant: (_ units: [String: UUID], _ blocID: UUID) -> RoleGrant
    }

    static func accounts() -> [DemoAccount] {
        var list: [DemoAccount] = [
            DemoAccount(username: "vanphong", fullName: "Cán bộ Ban Thi đua – Khen thưởng (demo)") { _, _ in RoleGrant(role: .office) },
            DemoAccount(username: "truongkhoi", fullName: "Cán bộ thi đua đơn vị trưởng khối (demo)") { _, bloc in RoleGrant(role: .blocLead, blocID: bloc, year: year) },
            DemoAccount(username: "hoidong", fullName: "Thành viên Hội đồng TĐKT tỉnh (demo)") { _, _ in RoleGrant(role: .council) },
            DemoAccount(username: "khach", fullName: "Người xem (demo)") { _, _ in RoleGrant(role: .viewer) },
        ]
        // Four more council members, so that the council can sit and vote (a session needs at least two voters).
        for n in 2...councilMembers {
            list.insert(DemoAccount(username: "hoidong.\(n)", fullName: "Thành viên Hội đồng TĐKT tỉnh số \(n) (demo)") { _, _ in RoleGrant(role: .council) }, at: 2 + n - 1)
        }
        for u in units {
            list.append(DemoAccount(username: "canbo.\(u.code)", fullName: "Cán bộ thi đua – \(u.shortName) (demo)") { ids, _ in RoleGrant(role: .unitOfficer, unitID: ids[u.code]) })
            list.append(DemoAccount(username: "thutruong.\(u.code)", fullName: "Thủ trưởng – \(u.shortName) (demo)") { ids, _ in RoleGrant(role: .unitHead, unitID: ids[u.code]) })
        }
        return list
    }

    /// Loads the demo into a database once (an audit entry "demo/load" records it), and returns the accounts and the
    /// password to print. Later starts only make sure the demo accounts' printed password works: units renamed,
    /// deadlines lifted, memberships or people removed by a user stay as the user left them.
    /// `scoringRound`: also score the year-end round (what `serve --demo` shows; tests that do not need it leave it out,
    /// as it takes some eighty audited transactions).
    @discardableResult
    static func load(_ app: Application, scoringRound: Bool = true) async throws -> (accounts: [String], password: String) {
        let password = app.thiduaConfig.demoPassword ?? PasswordPolicy.random(length: 12)
        try PasswordPolicy.check(password)
        let hash = try await AccountService.hash(password, app: app)
        let (names, firstLoad) = try await AuditLog.write(on: app.db, actor: "demo", now: app.clock.now(), key: app.auditKey) { db, audit -> ([String], Bool) in
            if try await AuditEntry.query(on: db).filter(\.$entity == Self.marker).filter(\.$action == "load").first() != nil {
                return (try await ensurePasswords(password: password, hash: hash, on: db), false)
            }
            if try await EmulationYear.query(on: db).filter(\.$year == year).first() == nil {
                let y = EmulationYear(year: year, theme: "Phong trào thi đua yêu nước năm 2018")
                try await y.create(on: db)
                try await audit.created("emulation_year", y.id, YearSnapshot(year: y.year, theme: y.theme))
            }
            var ids: [String: UUID] = [:]
            for d in units {
                if let u = try await Unit.query(on: db).filter(\.$officialName == d.officialName).first() {
                    ids[d.code] = u.id
                } else {
                    let u = Unit(officialName: d.officialName, shortName: d.shortName, parentID: nil, kind: d.kind, sector: d.sector)
                    try await u.create(on: db)
                    try await audit.created("unit", u.id, UnitSnapshot(u))
                    ids[d.code] = u.id
                }
            }
            let bloc: Bloc
            if let b = try await Bloc.query(on: db).filter(\.$name == blocName).first() {
                bloc = b
            } else {
                bloc = Bloc(name: blocName, organiser: BlocOrganiser.province)
                try await bloc.create(on: db)
                try await audit.created("bloc", bloc.id, BlocSnapshot(bloc))
            }
            let blocID = try bloc.requireID()
            let existing = try await Membership.query(on: db).filter(\.$year == year).all()
            for d in units {
                let unitID = ids[d.code]!
                if existing.contains(where: { $0.unitID == unitID && $0.organiser == bloc.organiser }) { continue }
                let m = Membership(blocID: blocID, unitID: unitID, year: year, organiser: bloc.organiser)
                try await m.create(on: db)
                try await audit.created("membership", m.id, MembershipSnapshot(bloc: bloc.name, unit: d.officialName, year: year))
            }
            if try await BlocYear.query(on: db).filter(\.$blocID == blocID).filter(\.$year == year).first() == nil {
                let by = BlocYear(blocID: blocID, year: year)
                by.leaderUnitID = ids[leaderCode]
                by.deputyUnitID = ids[deputyCode]
                by.leadershipIsDemo = true
                try await by.create(on: db)
                try await audit.record("bloc_year", by.id, "set_leadership", old: Optional<LeadershipSnapshot>.none, new: LeadershipSnapshot(by))
            }
            try await DemoRegister.load(on: db, units: ids, audit: audit)
            var names: [String] = []
            var checked: [String: Bool] = [:]
            for a in accounts() {
                let grant = a.grant(ids, blocID)
                if let user = try await User.query(on: db).filter(\.$username == a.username).first() {
                    // Keep the account; only make sure the printed password works.
                    try await makePasswordWork(user, password: password, hash: hash, checked: &checked, on: db)
                } else {
                    let user = User(username: a.username, fullName: a.fullName, email: nil, passwordHash: hash, isDemo: true)
                    try await user.create(on: db)
                    let g = RoleGrantModel(userID: try user.requireID(), grant: grant)
                    try await g.create(on: db)
                    try await audit.created("user", user.id, user.snapshot)
                    try await audit.created("role_grant", g.id, GrantSnapshot(username: a.username, grant: grant))
                }
                names.append(nameLine(a.username, grant.role))
            }
            try await DemoCovenant.load(on: db, units: ids, blocID: blocID, audit: audit)
            struct Loaded: Codable { var bloc: String; var year: Int }
            try await audit.record(Self.marker, nil, "load", old: Optional<Loaded>.none, new: Loaded(bloc: blocName, year: year))
            return (names, true)
        }
        // The year-end round goes through the scoring services, each step its own audited transaction.
        // Only by the start that loaded the demo (of several starting together, one), and only that once.
        if scoringRound && firstLoad {
            try await DemoScoring.load(app)
            try await DemoBallots.load(app)
        }
        app.operatorConsole.announce("""
        ================================================================
         ThiDua – dữ liệu minh họa: \(blocName), Nghệ An, năm \(year)
         Tài khoản minh họa (mật khẩu chung: \(password)):
        \(names.map { "   " + $0 }.joined(separator: "\n"))
        ================================================================
        """)
        return (names, password)
    }

    /// The audit entity that records the demo's loading.
    static let marker = "demo"

    /// The demo accounts that exist, each with the printed password working (a demo database's accounts are for
    /// trying the product; their password follows THIDUA_DEMO_PASSWORD).
    static func ensurePasswords(password: String, hash: String, on db: any Database) async throws -> [String] {
        var names: [String] = []
        var checked: [String: Bool] = [:]
        for a in accounts() {
            guard let user = try await User.query(on: db).filter(\.$username == a.username).first(), user.isDemo else { continue }
            try await makePasswordWork(user, password: password, hash: hash, checked: &checked, on: db)
            // The role's label only (the grant's unit and bloc do not matter here).
            names.append(nameLine(a.username, a.grant([:], UUID()).role))
        }
        return names
    }

    /// Sets the printed password on a demo account whose password is another (or must be changed); `checked`
    /// remembers bcrypt answers per stored hash, so that accounts sharing the demo password are verified once.
    static func makePasswordWork(_ user: User, password: String, hash: String, checked: inout [String: Bool], on db: any Database) async throws {
        let works = try checked[user.passwordHash] ?? Bcrypt.verify(password, created: user.passwordHash)
        checked[user.passwordHash] = works
        if !works || user.mustChangePassword {
            user.passwordHash = hash
            user.failedLogins = 0
            user.lockedUntil = nil
            user.mustChangePassword = false
            try await user.save(on: db)
        }
    }

    /// One line of the printed account list.
    static func nameLine(_ username: String, _ role: RoleKind) -> String {
        "\(username.padding(toLength: 22, withPad: " ", startingAt: 0)) \(role.label)"
    }
}
