import Fluent
import Foundation
import ThiDuaCore

/// Demo people of the nine agencies with 10 years of history each (2009–2018), and the agencies' own yearly data,
/// chosen so that the 2018 verdicts show every kind: eligible, ineligible (broken streak, discipline, freeze,
/// thematic award, consumed initiative) and needs data. All names are fictitious.
enum DemoRegister {
    struct Profile: Sendable {
        var position: String
        var build: @Sendable (inout History) -> Void
    }

    struct History: Sendable {
        var ratings: [Int: TaskRating] = [:]
        var awards: [(String, Int, AwardType)] = []
        var initiatives: [(String, Int, InitiativeScope, String?)] = []
        var restrictions: [(String, String, String?, String)] = []

        mutating func rate(_ years: ClosedRange<Int>, _ r: TaskRating) { for y in years { ratings[y] = r } }
        mutating func award(_ k: String, _ years: [Int], _ t: AwardType = .merit) { for y in years { awards.append((k, y, t)) } }
        /// LĐTT for every year rated HTTNV or better.
        mutating func advancedWorkerEveryGoodYear() {
            for (y, r) in ratings where r >= .HTTNV && y < 2018 { awards.append(("LDTT", y, .merit)) }
        }
    }

    static let firstNames = ["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Quang Vinh", "Phạm Thị Hương", "Hoàng Văn Nam", "Võ Thị Thanh",
                             "Đặng Minh Tuấn", "Bùi Thị Hà", "Đỗ Văn Long", "Hồ Thị Lan", "Ngô Đức Thắng", "Dương Thị Ngọc",
                             "Lý Văn Phúc", "Phan Thị Yến", "Vũ Đình Khoa", "Đinh Thị Huyền", "Trịnh Văn Sơn", "Mai Thị Thu",
                             "Cao Xuân Bình", "Lương Thị Nga", "Tạ Quốc Việt", "Chu Thị Hạnh", "Kiều Văn Tài", "Lâm Thị Oanh",
                             "Quách Văn Định", "Thái Thị Diệp", "Hà Minh Châu"]

