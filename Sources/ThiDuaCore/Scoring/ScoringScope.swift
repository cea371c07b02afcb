import Foundation

/// A round as scope decisions see it: its bloc and year, its phase, its members and who scores whom.
public struct RoundScope: Sendable, Equatable {
    public var blocID: UUID
    public var year: Int
    public var phase: RoundPhase
    public var members: Set<UUID>
    /// Scored unit → its scorers (empty for a round reviewed by the leader alone).
    public var scorers: [UUID: [UUID]]

    public init(blocID: UUID, year: Int, phase: RoundPhase, members: Set<UUID>, scorers: [UUID: [UUID]] = [:]) {
        self.blocID = blocID; self.year = year; self.phase = phase; self.members = members; self.scorers = scorers
    }
}

/// Who may do and see what in a scoring round. In a bloc every scorer is a rival for the same flag: a member sees
/// its own detail and its own marks as a scorer, never another unit's detail or another scorer's marks, and no
/// total or ranking before the preliminary results. Tested as a table (`ScoringScopeTests`).
extension Principal {
    private func officer(of unit: UUID) -> Bool { grants.contains { $0.role == .unitOfficer && $0.unitID == unit } }
    private func ofUnit(_ unit: UUID) -> Bool { grants.contains { ($0.role == .unitOfficer || $0.role == .unitHead) && $0.unitID == unit } }

    /// Sets up the round and moves its phases: the office and the bloc's leads that year.
    public func canManageRound(_ r: RoundScope) -> Bool { isOffice || canLeadBloc(r.blocID, year: r.year) }

    /// Enters and submits a member unit's self-assessment: that unit's officer.
    public func canSelfAssess(unit: UUID, _ r: RoundScope) -> Bool { r.members.contains(unit) && officer(of: unit) }

    /// Enters the marks of `scorer` (a member unit) for `target`: the scorer's officer, when the plan assigns it
    /// and it is not the target.
    public func canCrossScore(as scorer: UUID, target: UUID, _ r: RoundScope) -> Bool {
        scorer != target && r.members.contains(scorer) && officer(of: scorer) && (r.scorers[target]?.contains(scorer) ?? false)
    }

    /// Reviews (and scores a third time): the bloc's leads that year, and the office, which may act for any lead.
    public func canReview(_ r: RoundScope) -> Bool { canLeadBloc(r.blocID, year: r.year) }

    /// A unit's detail (criteria, its self-assessment, evidence, final scores): the office and the leads always, the
    /// unit itself always, the council once published; no other member, ever.
    public func canReadUnitDetail(unit: UUID, _ r: RoundScope) -> Bool {
        if canManageRound(r) || ofUnit(unit) { return true }
        return r.phase == .published && has(.council)
    }

    /// The marks a scorer gave: the office and the leads; the scorer itself (its own marks only).
    public func canReadMarks(of scorer: UUID, _ r: RoundScope) -> Bool { canManageRound(r) || ofUnit(scorer) }

    /// Totals and the ranking: the office and the leads always; the members from the preliminary results on;
    /// the council and every other signed-in user once published.
    public func canReadRanking(_ r: RoundScope) -> Bool {
        if canManageRound(r) { return true }
        if r.phase >= .preliminary, r.members.contains(where: ofUnit) { return true }
        return r.phase == .published
    }

    /// Files an appeal about a unit's own scores: its officer, while appeals are open.
    public func canAppeal(unit: UUID, _ r: RoundScope) -> Bool { r.phase == .appeals && r.members.contains(unit) && officer(of: unit) }
}

extension Principal {
    /// Reads a score sheet: the unit's own sheet with its detail; a peer's sheet by the office, the leads and that
    /// peer; the leader's review and third scoring by the office and the leads, and by the unit from the preliminary
    /// results on.
    public func canReadSheet(unit: UUID, scorer: Scorer, _ r: RoundScope) -> Bool {
        switch scorer {
        case .selfAssessment: canReadUnitDetail(unit: unit, r)
        case .peer(let s): canReadMarks(of: s, r)
        case .leader, .thirdScoring: canManageRound(r) || (r.phase >= .preliminary && canReadUnitDetail(unit: unit, r))
        }
    }

    /// Writes a score sheet, whatever the phase (`ScoreSheets.editRefusal` says when): the unit's officer its
    /// self-assessment, an assigned peer's officer its sheet, the leads (or the office) the review and third scoring.
    public func canWriteSheet(unit: UUID, scorer: Scorer, _ r: RoundScope) -> Bool {
        switch scorer {
        case .selfAssessment: canSelfAssess(unit: unit, r)
        case .peer(let s): canCrossScore(as: s, target: unit, r)
        case .leader, .thirdScoring: canReview(r) && r.members.contains(unit)
        }
    }
}

extension Principal {
    /// Opens a round's page (its phase, its members' progress, one's own sheets): the office and the leads, the
    /// members' people, and everyone once the ranking may be read.
    public func canViewRound(_ r: RoundScope) -> Bool {
        canManageRound(r) || r.members.contains(where: ofUnit) || canReadRanking(r)
    }
}
