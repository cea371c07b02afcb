import Foundation

/// The one place where a number, year, page, count or code that a user sent becomes a checked value with a
/// documented range. Handlers never convert raw numbers themselves: a value outside its range is a 422 naming
/// the field, never a trap (in Swift an overflow, `Int(hugeDouble)` or `1...0` ends the whole process).
public enum Bounded {
    // MARK: Ranges (documented in docs/limits.md)

    /// Points of a criterion's maximum, cap or per-event value: at most 10.000, two decimals.
    public static let pointsLimit: Double = 10_000
    /// Years anywhere in ThiDua (register history starts with the Democratic Republic, 1945).
    public static let years: ClosedRange<Int> = 1945...2100
    /// Emulation years (the years a bloc, covenant or deadline belongs to).
    public static let emulationYears: ClosedRange<Int> = 2000...2100
    /// Page numbers of a listing.
    public static let pages: ClosedRange<Int> = 1...100_000
    /// Counts of people (members of a collective and the like).
    public static let headcounts: ClosedRange<Int> = 0...1_000_000
    /// Optimistic-locking counters.
    public static let lockVersions: ClosedRange<Int> = 0...1_000_000_000

    // MARK: Points

    /// A point value: finite, within the range, at most two decimals; returned rounded to hundredths.
    /// - `positive`: 0 < v ≤ 10.000 (a maximum or a cap); otherwise −10.000 ≤ v ≤ 10.000 and v ≠ 0 (bonus or penalty per event).
    public static func points(_ value: Double?, field: String, label: String, positive: Bool = true) throws -> Double {
        guard let v = value else { throw DomainError.invalid("\(label): hãy nhập một số.", field: field) }
        guard v.isFinite else { throw DomainError.invalid("\(label) phải là một số hữu hạn.", field: field) }
        if positive {
            guard v > 0, v <= pointsLimit else {
                throw DomainError.invalid("\(label) phải lớn hơn 0 và không quá \(VietnameseFormat.number(Int(pointsLimit))).", field: field)
            }
        } else {
            guard v != 0, abs(v) <= pointsLimit else {
                throw DomainError.invalid("\(label) phải khác 0 và trong khoảng từ -\(VietnameseFormat.number(Int(pointsLimit))) đến \(VietnameseFormat.number(Int(pointsLimit))).", field: field)
            }
        }
        // |v| ≤ 10.000, so v × 100 ≤ 1.000.000: exact enough to tell a third decimal.
        let hundredths = (v * 100).rounded()
        guard abs(v * 100 - hundredths) < 1e-6 else {
            throw DomainError.invalid("\(label) chỉ được có tối đa 2 chữ số thập phân.", field: field)
        }
        return hundredths / 100
    }