    static let profiles: [Profile] = [
        // 1. Three consecutive CSTĐCS and a province-level initiative: CSTĐ tỉnh eligible.
        Profile(position: "Trưởng phòng") { h in
            h.rate(2009...2015, .HTTNV); h.rate(2016...2018, .HTXSNV); h.advancedWorkerEveryGoodYear()
            h.award("CSTDCS", [2016, 2017, 2018])
            for y in 2016...2018 { h.initiatives.append(("Sáng kiến cải tiến quy trình số \(y - 2015)", y, .grassroots, "CSTDCS:\(y)")) }
            h.initiatives.append(("Giải pháp số hóa hồ sơ nghiệp vụ toàn tỉnh", 2017, .province, nil))
        },
        // 2. CSTĐCS 2015, 2017, 2018: the streak is broken in 2016.
        Profile(position: "Phó trưởng phòng") { h in
            h.rate(2009...2018, .HTTNV); h.ratings[2018] = .HTXSNV; h.advancedWorkerEveryGoodYear()
            h.award("CSTDCS", [2015, 2017, 2018])
            h.initiatives.append(("Mô hình phối hợp liên ngành", 2018, .province, nil))
            h.initiatives.append(("Sổ tay nghiệp vụ", 2018, .grassroots, nil))
        },
        // 3. No rating recorded for 2018: needs data.
        Profile(position: "Chuyên viên") { h in
            h.rate(2009...2017, .HTTNV); h.advancedWorkerEveryGoodYear()
        },
        // 4. Two years HTXSNV with two unused grassroots initiatives: Bằng khen tỉnh (rule marked unconfirmed for 2018).
        Profile(position: "Chuyên viên chính") { h in
            h.rate(2009...2016, .HTTNV); h.rate(2017...2018, .HTXSNV); h.advancedWorkerEveryGoodYear()
            h.initiatives.append(("Cải tiến mẫu biểu báo cáo", 2017, .grassroots, nil))
            h.initiatives.append(("Ứng dụng tra cứu văn bản", 2018, .grassroots, nil))
        },
        // 5. Under review since November 2018: every award frozen.
        Profile(position: "Cán bộ") { h in
            h.rate(2009...2018, .HTXSNV); h.advancedWorkerEveryGoodYear()
            h.award("CSTDCS", [2016, 2017]); h.initiatives.append(("Sáng kiến 2018", 2018, .grassroots, nil))
            h.restrictions.append(("freeze", "2018-11-05", nil, "đang bị xem xét kỷ luật"))
        },
        // 6. Disciplined in 2017: the 2016–2018 CSTĐCS streak does not count.
        Profile(position: "Điều tra viên") { h in
            h.rate(2009...2016, .HTTNV); h.ratings[2017] = .HTNV; h.ratings[2018] = .HTXSNV; h.advancedWorkerEveryGoodYear()
            h.award("CSTDCS", [2016, 2018])
            h.initiatives.append(("Quy trình tiếp nhận tin báo", 2018, .grassroots, "CSTDCS:2018"))
            h.restrictions.append(("discipline", "2017-03-01", "2017-09-01", "khiển trách"))
        },
        // 7. One of the three CSTĐCS was a thematic award: it does not count toward the streak.
        Profile(position: "Kiểm sát viên") { h in
            h.rate(2009...2018, .HTXSNV); h.advancedWorkerEveryGoodYear()
            h.award("CSTDCS", [2016, 2018]); h.award("CSTDCS", [2017], .thematic)
            h.initiatives.append(("Chuyên đề kiểm sát điều tra", 2018, .province, nil))
            h.initiatives.append(("Sáng kiến thống kê án", 2018, .grassroots, "CSTDCS:2018"))
        },
        // 8. A provincial Bằng khen in 2012, then five HTXSNV years with five initiatives: Bằng khen Thủ tướng.
        Profile(position: "Phó Giám đốc") { h in
            h.rate(2009...2013, .HTTNV); h.rate(2014...2018, .HTXSNV); h.advancedWorkerEveryGoodYear()
            h.award("BK_TINH", [2012])
            for y in 2014...2018 { h.initiatives.append(("Đề tài cấp cơ sở năm \(y)", y, .grassroots, nil)) }
        },
        // 9. Rated HTNV in 2018: not even Lao động tiên tiến.
        Profile(position: "Nhân viên") { h in
            h.rate(2009...2017, .HTTNV); h.ratings[2018] = .HTNV; h.advancedWorkerEveryGoodYear()
        },
    ]

    /// Per unit: 2016–2018 ratings and member data; VKSND led the bloc in 2018 (demo choice), one unit lacks 2018 data.
    static func unitYears(code: String) -> [(Int, TaskRating, members: Int, completed: Int, ldtt: Int, cstdcs: Int, disciplined: Int?, led: Bool)] {
        switch code {
        case "vksnd": return [(2016, .HTXSNV, 86, 86, 70, 8, 0, false), (2017, .HTXSNV, 86, 86, 72, 9, 0, false), (2018, .HTXSNV, 88, 88, 75, 9, 0, true)]
        case "thanhtra": return [(2016, .HTTNV, 40, 40, 30, 2, 0, false), (2017, .HTTNV, 41, 40, 28, 1, 0, false)]
        case "sotuphap": return [(2016, .HTTNV, 52, 52, 30, 3, 0, false), (2017, .HTXSNV, 52, 52, 40, 4, 0, false), (2018, .HTTNV, 53, 53, 27, 2, nil, false)]
        case "tand": return [(2016, .HTXSNV, 70, 70, 55, 6, 0, false), (2017, .HTXSNV, 70, 70, 58, 6, 0, false), (2018, .HTXSNV, 72, 71, 60, 7, 0, false)]
        default: return [(2016, .HTTNV, 120, 120, 90, 10, 0, false), (2017, .HTXSNV, 120, 120, 95, 11, 0, false), (2018, .HTXSNV, 125, 125, 100, 12, 1, false)]
        }
    }

