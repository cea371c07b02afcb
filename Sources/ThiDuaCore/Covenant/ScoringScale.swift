import Foundation

/// How a criterion is scored.
public enum CriterionKind: String, Codable, Sendable, CaseIterable {
    /// Points given by hand, 0…max.
    case manual
    /// Points from a ratio: min(actual ÷ target, 1) × max (a unit without a target is left out of its maximum).
    case targetActual
    /// Max when done, 0 when not.
    case yesNo
    /// Bonus (positive) or penalty (negative) points per event, up to a cap; outside the maximum.
    case adjustment

    public var label: String {
        switch self {
        case .manual: "Chấm điểm trực tiếp"
        case .targetActual: "Theo tỷ lệ thực hiện/chỉ tiêu"
        case .yesNo: "Đạt/không đạt"
        case .adjustment: "Điểm thưởng/điểm trừ theo sự việc"
        }
    }

    /// The documented formula shown with the criterion.
    public var formula: String {
        switch self {
        case .manual: "Điểm = điểm chấm, từ 0 đến điểm tối đa"
        case .targetActual: "Điểm = min(thực hiện ÷ chỉ tiêu; 1) × điểm tối đa"
        case .yesNo: "Điểm = điểm tối đa nếu đạt, 0 nếu không đạt"
        case .adjustment: "Điểm = số sự việc × điểm mỗi sự việc, không vượt mức trần"
        }
    }
}

/// A node of the scoring scale: a group, a criterion or a sub-criterion (at most 4 levels).
public struct Criterion: Codable, Sendable, Equatable, Hashable {
    public var code: String
    public var name: String
    public var maxPoints: Double
    public var guidance: String
    public var kind: CriterionKind
    /// For adjustments: points per event (negative for a penalty).
    public var perEvent: Double?
    /// Units it applies to; nil or empty: every member.
    public var appliesTo: [UUID]?
    public var children: [Criterion]

    public init(code: String, name: String, maxPoints: Double, guidance: String = "", kind: CriterionKind = .manual,
                perEvent: Double? = nil, appliesTo: [UUID]? = nil, children: [Criterion] = []) {
        self.code = code; self.name = name; self.maxPoints = maxPoints; self.guidance = guidance; self.kind = kind
        self.perEvent = perEvent; self.appliesTo = appliesTo; self.children = children
    }

    public func applies(to unit: UUID) -> Bool { appliesTo.map { $0.isEmpty || $0.contains(unit) } ?? true }
}

/// A criterion as sent by a form or the API: flat, with the code of its parent.
public struct CriterionInput: Codable, Sendable, Equatable {
    public var code: String
    public var parent: String?
    public var name: String
    public var maxPoints: Double
    public var guidance: String?
    public var kind: CriterionKind?
    public var perEvent: Double?
    public var appliesTo: [UUID]?
    public init(code: String, parent: String? = nil, name: String, maxPoints: Double, guidance: String? = nil, kind: CriterionKind? = nil,
                perEvent: Double? = nil, appliesTo: [UUID]? = nil) {
        self.code = code; self.parent = parent; self.name = name; self.maxPoints = maxPoints; self.guidance = guidance
        self.kind = kind; self.perEvent = perEvent; self.appliesTo = appliesTo
    }
}

/// The scoring scale (thang điểm): a tree of criteria with its checks, totals and normalisation.
public enum ScoringScale {
    public static let maxDepth = 4

    /// At most this many criteria in one scale (the demo has 14; a real scale some 60).
    public static let maxCriteria = 500

