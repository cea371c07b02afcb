import Foundation

/// A candidate on a question's list: a unit (bloc acclamation), a person or a proposal (council).
public struct Candidate: Codable, Sendable, Hashable {
    /// Stable within the question ("c1", a unit's id …).
    public var id: String
    public var name: String
    /// The unit the candidacy is for or from: its voter may be barred from voting on it (`Question.ownUnitVotes`).
    public var unitID: UUID?

    public init(id: String, name: String, unitID: UUID? = nil) { self.id = id; self.name = name; self.unitID = unitID }
}

/// How a ballot is filled.
public enum BallotForm: Codable, Sendable, Hashable {
    /// For each candidate: agree or disagree (or abstain, when allowed). `seats` limits how many of those who pass
    /// are chosen (the best-supported first); nil chooses every one that passes.
    case approveEach(seats: Int?, abstain: Bool)
    /// Keep at most `k` names (phiếu bầu: the others are crossed out); a blank ballot abstains when allowed.
    case chooseUpTo(k: Int, abstain: Bool)

    public var seats: Int? {
        switch self {
        case .approveEach(let s, _): s
        case .chooseUpTo(let k, _): k
        }
    }

    public var allowsAbstention: Bool {
        switch self {
        case .approveEach(_, let a), .chooseUpTo(_, let a): a
        }
    }

    public var label: String {
        switch self {
        case .approveEach(let seats, _): seats.map { "Biểu quyết đồng ý / không đồng ý từng ứng viên, chọn tối đa \($0)" } ?? "Biểu quyết đồng ý / không đồng ý từng ứng viên"
        case .chooseUpTo(let k, _): "Bầu tối đa \(k) trong danh sách"
        }
    }
}

/// One mark on a ballot for one candidate.
public enum Mark: String, Codable, Sendable, CaseIterable {
    case yes, no, abstain

    public var label: String {
        switch self {
        case .yes: "đồng ý"
        case .no: "không đồng ý"
        case .abstain: "không biểu quyết"
        }
    }
}

/// What a ballot says: a mark per candidate (a candidate without a mark: the voter was barred from it). An invalid
/// paper ballot has no marks and `invalid` set. Holds nothing about who cast it, or when.
public struct BallotContent: Codable, Sendable, Hashable {
    public var marks: [String: Mark]
    public var invalid: Bool

    public init(marks: [String: Mark], invalid: Bool = false) { self.marks = marks; self.invalid = invalid }

    public static let invalidPaper = BallotContent(marks: [:], invalid: true)

    /// A stable text of the content (candidates sorted), for digests.
    public var canonical: String {
        invalid ? "invalid" : marks.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" }.joined(separator: ";")
    }
}

/// A ballot in the box: a random id and its content. No voter, no time, no order (the server keeps the box shuffled).
public struct Ballot: Codable, Sendable, Hashable {
    public var id: String
    public var content: BallotContent
    /// Entered from paper by the vote-count committee.
    public var paper: Bool

    public init(id: String, content: BallotContent, paper: Bool) { self.id = id; self.content = content; self.paper = paper }
}

/// What a voter sends: for `approveEach` a mark per candidate; for `chooseUpTo` the names kept (or abstain).
public struct BallotInput: Codable, Sendable, Equatable {
    public var marks: [String: String]?
    public var chosen: [String]?
    public var abstain: Bool?

    public init(marks: [String: String]? = nil, chosen: [String]? = nil, abstain: Bool? = nil) {
        self.marks = marks; self.chosen = chosen; self.abstain = abstain
    }
}

