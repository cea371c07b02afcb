import Foundation

/// A province-size register made up from a seed, for measuring ThiDua on the data a real province holds:
/// blocs of agencies, their people and ten years of history (ratings, awards of every type, initiatives, disciplines
/// and freezes). Every name is fictitious. The same scale and seed give the same register on every machine and
/// toolchain: the generator uses its own random numbers (SplitMix64), never the standard library's algorithms, and
/// each person's history comes from a generator seeded by the person's index, so any part can be made alone.
public struct ProvinceGenerator: Sendable {
    public struct Scale: Sendable, Equatable {
        public var name: String
        public var blocs: Int
        public var units: Int
        public var people: Int

        public static let sample = Scale(name: "sample", blocs: 2, units: 12, people: 600)
        public static let district = Scale(name: "district", blocs: 6, units: 60, people: 5_000)
        public static let province = Scale(name: "province", blocs: 20, units: 300, people: 50_000)
        public static let national = Scale(name: "national", blocs: 60, units: 3_000, people: 500_000)
        public static let all: [Scale] = [.sample, .district, .province, .national]

        /// nil for a name that is not one of `all`.
        public static func named(_ name: String) -> Scale? { all.first { $0.name == name } }
    }

    public struct GeneratedBloc: Sendable, Equatable { public var name: String }

    public struct GeneratedUnit: Sendable, Equatable {
        public var officialName: String
        public var shortName: String
        public var kind: UnitKind
        public var sector: String
        /// Index in `blocs()`.
        public var bloc: Int
        /// The index range of its people in 0..<scale.people.
        public var people: Range<Int>
    }

    public struct GeneratedPerson: Sendable, Equatable {
        public var unit: Int
        public var fullName: String
        public var gender: Gender
        public var birthYear: Int
        public var position: String
    }

    public struct Award: Sendable, Equatable { public var kind: String; public var year: Int; public var type: AwardType }
    public struct Initiative: Sendable, Equatable {
        public var title: String; public var year: Int; public var scope: InitiativeScope
        /// "CODE:YEAR" of the award that consumed it.
        public var usedBy: String?
    }
    public struct Restriction: Sendable, Equatable {
        /// "discipline" or "freeze".
        public var kind: String; public var from: Day; public var to: Day?; public var detail: String
    }
    public struct UnitYear: Sendable, Equatable {
        public var year: Int; public var members: Int; public var completed: Int; public var ldtt: Int; public var cstdcs: Int
        public var disciplined: Int; public var ledBloc: Bool
    }

    public struct History: Sendable, Equatable {
        public var ratings: [(year: Int, rating: TaskRating)] = []
        public var awards: [Award] = []
        public var initiatives: [Initiative] = []
        public var restrictions: [Restriction] = []
        public var unitYears: [UnitYear] = []

        public static func == (a: History, b: History) -> Bool {
            a.ratings.map { "\($0.year)\($0.rating)" } == b.ratings.map { "\($0.year)\($0.rating)" } && a.awards == b.awards
                && a.initiatives == b.initiatives && a.restrictions == b.restrictions && a.unitYears == b.unitYears
        }
    }

    public let scale: Scale
    public let seed: UInt64
    /// The ten years of history: `lastYear - 9 ... lastYear`.
    public let lastYear: Int
    public var years: ClosedRange<Int> { (lastYear - 9)...lastYear }

    public init(scale: Scale, seed: UInt64 = 2026, lastYear: Int = 2025) {
        self.scale = scale
        self.seed = seed
        self.lastYear = lastYear
    }

    // MARK: Organisation

    static let sectors: [(String, UnitKind, String)] = [
        ("Sở", .civil, "UBND tỉnh"), ("Ban", .civil, "UBND tỉnh"), ("Trung tâm", .civil, "UBND tỉnh"),
        ("Chi cục", .civil, "Bộ chủ quản"), ("Phòng", .civil, "UBND huyện"), ("Trường", .civil, "Sở Giáo dục và Đào tạo"),
        ("Bệnh viện", .civil, "Sở Y tế"), ("Đội", .armedForces, "Bộ Công an"), ("Đồn", .armedForces, "Bộ Quốc phòng"),
        ("Viện kiểm sát", .judicial, "Viện kiểm sát nhân dân tối cao"), ("Tòa án", .judicial, "Tòa án nhân dân tối cao"),
    ]
    static let fields = ["Kế hoạch", "Tài chính", "Xây dựng", "Giao thông", "Nông nghiệp", "Công thương", "Văn hóa", "Y tế",
                         "Giáo dục", "Tư pháp", "Nội vụ", "Tài nguyên", "Lao động", "Khoa học", "Thông tin", "Du lịch"]
    static let places = ["Vinh", "Cửa Lò", "Hoàng Mai", "Thái Hòa", "Diễn Châu", "Quỳnh Lưu", "Yên Thành", "Đô Lương",
                         "Nghi Lộc", "Hưng Nguyên", "Nam Đàn", "Thanh Chương", "Anh Sơn", "Con Cuông", "Tương Dương", "Kỳ Sơn"]