    /// Loads what is missing (idempotent: a unit that already has people in the register is left as it is).
    static func load(on db: any Database, units: [String: UUID], audit: AuditLog) async throws {
        var n = 0, added = 0
        for (index, d) in DemoLoader.units.enumerated() {
            guard let unitID = units[d.code] else { continue }
            if try await Person.query(on: db).filter(\.$unitID == unitID).count() > 0 { n += 3; continue }
            for k in 0..<3 {
                let profile = profiles[(index * 3 + k) % profiles.count]
                let name = firstNames[n % firstNames.count]
                n += 1
                added += 1
                let born = 1968 + (n * 7) % 25
                let person = Person(fullName: name, gender: name.contains(" Thị ") ? Gender.female.rawValue : Gender.male.rawValue,
                                    birthYear: born, unitID: unitID, position: profile.position)
                // Recruited at 23–25, on the first of a month.
                person.serviceStart = Day(born + 23 + n % 3, 1 + (n * 5) % 12, 1).description
                try await person.create(on: db)
                try await audit.created("person", person.id, PersonSnapshot(person))
                var h = History()
                profile.build(&h)
                try await write(h, subject: .person(person.id!), on: db)
            }
            for y in unitYears(code: d.code) {
                let rating = RatingRecord(.unit(unitID), year: y.0, rating: y.1)
                try await rating.create(on: db)
                let rec = UnitYearRecord()
                rec.unitID = unitID; rec.year = y.0; rec.members = y.members; rec.completed = y.completed; rec.ldtt = y.ldtt
                rec.cstdcs = y.cstdcs; rec.disciplined = y.disciplined; rec.ledBloc = y.led
                try await rec.create(on: db)
            }
            if d.code == "tand" {
                // TAND tỉnh received the provincial flag for 2017 (demo).
                try await write(History(awards: [("TTLDXS", 2016, .merit), ("TTLDXS", 2017, .merit), ("CO_TINH", 2017, .merit)]), subject: .unit(unitID), on: db)
            }
        }
        if added > 0 {
            struct Summary: Codable { var people: Int }
            try await audit.created("register_demo", nil, Summary(people: added))
        }
    }

    static func write(_ h: History, subject: RegisterSubject, on db: any Database) async throws {
        for (y, r) in h.ratings { try await RatingRecord(subject, year: y, rating: r).create(on: db) }
        for (k, y, t) in h.awards {
            let a = AwardRecordModel()
            a.assign(subject)
            a.kind = k; a.year = y; a.awardType = t.rawValue; a.revoked = false
            a.decision = "\(10 + y % 50)/QĐ-\(k == "LDTT" || k == "CSTDCS" ? "ĐV" : "UBND")"
            a.decidedOn = Day(y + 1, 1, 15).description
            a.issuer = k == "LDTT" || k == "CSTDCS" ? "Thủ trưởng đơn vị" : "Chủ tịch UBND tỉnh"
            try await a.create(on: db)
        }
        for (title, y, scope, used) in h.initiatives {
            let i = InitiativeRecord()
            i.assign(subject)
            i.title = title; i.year = y; i.scope = scope.rawValue; i.usedBy = used
            i.recognisedBy = scope == .grassroots ? "Hội đồng sáng kiến đơn vị" : "Hội đồng sáng kiến tỉnh"
            try await i.create(on: db)
        }
        for (kind, from, to, detail) in h.restrictions {
            let r = RestrictionRecord()
            r.assign(subject)
            r.kind = kind; r.startsOn = from; r.endsOn = to; r.detail = detail
            try await r.create(on: db)
        }
    }
}
