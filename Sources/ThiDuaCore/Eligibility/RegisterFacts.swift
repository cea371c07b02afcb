import Foundation

/// Yearly task rating (xếp loại), ordered: KHTNV < HTNV < HTTNV < HTXSNV.
public enum TaskRating: String, Codable, Sendable, CaseIterable, Comparable {
    case KHTNV, HTNV, HTTNV, HTXSNV

    public var rank: Int {
        switch self { case .KHTNV: 0; case .HTNV: 1; case .HTTNV: 2; case .HTXSNV: 3 }
    }
    public static func < (a: TaskRating, b: TaskRating) -> Bool { a.rank < b.rank }

    public var label: String {
        switch self {
        case .HTXSNV: "Hoàn thành xuất sắc nhiệm vụ"
        case .HTTNV: "Hoàn thành tốt nhiệm vụ"
        case .HTNV: "Hoàn thành nhiệm vụ"
        case .KHTNV: "Không hoàn thành nhiệm vụ"
        }
    }
}

/// Award type (Law 06/2022 Art. 8). Only merit awards count toward merit streaks.
public enum AwardType: String, Codable, Sendable, CaseIterable {
    case merit, irregular, thematic, longService, seniority, foreign

    public var label: String {
        switch self {
        case .merit: "theo công trạng và thành tích"
        case .irregular: "đột xuất"
        case .thematic: "theo đợt, chuyên đề"
        case .longService: "quá trình cống hiến"
        case .seniority: "niên hạn"
        case .foreign: "đối ngoại"
        }
    }
}

/// Scope at which an initiative or research work was recognised.
public enum InitiativeScope: String, Codable, Sendable, CaseIterable, Comparable {
    case grassroots, province, national

    public var rank: Int { switch self { case .grassroots: 0; case .province: 1; case .national: 2 } }
    public static func < (a: InitiativeScope, b: InitiativeScope) -> Bool { a.rank < b.rank }

    public var label: String {
        switch self {
        case .grassroots: "cấp cơ sở"
        case .province: "cấp bộ, ngành, tỉnh"
        case .national: "toàn quốc"
        }
    }
}

public enum SubjectType: String, Codable, Sendable, CaseIterable {
    case individual, collective
    public var label: String { self == .individual ? "cá nhân" : "tập thể" }
}

public enum Gender: String, Codable, Sendable, CaseIterable { case female, male }

/// A day without time, compared as (year, month, day).
public struct Day: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public init(_ year: Int, _ month: Int, _ day: Int) { self.year = year; self.month = month; self.day = day }

    /// Parses "yyyy-MM-dd" (a real calendar date) or returns nil.
    /// "2018-03-07" exactly (four-digit year, two-digit month and day, a real date); nil otherwise. Read byte by byte:
    /// the register's batch loader parses a million of these.
    public init?(iso: String) {
        var text = iso
        let parsed: (Int, Int, Int)? = text.withUTF8 { b in
            guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
            func number(_ r: Range<Int>) -> Int? {
                var n = 0
                for i in r {
                    let c = b[i]
                    guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
                    n = n * 10 + Int(c - UInt8(ascii: "0"))
                }
                return n
            }
            guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
            return (y, m, d)
        }
        guard let (y, m, d) = parsed, (1...12).contains(m), d >= 1 else { return nil }
        let days = [31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= days[m - 1] else { return nil }
        self.init(y, m, d)
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
    public var description: String { Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2) }
    /// "07/03/2018"
    public var vietnamese: String { Self.padded(day, 2) + "/" + Self.padded(month, 2) + "/" + Self.padded(year, 4) }

    /// Zero-padded decimal (what `String(format: "%02d")` gives, without Foundation's formatter on every date of a
    /// report).
    static func padded(_ n: Int, _ width: Int) -> String {
        let digits = String(n.magnitude)
        let pad = String(repeating: "0", count: max(0, width - digits.count))
        return (n < 0 ? "-" : "") + pad + digits
    }
}

public struct AwardFact: Sendable, Hashable {
    public var kind: String
    public var year: Int
    public var type: AwardType
    public var decision: String?
    public var date: Day?
    public var issuer: String?
    public var revoked: Bool
    /// The first year of the achievement period the decision names ("thành tích năm 2022–2023"); it ends at `year`.
    /// nil: the decision names no period (or it was not recorded).
    public var periodFrom: Int?
    public init(kind: String, year: Int, type: AwardType = .merit, decision: String? = nil, date: Day? = nil, issuer: String? = nil, revoked: Bool = false,
                periodFrom: Int? = nil) {
        self.kind = kind; self.year = year; self.type = type; self.decision = decision; self.date = date; self.issuer = issuer; self.revoked = revoked
        self.periodFrom = periodFrom
    }

    /// The last achievement year this award used up, from which the next award of an interval rule counts
    /// (`IntervalRule`; Decree 98/2023 Art. 30 cl. 9: from the achievement period written in the previous decision).
    /// A decision that names no period counts from the date it was issued: the years before that date's year are
    /// used up too (ThiDua's reading of the clause's second sentence). Without period or date: the achievement year.
    public var usedUpTo: Int {
        if periodFrom != nil { return year }
        if let date { return max(year, date.year - 1) }
        return year
    }