    public func blocs() -> [GeneratedBloc] {
        (0..<scale.blocs).map { GeneratedBloc(name: "Khối thi đua mô phỏng số \($0 + 1) (hạt \(seed))") }
    }

    /// The units, each in one bloc, the people spread over them (a few units larger than the rest).
    public func units() -> [GeneratedUnit] {
        var rng = SplitMix64(seed: seed ^ 0x756e_6974)
        var weights: [Int] = []
        for _ in 0..<scale.units { weights.append(1 + Int(rng.below(5))) }
        let total = weights.reduce(0, +)
        var out: [GeneratedUnit] = []
        var start = 0
        for u in 0..<scale.units {
            let count = u == scale.units - 1 ? scale.people - start : scale.people * weights[u] / max(total, 1)
            let (prefix, kind, sector) = Self.sectors[Int(rng.below(UInt64(Self.sectors.count)))]
            let field = Self.fields[u % Self.fields.count]
            let place = Self.places[(u / Self.fields.count) % Self.places.count]
            let name = "\(prefix) \(field) \(place) số \(u + 1) (mô phỏng)"
            out.append(GeneratedUnit(officialName: name, shortName: "\(prefix) \(field) \(u + 1)", kind: kind, sector: sector,
                                     bloc: u % max(scale.blocs, 1), people: start..<(start + max(count, 0))))
            start += max(count, 0)
        }
        return out
    }

    // MARK: People

    static let familyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Phan", "Vũ", "Đinh"]
    static let middleMale = ["Văn", "Đức", "Minh", "Quang", "Xuân", "Đình", "Hữu", "Công"]
    static let middleFemale = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng"]
    static let givenMale = ["Hùng", "Nam", "Tuấn", "Long", "Thắng", "Phúc", "Khoa", "Sơn", "Bình", "Việt", "Tài", "Định", "Hải", "Dũng", "Quân", "Trung"]
    static let givenFemale = ["Mai", "Hương", "Thanh", "Hà", "Lan", "Ngọc", "Yến", "Huyền", "Thu", "Nga", "Hạnh", "Oanh", "Diệp", "Châu", "Linh", "Trang"]
    static let positions = ["Chuyên viên", "Chuyên viên", "Chuyên viên", "Chuyên viên chính", "Cán bộ", "Phó trưởng phòng", "Trưởng phòng", "Kỹ thuật viên"]

