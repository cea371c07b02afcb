import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// The demo bloc's year-end acclamation of 2018, voted through the same services as a real session: the nine heads
/// present, a secret ballot on the leading unit to propose for the province's flag (the two best of the published
/// ranking) and one choosing two units for the Chairman's Bằng khen, counted by a named committee. Illustrative
/// votes and names, not the bloc's real results.
enum DemoBallots {
    static let title = "Hội nghị tổng kết phong trào thi đua năm 2018 của khối – bình xét, suy tôn"

    static func load(_ app: Application) async throws {
        let db = app.db
        guard let bloc = try await Bloc.query(on: db).filter(\.$name == DemoLoader.blocName).first(), let blocID = bloc.id else { return }
        guard try await BallotSessionModel.query(on: db).filter(\.$blocID == blocID).filter(\.$year == DemoLoader.year).first() == nil,
              let round = try await ScoringRoundModel.query(on: db).filter(\.$blocID == blocID).filter(\.$year == DemoLoader.year).filter(\.$kind == RoundKind.yearEnd.rawValue).first()
        else { return }
        func caller(_ username: String) async throws -> Caller { try await DemoScoring.caller(app, username) }
        let ranking = try await ScoringViews.shown(try await ScoringService.context(round, on: db), on: db).result.ranking
        guard ranking.count >= 4 else { return }
        let lead = try await caller("truongkhoi")
        let catalogue = app.catalogue
        let id = try await BallotService.create(.init(body: "bloc", blocID: blocID.uuidString, year: DemoLoader.year, title: title), caller: lead, catalogue: catalogue)
        var ctx = try await BallotService.context(sessionID: id, on: db)
        for v in ctx.voters { try await BallotService.presence(ctx, .init(voterKey: v.voterKey.uuidString, present: true), caller: lead) }
        ctx = try await BallotService.context(sessionID: id, on: db)
        let flag = try await BallotService.addQuestion(ctx, .init(title: "Suy tôn đơn vị dẫn đầu khối đề nghị tặng Cờ thi đua của UBND tỉnh năm 2018", award: "CO_TINH",
                                                                  fromRound: round.id?.uuidString, top: 2,
                                                                  form: "approveEach", seats: 1), caller: lead, catalogue: catalogue)
        let praise = try await BallotService.addQuestion(ctx, .init(title: "Bình xét hai đơn vị đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm 2018", award: "BK_TINH",
                                                                    candidates: ranking[1...3].map { .init(name: $0.name, unitID: $0.unit.uuidString) },
                                                                    form: "chooseUpTo", seats: 2), caller: lead, catalogue: catalogue)
        let committee = ["Nguyễn Văn Hùng (minh họa)", "Lê Thị Hoa (minh họa)"]
        let codes = DemoLoader.units.map(\.code)
        // The flag: eight heads for the first of the ranking, one for the second.
        try await BallotService.openQuestion(ctx, flag, caller: lead, catalogue: catalogue)
        for (i, code) in codes.enumerated() {
            ctx = try await BallotService.context(sessionID: id, on: db)
            let marks = i == 4 ? ["c1": "no", "c2": "yes"] : ["c1": "yes", "c2": "no"]
            _ = try await BallotService.vote(ctx, flag, .init(ballot: BallotInput(marks: marks)), caller: try await caller("thutruong.\(code)"))
        }
        _ = try await BallotService.closeQuestion(ctx, flag, .init(committee: committee), caller: lead)
        // The Bằng khen: two of three kept on each ballot, the second and third of the ranking most often.
        ctx = try await BallotService.context(sessionID: id, on: db)
        try await BallotService.openQuestion(ctx, praise, caller: lead, catalogue: catalogue)
        for (i, code) in codes.enumerated() {
            let chosen = i % 3 == 0 ? ["c1", "c3"] : i % 3 == 1 ? ["c1", "c2"] : ["c2", "c1"]
            _ = try await BallotService.vote(ctx, praise, .init(ballot: BallotInput(chosen: chosen)), caller: try await caller("thutruong.\(code)"))
        }
        _ = try await BallotService.closeQuestion(ctx, praise, .init(committee: committee), caller: lead)
        try await BallotService.closeSession(try await BallotService.context(sessionID: id, on: db), caller: lead)
        try await council(app, flag: flag, praise: praise)
    }

    static let councilTitle = "Phiên họp Hội đồng Thi đua – Khen thưởng tỉnh xét đề nghị của khối năm 2018"

    /// The council's vote on the bloc's proposals: four of its five members present, the fifth's written opinion,
    /// one question per proposal taken from the bloc's elected candidates.
    static func council(_ app: Application, flag: UUID, praise: UUID) async throws {
        let db = app.db, catalogue = app.catalogue
        let office = try await DemoScoring.caller(app, "vanphong")
        let members = ["hoidong"] + (2...DemoLoader.councilMembers).map { "hoidong.\($0)" }
        guard try await User.query(on: db).filter(\.$username ~~ members).count() == members.count else { return }
        let id = try await BallotService.create(.init(body: "council", year: DemoLoader.year, title: councilTitle), caller: office, catalogue: catalogue)
        var ctx = try await BallotService.context(sessionID: id, on: db)
        let users = try await User.query(on: db).filter(\.$username ~~ members).all()
        let key = Dictionary(users.map { ($0.username, $0.id!) }, uniquingKeysWith: { a, _ in a })
        let absent = members.last!
        for m in members.dropLast() { try await BallotService.presence(ctx, .init(voterKey: key[m]?.uuidString, present: true), caller: office) }
        ctx = try await BallotService.context(sessionID: id, on: db)
        let flagQ = try await BallotService.addQuestion(ctx, .init(title: "Đề nghị Chủ tịch UBND tỉnh tặng Cờ thi đua của UBND tỉnh năm 2018", award: "CO_TINH",
                                                                   fromQuestion: flag.uuidString, form: "approveEach"), caller: office, catalogue: catalogue)
        let praiseQ = try await BallotService.addQuestion(ctx, .init(title: "Đề nghị Chủ tịch UBND tỉnh tặng Bằng khen năm 2018", award: "BK_TINH",
                                                                     fromQuestion: praise.uuidString, form: "approveEach"), caller: office, catalogue: catalogue)
        let committee = ["Trần Văn Nam (minh họa)", "Phạm Thị Lan (minh họa)"]
        // The flag: all four present for, and the absent member's written opinion for.
        // The Bằng khen: the first of the two by all; the second by three of four and the written opinion.
        for (q, votes) in [(flagQ, [["c1": "yes"], ["c1": "yes"], ["c1": "yes"], ["c1": "yes"]]),
                           (praiseQ, [["c1": "yes", "c2": "yes"], ["c1": "yes", "c2": "no"], ["c1": "yes", "c2": "yes"], ["c1": "yes", "c2": "yes"]])] {
            ctx = try await BallotService.context(sessionID: id, on: db)
            try await BallotService.openQuestion(ctx, q, caller: office, catalogue: catalogue)
            for (m, marks) in zip(members, votes) {
                _ = try await BallotService.vote(ctx, q, .init(ballot: BallotInput(marks: marks)), caller: try await DemoScoring.caller(app, m))
            }
            let written = Dictionary(uniqueKeysWithValues: (votes.first ?? [:]).keys.map { ($0, "yes") })
            try await BallotService.written(ctx, q, .init(voterKey: key[absent]?.uuidString, ballot: BallotInput(marks: written)), caller: office)
            _ = try await BallotService.closeQuestion(ctx, q, .init(committee: committee), caller: office)
        }
        try await BallotService.closeSession(try await BallotService.context(sessionID: id, on: db), caller: office)
    }
}
