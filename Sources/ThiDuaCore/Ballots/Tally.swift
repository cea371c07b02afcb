import Foundation

/// A question put to the vote: its list, its form, its rule, and how a tie at the last seat is handled.
public struct Question: Codable, Sendable, Hashable {
    public var id: String
    public var title: String
    public var candidates: [Candidate]
    public var form: BallotForm
    public var rule: PassRule
    /// Secret ballot (bỏ phiếu kín) or a show of hands recorded as counts (biểu quyết giơ tay).
    public var secret: Bool
    /// Whether a voter may vote on their own unit's candidacy.
    public var ownUnitVotes: Bool
    public var tieRule: TieRule
    /// 1 for the first vote, 2 for a second vote among tied candidates; no third.
    public var round: Int

    public init(id: String, title: String, candidates: [Candidate], form: BallotForm, rule: PassRule, secret: Bool = true,
                ownUnitVotes: Bool = true, tieRule: TieRule = .none, round: Int = 1) {
        self.id = id; self.title = title; self.candidates = candidates; self.form = form; self.rule = rule; self.secret = secret
        self.ownUnitVotes = ownUnitVotes; self.tieRule = tieRule; self.round = round
    }

    /// The candidacies a voter representing `unit` may not vote on.
    public func barred(for unit: UUID?) -> Set<String> {
        guard !ownUnitVotes, let unit else { return [] }
        return Set(candidates.filter { $0.unitID == unit }.map(\.id))
    }

    /// The second vote after a tie: only the tied candidates, for the seats still open.
    public func secondRound(tied: [String], seats: Int, id: String) -> Question? {
        guard round == 1 else { return nil }
        var q = self
        q.id = id
        q.round = 2
        q.candidates = candidates.filter { tied.contains($0.id) }
        switch form {
        case .approveEach(_, let a): q.form = .approveEach(seats: seats, abstain: a)
        case .chooseUpTo(_, let a): q.form = .chooseUpTo(k: seats, abstain: a)
        }
        q.title = "\(title) (bỏ phiếu lần 2)"
        return q
    }
}

/// How candidates that tie at the last seat are separated: not at all (the tie is reported and voted again), or by
/// a documented priority order (e.g. one a sector's rules give), never by chance.
public enum TieRule: Codable, Sendable, Hashable {
    case none
    case priority(order: [String], reason: String)

    public var label: String {
        switch self {
        case .none: "Không phân định: bằng phiếu ở suất cuối thì bỏ phiếu lại (tối đa 2 lần), sau đó chuyển người có thẩm quyền quyết định"
        case .priority(_, let reason): "Ưu tiên theo thứ tự đã định: \(reason)"
        }
    }
}

/// A written opinion (ý kiến bằng văn bản) of a member absent from the session: not secret, with its voter.
public struct WrittenOpinion: Codable, Sendable, Hashable {
    public var voter: UUID
    public var content: BallotContent
    public init(voter: UUID, content: BallotContent) { self.voter = voter; self.content = content }
}

/// A show of hands: the counts per candidate as the organiser records them.
public struct OpenCount: Codable, Sendable, Hashable {
    public var candidate: String
    public var yes: Int, no: Int, abstain: Int
    public init(candidate: String, yes: Int, no: Int, abstain: Int) { self.candidate = candidate; self.yes = yes; self.no = no; self.abstain = abstain }
}

/// Who may vote on a question: the eligible members, those present, and those absent who sent a written opinion.
public struct Electorate: Codable, Sendable, Hashable {
    public var members: Int
    public var present: Int
    public init(members: Int, present: Int) { self.members = members; self.present = present }
}

public struct CandidateResult: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var yes: Int, no: Int, abstain: Int
    /// Ballots without a mark for it (its own unit's voter, where barred).
    public var barred: Int
    public var writtenYes: Int, writtenNo: Int, writtenAbstain: Int
    /// Votes for that count toward the rule, and the total they are measured against.
    public var countedYes: Int
    public var base: Int
    public var shareOfMembers: String
    public var shareOfValid: String
    public var passed: Bool
    public var arithmetic: String
    public var elected: Bool
}

public struct BallotCounts: Codable, Sendable, Hashable {
    /// Ballots issued: one to each voter present.
    public var issued: Int
    public var received: Int
    public var valid: Int
    public var invalid: Int
    public var paper: Int
    public var written: Int

    public init(issued: Int, received: Int, valid: Int, invalid: Int, paper: Int, written: Int) {
        self.issued = issued; self.received = received; self.valid = valid; self.invalid = invalid; self.paper = paper; self.written = written
    }
}

public enum QuestionOutcome: Codable, Sendable, Hashable {
    /// The chosen candidates (possibly none when no one passed).
    case decided
    /// Candidates tied for the last seats: a second vote among them for `seats`.
    case tie(candidates: [String], seats: Int)
    /// Still tied after the second vote: the competent person decides (for a bloc flag, the bloc's leader and deputy).
    case referral(candidates: [String], seats: Int)
}

