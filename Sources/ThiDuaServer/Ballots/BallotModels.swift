import Fluent
import Foundation
import ThiDuaCore

/// A ballot session of a bloc (its member units vote) or of the council (its members vote): its voters are fixed
/// when it is created (their fingerprint opens its log); `events` counts its log and serialises every write to it.
final class BallotSessionModel: Model, @unchecked Sendable {
    static let schema = "ballot_sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "body") var body: String
    @OptionalField(key: "bloc_id") var blocID: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "title") var title: String
    @Field(key: "regime") var regime: String
    /// "open" or "closed".
    @Field(key: "state") var state: String
    @Field(key: "events") var events: Int
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "audit_head") var auditHead: String?
    /// The session's own attendance quorum ("3/4", "75 %") and the rule it comes from; applied where stricter than
    /// the catalogue's (`Quorum.effective`).
    @OptionalField(key: "quorum") var quorumShare: String?
    @OptionalField(key: "quorum_basis") var quorumBasis: String?
    init() {}
    var properties: [any AnyProperty] { [$id, $body, $blocID, $year, $title, $regime, $state, $events, $createdBy, $createdAt, $closedAt, $auditHead, $quorumShare, $quorumBasis] }

    var voteBody: VoteBody { VoteBody(rawValue: body) ?? .bloc }

    /// The session's own quorum, if it set one.
    var ownQuorum: Quorum? {
        guard let text = quorumShare, let share = Share.parse(text) else { return nil }
        return Quorum(share: share, cites: quorumBasis ?? "Quy chế của phiên")
    }
}

/// An eligible voter of a session (a member unit, or a council member) and whether they are present. Who has voted
/// is in `ballot_participations`; what was voted, in `ballot_box`, with nothing that links the two.
final class BallotVoterModel: Model, @unchecked Sendable {
    static let schema = "ballot_voters"
    @ID(key: .id) var id: UUID?
    @Field(key: "session_id") var sessionID: UUID
    @Field(key: "voter_key") var voterKey: UUID
    @Field(key: "name") var name: String
    @Field(key: "present") var present: Bool
    init() {}
    var properties: [any AnyProperty] { [$id, $sessionID, $voterKey, $name, $present] }
}

/// A question of a session: its definition (`Question` as JSON), its state, and once closed its result (JSON of
/// `QuestionResult`), the electorate it was counted on, the vote-count committee and its note.
final class BallotQuestionModel: Model, @unchecked Sendable {
    static let schema = "ballot_questions"
    @ID(key: .id) var id: UUID?
    @Field(key: "session_id") var sessionID: UUID
    @Field(key: "number") var number: Int
    @OptionalField(key: "award") var award: String?
    @Field(key: "definition") var definition: String
    /// "draft", "open" or "closed".
    @Field(key: "state") var state: String
    @OptionalField(key: "previous_id") var previousID: UUID?
    @OptionalField(key: "open_counts") var openCounts: String?
    @OptionalField(key: "committee") var committee: String?
    @OptionalField(key: "committee_note") var committeeNote: String?
    @OptionalField(key: "members") var members: Int?
    @OptionalField(key: "present") var present: Int?
    @OptionalField(key: "result") var result: String?
    @OptionalField(key: "referral") var referral: String?
    init() {}
    var properties: [any AnyProperty] {
        [$id, $sessionID, $number, $award, $definition, $state, $previousID, $openCounts, $committee, $committeeNote, $members, $present, $result, $referral]
    }

    func question() throws -> Question { try JSONDecoder().decode(Question.self, from: Data(definition.utf8)) }
    func decodedResult() -> QuestionResult? { result.flatMap { try? JSONDecoder().decode(QuestionResult.self, from: Data($0.utf8)) } }
}

/// That a voter took part in a question (electronically, on paper, or by a written opinion): one row per voter and
/// question, enforced by the database, so that a voter sending many ballots at once gets exactly one in the box.
final class BallotParticipationModel: Model, @unchecked Sendable {
    static let schema = "ballot_participations"
    @ID(key: .id) var id: UUID?
    @Field(key: "question_id") var questionID: UUID
    @Field(key: "voter_key") var voterKey: UUID
    /// "electronic", "paper" or "written".
    @Field(key: "channel") var channel: String
    init() {}
    var properties: [any AnyProperty] { [$id, $questionID, $voterKey, $channel] }
}

/// A ballot in the box: a random id, the content, whether it came on paper. No voter, no time; the box is rewritten
/// in a random order on every ballot, so that neither row ids nor storage order follow the order of voting.
final class BallotBoxModel: Model, @unchecked Sendable {
    static let schema = "ballot_box"
    @ID(key: .id) var id: UUID?
    @Field(key: "question_id") var questionID: UUID
    @Field(key: "content") var content: String
    @Field(key: "paper") var paper: Bool
    init() {}
    var properties: [any AnyProperty] { [$id, $questionID, $content, $paper] }
}

