import Foundation
import ThiDuaCore
import Vapor

/// What the round's page and `GET /api/v1/rounds/:roundID` show, for the one asking: every member's progress,
/// the settings, the caller's own sheets to fill, and who scores whom only for the office and the leads.
struct RoundDTO: Content, Sendable {
    var id: UUID
    var blocID: UUID
    var blocName: String
    var year: Int
    var kind: String
    var kindLabel: String
    var phase: String
    var phaseLabel: String
    var covenantVersionID: UUID
    var lockVersion: Int
    var settings: RoundSettingsDTO
    var members: [Member]
    var canManage: Bool
    /// The phase changes the caller may try now (each checks what it waits for).
    var actions: [Action]
    /// The sheets the caller fills (its unit's self-assessment, the units it is assigned, the leader's review).
    var work: [Work]
    /// Who scores whom: the office and the leads only (a member sees whom it scores in `work`).
    var assignments: [Assignment]?
    /// Declared conflicts: all for the office and the leads, a unit's own for its people.
    var conflicts: [Conflict]
    var resultsVisible: Bool
    var resultsURL: String
    /// A year-end round's phases with the year's deadlines they are held to (empty for a mid-year round).
    var schedule: [Step]

    struct Step: Content, Sendable {
        var phase: String; var label: String
        /// The year's deadline the phase is held to, and its date.
        var deadline: String?; var due: String?
        /// "done", "current" or "upcoming"; late when the date has passed before the phase was done.
        var state: String; var late: Bool
        var note: String?
    }

    struct Member: Content, Sendable {
        var unitID: UUID; var name: String; var role: String?
        var selfSubmitted: Bool
        /// The self-assessment, when the caller may open it.
        var sheetURL: String?
        var reopenURL: String?
    }
    struct Action: Content, Sendable { var action: String; var label: String; var url: String }
    struct Work: Content, Sendable {
        var unitID: UUID; var unitName: String; var scorer: String; var label: String
        var entered: Int; var needed: Int; var submitted: Bool; var url: String
        /// For a peer's sheet: the form to declare a conflict of interest.
        var scorerUnitID: UUID?
    }
    struct Assignment: Content, Sendable { var unitID: UUID; var unitName: String; var scorers: [String] }
    struct Conflict: Content, Sendable { var scorerUnitID: UUID; var scorer: String; var unitID: UUID; var unit: String; var reason: String; var declaredBy: String; var at: String }
}

struct RoundSettingsDTO: Content, Sendable {
    var method: String
    var methodLabel: String
    var plan: String?
    var k: Int?
    var seed: UInt64?
    var aggregator: String
    var aggregatorLabel: String
    var disagreementGap: Double?
    var bonusCap: Double?
    var penaltyCap: Double?
    var normalise: Bool
    var bands: [RoundSettingsInput.Band]
    var tieBreaks: [String]
    var tieBreakLabels: [String]
    /// The bands as one line each for the form ("Xuất sắc | 95 | 0").
    var bandsText: String

    init(_ s: RoundSettings) {
        method = s.method.rawValue; methodLabel = s.method.label
        switch s.plan {
        case .everyone?: plan = "everyone"
        case .rotation(let k, let seed)?: plan = "rotation"; self.k = k; self.seed = seed
        case nil: plan = nil
        }
        aggregator = s.rule.aggregator.rawValue; aggregatorLabel = s.rule.aggregator.label
        disagreementGap = s.rule.disagreementGap?.decimal; bonusCap = s.rule.bonusCap?.decimal; penaltyCap = s.rule.penaltyCap?.decimal
        normalise = s.rule.normalise
        bands = s.rule.bands.map { .init(name: $0.name, minimum: $0.minimum.decimal, noCriterionAtZero: $0.noCriterionAtZero) }
        tieBreaks = s.tieBreaks.map(\.key)
        tieBreakLabels = ([TieBreak.total] + s.tieBreaks).map(\.label)
        bandsText = s.rule.bands.map { "\($0.name) | \($0.minimum) | \($0.noCriterionAtZero ? "1" : "0")" }.joined(separator: "\n")
    }
}

/// One sheet: its rows by the criterion's kind, with what is entered, and whether the caller may change it now.
struct SheetDTO: Content, Sendable {
    var roundID: UUID
    var unitID: UUID
    var unitName: String
    var scorer: String
    var scorerLabel: String
    var phase: String
    var lockVersion: Int
    var submitted: Bool
    var submittedAt: String?
    var submittedBy: String?
    var reopenReason: String?
    var editable: Bool
    var canSubmit: Bool
    var rows: [Row]
    /// Applicable criteria of the sheet without a value.
    var missing: [String]
    var roundURL: String
    var formURL: String
    var submitURL: String?

