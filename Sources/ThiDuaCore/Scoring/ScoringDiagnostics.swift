import Foundation

/// For the leader: signs of strategic scoring among peers. Each peer's mark on a manual criterion is compared with the
/// other scorers' marks on the same unit and criterion: a scorer that marks its direct rivals (the units ranked near
/// its own) lower than the others do, more than it does elsewhere, is flagged; single marks far from the others' median
/// are listed. Nothing here changes a score: the leader decides, and the marks stay as given.
public enum ScoringDiagnostics {
    public struct Settings: Hashable, Codable, Sendable {
        /// Rivals: the units ranked within this many places of the scorer's own unit.
        public var rivalWindow: Int
        /// A mark further than this from the others' median is an outlier.
        public var outlierGap: Points
        /// Flag a scorer whose rivals' deviation is below its deviation elsewhere by more than this.
        public var rivalGap: Points
        /// No deviation is computed (nor a flag raised) from fewer marks than this: too few to say anything.
        public var minimumMarks: Int

        public init(rivalWindow: Int = 2, outlierGap: Points = Points(hundredths: 200), rivalGap: Points = Points(hundredths: 100), minimumMarks: Int = 5) {
            self.rivalWindow = max(1, min(rivalWindow, 50)); self.outlierGap = outlierGap; self.rivalGap = rivalGap
            self.minimumMarks = max(1, min(minimumMarks, 10_000))
        }
    }

    public struct Outlier: Hashable, Codable, Sendable {
        public var unit: UUID
        public var criterion: String
        public var mark: Points
        public var othersMedian: Points
    }

    public struct ScorerReport: Hashable, Codable, Sendable {
        public var scorer: UUID
        public var rivals: [UUID]
        public var rivalMarks: Int
        public var otherMarks: Int
        /// Mean of (its mark − the others' mean) over its rivals and over the other units; nil below the minimum.
        public var rivalDeviation: Points?
        public var otherDeviation: Points?
        public var flagged: Bool
        public var outliers: [Outlier]
        public var explanation: String
    }

    public static func analyse(marks: [ScoreMark], conflicts: [ConflictDeclaration], ranking: [RankedUnit],
                               settings: Settings = Settings()) -> [ScorerReport] {
        struct Pair: Hashable { var scorer: UUID; var unit: UUID }
        let left = Set(conflicts.map { Pair(scorer: $0.scorer, unit: $0.unit) })
        struct Key: Hashable { var unit: UUID; var criterion: String }
        var groups: [Key: [(scorer: UUID, points: Points)]] = [:]
        for m in marks {
            // Manual marks only, within the bounds every stored mark has (a mark beyond them cannot be compared).
            guard case .peer(let scorer) = m.scorer, scorer != m.unit, case .points(let p) = m.value,
                  p.hundredths.magnitude <= UInt64(Points.limit), !left.contains(Pair(scorer: scorer, unit: m.unit)) else { continue }
            groups[Key(unit: m.unit, criterion: m.criterion), default: []].append((scorer, p))
        }
        let place = Dictionary(ranking.enumerated().map { ($0.element.unit, $0.offset) }, uniquingKeysWith: { a, _ in a })
        func rivals(of scorer: UUID) -> Set<UUID> {
            guard let mine = place[scorer] else { return [] }
            return Set(ranking.enumerated().filter { $0.offset != mine && abs($0.offset - mine) <= settings.rivalWindow }.map(\.element.unit))
        }
        var rivalSets: [UUID: Set<UUID>] = [:]
        var sums: [UUID: (rival: Int64, rivalN: Int, other: Int64, otherN: Int)] = [:]
        var outliers: [UUID: [Outlier]] = [:]
        for (key, group) in groups where group.count >= 2 {
            let total = Points.sum(group.map(\.points))
            for (i, (scorer, p)) in group.enumerated() {
                let othersMean = Points.roundedDivision((total - p).hundredths, Int64(group.count - 1))
                let deviation = p.hundredths - othersMean
                let rivalsOfScorer = rivalSets[scorer] ?? { let r = rivals(of: scorer); rivalSets[scorer] = r; return r }()
                var s = sums[scorer] ?? (0, 0, 0, 0)
                if rivalsOfScorer.contains(key.unit) { s.rival += deviation; s.rivalN += 1 } else { s.other += deviation; s.otherN += 1 }
                sums[scorer] = s
                var others = group.map(\.points)
                others.remove(at: i)
                others.sort()
                let median = Points.median(sorted: others) ?? .zero
                if abs(p.hundredths - median.hundredths) > settings.outlierGap.hundredths {
                    outliers[scorer, default: []].append(Outlier(unit: key.unit, criterion: key.criterion, mark: p, othersMedian: median))
                }
            }
        }
        return sums.keys.sorted { $0.uuidString < $1.uuidString }.map { scorer in
            let s = sums[scorer] ?? (0, 0, 0, 0)
            let rivalDev = s.rivalN >= settings.minimumMarks ? Points(hundredths: Points.roundedDivision(s.rival, Int64(s.rivalN))) : nil
            let otherDev = s.otherN >= settings.minimumMarks ? Points(hundredths: Points.roundedDivision(s.other, Int64(s.otherN))) : nil
            var flagged = false
            var text: String
            if let r = rivalDev, let o = otherDev {
                flagged = o - r > settings.rivalGap
                text = "Chấm các đơn vị cạnh tranh trực tiếp lệch \(r) điểm so với trung bình các đơn vị chấm khác (\(s.rivalN) điểm chấm), các đơn vị còn lại lệch \(o) (\(s.otherN) điểm chấm)"
                text += flagged ? ": thấp hơn quá \(settings.rivalGap) điểm, cần xem xét." : "."
            } else {
                text = "Chưa đủ \(settings.minimumMarks) điểm chấm để so sánh (\(s.rivalN) với đơn vị cạnh tranh, \(s.otherN) với đơn vị khác)."
            }
            let list = (outliers[scorer] ?? []).sorted { ($0.unit.uuidString, $0.criterion) < ($1.unit.uuidString, $1.criterion) }
            return ScorerReport(scorer: scorer, rivals: (rivalSets[scorer] ?? rivals(of: scorer)).sorted { $0.uuidString < $1.uuidString },
                                rivalMarks: s.rivalN, otherMarks: s.otherN, rivalDeviation: rivalDev, otherDeviation: otherDev,
                                flagged: flagged, outliers: list, explanation: text)
        }
    }
}
