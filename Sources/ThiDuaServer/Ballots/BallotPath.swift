import Foundation

/// Every link, form action and redirect of ballot sessions.
enum BallotPath: SitePath {
    case sessions
    case session(UUID)
    case presence(UUID)
    case questions(UUID)
    case open(UUID, question: UUID)
    case vote(UUID, question: UUID)
    case paper(UUID, question: UUID)
    case written(UUID, question: UUID)
    case close(UUID, question: UUID)
    case referral(UUID, question: UUID)
    case closeSession(UUID)
    case record(UUID)
    case minutes(UUID, question: UUID)
    case meetingMinutes(UUID)
    case receipts(UUID)

    var segments: [String] {
        switch self {
        case .sessions: ["ballots"]
        case .session(let s): ["ballots", s.uuidString]
        case .presence(let s): ["ballots", s.uuidString, "presence"]
        case .questions(let s): ["ballots", s.uuidString, "questions"]
        case .open(let s, let q): ["ballots", s.uuidString, "questions", q.uuidString, "open"]
        case .vote(let s, let q): ["ballots", s.uuidString, "questions", q.uuidString, "vote"]
        case .paper(let s, let q): ["ballots", s.uuidString, "questions", q.uuidString, "paper"]
        case .written(let s, let q): ["ballots", s.uuidString, "questions", q.uuidString, "written"]
        case .close(let s, let q): ["ballots", s.uuidString, "questions", q.uuidString, "close"]
        case .referral(let s, let q): ["ballots", s.uuidString, "questions", q.uuidString, "referral"]
        case .closeSession(let s): ["ballots", s.uuidString, "close"]
        case .record(let s): ["ballots", s.uuidString, "record.json"]
        case .meetingMinutes(let s): ["ballots", s.uuidString, "minutes.docx"]
        case .minutes(let s, let q): ["ballots", s.uuidString, "questions", q.uuidString, "minutes.docx"]
        case .receipts(let s): ["ballots", s.uuidString, "receipts", "check"]
        }
    }
}
