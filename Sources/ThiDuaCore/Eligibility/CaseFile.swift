import Foundation

/// Reads the case file format of `docs/eligibility.md`. Unknown fields, unknown codes, future years,
/// overlapping disciplines and initiatives declared twice are errors naming the place; nothing is ignored.
public struct CaseFileReader {
    public let catalogue: Catalogue
    public let file: String

    public init(catalogue: Catalogue, file: String = "case.json") {
        self.catalogue = catalogue
        self.file = file
    }

    func fail(_ path: String, _ reason: String) -> DataFileError {
        DataFileError(file: file, line: nil, reason: path.isEmpty ? reason : "\(path): \(reason)")
    }

    public func read(_ data: Data) throws -> EligibilityCase {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw DataFileError(file: file, line: nil, reason: "không phải JSON hợp lệ (\((error as NSError).userInfo["NSDebugDescription"] as? String ?? "lỗi cú pháp"))")
        }
        return try read(object: json)
    }

    public func read(object json: Any) throws -> EligibilityCase {
        let root = try object(json, "", allowed: ["evaluationYear", "asOf", "subject", "ratings", "awards", "initiatives", "disciplines",
                                                  "freezes", "memberStats", "ledBloc", "candidates", "regime"])
        let asOf = try day(root["asOf"], "asOf", required: true)!
        let evalYear = try int(root["evaluationYear"], "evaluationYear", required: true)!
        guard (1945...2200).contains(evalYear) else { throw fail("evaluationYear", "năm không hợp lệ") }
        if evalYear > asOf.year { throw fail("evaluationYear", "năm xét \(evalYear) ở tương lai so với ngày xét \(asOf.vietnamese)") }
        // Facts after the date of consideration are read and left out of the verdict, which lists them (`AsOfView`),
        // as on the register's pages: a past `asOf` gives the verdict as it stood then.
        func checkYear(_ y: Int, _ path: String) throws {
            guard (1945...2200).contains(y) else { throw fail(path, "năm \(y) không hợp lệ") }
        }
        func checkDay(_ d: Day, _ path: String) throws {
            guard (1945...2200).contains(d.year) else { throw fail(path, "ngày \(d.vietnamese) không hợp lệ") }
        }

        let subject = try object(root["subject"] ?? NSNull(), "subject", allowed: ["type", "name", "gender", "armedForces", "serviceStart"])
        guard let typeRaw = subject["type"] as? String, let type = SubjectType(rawValue: typeRaw) else {
            throw fail("subject.type", "phải là \"individual\" hoặc \"collective\"")
        }
        let name = try string(subject["name"], "subject.name", required: false) ?? ""
        var gender: Gender?
        if let g = subject["gender"], !(g is NSNull) {
            guard let s = g as? String, let v = Gender(rawValue: s) else { throw fail("subject.gender", "phải là \"female\" hoặc \"male\"") }
            gender = v
        }

        var armedForces: Bool?
        if let a = subject["armedForces"], !(a is NSNull) {
            guard let b = a as? Bool else { throw fail("subject.armedForces", "phải là true hoặc false") }
            armedForces = b
        }

        var ratings: [Int: TaskRating] = [:]
        for (i, item) in try array(root["ratings"], "ratings").enumerated() {
            let p = "ratings[\(i)]"
            let o = try object(item, p, allowed: ["year", "rating"])
            let y = try int(o["year"], p + ".year", required: true)!
            try checkYear(y, p + ".year")
            guard let raw = o["rating"] as? String, let r = TaskRating(rawValue: raw) else {
                throw fail(p + ".rating", "mã xếp loại “\(o["rating"].map { "\($0)" } ?? "")” không hợp lệ (HTXSNV, HTTNV, HTNV, KHTNV)")
            }
            if let existing = ratings[y], existing != r { throw fail(p, "năm \(y) có hai xếp loại khác nhau") }
            ratings[y] = r
        }

        var awards: [AwardFact] = []
        for (i, item) in try array(root["awards"], "awards").enumerated() {
            let p = "awards[\(i)]"
            let o = try object(item, p, allowed: ["kind", "year", "type", "decision", "date", "issuer", "revoked", "periodFrom"])
            let kind = try awardCode(o["kind"], p + ".kind")
            let y = try int(o["year"], p + ".year", required: true)!
            try checkYear(y, p + ".year")
            var type = AwardType.merit
            if let t = o["type"], !(t is NSNull) {
                guard let s = t as? String, let v = AwardType(rawValue: s) else {
                    throw fail(p + ".type", "loại khen thưởng không hợp lệ (\(AwardType.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                type = v
            }
            let date = try day(o["date"], p + ".date", required: false)
            if let date { try checkDay(date, p + ".date") }
            var revoked = false
            if let r = o["revoked"], !(r is NSNull) {
                guard let b = r as? Bool else { throw fail(p + ".revoked", "phải là true hoặc false") }
                revoked = b
            }
            let periodFrom = try int(o["periodFrom"], p + ".periodFrom", required: false)
            if let periodFrom {
                try checkYear(periodFrom, p + ".periodFrom")
                guard periodFrom <= y else { throw fail(p + ".periodFrom", "năm bắt đầu thành tích \(periodFrom) sau năm thành tích \(y)") }
                guard y - periodFrom < 30 else { throw fail(p + ".periodFrom", "thời gian lập thành tích \(periodFrom)–\(y) dài quá 30 năm") }
            }
            awards.append(AwardFact(kind: kind, year: y, type: type, decision: try string(o["decision"], p + ".decision", required: false),
                                    date: date, issuer: try string(o["issuer"], p + ".issuer", required: false), revoked: revoked, periodFrom: periodFrom))
        }

        var initiatives: [InitiativeFact] = []
        var ids = Set<String>()
        for (i, item) in try array(root["initiatives"], "initiatives").enumerated() {
            let p = "initiatives[\(i)]"
            let o = try object(item, p, allowed: ["id", "year", "scope", "usedBy", "title"])
            let id = try string(o["id"], p + ".id", required: true)!
            if !ids.insert(id).inserted { throw fail(p + ".id", "sáng kiến “\(id)” được khai hai lần (một sáng kiến chỉ được dùng cho một lần khen thưởng)") }
            let y = try int(o["year"], p + ".year", required: true)!
            try checkYear(y, p + ".year")
            guard let raw = o["scope"] as? String, let scope = InitiativeScope(rawValue: raw) else {
                throw fail(p + ".scope", "phạm vi phải là grassroots, province hoặc national")
            }
            var usedBy: String?
            if let u = o["usedBy"], !(u is NSNull) {
                guard let s = u as? String else { throw fail(p + ".usedBy", "phải có dạng \"MÃ:NĂM\", ví dụ \"CSTDCS:2023\"") }
                let parts = s.split(separator: ":")
                guard parts.count == 2, let uy = Int(parts[1]) else { throw fail(p + ".usedBy", "phải có dạng \"MÃ:NĂM\", ví dụ \"CSTDCS:2023\"") }
                guard catalogue.awards[String(parts[0])] != nil else { throw fail(p + ".usedBy", "mã “\(parts[0])” không có trong danh mục") }
                if uy < y { throw fail(p + ".usedBy", "sáng kiến năm \(y) không thể dùng cho khen thưởng năm \(uy)") }
                usedBy = s
            }
            initiatives.append(InitiativeFact(id: id, year: y, scope: scope, usedBy: usedBy, title: try string(o["title"], p + ".title", required: false)))
        }

        var disciplines: [DisciplineFact] = []
        for (i, item) in try array(root["disciplines"], "disciplines").enumerated() {
            let p = "disciplines[\(i)]"
            let o = try object(item, p, allowed: ["from", "to", "form"])
            let from = try day(o["from"], p + ".from", required: true)!
            try checkDay(from, p + ".from")
            let to = try day(o["to"], p + ".to", required: false)
            if let to, to < from { throw fail(p + ".to", "ngày kết thúc trước ngày bắt đầu") }
            disciplines.append(DisciplineFact(from: from, to: to, form: try string(o["form"], p + ".form", required: true)!))
        }
        let sortedD = disciplines.enumerated().sorted { $0.element.from < $1.element.from }
        for (a, b) in zip(sortedD, sortedD.dropFirst()) {
            if a.element.to == nil || b.element.from <= a.element.to! {
                throw fail("disciplines[\(b.offset)]", "thời gian kỷ luật chồng lên disciplines[\(a.offset)]")
            }
        }

        var freezes: [FreezeFact] = []
        for (i, item) in try array(root["freezes"], "freezes").enumerated() {
            let p = "freezes[\(i)]"
            let o = try object(item, p, allowed: ["from", "to", "reason"])
            let from = try day(o["from"], p + ".from", required: true)!
            let to = try day(o["to"], p + ".to", required: false)
            if let to, to < from { throw fail(p + ".to", "ngày kết thúc trước ngày bắt đầu") }
            freezes.append(FreezeFact(from: from, to: to, reason: try string(o["reason"], p + ".reason", required: true)!))
        }

        var stats: [Int: MemberStats] = [:]
        for (i, item) in try array(root["memberStats"], "memberStats").enumerated() {
            let p = "memberStats[\(i)]"
            let o = try object(item, p, allowed: ["year", "members", "completed", "LDTT", "CSTDCS", "disciplined"])
            let y = try int(o["year"], p + ".year", required: true)!
            try checkYear(y, p + ".year")
            let members = try int(o["members"], p + ".members", required: true)!
            let completed = try int(o["completed"], p + ".completed", required: true)!
            let ldtt = try int(o["LDTT"], p + ".LDTT", required: true)!
            let cstdcs = try int(o["CSTDCS"], p + ".CSTDCS", required: true)!
            let disciplined = try int(o["disciplined"], p + ".disciplined", required: false)
            guard members > 0 else { throw fail(p + ".members", "số thành viên phải lớn hơn 0") }
            for (v, k) in [(completed, "completed"), (ldtt, "LDTT"), (cstdcs, "CSTDCS"), (disciplined ?? 0, "disciplined")] where v < 0 || v > members {
                throw fail(p + "." + k, "phải từ 0 đến số thành viên (\(members))")
            }
            if cstdcs > ldtt { throw fail(p + ".CSTDCS", "số CSTĐCS không thể lớn hơn số LĐTT") }
            if stats[y] != nil { throw fail(p + ".year", "năm \(y) khai hai lần") }
            stats[y] = MemberStats(year: y, members: members, completed: completed, LDTT: ldtt, CSTDCS: cstdcs, disciplined: disciplined)
        }
        if type == .individual && !stats.isEmpty { throw fail("memberStats", "chỉ dùng cho tập thể") }

        var led: Set<Int>?
        if let l = root["ledBloc"], !(l is NSNull) {
            led = []
            for (i, v) in try array(l, "ledBloc").enumerated() {
                guard let y = v as? Int else { throw fail("ledBloc[\(i)]", "phải là một năm") }
                try checkYear(y, "ledBloc[\(i)]")
                led!.insert(y)
            }
            if type == .individual { throw fail("ledBloc", "chỉ dùng cho tập thể") }
        }

        var candidates: [String] = []
        for (i, v) in try array(root["candidates"], "candidates").enumerated() {
            let code = try awardCode(v, "candidates[\(i)]")
            guard catalogue.awards[code]!.subjects.contains(type) else {
                throw fail("candidates[\(i)]", "“\(catalogue.awards[code]!.name)” không xét cho \(type.label)")
            }
            if !candidates.contains(code) { candidates.append(code) }
        }

        var regime: String?
        if let r = root["regime"], !(r is NSNull) {
            guard let s = r as? String, catalogue.regime(id: s) != nil else {
                throw fail("regime", "chế độ pháp lý không có trong danh mục (\(catalogue.regimes.map(\.id).joined(separator: ", ")))")
            }
            regime = s
        }

        if regime == nil, catalogue.regime(for: asOf) == nil { throw fail("asOf", catalogue.uncoveredReason(asOf)) }

        var result = EligibilityCase(evaluationYear: evalYear, asOf: asOf, subjectType: type, name: name, gender: gender, ratings: ratings,
                               awards: awards, initiatives: initiatives, disciplines: disciplines, freezes: freezes, memberStats: stats,
                               ledBloc: led, candidates: candidates, regime: regime)
        result.armedForces = armedForces
        if let start = try day(subject["serviceStart"], "subject.serviceStart", required: false) {
            try checkDay(start, "subject.serviceStart")
            if type == .collective { throw fail("subject.serviceStart", "chỉ dùng cho cá nhân") }
            if start > asOf { throw fail("subject.serviceStart", "ngày bắt đầu công tác \(start.vietnamese) sau ngày xét \(asOf.vietnamese)") }
            result.serviceStart = start
        }
        // A list left out is "not recorded"; an empty list is "none" (docs/eligibility.md).
        if root["initiatives"] == nil || root["initiatives"] is NSNull { result.initiativesRecorded = .none }
        if root["disciplines"] == nil || root["disciplines"] is NSNull { result.disciplinesRecorded = .none }
        return result
    }

    // MARK: Helpers

    func object(_ v: Any, _ path: String, allowed: Set<String>) throws -> [String: Any] {
        guard let o = v as? [String: Any] else { throw fail(path, "cần một đối tượng JSON {…}") }
        for key in o.keys.sorted() where !allowed.contains(key) {
            throw fail(path.isEmpty ? key : "\(path).\(key)", "trường không được hỗ trợ (các trường hợp lệ: \(allowed.sorted().joined(separator: ", ")))")
        }
        return o
    }

    func array(_ v: Any?, _ path: String) throws -> [Any] {
        guard let v, !(v is NSNull) else { return [] }
        guard let a = v as? [Any] else { throw fail(path, "cần một danh sách […]") }
        return a
    }

    func int(_ v: Any?, _ path: String, required: Bool) throws -> Int? {
        guard let v, !(v is NSNull) else {
            if required { throw fail(path, "thiếu giá trị") }
            return nil
        }
        if let n = v as? NSNumber, n.doubleValue == n.doubleValue.rounded(), let i = v as? Int { _ = n; return i }
        throw fail(path, "phải là số nguyên")
    }

    func string(_ v: Any?, _ path: String, required: Bool) throws -> String? {
        guard let v, !(v is NSNull) else {
            if required { throw fail(path, "thiếu giá trị") }
            return nil
        }
        guard let s = v as? String else { throw fail(path, "phải là chuỗi ký tự") }
        let clean = VietnameseText.clean(s)
        if required && clean.isEmpty { throw fail(path, "không được để trống") }
        return clean
    }

    func day(_ v: Any?, _ path: String, required: Bool) throws -> Day? {
        guard let s = try string(v, path, required: required) else { return nil }
        guard let d = Day(iso: s) else { throw fail(path, "ngày phải có dạng yyyy-MM-dd và là ngày có thật") }
        return d
    }

    func awardCode(_ v: Any?, _ path: String) throws -> String {
        guard let s = v as? String else { throw fail(path, "cần mã danh hiệu") }
        guard catalogue.awards[s] != nil else { throw fail(path, "mã danh hiệu “\(s)” không có trong danh mục") }
        return s
    }
}