    public func person(_ index: Int, unit: Int) -> GeneratedPerson {
        var rng = SplitMix64(seed: seed &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
        let female = rng.below(2) == 0
        let name = [Self.familyNames[rng.pick(Self.familyNames.count)],
                    female ? Self.middleFemale[rng.pick(Self.middleFemale.count)] : Self.middleMale[rng.pick(Self.middleMale.count)],
                    female ? Self.givenFemale[rng.pick(Self.givenFemale.count)] : Self.givenMale[rng.pick(Self.givenMale.count)]].joined(separator: " ")
        return GeneratedPerson(unit: unit, fullName: name, gender: female ? .female : .male, birthYear: 1966 + rng.pick(35),
                               position: Self.positions[rng.pick(Self.positions.count)])
    }

    /// A person's ten years: ratings (the last year sometimes not recorded yet), LĐTT or CSTT for every good year,
    /// CSTĐCS with the grassroots initiative it consumed, now and then CSTĐ tỉnh, Bằng khen tỉnh (by merit, thematic or
    /// irregular), Bằng khen Thủ tướng; initiatives of every scope; a few disciplines and freezes.
    public func history(person index: Int, armedForces: Bool) -> History {
        var rng = SplitMix64(seed: (seed ^ 0x6869_7374) &+ UInt64(truncatingIfNeeded: index) &* 0xBF58_476D_1CE4_E5B9)
        var h = History()
        var streak = 0
        var lastHTXS = -1
        // One in six is a strong performer: rated excellent more often, with an initiative most years.
        let strong = rng.below(6) == 0
        for y in years {
            if y == lastYear && rng.below(20) == 0 { continue }   // the year's rating not recorded yet: needs data
            let roll = rng.below(100)
            let excellent: UInt64 = strong ? 70 : 15
            let rating: TaskRating = roll < excellent ? .HTXSNV : roll < 86 ? .HTTNV : roll < 97 ? .HTNV : .KHTNV
            h.ratings.append((y, rating))
            if rating >= .HTTNV { h.awards.append(Award(kind: armedForces ? "CSTT" : "LDTT", year: y, type: .merit)) }
            if rng.below(strong ? 5 : 20) < (strong ? 4 : 3) {
                let s = rng.below(100)
                let scope: InitiativeScope = s < 80 ? .grassroots : s < 97 ? .province : .national
                h.initiatives.append(Initiative(title: "Sáng kiến \(index)-\(y)", year: y, scope: scope, usedBy: nil))
            }
            if rating == .HTXSNV, rng.below(10) < 9,
               let i = h.initiatives.lastIndex(where: { $0.year == y && $0.scope == .grassroots && $0.usedBy == nil }) {
                h.awards.append(Award(kind: "CSTDCS", year: y, type: .merit))
                h.initiatives[i].usedBy = "CSTDCS:\(y)"
                streak += 1
            } else if y < lastYear {
                streak = 0
            }
            if streak == 3, y < lastYear, h.initiatives.contains(where: { $0.scope >= .province && $0.usedBy == nil && $0.year <= y }), rng.below(3) == 0 {
                h.awards.append(Award(kind: "CSTD_TINH", year: y, type: .merit))
                if let i = h.initiatives.firstIndex(where: { $0.scope >= .province && $0.usedBy == nil && $0.year <= y }) { h.initiatives[i].usedBy = "CSTD_TINH:\(y)" }
                streak = 0
            }
            if rating == .HTXSNV, lastHTXS == y - 1, y < lastYear, rng.below(10) == 0 {
                h.awards.append(Award(kind: "BK_TINH", year: y, type: .merit))
            }
            if rating == .HTXSNV { lastHTXS = y }
            if rng.below(60) == 0 { h.awards.append(Award(kind: "BK_TINH", year: y, type: rng.below(3) == 0 ? .irregular : .thematic)) }
            if rng.below(400) == 0 { h.awards.append(Award(kind: "BK_TTG", year: y, type: .merit)) }
        }
        if rng.below(50) == 0 {
            let y = years.lowerBound + rng.pick(10)
            let month = 1 + rng.pick(6)
            h.restrictions.append(Restriction(kind: "discipline", from: Day(y, month, 1), to: Day(y + 1, month, 1),
                                              detail: rng.below(2) == 0 ? "khiển trách" : "cảnh cáo"))
        }
        if rng.below(200) == 0 {
            h.restrictions.append(Restriction(kind: "freeze", from: Day(lastYear, 10, 1), to: nil, detail: "đang xem xét kỷ luật"))
        }
        return h
    }

    /// A collective's ten years: ratings, its member counts (from its people's ratings), Tập thể lao động tiên tiến or
    /// xuất sắc (Đơn vị tiên tiến or quyết thắng in the armed forces), the bloc's lead now and then, the province's flag.
    public func unitHistory(_ u: Int, unit: GeneratedUnit, leads: (Int) -> Bool) -> History {
        var rng = SplitMix64(seed: (seed ^ 0x636f_6c6c) &+ UInt64(truncatingIfNeeded: u) &* 0x94D0_49BB_1331_11EB)
        var h = History()
        let members = max(unit.people.count, 1)
        for y in years {
            let roll = rng.below(100)
            let rating: TaskRating = roll < 40 ? .HTXSNV : roll < 95 ? .HTTNV : .HTNV
            h.ratings.append((y, rating))
            let led = leads(y)
            let completed = members - Int(rng.below(UInt64(max(members / 20, 1)) + 1))
            h.unitYears.append(UnitYear(year: y, members: members, completed: max(completed, 0), ldtt: members * (60 + rng.pick(30)) / 100,
                                        cstdcs: members * (5 + rng.pick(10)) / 100, disciplined: rng.below(10) == 0 ? 1 : 0, ledBloc: led))
            guard y < lastYear else { continue }
            let armed = unit.kind == .armedForces
            if rating == .HTXSNV, rng.below(2) == 0 { h.awards.append(Award(kind: armed ? "DVQT" : "TTLDXS", year: y, type: .merit)) }
            else if rating >= .HTTNV { h.awards.append(Award(kind: armed ? "DVTT" : "TTLDTT", year: y, type: .merit)) }
            if led, rng.below(3) == 0 { h.awards.append(Award(kind: "CO_TINH", year: y, type: .merit)) }
        }
        return h
    }

    /// Which unit leads each bloc in `year` (one per bloc, turn by turn).
    public func leader(of bloc: Int, year: Int, units: [GeneratedUnit]) -> Int? {
        let members = units.indices.filter { units[$0].bloc == bloc }
        guard !members.isEmpty else { return nil }
        return members[(year &+ Int(truncatingIfNeeded: seed % 97)) % members.count]
    }

    // MARK: Digest

    /// A SHA-256 over every generated line (blocs, units, people and histories): the same scale and seed always give
    /// the same digest.
    public func digest() -> String {
        var hasher = SHA256Stream()
        let units = units()
        for b in blocs() { hasher.update("B|\(b.name)\n") }
        for (i, u) in units.enumerated() {
            hasher.update("U|\(u.officialName)|\(u.shortName)|\(u.kind.rawValue)|\(u.bloc)|\(u.people.lowerBound)-\(u.people.upperBound)\n")
            hasher.update(Self.lines(unitHistory(i, unit: u, leads: { self.leader(of: u.bloc, year: $0, units: units) == i })))
            for p in u.people {
                let person = person(p, unit: i)
                hasher.update("P|\(p)|\(person.fullName)|\(person.gender.rawValue)|\(person.birthYear)|\(person.position)\n")
                hasher.update(Self.lines(history(person: p, armedForces: u.kind == .armedForces)))
            }
        }
        return hasher.finish()
    }

    static func lines(_ h: History) -> String {
        var s = ""
        for r in h.ratings { s += "r\(r.year)\(r.rating.rawValue);" }
        for a in h.awards { s += "a\(a.kind)\(a.year)\(a.type.rawValue);" }
        for i in h.initiatives { s += "i\(i.title)\(i.year)\(i.scope.rawValue)\(i.usedBy ?? "");" }
        for r in h.restrictions { s += "x\(r.kind)\(r.from)\(r.to?.description ?? "")\(r.detail);" }
        for y in h.unitYears { s += "y\(y.year),\(y.members),\(y.completed),\(y.ldtt),\(y.cstdcs),\(y.disciplined),\(y.ledBloc);" }
        return s + "\n"
    }
}

/// SplitMix64: a small, fast, well-mixed generator whose output is fixed by its seed on every platform.
public struct SplitMix64: Sendable, RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<n (n > 0; 0 when n is 0).
    public mutating func below(_ n: UInt64) -> UInt64 { n == 0 ? 0 : next() % n }
    public mutating func pick(_ n: Int) -> Int { Int(below(UInt64(max(n, 0)))) }
}