    /// "2022–2023", "2023".
    public var periodText: String { periodFrom.map { $0 < year ? "\($0)–\(year)" : String(year) } ?? String(year) }
    /// Counts toward merit conditions (streaks, holds, counts): merit type and not revoked.
    public var countsForMerit: Bool { type == .merit && !revoked }
}

public struct InitiativeFact: Sendable, Hashable {
    public var id: String
    public var year: Int
    public var scope: InitiativeScope
    /// The award that consumed it, as "CODE:YEAR", or nil.
    public var usedBy: String?
    public var title: String?
    public init(id: String, year: Int, scope: InitiativeScope, usedBy: String? = nil, title: String? = nil) {
        self.id = id; self.year = year; self.scope = scope; self.usedBy = usedBy; self.title = title
    }
    /// How explanations name it: “title” [id] or the id alone.
    public var label: String { title.map { "“\($0)”" } ?? id }
}

/// A disciplinary measure over a period; achievements count again only after it ends.
public struct DisciplineFact: Sendable, Hashable {
    public var from: Day
    public var to: Day?
    public var form: String
    public init(from: Day, to: Day?, form: String) { self.from = from; self.to = to; self.form = form }
}

/// A period under review, investigation or inspection: no award or proposal meanwhile.
public struct FreezeFact: Sendable, Hashable {
    public var from: Day
    public var to: Day?
    public var reason: String
    public init(from: Day, to: Day?, reason: String) { self.from = from; self.to = to; self.reason = reason }
}

/// A collective's member counts for one year.
public struct MemberStats: Sendable, Hashable {
    public var year: Int
    public var members: Int
    public var completed: Int
    public var LDTT: Int
    public var CSTDCS: Int
    /// Members disciplined at "khiển trách"… "cảnh cáo" or above in the year; nil when not recorded.
    public var disciplined: Int?
    public init(year: Int, members: Int, completed: Int, LDTT: Int, CSTDCS: Int, disciplined: Int? = nil) {
        self.year = year; self.members = members; self.completed = completed; self.LDTT = LDTT; self.CSTDCS = CSTDCS; self.disciplined = disciplined
    }
}

/// Which years of a kind of fact are fully recorded, so that "none recorded" can be told from "none" (issue #10 part 5):
/// every year (a case file that gives the list, even empty: "none"), no year (a case file that omits it: "not
/// recorded"), or the years a register marks as fully recorded.
public enum RecordedYears: Sendable, Hashable {
    case all
    case none
    case years(Set<Int>)

    public func covers(_ year: Int) -> Bool {
        switch self { case .all: true; case .none: false; case .years(let s): s.contains(year) }
    }
}

/// A start of service (recruitment): how it counts and what the register accepts.
public enum ServiceStart {
    /// Full months of service from `start` to the end of `year` (31/12): a start on the 1st counts its month.
    public static func months(from start: Day, toEndOf year: Int) -> Int {
        (year - start.year) * 12 + (12 - start.month) + (start.day == 1 ? 1 : 0)
    }

    /// The earliest year the register takes (the form, the API and the import say the same).
    public static let earliestYear = 1950
    public static let tooEarly = "Ngày bắt đầu công tác phải từ năm \(earliestYear)."
}

/// Everything the evaluator knows about one subject: the case file, or a person or unit of the register.
public struct EligibilityCase: Sendable {
    public var evaluationYear: Int
    public var asOf: Day
    public var subjectType: SubjectType
    public var name: String
    public var gender: Gender?
    /// Armed forces (CSTT, ĐVTT, ĐVQT) or civil (LĐTT, TTLĐTT, TTLĐXS) titles by default; nil: both.
    public var armedForces: Bool?
    public var ratings: [Int: TaskRating]
    public var awards: [AwardFact]
    public var initiatives: [InitiativeFact]
    public var disciplines: [DisciplineFact]
    public var freezes: [FreezeFact]
    public var memberStats: [Int: MemberStats]
    /// Years the collective led its bloc; nil when not recorded at all.
    public var ledBloc: Set<Int>?
    /// Award codes to evaluate; empty means every award of the subject's type.
    public var candidates: [String]
    /// Force a regime instead of choosing it from `asOf`.
    public var regime: String?
    /// When the individual started service (recruitment), if recorded.
    public var serviceStart: Day? = nil
    /// Which years' initiatives and disciplines are fully recorded: where a year is not, a rule that would fail for
    /// lack of them answers `needs_data` naming what to record (`RecordedYears`).
    public var initiativesRecorded: RecordedYears = .all
    public var disciplinesRecorded: RecordedYears = .all

    public init(evaluationYear: Int, asOf: Day, subjectType: SubjectType, name: String = "", gender: Gender? = nil,
                ratings: [Int: TaskRating] = [:], awards: [AwardFact] = [], initiatives: [InitiativeFact] = [],
                disciplines: [DisciplineFact] = [], freezes: [FreezeFact] = [], memberStats: [Int: MemberStats] = [:],
                ledBloc: Set<Int>? = nil, candidates: [String] = [], regime: String? = nil) {
        self.evaluationYear = evaluationYear; self.asOf = asOf; self.subjectType = subjectType; self.name = name; self.gender = gender
        self.ratings = ratings; self.awards = awards; self.initiatives = initiatives; self.disciplines = disciplines
        self.freezes = freezes; self.memberStats = memberStats; self.ledBloc = ledBloc; self.candidates = candidates; self.regime = regime
    }
}
