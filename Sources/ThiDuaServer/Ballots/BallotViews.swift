import Fluent
import Foundation
import ThiDuaCore
import Vapor

/// What a ballot session shows a caller: the voters and who is present, each question with its list, rule and state,
/// how many took part while it is open (never what they voted), and the result once closed.
struct BallotSessionDTO: Content, Sendable {
    var id: UUID
    var body: String
    var bodyLabel: String
    var blocID: UUID?
    var year: Int
    var title: String
    var state: String
    var regime: String
    var members: Int
    var present: Int
    var quorum: String?
    var canOrganise: Bool
    /// The voters the caller casts for.
    var myVoterKeys: [UUID]
    var voters: [Voter]
    var questions: [QuestionDTO]
    var auditHead: String?
    var recordURL: String
    var minutesURL: String

    struct Voter: Content, Sendable { var voterKey: UUID; var name: String; var present: Bool }

    struct QuestionDTO: Content, Sendable {
        var id: UUID
        var number: Int
        var title: String
        var award: String?
        var state: String
        var round: Int
        var secret: Bool
        var form: String
        /// "approveEach" or "chooseUpTo", and whether a voter may abstain.
        var formKind: String
        var abstain: Bool
        var candidates: [CandidateDTO]
        var rule: String
        var cites: String
        var confidence: String
        var tieRule: String
        /// The attendance the question needs to open (the stricter of the catalogue's and the session's).
        var quorum: String?
        /// Ballots and written opinions received so far (a count, never a content).
        var taken: Int
        /// Whether each of the caller's voters has taken part.
        var myVotes: [String: Bool]
        /// Who took part and how (electronic, paper, written): for the organisers.
        var participation: [String: String]?
        var canChair: Bool
        var result: QuestionResult?
        var committee: [String]?
        var committeeNote: String?
        var referral: String?
        var minutesURL: String?
    }
    struct CandidateDTO: Content, Sendable { var id: String; var number: Int; var name: String; var unitID: UUID? }
}

enum BallotViews {
    static func session(_ ctx: BallotService.Context, caller: Caller, catalogue: Catalogue) async throws -> BallotSessionDTO {
        let p = caller.principal
        guard p.canViewSession(ctx.scope) else { throw DomainError.forbidden("Bạn không xem được phiên bỏ phiếu này.") }
        let organiser = p.canOrganise(ctx.scope)
        let mine = p.voterKeys(ctx.scope)
        let models = try await BallotQuestionModel.query(on: caller.db).filter(\.$sessionID == ctx.id).sort(\.$number).all()
        let ids = models.compactMap(\.id)
        let participations = ids.isEmpty ? [] : try await BallotParticipationModel.query(on: caller.db).filter(\.$questionID ~~ ids).all()
        var questions: [BallotSessionDTO.QuestionDTO] = []
        for m in models {
            let q = try m.question()
            let taken = participations.filter { $0.questionID == m.id }
            let names = Dictionary(ctx.voters.map { ($0.voterKey, $0.name) }, uniquingKeysWith: { a, _ in a })
            let committee = m.committee.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
            questions.append(.init(id: m.id!, number: m.number, title: q.title, award: m.award, state: m.state, round: q.round, secret: q.secret,
                                   form: q.form.label, formKind: { if case .chooseUpTo = q.form { return "chooseUpTo" } else { return "approveEach" } }(),
                                   abstain: q.form.allowsAbstention,
                                   candidates: q.candidates.enumerated().map { .init(id: $1.id, number: $0 + 1, name: $1.name, unitID: $1.unitID) },
                                   rule: q.rule.text, cites: q.rule.cites, confidence: q.rule.confidence.label, tieRule: q.tieRule.label,
                                   quorum: quorumText(Quorum.effective(catalogue: catalogue.voteRule(body: ctx.session.voteBody, award: m.award, regime: ctx.session.regime).quorum,
                                                                       session: ctx.session.ownQuorum), members: m.members ?? ctx.members),
                                   taken: taken.count,
                                   myVotes: Dictionary(uniqueKeysWithValues: mine.map { k in (k.uuidString, taken.contains { $0.voterKey == k }) }),
                                   participation: organiser ? Dictionary(taken.map { (names[$0.voterKey] ?? "?", $0.channel) }, uniquingKeysWith: { a, _ in a }) : nil,
                                   canChair: p.canChair(candidateUnits: Set(q.candidates.compactMap(\.unitID)), ctx.scope),
                                   result: m.state == "closed" ? m.decodedResult() : nil, committee: committee, committeeNote: m.committeeNote,
                                   referral: m.referral, minutesURL: m.state == "closed" ? BallotPath.minutes(ctx.id, question: m.id!).url : nil))
        }
        let quorum = Quorum.effective(catalogue: catalogue.voteRule(body: ctx.session.voteBody, award: nil, regime: ctx.session.regime).quorum,
                                      session: ctx.session.ownQuorum)
        return BallotSessionDTO(id: ctx.id, body: ctx.session.body, bodyLabel: ctx.session.voteBody.label, blocID: ctx.session.blocID, year: ctx.session.year,
                                title: ctx.session.title, state: ctx.session.state, regime: ctx.session.regime, members: ctx.members, present: ctx.present,
                                quorum: quorumText(quorum, members: ctx.members),
                                canOrganise: organiser, myVoterKeys: mine,
                                voters: ctx.voters.map { .init(voterKey: $0.voterKey, name: $0.name, present: $0.present) },
                                questions: questions, auditHead: ctx.session.auditHead, recordURL: BallotPath.record(ctx.id).url,
                                minutesURL: BallotPath.meetingMinutes(ctx.id).url)
    }

    /// "2/3 tổng số thành viên (cần 6 người; article)".
    static func quorumText(_ q: Quorum?, members: Int) -> String? {
        q.map { "\($0.share) tổng số thành viên (cần \(Quorum.needed($0.share, members: members)) người; \($0.cites))" }
    }

    struct SessionRef: Content, Sendable {
        var id: UUID; var title: String; var body: String; var year: Int; var state: String; var url: String
        /// The bloc whose members vote (nil: the council); how many may vote and how many are present.
        var blocID: UUID?; var members: Int; var present: Int
    }

    /// The sessions the caller may see in a year.
    static func list(year: Int, caller: Caller) async throws -> [SessionRef] {
        var out: [SessionRef] = []
        for s in try await BallotSessionModel.query(on: caller.db).filter(\.$year == year).sort(\.$createdAt).all() {
            let ctx = try await BallotService.context(sessionID: s.id, on: caller.db)
            guard caller.principal.canViewSession(ctx.scope) else { continue }
            out.append(.init(id: ctx.id, title: s.title, body: s.body, year: s.year, state: s.state, url: BallotPath.session(ctx.id).url,
                             blocID: s.blocID, members: ctx.members, present: ctx.present))
        }
        return out
    }
}