extension ProvinceGenerator {
    /// Every collective's and person's case as one line of a JSON-lines case file (`docs/eligibility.md`), for
    /// `thidua eligibility bulk --cases` on registers too large to load into a database here. A discipline that ends
    /// after `asOf` is written without its end (at `asOf` it is still running).
    public func caseFileLines(evaluationYear: Int, asOf: Day, _ line: (String) throws -> Void) throws {
        let units = units()
        func json(_ object: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        }
        func common(_ h: History) -> [String: Any] {
            var o: [String: Any] = ["evaluationYear": evaluationYear, "asOf": asOf.description]
            o["ratings"] = h.ratings.map { ["year": $0.year, "rating": $0.rating.rawValue] as [String: Any] }
            o["awards"] = h.awards.map { ["kind": $0.kind, "year": $0.year, "type": $0.type.rawValue] as [String: Any] }
            o["initiatives"] = h.initiatives.enumerated().map { i, x -> [String: Any] in
                var d: [String: Any] = ["id": "SK-\(i)-\(x.year)", "year": x.year, "scope": x.scope.rawValue]
                if let used = x.usedBy { d["usedBy"] = used }
                return d
            }
            o["disciplines"] = h.restrictions.filter { $0.kind == "discipline" }.map { r -> [String: Any] in
                var d: [String: Any] = ["from": r.from.description, "form": r.detail]
                if let to = r.to, to <= asOf { d["to"] = to.description }
                return d
            }
            o["freezes"] = h.restrictions.filter { $0.kind == "freeze" }.map { ["from": $0.from.description, "reason": $0.detail] as [String: Any] }
            return o
        }
        for (i, u) in units.enumerated() {
            let h = unitHistory(i, unit: u, leads: { self.leader(of: u.bloc, year: $0, units: units) == i })
            var o = common(h)
            o["subject"] = ["type": "collective", "name": u.officialName, "armedForces": u.kind == .armedForces] as [String: Any]
            o["memberStats"] = h.unitYears.map { ["year": $0.year, "members": $0.members, "completed": $0.completed, "LDTT": $0.ldtt,
                                                   "CSTDCS": $0.cstdcs, "disciplined": $0.disciplined] as [String: Any] }
            o["ledBloc"] = h.unitYears.filter(\.ledBloc).map(\.year)
            try line(try json(o))
            for p in u.people {
                let person = person(p, unit: i)
                var o = common(history(person: p, armedForces: u.kind == .armedForces))
                o["subject"] = ["type": "individual", "name": person.fullName, "gender": person.gender.rawValue, "armedForces": u.kind == .armedForces] as [String: Any]
                try line(try json(o))
            }
        }
    }
}
