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

    /// Builds the tree from a flat list (order kept), refusing what cannot be scored:
    /// maximum ≤ 0, duplicate codes, an unknown parent, a criterion under itself, more than 4 levels.
    public static func build(_ items: [CriterionInput]) throws -> [Criterion] {
        var seen = Set<String>()
        for item in items {
            let code = item.code.trimmingCharacters(in: .whitespaces)
            if code.isEmpty { throw DomainError.invalid("Mỗi tiêu chí phải có mã.", field: "code") }
            if !seen.insert(code).inserted { throw DomainError.invalid("Mã tiêu chí “\(code)” bị trùng.", field: code) }
            if VietnameseText.clean(item.name).isEmpty { throw DomainError.invalid("Tiêu chí “\(code)” chưa có tên.", field: code) }
            if item.kind == .adjustment {
                guard let per = item.perEvent, per != 0 else { throw DomainError.invalid("Tiêu chí “\(code)”: điểm thưởng/trừ mỗi sự việc phải khác 0.", field: code) }
                _ = per
            }
            if !(item.maxPoints > 0) || !item.maxPoints.isFinite {
                throw DomainError.invalid("Tiêu chí “\(code)”: điểm tối đa (hoặc mức trần) phải lớn hơn 0.", field: code)
            }
        }
        let byCode = Dictionary(uniqueKeysWithValues: items.map { ($0.code.trimmingCharacters(in: .whitespaces), $0) })
        // Parents must exist and chains must end at a root: a loop means a criterion under itself.
        for item in items {
            var chain: [String] = [item.code]
            var cursor = item.parent.flatMap { $0.isEmpty ? nil : $0 }
            while let p = cursor {
                guard byCode[p] != nil else { throw DomainError.invalid("Tiêu chí “\(item.code)”: không có tiêu chí cha “\(p)”.", field: item.code) }
                if chain.contains(p) { throw DomainError.invalid("Tiêu chí “\(item.code)” nằm dưới chính nó (vòng lặp qua “\(p)”).", field: item.code) }
                chain.append(p)
                if chain.count > maxDepth { throw DomainError.invalid("Tiêu chí “\(item.code)” sâu quá \(maxDepth) cấp.", field: item.code) }
                cursor = byCode[p]!.parent.flatMap { $0.isEmpty ? nil : $0 }
            }
        }
        func node(_ i: CriterionInput) -> Criterion {
            let code = i.code.trimmingCharacters(in: .whitespaces)
            let children = items.filter { ($0.parent ?? "") == code }.map(node)
            return Criterion(code: code, name: VietnameseText.clean(i.name), maxPoints: i.maxPoints, guidance: VietnameseText.clean(i.guidance ?? ""),
                             kind: i.kind ?? .manual, perEvent: i.perEvent, appliesTo: i.appliesTo.map { $0.sorted { $0.uuidString < $1.uuidString } }, children: children)
        }
        return items.filter { ($0.parent ?? "").isEmpty }.map(node)
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

    /// "12,5" or "20".
    public static func points(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v).replacingOccurrences(of: "0+$", with: "", options: .regularExpression).replacingOccurrences(of: ".", with: ",")
    }
}