    /// A number typed in a form ("12,5" or "12.5"); nil when left empty. Points grouping thousands the Vietnamese way
    /// are read as such: "1.250" and "1.250,5" are 1250 and 1250,5 (never 1,25), "12.5" stays 12,5.
    public static func decimal(text: String?, field: String, label: String) throws -> Double? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        var plain = t
        if t.count <= 32, isGroupedThousands(t) {
            plain = t.replacingOccurrences(of: ".", with: "")
        }
        guard t.count <= 32, let v = Double(plain.replacingOccurrences(of: ",", with: ".")), v.isFinite else {
            throw DomainError.invalid("\(label): “\(t.prefix(32))” không phải là một số.", field: field)
        }
        return v
    }

    /// "1.250", "-12.000.000" or "1.250,75": digits grouped by three with points, an optional decimal comma.
    static func isGroupedThousands(_ t: String) -> Bool {
        let body = t.hasPrefix("-") ? t.dropFirst() : Substring(t)
        let whole = body.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let groups = whole.split(separator: ".", omittingEmptySubsequences: false)
        guard groups.count >= 2, let first = groups.first, (1...3).contains(first.count) else { return false }
        return groups.allSatisfy { g in g.allSatisfy(\.isASCII) && g.allSatisfy(\.isNumber) } && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    // MARK: Integers

    /// An integer within `range`, or a 422 naming the field.
    public static func int(_ value: Int?, field: String, label: String, in range: ClosedRange<Int>) throws -> Int {
        guard let v = value, range.contains(v) else {
            throw DomainError.invalid("\(label) phải là số nguyên từ \(VietnameseFormat.number(range.lowerBound)) đến \(VietnameseFormat.number(range.upperBound)).", field: field)
        }
        return v
    }

    /// An integer typed as text (query string, form field); nil when empty. Digits only (an optional minus):
    /// "1e3", "0x10", "99999999999999999999" and "-1" outside the range are refused, not wrapped or trapped.
    public static func int(text: String?, field: String, label: String, in range: ClosedRange<Int>) throws -> Int? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        let digits = t.hasPrefix("-") ? t.dropFirst() : Substring(t)
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(t) else {
            throw DomainError.invalid("\(label) phải là số nguyên từ \(VietnameseFormat.number(range.lowerBound)) đến \(VietnameseFormat.number(range.upperBound)).", field: field)
        }
        return try int(v, field: field, label: label, in: range)
    }

    /// A page number from the query string: empty means page 1.
    public static func page(text: String?, field: String = "page") throws -> Int {
        try int(text: text, field: field, label: "Số trang", in: pages) ?? 1
    }

    /// The rows of page `page` of size `size`: computed with checked arithmetic on bounded values.
    public static func pageRange(_ page: Int, size: Int) -> Range<Int> {
        let p = min(max(page, pages.lowerBound), pages.upperBound)
        let s = min(max(size, 1), 1_000)
        return (p - 1) * s ..< p * s
    }

    /// An emulation year (2000…2100).
    public static func emulationYear(_ value: Int?, field: String = "year") throws -> Int {
        guard let y = value, emulationYears.contains(y) else {
            throw DomainError.invalid("Năm thi đua phải là một năm từ \(emulationYears.lowerBound) đến \(emulationYears.upperBound).", field: field)
        }
        return y
    }

    /// An emulation year typed as text; nil when empty.
    public static func emulationYear(text: String?, field: String = "year") throws -> Int? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        guard t.count == 4, let y = Int(t) else {
            throw DomainError.invalid("Năm thi đua phải là một năm từ \(emulationYears.lowerBound) đến \(emulationYears.upperBound).", field: field)
        }
        return try emulationYear(y, field: field)
    }

    // MARK: Lists and texts

    /// Refuses a list longer than `max` (before any work is done on its elements).
    public static func list<T>(_ items: [T]?, field: String, label: String, max: Int) throws {
        if let items, items.count > max {
            throw DomainError.invalid("\(label): tối đa \(VietnameseFormat.number(max)) mục (đã gửi \(VietnameseFormat.number(items.count))).", field: field)
        }
    }

    /// A free text of at most `max` characters (nil stays nil), in NFC, without control characters other than
    /// line breaks and tabs.
    public static func text(_ raw: String?, field: String, label: String, max: Int) throws -> String? {
        guard let raw else { return nil }
        let value = VietnameseText.clean(raw)
        if value.count > max { throw DomainError.invalid("\(label) dài quá \(VietnameseFormat.number(max)) ký tự.", field: field) }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            throw DomainError.invalid("\(label) chứa ký tự điều khiển không hợp lệ.", field: field)
        }
        return value
    }

    // MARK: Codes that appear in URLs

    /// Longest code (criterion codes, award codes) that may appear in a path.
    public static let codeLength = 16

    /// True when `code` uses only the safe alphabet: ASCII letters, digits, ".", "_", "-"; 1…16 characters;
    /// not "." or "..".
    public static func isSafeCode(_ code: String) -> Bool {
        (1...codeLength).contains(code.utf8.count) && code != "." && code != ".."
            && code.unicodeScalars.allSatisfy { s in
                ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "." || s == "_" || s == "-"
            }
    }

    /// A code from the safe alphabet (trimmed), or a 422 that says which characters are allowed.
    public static func code(_ raw: String?, field: String, label: String) throws -> String {
        let t = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty { throw DomainError.invalid("\(label): hãy nhập mã.", field: field) }
        guard isSafeCode(t) else {
            throw DomainError.invalid("\(label) “\(t.prefix(codeLength))\(t.count > codeLength ? "…" : "")” không hợp lệ: tối đa \(codeLength) ký tự, chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang.", field: field)
        }
        return t
    }
}