public enum BallotRules {
    /// The content of a voter's ballot, or a 422 saying what is wrong (an unknown candidate, more choices than
    /// allowed, a mark missing, an abstention not allowed, a mark on a candidacy the voter is barred from).
    public static func check(_ input: BallotInput, form: BallotForm, candidates: [Candidate], barred: Set<String> = []) throws -> BallotContent {
        let ids = Set(candidates.map(\.id))
        let open = candidates.map(\.id).filter { !barred.contains($0) }
        if input.abstain == true {
            guard form.allowsAbstention else { throw DomainError.invalid("Câu hỏi này không cho phép bỏ phiếu trắng.", field: "abstain") }
            guard (input.marks ?? [:]).isEmpty, (input.chosen ?? []).isEmpty else {
                throw DomainError.invalid("Phiếu trắng không được đánh dấu ứng viên nào.", field: "abstain")
            }
            return BallotContent(marks: Dictionary(uniqueKeysWithValues: open.map { ($0, .abstain) }))
        }
        switch form {
        case .approveEach:
            let given = input.marks ?? [:]
            guard given.count <= candidates.count else { throw DomainError.invalid("Phiếu có nhiều dấu hơn số ứng viên.", field: "marks") }
            var marks: [String: Mark] = [:]
            for (id, raw) in given {
                guard ids.contains(id) else { throw DomainError.invalid("Ứng viên “\(id.prefix(40))” không có trong danh sách.", field: "marks") }
                guard !barred.contains(id) else {
                    throw DomainError.invalid("Bạn không biểu quyết về ứng viên của chính đơn vị mình.", field: "marks")
                }
                guard let m = Mark(rawValue: raw) else { throw DomainError.invalid("Dấu “\(raw.prefix(20))” không có (yes, no, abstain).", field: "marks") }
                if m == .abstain, !form.allowsAbstention { throw DomainError.invalid("Câu hỏi này không cho phép không biểu quyết.", field: "marks") }
                marks[id] = m
            }
            if let missing = open.first(where: { marks[$0] == nil }), let c = candidates.first(where: { $0.id == missing }) {
                throw DomainError.invalid("Hãy chọn “đồng ý” hoặc “không đồng ý” cho “\(c.name)”.", field: "marks")
            }
            return BallotContent(marks: marks)
        case .chooseUpTo(let k, _):
            let chosen = input.chosen ?? []
            guard chosen.count <= candidates.count else { throw DomainError.invalid("Phiếu chọn nhiều hơn số ứng viên.", field: "chosen") }
            for id in chosen where !ids.contains(id) { throw DomainError.invalid("Ứng viên “\(id.prefix(40))” không có trong danh sách.", field: "chosen") }
            guard Set(chosen).count == chosen.count else { throw DomainError.invalid("Một ứng viên được chọn hai lần.", field: "chosen") }
            for id in chosen where barred.contains(id) { throw DomainError.invalid("Bạn không bầu ứng viên của chính đơn vị mình.", field: "chosen") }
            guard chosen.count <= k else { throw DomainError.invalid("Chỉ được chọn tối đa \(k) ứng viên; phiếu chọn \(chosen.count).", field: "chosen") }
            let picked = Set(chosen)
            return BallotContent(marks: Dictionary(uniqueKeysWithValues: open.map { ($0, picked.contains($0) ? .yes : .no) }))
        }
    }

    /// A paper ballot as the committee reads it: valid when it could have been cast electronically (`check`), else
    /// counted as invalid (too many names kept, a mark missing …).
    public static func paper(_ input: BallotInput, form: BallotForm, candidates: [Candidate]) -> BallotContent {
        (try? check(input, form: form, candidates: candidates)) ?? .invalidPaper
    }
}

extension BallotForm {
    private enum Keys: String, CodingKey { case kind, seats, abstain }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let seats = try c.decodeIfPresent(Int.self, forKey: .seats)
        let abstain = try c.decodeIfPresent(Bool.self, forKey: .abstain) ?? false
        if try c.decodeIfPresent(String.self, forKey: .kind) == "chooseUpTo" {
            self = .chooseUpTo(k: max(seats ?? 1, 1), abstain: abstain)
        } else {
            self = .approveEach(seats: seats, abstain: abstain)
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .approveEach(let s, let a): try c.encode("approveEach", forKey: .kind); try c.encodeIfPresent(s, forKey: .seats); try c.encode(a, forKey: .abstain)
        case .chooseUpTo(let k, let a): try c.encode("chooseUpTo", forKey: .kind); try c.encode(k, forKey: .seats); try c.encode(a, forKey: .abstain)
        }
    }
}
