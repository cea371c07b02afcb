import Foundation

/// A ballot session as scope decisions see it: who votes (a bloc's member units, or the council's members), for
/// which bloc and year, and the units of the bloc's leader and deputy.
public struct BallotScope: Sendable, Equatable {
    public var body: VoteBody
    public var blocID: UUID?
    public var year: Int
    /// Voter keys: a member unit's id (bloc) or a council member's user id (council).
    public var voters: Set<UUID>
    public var leaderUnit: UUID?
    public var deputyUnit: UUID?

    public init(body: VoteBody, blocID: UUID?, year: Int, voters: Set<UUID>, leaderUnit: UUID? = nil, deputyUnit: UUID? = nil) {
        self.body = body; self.blocID = blocID; self.year = year; self.voters = voters; self.leaderUnit = leaderUnit; self.deputyUnit = deputyUnit
    }
}

/// Who may organise, vote and read in a ballot session. Tested as a table (`BallotScopeTests`).
extension Principal {
    private func actsFor(_ unit: UUID) -> Bool { grants.contains { ($0.role == .unitOfficer || $0.role == .unitHead) && $0.unitID == unit } }

    /// Creates the session, records presence, adds and opens questions: the office; for a bloc, its leads that year.
    public func canOrganise(_ s: BallotScope) -> Bool {
        switch s.body {
        case .council: isOffice
        case .bloc: s.blocID.map { canLeadBloc($0, year: s.year) } ?? false
        }
    }

    /// Opens and closes one question: an organiser who does not act for a candidate's unit. A leader whose own unit
    /// is a candidate hands the question to the deputy (or the office).
    public func canChair(candidateUnits: Set<UUID>, _ s: BallotScope) -> Bool {
        guard canOrganise(s) else { return false }
        return isOffice || !candidateUnits.contains(where: actsFor)
    }

    /// The voter keys this user casts a ballot for: a member unit's head (bloc), or the council member themself.
    public func voterKeys(_ s: BallotScope) -> [UUID] {
        switch s.body {
        case .bloc: units(as: .unitHead).filter(s.voters.contains).sorted { $0.uuidString < $1.uuidString }
        case .council: has(.council) && s.voters.contains(userID) ? [userID] : []
        }
    }

    /// Reads the session (its questions, presence, counts once closed): organisers, voters, the council, and for a
    /// bloc the officers and heads of its member units.
    public func canViewSession(_ s: BallotScope) -> Bool {
        if canOrganise(s) || !voterKeys(s).isEmpty || has(.council) || isOffice { return true }
        return s.body == .bloc && s.voters.contains(where: actsFor)
    }
}