/// A written opinion of an absent member: not secret (the law has it recorded in the minutes).
final class BallotWrittenModel: Model, @unchecked Sendable {
    static let schema = "ballot_written"
    @ID(key: .id) var id: UUID?
    @Field(key: "question_id") var questionID: UUID
    @Field(key: "voter_key") var voterKey: UUID
    @Field(key: "content") var content: String
    @Field(key: "recorded_by") var recordedBy: String
    init() {}
    var properties: [any AnyProperty] { [$id, $questionID, $voterKey, $content, $recordedBy] }
}

/// The session's own hash-chained log (`BallotLog`).
final class BallotEventModel: Model, @unchecked Sendable {
    static let schema = "ballot_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "session_id") var sessionID: UUID
    @Field(key: "seq") var seq: Int
    @Field(key: "kind") var kind: String
    @Field(key: "data") var data: String
    @Field(key: "prev") var prev: String
    @Field(key: "hash") var hash: String
    init() {}
    var properties: [any AnyProperty] { [$id, $sessionID, $seq, $kind, $data, $prev, $hash] }

    var event: BallotEvent { BallotEvent(seq: seq, kind: kind, data: data, prev: prev, hash: hash) }
}

struct CreateBallots: AsyncMigration {
    var name: String { "0021_create_ballots" }
    func prepare(on db: any Database) async throws {
        try await db.schema(BallotSessionModel.schema)
            .id()
            .field("body", .string, .required)
            .field("bloc_id", .uuid, .references(Bloc.schema, .id, onDelete: .restrict))
            .field("year", .int, .required)
            .field("title", .string, .required)
            .field("regime", .string, .required)
            .field("state", .string, .required)
            .field("events", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("audit_head", .string)
            .create()
        try await db.schema(BallotVoterModel.schema)
            .id()
            .field("session_id", .uuid, .required, .references(BallotSessionModel.schema, .id, onDelete: .restrict))
            .field("voter_key", .uuid, .required)
            .field("name", .string, .required)
            .field("present", .bool, .required)
            .unique(on: "session_id", "voter_key")
            .create()
        try await db.schema(BallotQuestionModel.schema)
            .id()
            .field("session_id", .uuid, .required, .references(BallotSessionModel.schema, .id, onDelete: .restrict))
            .field("number", .int, .required)
            .field("award", .string)
            .field("definition", .string, .required)
            .field("state", .string, .required)
            .field("previous_id", .uuid)
            .field("open_counts", .string)
            .field("committee", .string)
            .field("committee_note", .string)
            .field("members", .int)
            .field("present", .int)
            .field("result", .string)
            .field("referral", .string)
            .unique(on: "session_id", "number")
            .create()
        try await db.schema(BallotParticipationModel.schema)
            .id()
            .field("question_id", .uuid, .required, .references(BallotQuestionModel.schema, .id, onDelete: .restrict))
            .field("voter_key", .uuid, .required)
            .field("channel", .string, .required)
            .unique(on: "question_id", "voter_key")
            .create()
        try await db.schema(BallotBoxModel.schema)
            .id()
            .field("question_id", .uuid, .required, .references(BallotQuestionModel.schema, .id, onDelete: .restrict))
            .field("content", .string, .required)
            .field("paper", .bool, .required)
            .create()
        try await db.schema(BallotWrittenModel.schema)
            .id()
            .field("question_id", .uuid, .required, .references(BallotQuestionModel.schema, .id, onDelete: .restrict))
            .field("voter_key", .uuid, .required)
            .field("content", .string, .required)
            .field("recorded_by", .string, .required)
            .unique(on: "question_id", "voter_key")
            .create()
        try await db.schema(BallotEventModel.schema)
            .id()
            .field("session_id", .uuid, .required, .references(BallotSessionModel.schema, .id, onDelete: .restrict))
            .field("seq", .int, .required)
            .field("kind", .string, .required)
            .field("data", .string, .required)
            .field("prev", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "session_id", "seq")
            .create()
    }
    func revert(on db: any Database) async throws {
        for s in [BallotEventModel.schema, BallotWrittenModel.schema, BallotBoxModel.schema, BallotParticipationModel.schema,
                  BallotQuestionModel.schema, BallotVoterModel.schema, BallotSessionModel.schema] {
            try await db.schema(s).delete()
        }
    }
}

/// A session's own attendance quorum and its basis.
struct AddBallotQuorum: AsyncMigration {
    var name: String { "0022_ballot_session_quorum" }
    func prepare(on db: any Database) async throws {
        try await db.schema(BallotSessionModel.schema).field("quorum", .string).update()
        try await db.schema(BallotSessionModel.schema).field("quorum_basis", .string).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(BallotSessionModel.schema).deleteField("quorum_basis").update()
        try await db.schema(BallotSessionModel.schema).deleteField("quorum").update()
    }
}
