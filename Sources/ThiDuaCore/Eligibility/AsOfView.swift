import Foundation

/// What was known on the date of consideration. Facts dated after `asOf` are left out on every path (a case file,
/// a person's page, the report, bulk runs), so that a past `asOf` gives the verdict as it stood then; the
/// explanation lists what was left out. A fact is after `asOf` when its date is (an award's decision, the start of
/// a discipline or a freeze) or, having only a year, when that year is after `asOf`'s year (ratings, initiatives,
/// member counts, bloc results, undated awards). An initiative consumed by an award left out is free again.
public enum AsOfView {
    static func after(_ a: AwardFact, _ asOf: Day) -> Bool { a.date.map { $0 > asOf } ?? (a.year > asOf.year) }

    /// True when nothing in the case is after `asOf` (the usual case: no copy is made).
    static func current(_ c: EligibilityCase) -> Bool {
        let d = c.asOf, y = d.year
        if c.awards.contains(where: { after($0, d) }) || c.initiatives.contains(where: { $0.year > y || usedAfter($0, y) }) { return false }
        if c.ratings.keys.contains(where: { $0 > y }) || c.memberStats.keys.contains(where: { $0 > y }) { return false }
        if c.disciplines.contains(where: { $0.from > d }) || c.freezes.contains(where: { $0.from > d }) { return false }
        if let led = c.ledBloc, led.contains(where: { $0 > y }) { return false }
        return true
    }

    /// "CSTDCS:2025" consumed in a year after `year`.
    static func usedAfter(_ i: InitiativeFact, _ year: Int) -> Bool {
        guard let u = i.usedBy, let colon = u.firstIndex(of: ":"), let y = Int(u[u.index(after: colon)...]) else { return false }
        return y > year
    }

    /// The case as known on `asOf`, and what was left out, in Vietnamese (sorted, so that input order never matters).
    public static func apply(_ c: EligibilityCase) -> (EligibilityCase, [String]) {
        if current(c) { return (c, []) }
        let d = c.asOf, y = d.year
        var out = c
        var left: [String] = []
        let after = " – sau ngày xét \(d.vietnamese)"
        for a in c.awards where Self.after(a, d) {
            left.append("Khen thưởng \(a.kind) năm \(a.year)\(a.date.map { " (quyết định ngày \($0.vietnamese))" } ?? "")" + after)
        }
        out.awards = c.awards.filter { !Self.after($0, d) }
        for (year, r) in c.ratings where year > y { left.append("Xếp loại năm \(year) (\(r.rawValue))" + after) }
        out.ratings = c.ratings.filter { $0.key <= y }
        var initiatives: [InitiativeFact] = []
        for i in c.initiatives {
            if i.year > y { left.append("Sáng kiến \(i.label) năm \(i.year)" + after); continue }
            var kept = i
            if usedAfter(i, y) {
                left.append("Sáng kiến \(i.label) dùng cho \(i.usedBy ?? "") – lần khen đó sau ngày xét, nên khi ấy chưa dùng")
                kept.usedBy = nil
            }
            initiatives.append(kept)
        }
        out.initiatives = initiatives
        for x in c.disciplines where x.from > d { left.append("Kỷ luật (\(x.form)) từ \(x.from.vietnamese)" + after) }
        out.disciplines = c.disciplines.filter { $0.from <= d }
        for f in c.freezes where f.from > d { left.append("Đang \(f.reason) từ \(f.from.vietnamese)" + after) }
        out.freezes = c.freezes.filter { $0.from <= d }
        for year in c.memberStats.keys where year > y { left.append("Số liệu thành viên năm \(year)" + after) }
        out.memberStats = c.memberStats.filter { $0.key <= y }
        if let led = c.ledBloc {
            for year in led where year > y { left.append("Dẫn đầu khối năm \(year)" + after) }
            out.ledBloc = led.filter { $0 <= y }
        }
        return (out, left.sorted())
    }
}
