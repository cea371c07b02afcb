import Fluent
import Foundation
import ThiDuaCore
import ThiDuaDocuments
import Vapor

/// The score matrix (criteria × units, by group), its .xlsx, and the trace from a key task to its criteria's scores:
/// each shows only the units whose detail the caller may read, and the ranking when it may be read.
enum ScoringOutputs {
    struct Matrix: Encodable, Sendable {
        var roundURL: String; var resultsURL: String; var xlsxURL: String
        var blocName: String; var year: Int; var kindLabel: String; var phaseLabel: String
        var units: [Column]
        var groups: [Group]
        struct Column: Encodable, Sendable { var unitID: UUID; var name: String; var rank: Int?; var total: String; var band: String? }
        /// A group's table, split into parts of at most `columnsPerPart` units so that a wide bloc still prints.
        struct Group: Encodable, Sendable { var code: String; var name: String; var parts: [Part] }
        struct Part: Encodable, Sendable { var units: [String]; var rows: [Row]; var label: String? }
        struct Row: Encodable, Sendable { var code: String; var name: String; var maximum: String; var isGroup: Bool; var cells: [String] }
    }

    /// Units per table of the matrix: an A4 landscape page holds the criteria's columns and about ten units.
    static let columnsPerPart = 10

    /// `count` columns cut into runs of at most `size`: [0..<10, 10..<20, …] (none for none).
    static func parts(_ count: Int, size: Int) -> [Range<Int>] {
        guard count > 0, size > 0 else { return [] }
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    /// The results as the caller sees them, the outcomes it may read in detail, the ranking (published: the frozen
    /// ones), and what was loaded for them (the round's data, read once).
    static func visible(_ ctx: ScoringService.Context, caller: Caller) async throws -> (ResultsDTO, [UnitOutcome], [RankedUnit], ScoringViews.Shown) {
        try ScoringViews.requireRanking(ctx, caller: caller)
        let shown = try await ScoringViews.shown(ctx, on: caller.db)
        let dto = ScoringViews.results(ctx, caller: caller, shown: shown)
        let readable = Set(dto.units.map(\.unitID))
        return (dto, shown.result.outcomes.filter { readable.contains($0.unit) }, shown.result.ranking, shown)
    }

    static func matrix(_ ctx: ScoringService.Context, caller: Caller) async throws -> Matrix {
        let (dto, outcomes, ranking, _) = try await visible(ctx, caller: caller)
        let rank = Dictionary(ranking.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        var groups: [Matrix.Group] = []
        let runs = parts(outcomes.count, size: columnsPerPart)
        for top in ctx.scale {
            let flat = ScoringScale.flatten([top])
            let matrixParts: [Matrix.Part] = runs.map { run in
                let shown = outcomes[run]
                let rows = flat.map { c, _, depth in
                    Matrix.Row(code: c.code, name: String(repeating: "  ", count: depth - 1) + c.name, maximum: ScoringScale.points(c.maxPoints),
                               isGroup: !c.children.isEmpty && c.kind != .adjustment,
                               cells: shown.map { o in PublishedResult.text(o.outcome(c.code)).replacingOccurrences(of: "không áp dụng", with: "–") })
                }
                return Matrix.Part(units: shown.map(\.name), rows: rows,
                                   label: runs.count > 1 ? "Đơn vị \(run.lowerBound + 1)–\(run.upperBound) trong \(outcomes.count)" : nil)
            }
            groups.append(.init(code: top.code, name: top.name, parts: matrixParts))
        }
        return Matrix(roundURL: dto.roundURL, resultsURL: ScoringPath.results(ctx.id).url, xlsxURL: ScoringPath.xlsx(ctx.id).url,
                      blocName: dto.blocName, year: dto.year, kindLabel: dto.kindLabel, phaseLabel: dto.phaseLabel,
                      units: outcomes.map { o in .init(unitID: o.unit, name: o.name, rank: rank[o.unit]?.rank, total: o.total.description, band: o.band) },
                      groups: groups)
    }

    /// A sheet per top-level group (criteria down, units across) and a summary: the ranking, with the totals' parts
    /// for the units the caller may read in detail.
    /// The results as a list: the summary sheet, then one sheet per top group of criteria.
    static func sheets(_ ctx: ScoringService.Context, caller: Caller) async throws -> ListFile {
        let (dto, outcomes, ranking, _) = try await visible(ctx, caller: caller)
        let detail = Dictionary(outcomes.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        let title = "KẾT QUẢ CHẤM ĐIỂM \(dto.kindLabel.uppercased()) \(dto.year) – \(dto.blocName.uppercased())"
        let summary = Sheet(name: "Tổng hợp", title: title,
                            header: ["Hạng", "Đơn vị", "Điểm các tiêu chí", "Quy đổi", "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại", "Ghi chú"],
                            rows: ranking.map { r in
                                let o = detail[r.unit]
                                return [.number(Double(r.rank)), .text(r.name), o.map { .number($0.raw.decimal) } ?? .text(""), o.map { .number($0.normalised.decimal) } ?? .text(""),
                                        o.map { .number($0.bonus.decimal) } ?? .text(""), o.map { .number($0.penalty.decimal) } ?? .text(""),
                                        .number(r.total.decimal), .text(r.band ?? ""),
                                        .text(r.tied ? "Đồng hạng" : r.separatedFromAboveBy.map { "Bằng điểm đơn vị trên; xếp sau vì đơn vị trên \($0)" } ?? "")]
                            }, widths: [6, 44, 12, 10, 10, 10, 10, 12, 40])
        var sheets = [summary]
        for top in ctx.scale {
            let rows: [[SheetCell]] = ScoringScale.flatten([top]).map { c, _, _ in
                [.text(c.code), .text(c.name), .number(Points(stored: c.maxPoints)?.decimal ?? 0)]
                    + outcomes.map { o in o.outcome(c.code)?.final.map { .number($0.decimal) } ?? .text(PublishedResult.text(o.outcome(c.code))) }
            }
            sheets.append(Sheet(name: String("Nhóm \(top.code)".prefix(31)), title: "\(top.code). \(top.name)".uppercased(),
                                header: ["Mã", "Tiêu chí", "Tối đa"] + outcomes.map(\.name), rows: rows,
                                widths: [8, 50, 8] + outcomes.map { _ in 16 }))
        }
        return ListFile(filename: "ket-qua-cham-diem-\(ctx.round.year)-\(ctx.round.kind)", sheets: sheets)
    }

    struct Trace: Content, Sendable {
        var roundURL: String; var resultsURL: String; var number: Int; var task: String
        var criteria: [Criterion]
        struct Criterion: Content, Sendable { var code: String; var name: String; var maximum: String; var units: [UnitRow] }
        struct UnitRow: Content, Sendable {
            var name: String; var selfScore: String?; var peerScores: [String]; var final: String; var rank: Int?; var explanation: String
        }
    }

    /// Key task `number` (from 1) → its criteria → each readable unit's self-score, peers' scores, final and rank.
    static func trace(_ ctx: ScoringService.Context, task number: Int, caller: Caller) async throws -> Trace {
        guard ctx.content.keyTasks.indices.contains(number - 1) else { throw DomainError.notFound("Giao ước không có nhiệm vụ số \(number).") }
        let task = ctx.content.keyTasks[number - 1]
        let (dto, outcomes, ranking, shown) = try await visible(ctx, caller: caller)
        let data = shown.data
        let rank = Dictionary(ranking.map { ($0.unit, $0.rank) }, uniquingKeysWith: { a, _ in a })
        let canManage = caller.principal.canManageRound(ctx.scope)
        let flat = ScoringScale.flatten(ctx.scale).map(\.criterion)
        let criteria: [Trace.Criterion] = task.criteria.compactMap { code in
            guard let c = flat.first(where: { $0.code == code }) else { return nil }
            return .init(code: c.code, name: c.name, maximum: ScoringScale.points(c.maxPoints), units: outcomes.map { o in
                let outcome = o.outcome(c.code)
                let own = data.marks.first { $0.unit == o.unit && $0.criterion == c.code && $0.scorer == .selfAssessment }
                // Every peer's mark as given (also those a third scoring or a conflict set aside): named for the
                // office and the leads, values only for the unit.
                let peers: [String] = data.marks.filter { $0.unit == o.unit && $0.criterion == c.code }.compactMap { m in
                    guard let scorer = m.scorer.peerUnit else { return nil }
                    let value = ScoreSheets.describe(m.value)
                    return canManage ? "\(ctx.name(scorer)): \(value)" : value
                }
                return .init(name: o.name, selfScore: own.map { ScoreSheets.describe($0.value) }, peerScores: peers,
                             final: PublishedResult.text(outcome), rank: rank[o.unit], explanation: outcome?.explanation ?? "")
            })
        }
        return Trace(roundURL: dto.roundURL, resultsURL: ScoringPath.results(ctx.id).url, number: number, task: task.text, criteria: criteria)
    }
}

extension ScoringOutputs {
    /// The report of the results (.docx, Decree 30/2020 layout): how the round was scored, the ranking, the appeals in
    /// numbers. For whoever may read the ranking.
    static func report(_ ctx: ScoringService.Context, caller: Caller, province: String) async throws -> Data {
        let (dto, _, ranking, shown) = try await visible(ctx, caller: caller)
        let s = ctx.settings
        var method = ["Các đơn vị chấm theo thang điểm \(ScoringScale.points(ScoringScale.totalMax(ctx.scale))) điểm của giao ước thi đua năm \(ctx.round.year) đã ký kết; mỗi đơn vị tự chấm điểm, kèm minh chứng."]
        switch s.method {
        case .leaderReview: method.append("Trưởng khối thẩm định điểm tự chấm của từng đơn vị.")
        case .crossScoring, .both:
            let plan = if case .rotation(let k, let seed)? = s.plan { "mỗi đơn vị được \(k) đơn vị khác chấm, phân công luân phiên theo hạt giống \(seed)" } else { "mỗi đơn vị chấm tất cả các đơn vị khác" }
            method.append("Các đơn vị chấm chéo (\(plan)); đơn vị không chấm chính mình; điểm của đơn vị đã khai xung đột lợi ích không được tính. Điểm cuối cùng của mỗi tiêu chí: \(s.rule.aggregator.label).")
            if let gap = s.rule.disagreementGap { method.append("Tiêu chí có điểm chấm chéo chênh nhau quá \(gap) điểm do trưởng khối chấm lần ba.") }
        }
        if !s.rule.bands.isEmpty {
            method.append("Xếp loại: " + s.rule.bands.map { "“\($0.name)” từ \($0.minimum) điểm\($0.noCriterionAtZero ? " và không có tiêu chí 0 điểm" : "")" }.joined(separator: "; ") + ".")
        }
        method.append("Xếp hạng theo " + ([TieBreak.total] + s.tieBreaks).map(\.label).joined(separator: ", rồi ") + "; các đơn vị vẫn bằng nhau thì đồng hạng.")
        let rows = ranking.map { r in
            ResultsReportDocument.Row(rank: r.rank, unit: r.name, total: r.total.description, band: r.band,
                                      note: r.tied ? "Đồng hạng" : r.separatedFromAboveBy.map { "Bằng điểm đơn vị trên; xếp sau vì đơn vị trên \($0)" } ?? "")
        }
        let status = dto.publication.map { "Bản công bố số \($0.revision), mã kết quả \($0.fingerprint)\($0.auditAnchor.map { ", mốc \($0)" } ?? "")" }
            ?? "Kết quả \(dto.phaseLabel.lowercased()), chưa công bố chính thức"
        let leader = try await BlocYear.query(on: caller.db).filter(\.$blocID == ctx.round.blocID).filter(\.$year == ctx.round.year).first()?.leaderUnitID
        let data = shown.data
        let answered = data.appeals.filter { $0.answeredAt != nil }
        let roundName = ctx.round.roundKind == .yearEnd ? "tổng kết năm \(ctx.round.year)" : "sơ kết 6 tháng năm \(ctx.round.year)"
        return try ResultsReportDocument(
            parentAgency: "UBND tỉnh \(province)", blocName: ctx.bloc.name, place: province,
            date: VietnameseFormat.day(shown.publishedAt ?? caller.now), roundName: roundName, method: method, rows: rows,
            appealsFiled: data.appeals.count, appealsChanged: answered.filter { $0.decision != AppealDecision.rejected.rawValue }.count,
            status: status, leaderUnit: leader.map(ctx.name), isDemo: ctx.content.isDemo).docx()
    }
}
