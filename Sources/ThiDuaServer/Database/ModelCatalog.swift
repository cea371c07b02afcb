import Fluent

/// Every Fluent model of ThiDua. Each lists its properties itself (`var properties`), because Fluent otherwise finds
/// them by reflection on every row it decodes or encodes (`Mirror`, `swift_getTypeByMangledName`: a third of the CPU
/// of a page before). The `ModelPropertiesTests` check each list against what reflection finds, so that a field added
/// to a model but not to its list fails a test instead of being silently neither read nor written.
enum ThiDuaModels {
    static let all: [any Model.Type] = [
        APIToken.self, AuditEntry.self, AuditHead.self, AwardRecordModel.self, BallotBoxModel.self, BallotEventModel.self, BallotParticipationModel.self,
        BallotQuestionModel.self, BallotSessionModel.self, BallotVoterModel.self, BallotWrittenModel.self, Bloc.self, BlocYear.self,
        CovenantComment.self, CovenantModel.self, CovenantSignature.self, CovenantVersion.self, Deadline.self,
        DeadlineReopening.self, EmulationYear.self, InitiativeRecord.self, Membership.self, Person.self,
        RatingRecord.self, RegistrationEntry.self, RegistrationModel.self, RestrictionRecord.self, RoleGrantModel.self,
        ScoreEvidenceModel.self, ScoreMarkModel.self, ScoreSheetModel.self, ScoringAppealModel.self, ScoringConflictModel.self, ScoringCorrectionModel.self,
        ScoringResultModel.self, ScoringRoundModel.self, SessionRow.self, ThrottleRow.self, Unit.self, UnitYearRecord.self, User.self,
    ]
}
