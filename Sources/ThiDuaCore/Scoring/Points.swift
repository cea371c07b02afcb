import Foundation

/// Points as an exact count of hundredths (scores have at most two decimals): sums, means and comparisons never
/// meet floating point. Every value entering here is bounded (|points| ≤ 1.000.000), so no sum of a scale
/// (at most 500 criteria) can overflow.
public struct Points: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var hundredths: Int64

    public static let zero = Points(hundredths: 0)
    /// The largest magnitude accepted from a stored or typed value.
    public static let limit: Int64 = 100_000_000

    public init(hundredths: Int64) { self.hundredths = hundredths }

    /// A stored number (a criterion's maximum) as points; nil when it is not finite, out of range, or has more than
    /// two decimals (a value stored before the bounds existed). Never traps.
    public init?(stored value: Double) {
        guard value.isFinite, abs(value) <= Double(Self.limit) / 100 else { return nil }
        let h = (value * 100).rounded()
        guard abs(value * 100 - h) < 1e-6 else { return nil }
        hundredths = Int64(h)
    }

    /// Points typed by a scorer for a criterion with maximum `max`: finite, from `min` to `max`, at most two decimals.
    public static func parse(_ value: Double?, min: Points = .zero, max: Points, field: String, label: String) throws -> Points {
        guard let value else { throw DomainError.invalid("\(label): hãy nhập điểm.", field: field) }
        guard let p = Points(stored: value) else {
            throw DomainError.invalid(value.isFinite && abs(value) <= Double(limit) / 100
                ? "\(label): điểm chỉ được có tối đa 2 chữ số thập phân." : "\(label): điểm phải là một số hữu hạn.", field: field)
        }
        guard p >= min, p <= max else {
            throw DomainError.invalid("\(label): điểm phải từ \(min) đến \(max).", field: field)
        }
        return p
    }

    public static func < (a: Points, b: Points) -> Bool { a.hundredths < b.hundredths }
    public static func + (a: Points, b: Points) -> Points { Points(hundredths: a.hundredths + b.hundredths) }
    public static func - (a: Points, b: Points) -> Points { Points(hundredths: a.hundredths - b.hundredths) }
    public static prefix func - (a: Points) -> Points { Points(hundredths: -a.hundredths) }
    public static func * (a: Points, n: Int64) -> Points { Points(hundredths: a.hundredths * n) }

    public static func sum<S: Sequence>(_ values: S) -> Points where S.Element == Points {
        values.reduce(.zero, +)
    }

    /// `a × numerator ÷ denominator`, rounded half away from zero to the hundredth. Callers pass a positive
    /// denominator (a count, a target, a maximum they checked); zero or less gives zero rather than a trap.
    public static func scaled(_ a: Points, by numerator: Int64, over denominator: Int64) -> Points {
        let (product, overflow) = a.hundredths.multipliedReportingOverflow(by: numerator)
        if !overflow { return Points(hundredths: roundedDivision(product, denominator)) }
        // Beyond any real scale (a target typed as 10^15): approximate, within bounds that no later sum can overflow,
        // rather than a trap.
        guard denominator > 0 else { return .zero }
        let v = (Double(a.hundredths) * Double(numerator) / Double(denominator)).rounded()
        let bound = Double(limit) * 1_000
        return Points(hundredths: Int64(Swift.max(-bound, Swift.min(bound, v.isFinite ? v : 0))))
    }

    /// `n ÷ d` rounded half away from zero: the one rounding rule of scoring, stated on every result.
    public static func roundedDivision(_ n: Int64, _ d: Int64) -> Int64 {
        guard d > 0 else { return 0 }
        let q = n / d, r = n % d
        if 2 * abs(r) >= d { return q + (n < 0 ? -1 : 1) }
        return q
    }

    /// The median of sorted points (the mean of the two middle ones, rounded, when their number is even); nil when empty.
    public static func median(sorted v: [Points]) -> Points? {
        guard !v.isEmpty else { return nil }
        let n = v.count
        return n % 2 == 1 ? v[n / 2] : Points(hundredths: roundedDivision((v[n / 2 - 1] + v[n / 2]).hundredths, 2))
    }

    public func clamped(_ low: Points, _ high: Points) -> Points { Swift.max(low, Swift.min(high, self)) }

    /// As a number for JSON (8.5, not a count of hundredths): what the API answers and what stored settings hold.
    public var decimal: Double { Double(hundredths) / 100 }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let p = Points(stored: try c.decode(Double.self)) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "points: a finite number with at most two decimals")
        }
        self = p
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(decimal)
    }

    /// "12,5", "20", "-3", "1.250,75": the Vietnamese way.
    public var description: String {
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let w = magnitude / 100
        let whole = w < 1_000 ? String(w) : VietnameseFormat.number(Int(w))
        let frac = Int(magnitude % 100)
        if frac == 0 { return sign + whole }
        return sign + whole + "," + (frac % 10 == 0 ? String(frac / 10) : (frac < 10 ? "0" : "") + String(frac))
    }
}