public struct QuestionResult: Codable, Sendable, Hashable {
    public var question: String
    public var round: Int
    public var counts: BallotCounts
    public var candidates: [CandidateResult]
    public var elected: [String]
    public var outcome: QuestionOutcome
    /// The explanation: the rule and its article, the counts, each candidate's arithmetic, how the seats were filled.
    public var lines: [String]
}

public enum Tally {
    /// The result of a question from its ballots (in any order: the result does not depend on it), the written
    /// opinions, or the show of hands. Refuses counts that break the invariants (more ballots than voters present,
    /// more written opinions than absent members).
    public static func count(_ q: Question, electorate e: Electorate, ballots: [Ballot], written: [WrittenOpinion] = [],
                             openCounts: [OpenCount] = []) throws -> QuestionResult {
        guard e.members >= 1, e.members <= Share.maxCount, e.present >= 0, e.present <= e.members else {
            throw DomainError.invalid("Số thành viên và số có mặt không hợp lệ.", field: "electorate")
        }
        guard ballots.count <= e.present else {
            throw DomainError.conflict("Số phiếu thu về (\(ballots.count)) nhiều hơn số phiếu phát ra (\(e.present) thành viên có mặt).")
        }
        guard written.count <= e.members - e.present, Set(written.map(\.voter)).count == written.count else {
            throw DomainError.conflict("Số ý kiến bằng văn bản (\(written.count)) nhiều hơn số thành viên vắng mặt (\(e.members - e.present)) hoặc trùng người.")
        }
        guard Set(ballots.map(\.id)).count == ballots.count else { throw DomainError.conflict("Có hai phiếu cùng mã.") }
        let known = Set(q.candidates.map(\.id))
        var lines: [String] = []
        lines.append("\(q.title): \(q.form.label). Điều kiện trúng: \(q.rule.text) (\(q.rule.cites)\(q.rule.confidence == .confirmed ? "" : "; \(q.rule.confidence.label)")).")
        var tallies: [String: (yes: Int, no: Int, abstain: Int, barred: Int)] = [:]
        var wTallies: [String: (yes: Int, no: Int, abstain: Int)] = [:]
        let valid = ballots.filter { !$0.content.invalid }
        if q.secret {
            for b in valid {
                for c in q.candidates {
                    var t = tallies[c.id] ?? (0, 0, 0, 0)
                    switch b.content.marks[c.id] {
                    case .yes?: t.yes += 1
                    case .no?: t.no += 1
                    case .abstain?: t.abstain += 1
                    case nil: t.barred += 1
                    }
                    tallies[c.id] = t
                }
                for id in b.content.marks.keys where !known.contains(id) {
                    throw DomainError.conflict("Một phiếu có dấu cho ứng viên không có trong danh sách (\(id.prefix(40))).")
                }
            }
        } else {
            for oc in openCounts {
                guard known.contains(oc.candidate) else { throw DomainError.invalid("Ứng viên “\(oc.candidate.prefix(40))” không có trong danh sách.", field: "counts") }
                guard oc.yes >= 0, oc.no >= 0, oc.abstain >= 0, oc.yes + oc.no + oc.abstain <= e.present else {
                    throw DomainError.invalid("Số biểu quyết cho một ứng viên phải từ 0 và không quá số thành viên có mặt (\(e.present)).", field: "counts")
                }
                tallies[oc.candidate] = (oc.yes, oc.no, oc.abstain, 0)
            }
        }
        for w in written where !w.content.invalid {
            for c in q.candidates {
                var t = wTallies[c.id] ?? (0, 0, 0)
                switch w.content.marks[c.id] {
                case .yes?: t.yes += 1
                case .no?: t.no += 1
                case .abstain?: t.abstain += 1
                case nil: break
                }
                wTallies[c.id] = t
            }
        }
        let validCount = q.secret ? valid.count : e.present
        let writtenCounted = q.rule.countWrittenOpinions ? written.filter { !$0.content.invalid }.count : 0
        let counts = BallotCounts(issued: q.secret ? e.present : 0, received: q.secret ? ballots.count : 0, valid: q.secret ? valid.count : 0,
                                  invalid: q.secret ? ballots.count - valid.count : 0, paper: ballots.filter(\.paper).count, written: written.count)
        if q.secret {
            lines.append("Số thành viên: \(e.members); có mặt: \(e.present); phiếu phát ra: \(counts.issued); thu về: \(counts.received); hợp lệ: \(counts.valid); không hợp lệ: \(counts.invalid)"
                         + (counts.paper > 0 ? "; trong đó \(counts.paper) phiếu giấy do Ban kiểm phiếu nhập" : "") + ".")
        } else {
            lines.append("Biểu quyết công khai (giơ tay): số thành viên \(e.members), có mặt \(e.present); kết quả do người chủ trì ghi.")
        }
        if !written.isEmpty {
            lines.append("Ý kiến bằng văn bản của thành viên vắng mặt: \(written.count)" + (q.rule.countWrittenOpinions ? ", được tính." : ", không tính theo điều kiện của câu hỏi."))
        }
        var results: [CandidateResult] = q.candidates.map { c in
            let t = tallies[c.id] ?? (0, 0, 0, 0)
            let w = wTallies[c.id] ?? (0, 0, 0)
            let countedYes = t.yes + (q.rule.countWrittenOpinions ? w.yes : 0)
            // A barred voter's ballot does not count toward that candidate's base.
            let base = q.rule.base == .allMembers ? e.members - t.barred : (validCount - t.barred + writtenCounted)
            let decision = q.rule.decide(votesFor: countedYes, total: max(base, 0))
            return CandidateResult(id: c.id, name: c.name, yes: t.yes, no: t.no, abstain: t.abstain, barred: t.barred,
                                   writtenYes: w.yes, writtenNo: w.no, writtenAbstain: w.abstain, countedYes: countedYes, base: max(base, 0),
                                   shareOfMembers: Share.percentText(countedYes, of: e.members),
                                   shareOfValid: Share.percentText(countedYes, of: validCount + writtenCounted),
                                   passed: decision.passed, arithmetic: decision.arithmetic, elected: false)
        }
        for r in results { lines.append("\(r.name): \(r.arithmetic).") }
        // Seats: the passers by votes for (then the list's order only to print them), the tie at the last seat
        // reported, or separated by the documented priority.
        let passers = results.filter(\.passed).sorted { $0.countedYes > $1.countedYes }
        var elected: [String] = []
        var outcome = QuestionOutcome.decided
        if let seats = q.form.seats, passers.count > seats, seats >= 1 {
            let boundary = passers[seats - 1].countedYes
            let sure = passers.filter { $0.countedYes > boundary }.map(\.id)
            let tied = passers.filter { $0.countedYes == boundary }.map(\.id)
            let open = seats - sure.count
            elected = sure
            if tied.count > open {
                if case .priority(let order, let reason) = q.tieRule, tied.allSatisfy(order.contains) {
                    let chosen = tied.sorted { (order.firstIndex(of: $0) ?? 0) < (order.firstIndex(of: $1) ?? 0) }.prefix(open)
                    elected += chosen
                    lines.append("\(tied.count) ứng viên bằng \(boundary) phiếu ở \(open == 1 ? "suất cuối" : "\(open) suất cuối"): chọn theo thứ tự ưu tiên (\(reason)).")
                } else if q.round == 1 {
                    outcome = .tie(candidates: tied, seats: open)
                    lines.append("\(tied.count) ứng viên bằng \(boundary) phiếu cho \(open) suất còn lại: không phân định được, bỏ phiếu lần 2 giữa các ứng viên này.")
                } else {
                    outcome = .referral(candidates: tied, seats: open)
                    lines.append("Sau lần bỏ phiếu thứ 2 vẫn có \(tied.count) ứng viên bằng \(boundary) phiếu cho \(open) suất: chuyển người có thẩm quyền quyết định.")
                }
            } else {
                elected += tied
            }
        } else {
            elected = passers.map(\.id)
        }
        if case .decided = outcome {
            lines.append(elected.isEmpty ? "Không ứng viên nào đạt." : "Trúng: " + elected.compactMap { id in results.first { $0.id == id }?.name }.joined(separator: "; ") + ".")
        } else if !elected.isEmpty {
            lines.append("Đã trúng: " + elected.compactMap { id in results.first { $0.id == id }?.name }.joined(separator: "; ") + ".")
        }
        let chosen = Set(elected)
        for i in results.indices { results[i].elected = chosen.contains(results[i].id) }
        return QuestionResult(question: q.id, round: q.round, counts: counts, candidates: results,
                              elected: q.candidates.map(\.id).filter(chosen.contains), outcome: outcome, lines: lines)
    }
}