    struct Row: Content, Sendable {
        var code: String
        var name: String
        var depth: Int
        /// A group heading (no input).
        var isGroup: Bool
        var kind: String
        var kindLabel: String
        var maxPoints: Double
        var maxText: String
        var perEvent: Double?
        var guidance: String
        var points: Double?
        var target: Double?
        var actual: Double?
        var done: Bool?
        var events: Int?
        var comment: String
        /// The value as typed back into the form ("8,5").
        var pointsText: String
        var targetText: String
        var actualText: String
    }
}

/// The results of a round for the one asking: the ranking (when it may be read) and the detail of the units it may
/// read, each criterion explained; for the office and the leads, the strategic-scoring diagnostics.
struct ResultsDTO: Content, Sendable {
    var roundID: UUID
    var blocName: String
    var year: Int
    var kindLabel: String
    var phase: String
    var phaseLabel: String
    var provisional: Bool
    var scaleMaximum: Double
    var tieBreakLabels: [String]
    var ranking: [Rank]
    var units: [UnitResult]
    var diagnostics: [Diagnostic]?
    var roundURL: String
    /// Once published: the revision shown, its digest and anchor, whether it still matches the stored data, and the
    /// revisions with what each changed.
    var publication: Publication?
    /// Appeals the caller may read (its unit's; all for the office and the leads), with the answer forms for the leads.
    var appeals: [Appeal]
    /// The units the caller may appeal for now, with the criteria it may appeal.
    var appealForms: [AppealForm]
    /// The correction form's action, for the office and the leads once published.
    var correctionURL: String?
    var correctionUnits: [AppealForm]
    /// The covenant's key tasks, each leading to its criteria's scores (`GET …/tasks/N`).
    var tasks: [TaskLink]
    var matrixURL: String
    var xlsxURL: String
    /// The ranking (the summary sheet) as .csv.
    var csvURL: String
    var docxURL: String

    struct TaskLink: Content, Sendable { var number: Int; var text: String; var criteria: [String]; var url: String }

    struct Publication: Content, Sendable {
        var revision: Int; var publishedAt: String; var publishedBy: String; var digest: String; var fingerprint: String
        var auditAnchor: String?; var intact: Bool; var revisions: [Revision]
    }
    struct Revision: Content, Sendable { var revision: Int; var at: String; var by: String; var reason: String; var changes: [String] }
    struct Appeal: Content, Sendable {
        var id: UUID; var unitID: UUID; var unitName: String; var criterion: String; var ground: String; var groundLabel: String
        var reason: String; var filedBy: String; var filedAt: String; var scoreBefore: String
        var decision: String?; var decisionLabel: String?; var points: Double?; var answer: String?; var answeredBy: String?; var answeredAt: String?
        var answerURL: String?
    }
    struct AppealForm: Content, Sendable {
        var unitID: UUID; var unitName: String; var url: String; var criteria: [Option]
        struct Option: Content, Sendable { var code: String; var label: String }
    }

    struct Rank: Content, Sendable {
        var rank: Int; var unitID: UUID; var name: String; var total: Double; var totalText: String; var band: String?
        var tied: Bool; var separatedFromAboveBy: String?; var provisional: Bool
    }
    struct UnitResult: Content, Sendable {
        var unitID: UUID; var name: String
        var raw: String; var unitMaximum: String; var normalised: String; var bonus: String; var penalty: String; var total: String
        var totalValue: Double; var band: String?; var provisional: Bool
        var explanation: [String]
        var criteria: [CriterionResult]
    }
    struct CriterionResult: Content, Sendable {
        var code: String; var name: String; var isGroup: Bool; var status: String; var statusLabel: String
        var final: Double?; var finalText: String; var maximum: String; var explanation: String
        var used: [String]; var leftOut: [String]
    }
    struct Diagnostic: Content, Sendable {
        var scorerUnitID: UUID; var scorer: String; var flagged: Bool; var rivalDeviation: String?; var otherDeviation: String?
        var explanation: String; var outliers: [String]
    }
}

extension CriterionOutcome.Status {
    var label: String {
        switch self {
        case .scored: "Đã có điểm"
        case .notApplicable: "Không áp dụng"
        case .missing: "Chưa có điểm"
        case .awaitingThirdScoring: "Chờ chấm lần ba"
        }
    }
}
