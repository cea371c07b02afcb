import Foundation

/// Formats that every Vietnamese screen and document uses: dates dd/MM/yyyy in Asia/Ho_Chi_Minh,
/// numbers with "." as the thousands separator.
public enum VietnameseFormat {
    /// The province's time zone (UTC+7, no daylight saving).
    public static let timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    private static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }

    /// "07/03/2018"
    public static func date(_ date: Date) -> String {
        let p = calendar.dateComponents([.day, .month, .year], from: date)
        return String(format: "%02d/%02d/%04d", p.day ?? 0, p.month ?? 0, p.year ?? 0)
    }

    /// The calendar day of `date` in Asia/Ho_Chi_Minh (what "today" means for deadlines and dates of consideration).
    public static func day(_ date: Date) -> Day {
        let p = calendar.dateComponents([.day, .month, .year], from: date)
        return Day(p.year ?? 0, p.month ?? 0, p.day ?? 0)
    }

    /// "07/03/2018 15:39"
    public static func dateTime(_ date: Date) -> String {
        let p = calendar.dateComponents([.hour, .minute], from: date)
        return self.date(date) + String(format: " %02d:%02d", p.hour ?? 0, p.minute ?? 0)
    }

    /// "1.234.567" (negative numbers keep their sign).
    public static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    /// Parses "dd/MM/yyyy" (or ISO "yyyy-MM-dd") as midnight in Asia/Ho_Chi_Minh; nil when it is not a real date.
    public static func parseDate(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        var d = 0, m = 0, y = 0
        let slash = t.split(separator: "/").map(String.init)
        let dash = t.split(separator: "-").map(String.init)
        if slash.count == 3, let dd = Int(slash[0]), let mm = Int(slash[1]), let yy = Int(slash[2]) { (d, m, y) = (dd, mm, yy) }
        else if dash.count == 3, let yy = Int(dash[0]), let mm = Int(dash[1]), let dd = Int(dash[2]) { (d, m, y) = (dd, mm, yy) }
        else { return nil }
        guard (1...12).contains(m), (1...31).contains(d), (1900...2200).contains(y) else { return nil }
        let comps = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: comps) else { return nil }
        let back = calendar.dateComponents([.day, .month, .year], from: date)
        return back.day == d && back.month == m && back.year == y ? date : nil
    }
}