    /// Builds the tree from a flat list (order kept), refusing what cannot be scored: a code outside the safe
    /// alphabet, duplicate codes, a maximum outside 0 < max ≤ 10.000 or with more than two decimals, an unknown
    /// parent, a criterion under itself, more than 4 levels. Every number is bounded here, before any sum.
    public static func build(_ raw: [CriterionInput]) throws -> [Criterion] {
        try Bounded.list(raw, field: "scale", label: "Thang điểm", max: maxCriteria)
        var seen = Set<String>()
        var items: [CriterionInput] = []
        for item in raw {
            var i = item
            i.code = try Bounded.code(item.code, field: "code", label: "Mã tiêu chí")
            let code = i.code
            if !seen.insert(code).inserted { throw DomainError.invalid("Mã tiêu chí “\(code)” bị trùng.", field: code) }
            if let parent = item.parent?.trimmingCharacters(in: .whitespaces), !parent.isEmpty {
                i.parent = try Bounded.code(parent, field: code, label: "Mã tiêu chí cha của “\(code)”")
            } else {
                i.parent = nil
            }
            i.name = try Validate.name(item.name, field: code, label: "Tên tiêu chí “\(code)”", maxLength: 500)
            i.guidance = try Bounded.text(item.guidance, field: code, label: "Hướng dẫn chấm của tiêu chí “\(code)”", max: 4_000)
            let kind = item.kind ?? .manual
            i.maxPoints = try Bounded.points(item.maxPoints, field: code,
                                             label: "Tiêu chí “\(code)”: \(kind == .adjustment ? "mức trần" : "điểm tối đa")")
            if kind == .adjustment {
                i.perEvent = try Bounded.points(item.perEvent, field: code, label: "Tiêu chí “\(code)”: điểm thưởng/trừ mỗi sự việc", positive: false)
            } else {
                i.perEvent = nil
            }
            try Bounded.list(item.appliesTo, field: code, label: "Tiêu chí “\(code)”: đơn vị áp dụng", max: maxCriteria)
            items.append(i)
        }
        let byCode = Dictionary(uniqueKeysWithValues: items.map { ($0.code, $0) })
        // Parents must exist and chains must end at a root: a loop means a criterion under itself.
        for item in items {
            var chain: [String] = [item.code]
            var cursor = item.parent.flatMap { $0.isEmpty ? nil : $0 }
            while let p = cursor {
                guard byCode[p] != nil else { throw DomainError.invalid("Tiêu chí “\(item.code)”: không có tiêu chí cha “\(p)”.", field: item.code) }
                if chain.contains(p) { throw DomainError.invalid("Tiêu chí “\(item.code)” nằm dưới chính nó (vòng lặp qua “\(p)”).", field: item.code) }
                chain.append(p)
                if chain.count > maxDepth { throw DomainError.invalid("Tiêu chí “\(item.code)” sâu quá \(maxDepth) cấp.", field: item.code) }
                cursor = byCode[p]?.parent
            }
        }
        let byParent = Dictionary(grouping: items.filter { $0.parent != nil }, by: { $0.parent ?? "" })
        func node(_ i: CriterionInput) -> Criterion {
            let children = (byParent[i.code] ?? []).map(node)
            return Criterion(code: i.code, name: i.name, maxPoints: i.maxPoints, guidance: i.guidance ?? "",
                             kind: i.kind ?? .manual, perEvent: i.perEvent, appliesTo: i.appliesTo.map { Array(Set($0)).sorted { $0.uuidString < $1.uuidString } }, children: children)
        }
        return items.filter { $0.parent == nil }.map(node)
    }

    /// The tree as a flat list (depth-first), with parents.
    public static func flatten(_ tree: [Criterion]) -> [(criterion: Criterion, parent: String?, depth: Int)] {
        var out: [(Criterion, String?, Int)] = []
        func walk(_ c: Criterion, _ parent: String?, _ depth: Int) {
            out.append((c, parent, depth))
            for child in c.children { walk(child, c.code, depth + 1) }
        }
        for c in tree { walk(c, nil, 1) }
        return out
    }

    public static func inputs(_ tree: [Criterion]) -> [CriterionInput] {
        flatten(tree).map { c, parent, _ in
            CriterionInput(code: c.code, parent: parent, name: c.name, maxPoints: c.maxPoints, guidance: c.guidance, kind: c.kind,
                           perEvent: c.perEvent, appliesTo: c.appliesTo)
        }
    }

    /// The scale's maximum: the sum of the top-level groups that are not bonus/penalty.
    public static func totalMax(_ tree: [Criterion]) -> Double {
        tree.filter { $0.kind != .adjustment }.reduce(0) { $0 + $1.maxPoints }
    }

    /// Groups whose children do not add up to the group's maximum.
    public static func warnings(_ tree: [Criterion]) -> [String] {
        var out: [String] = []
        for (c, _, _) in flatten(tree) where !c.children.isEmpty && c.kind != .adjustment {
            let sum = c.children.filter { $0.kind != .adjustment }.reduce(0) { $0 + $1.maxPoints }
            if abs(sum - c.maxPoints) > 0.0001 {
                out.append("Nhóm “\(c.code). \(c.name)”: tổng điểm các tiêu chí con là \(points(sum)), khác điểm tối đa của nhóm \(points(c.maxPoints)).")
            }
        }
        return out
    }

    /// The maximum a unit can reach: leaf criteria that do not apply to it are left out (adjustments excluded).
    public static func maxFor(unit: UUID, _ tree: [Criterion]) -> Double {
        func leafMax(_ c: Criterion) -> Double {
            guard c.kind != .adjustment, c.applies(to: unit) else { return 0 }
            if c.children.isEmpty { return c.maxPoints }
            return c.children.reduce(0) { $0 + leafMax($1) }
        }
        return tree.reduce(0) { $0 + leafMax($1) }
    }

    /// A unit's raw total brought to the scale's full maximum, so that units judged on fewer criteria compare fairly:
    /// normalised = raw × totalMax ÷ unitMax.
    public static func normalise(raw: Double, unit: UUID, _ tree: [Criterion]) -> Double {
        let unitMax = maxFor(unit: unit, tree)
        guard unitMax > 0 else { return 0 }
        return raw * totalMax(tree) / unitMax
    }

    /// "12,5", "20" or "1.250": total for every Double (a stored value from before the bounds, NaN or 1e19
    /// included), since `Int(v)` on a value out of Int's range ends the process.
    public static func points(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let hundredths = (v * 100).rounded()
        guard abs(hundredths) < 9e15 else { return String(format: "%.0f", v) }
        return Points(hundredths: Int64(hundredths)).description
    }

}