// Flat JSON forms ({"kind": …, fields}) for the enums with values, so that API schemas and stored records read
// plainly; an unknown kind reads as the plainest case rather than failing.
extension QuestionOutcome {
    private enum Keys: String, CodingKey { case kind, candidates, seats }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "decided"
        let candidates = try c.decodeIfPresent([String].self, forKey: .candidates) ?? []
        let seats = try c.decodeIfPresent(Int.self, forKey: .seats) ?? 0
        switch kind {
        case "tie": self = .tie(candidates: candidates, seats: seats)
        case "referral": self = .referral(candidates: candidates, seats: seats)
        default: self = .decided
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .decided: try c.encode("decided", forKey: .kind)
        case .tie(let cs, let s): try c.encode("tie", forKey: .kind); try c.encode(cs, forKey: .candidates); try c.encode(s, forKey: .seats)
        case .referral(let cs, let s): try c.encode("referral", forKey: .kind); try c.encode(cs, forKey: .candidates); try c.encode(s, forKey: .seats)
        }
    }
}

extension TieRule {
    private enum Keys: String, CodingKey { case kind, order, reason }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if try c.decodeIfPresent(String.self, forKey: .kind) == "priority" {
            self = .priority(order: try c.decodeIfPresent([String].self, forKey: .order) ?? [], reason: try c.decodeIfPresent(String.self, forKey: .reason) ?? "")
        } else {
            self = .none
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .none: try c.encode("none", forKey: .kind)
        case .priority(let o, let r): try c.encode("priority", forKey: .kind); try c.encode(o, forKey: .order); try c.encode(r, forKey: .reason)
        }
    }
}
